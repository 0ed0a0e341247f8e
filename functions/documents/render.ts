// Renders a document's content (shared/documents) to a .docx in the county's 公文 layout (after
// GB/T 9704-2012): A4, margins 37/35/28/26 mm, 红头 issuer in red 小标宋, the number under it, a red rule,
// the title in 2号 小标宋, body in 3号 仿宋 on a 28 pt line, level-1 headings 黑体, level-2 楷体, the
// 落款 and date on the right, the 版记 (印发) between rules, page numbers "— 1 —" at the foot.
import { cleanDeep } from '../../shared/text.js';
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
  type IParagraphStyleOptions,
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

/**
 * Every paragraph takes one of these styles, named in Chinese so that a clerk can restyle a document in
 * Word (e.g. another 仿宋 font) in one place; runs carry no formatting of their own.
 */
const STYLE = {
  issuer: 'DubanIssuer',
  docNo: 'DubanDocNo',
  title: 'DubanTitle',
  addressee: 'DubanAddressee',
  body: 'DubanBody',
  heading1: 'DubanHeading1',
  heading2: 'DubanHeading2',
  cell: 'DubanCell',
  cellCenter: 'DubanCellCenter',
  cellHead: 'DubanCellHead',
  signature: 'DubanSignature',
  date: 'DubanDate',
  imprint: 'DubanImprint',
} as const;

const font = (eastAsia: string) => ({ eastAsia, ascii: FONTS.latin, hAnsi: FONTS.latin, hint: 'eastAsia' });

const PARAGRAPH_STYLES: IParagraphStyleOptions[] = [
  {
    id: STYLE.issuer,
    name: '督办 发文机关标志',
    basedOn: 'Normal',
    run: { font: font(FONTS.title), size: SIZE.issuer, color: RED },
    paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 } },
  },
  {
    id: STYLE.docNo,
    name: '督办 发文字号',
    basedOn: 'Normal',
    paragraph: {
      alignment: AlignmentType.CENTER,
      // The red rule under the number is the paragraph's bottom border.
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 8 } },
      spacing: { before: 240, after: 480 },
    },
  },
  {
    id: STYLE.title,
    name: '督办 标题',
    basedOn: 'Normal',
    run: { font: font(FONTS.title), size: SIZE.title },
    paragraph: {
      alignment: AlignmentType.CENTER,
      spacing: { after: 480, line: 700, lineRule: LineRuleType.AT_LEAST },
    },
  },
  { id: STYLE.addressee, name: '督办 主送', basedOn: 'Normal', paragraph: { spacing: LINE } },
  {
    id: STYLE.body,
    name: '督办 正文',
    basedOn: 'Normal',
    paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: INDENT_2 }, spacing: LINE },
  },
  {
    id: STYLE.heading1,
    name: '督办 一级标题',
    basedOn: STYLE.body,
    run: { font: font(FONTS.heading1) },
    paragraph: { keepNext: true },
  },
  {
    id: STYLE.heading2,
    name: '督办 二级标题',
    basedOn: STYLE.body,
    run: { font: font(FONTS.heading2) },
    paragraph: { keepNext: true },
  },
  {
    id: STYLE.cell,
    name: '督办 表格文字',
    basedOn: 'Normal',
    run: { size: SIZE.table },
    paragraph: { spacing: { line: 320, lineRule: LineRuleType.AT_LEAST } },
  },
  {
    id: STYLE.cellCenter,
    name: '督办 表格文字居中',
    basedOn: STYLE.cell,
    paragraph: { alignment: AlignmentType.CENTER },
  },
  {
    id: STYLE.cellHead,
    name: '督办 表头',
    basedOn: STYLE.cellCenter,
    run: { font: font(FONTS.heading1) },
  },
  {
    id: STYLE.signature,
    name: '督办 落款',
    basedOn: 'Normal',
    paragraph: { alignment: AlignmentType.RIGHT, indent: { right: INDENT_2 }, spacing: LINE },
  },
  {
    // The date four characters from the right margin, as the standard shows it.
    id: STYLE.date,
    name: '督办 成文日期',
    basedOn: STYLE.signature,
    paragraph: { indent: { right: INDENT_2 * 2 } },
  },
  {
    id: STYLE.imprint,
    name: '督办 版记',
    basedOn: 'Normal',
    run: { size: SIZE.footer },
    paragraph: {
      indent: { left: 280 },
      border: {
        top: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 },
        bottom: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 },
      },
      spacing: { before: 480, line: 440, lineRule: LineRuleType.AT_LEAST },
    },
  },
];

const para = (style: string, text: string | null) =>
  new Paragraph({ style, children: text ? [new TextRun(text)] : [] });

function blockElements(block: Block): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'paragraph':
      return [
        block.indent === false
          ? new Paragraph({
              style: STYLE.body,
              indent: { firstLine: 0 },
              children: [new TextRun(block.text)],
            })
          : para(STYLE.body, block.text),
      ];
    case 'heading':
      return [para(block.level === 1 ? STYLE.heading1 : STYLE.heading2, block.text)];
    case 'table':
      // An empty paragraph after the table, so two tables or a table and text never touch.
      return [table(block.columns, block.rows), new Paragraph({ style: STYLE.cell, children: [] })];
  }
}

function table(columns: TableColumn[], rows: string[][]): Table {
  const total = columns.reduce((n, c) => n + c.width, 0) || 1;
  const widths = columns.map((c) => Math.floor((TEXT_WIDTH * c.width) / total));
  const cell = (text: string, i: number, style: string) =>
    new TableCell({
      children: text.split('\n').map((line) => para(style, line)),
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
    });
  const styleOf = (i: number) => (columns[i]?.align === 'center' ? STYLE.cellCenter : STYLE.cell);
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    margins: { left: 80, right: 80, top: 40, bottom: 40 },
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: columns.map((c, i) => cell(c.title, i, STYLE.cellHead)),
      }),
      ...rows.map(
        (r) =>
          new TableRow({ cantSplit: true, children: columns.map((_, i) => cell(r[i] ?? '', i, styleOf(i))) }),
      ),
    ],
  });
}

function head(content: DocumentContent): Paragraph[] {
  return [
    para(STYLE.issuer, content.issuer),
    para(STYLE.docNo, content.docNo),
    para(STYLE.title, content.title),
    para(STYLE.addressee, `${content.addressees.join('、')}：`),
  ];
}

function signature(content: DocumentContent): Paragraph[] {
  return [
    para(STYLE.addressee, null),
    para(STYLE.signature, content.signature.issuer),
    para(STYLE.date, content.signature.dateText),
  ];
}

function imprint(content: DocumentContent): Paragraph {
  return new Paragraph({
    style: STYLE.imprint,
    tabStops: [{ type: 'right', position: TEXT_WIDTH - 280 }],
    children: [
      new TextRun(content.imprint.issuer),
      new TextRun({ children: [new Tab(), `${content.imprint.dateText}印发`] }),
    ],
  });
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
      paragraphStyles: PARAGRAPH_STYLES,
      default: {
        document: {
          run: { font: font(FONTS.body), size: SIZE.body, language: { value: 'en-US', eastAsia: 'zh-CN' } },
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
          imprint(content),
        ],
      },
    ],
  });
}

/** The document as the bytes of a .docx file. */
export function renderDocx(content: DocumentContent): Promise<Buffer> {
  // Cleaned again here (the API edge cleaned it once): text stored before, or from the ledger, may
  // hold what XML forbids, and one such character makes a .docx Word refuses to open.
  return Packer.toBuffer(buildDocument(cleanDeep(content)));
}
