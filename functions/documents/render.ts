// Renders a document's content (shared/documents) to a .docx in the county's 公文 layout (after
// GB/T 9704-2012): A4, margins 37/35/28/26 mm, 红头 issuer in red 小标宋, the number under it, a red rule,
// the title in 2号 小标宋, body in 3号 仿宋 on a 28 pt line, level-1 headings 黑体, level-2 楷体, the
// 落款 and date on the right, the 版记 (印发) between rules, page numbers "— 1 —" at the foot.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  convertMillimetersToTwip,
  type IRunOptions,
} from 'docx';
import type { Block, DocumentContent, TableColumn } from '../../shared/documents/content.js';

/** Font names as Chinese offices have them installed; Latin text and digits in Times New Roman. */
export const FONTS = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  footer: '宋体',
  latin: 'Times New Roman',
} as const;

/** Sizes in half-points (docx's unit): 2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt, 小四 = 12 pt. */
const SIZE = { issuer: 60, title: 44, body: 32, table: 24, footer: 28 } as const;
const RED = 'FF0000';
/** 28 pt lines (22 lines a page) as the standard asks. */
const LINE = { line: 560, lineRule: LineRuleType.EXACT } as const;
/** Two characters of 3号 (16 pt each), in twips. */
const INDENT_2 = 640;

/** A4 in twips as Word writes it (210 × 297 mm, rounded). */
const A4 = { width: 11906, height: 16838 };
const MARGIN = {
  top: convertMillimetersToTwip(37),
  bottom: convertMillimetersToTwip(35),
  left: convertMillimetersToTwip(28),
  right: convertMillimetersToTwip(26),
};
const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right;

function run(
  text: string | (string | Tab)[],
  font: string,
  size: number,
  extra: Partial<IRunOptions> = {},
): TextRun {
  return new TextRun({
    ...(typeof text === 'string' ? { text } : { children: text }),
    font: { eastAsia: font, ascii: FONTS.latin, hAnsi: FONTS.latin, hint: 'eastAsia' },
    size,
    language: { value: 'en-US', eastAsia: 'zh-CN' },
    ...extra,
  });
}

const body = (text: string) => run(text, FONTS.body, SIZE.body);

function blockElements(block: Block): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'paragraph':
      return [
        new Paragraph({
          children: [body(block.text)],
          indent: block.indent === false ? undefined : { firstLine: INDENT_2 },
          alignment: AlignmentType.JUSTIFIED,
          spacing: LINE,
        }),
      ];
    case 'heading':
      return [
        new Paragraph({
          children: [run(block.text, block.level === 1 ? FONTS.heading1 : FONTS.heading2, SIZE.body)],
          indent: { firstLine: INDENT_2 },
          spacing: LINE,
          keepNext: true,
        }),
      ];
    case 'table':
      return [table(block.columns, block.rows), new Paragraph({ children: [], spacing: { line: 240 } })];
  }
}

function cellParagraph(text: string, align: TableColumn['align'], header: boolean): Paragraph {
  return new Paragraph({
    children: [run(text, header ? FONTS.heading1 : FONTS.body, SIZE.table)],
    alignment: header || align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
    spacing: { line: 320, lineRule: LineRuleType.AT_LEAST },
  });
}

function table(columns: TableColumn[], rows: string[][]): Table {
  const total = columns.reduce((n, c) => n + c.width, 0) || 1;
  const widths = columns.map((c) => Math.floor((TEXT_WIDTH * c.width) / total));
  const cell = (text: string, i: number, header: boolean) =>
    new TableCell({
      children: text.split('\n').map((line) => cellParagraph(line, columns[i]?.align, header)),
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { left: 80, right: 80, top: 40, bottom: 40 },
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: columns.map((c, i) => cell(c.title, i, true)),
      }),
      ...rows.map(
        (r) => new TableRow({ cantSplit: true, children: columns.map((_, i) => cell(r[i] ?? '', i, false)) }),
      ),
    ],
  });
}

function head(content: DocumentContent): Paragraph[] {
  const out = [
    new Paragraph({
      children: [run(content.issuer, FONTS.title, SIZE.issuer, { color: RED })],
      alignment: AlignmentType.CENTER,
      spacing: { before: 240, after: content.docNo ? 480 : 240 },
    }),
  ];
  // The number on its own line above a red rule (the rule is the paragraph's bottom border).
  out.push(
    new Paragraph({
      children: content.docNo ? [body(content.docNo)] : [],
      alignment: AlignmentType.CENTER,
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 8 } },
      spacing: { after: 480 },
    }),
  );
  out.push(
    new Paragraph({
      children: [run(content.title, FONTS.title, SIZE.title)],
      alignment: AlignmentType.CENTER,
      spacing: { after: 480, line: 700, lineRule: LineRuleType.AT_LEAST },
    }),
  );
  out.push(new Paragraph({ children: [body(`${content.addressees.join('、')}：`)], spacing: LINE }));
  return out;
}

function signature(content: DocumentContent): Paragraph[] {
  // Right-aligned, the date indented four characters from the right margin as the standard shows.
  return [
    new Paragraph({ children: [], spacing: LINE }),
    new Paragraph({
      children: [body(content.signature.issuer)],
      alignment: AlignmentType.RIGHT,
      indent: { right: INDENT_2 },
      spacing: LINE,
    }),
    new Paragraph({
      children: [body(content.signature.dateText)],
      alignment: AlignmentType.RIGHT,
      indent: { right: INDENT_2 * 2 },
      spacing: LINE,
    }),
  ];
}

function imprint(content: DocumentContent): Paragraph[] {
  const rule = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 } as const;
  return [
    new Paragraph({ children: [], spacing: { before: 480 } }),
    new Paragraph({
      children: [
        run(content.imprint.issuer, FONTS.body, SIZE.footer),
        run([new Tab(), `${content.imprint.dateText}印发`], FONTS.body, SIZE.footer),
      ],
      tabStops: [{ type: 'right', position: TEXT_WIDTH - 280 }],
      indent: { left: 280 },
      border: { top: rule, bottom: rule },
      spacing: { line: 440, lineRule: LineRuleType.AT_LEAST },
    }),
  ];
}

function footer(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: { eastAsia: FONTS.footer, ascii: FONTS.footer, hAnsi: FONTS.footer },
            size: SIZE.footer,
          }),
        ],
      }),
    ],
  });
}

export function buildDocument(content: DocumentContent): Document {
  return new Document({
    creator: content.issuer,
    title: content.docNo ? `${content.title}（${content.docNo}）` : content.title,
    description: '督办：县政府督办检查室重点工作督查文书',
    styles: {
      default: {
        document: {
          run: {
            font: { eastAsia: FONTS.body, ascii: FONTS.latin, hAnsi: FONTS.latin },
            size: SIZE.body,
          },
        },
      },
    },
    sections: [
      {
        properties: { page: { size: A4, margin: { ...MARGIN, footer: convertMillimetersToTwip(20) } } },
        footers: { default: footer() },
        children: [
          ...head(content),
          ...content.blocks.flatMap(blockElements),
          ...signature(content),
          ...imprint(content),
        ],
      },
    ],
  });
}

/** The document as the bytes of a .docx file. */
export function renderDocx(content: DocumentContent): Promise<Buffer> {
  return Packer.toBuffer(buildDocument(content));
}
