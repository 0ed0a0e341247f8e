// Renders a document's content (shared/documents) to a .docx in the county's 公文 layout (after
// GB/T 9704-2012): A4, margins 37/35/28/26 mm, 红头 issuer in red 小标宋, the number under it, a red rule,
// the title in 2号 小标宋, body in 3号 仿宋 on a 28 pt line, level-1 headings 黑体, level-2 楷体, the
// 落款 and date on the right, the 版记 (印发) between rules, page numbers "— 1 —" at the foot.
import { cleanDeep } from '../../shared/text.js';
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  FrameAnchorType,
  FrameWrap,
  HeightRule,
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
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Block, DocumentContent, TableColumn } from '../../shared/documents/content.js';
import { titleLines, words } from './words.js';

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
/**
 * GB/T 9704 5.2.2: 22 lines of 28 characters in the 156 × 225 mm type area. The section's document grid
 * (lines and characters) says so to Word and WPS: 225 mm ÷ 22 = 579 twips a line; 156 mm ÷ 28 = 15.79 pt a
 * character, i.e. the 16 pt body font less 0.21 pt, in 1/4096 pt.
 */
export const GRID = { linePitch: 579, charSpace: -848, charsPerLine: 28, linesPerPage: 22 } as const;
/** Body lines at the grid's pitch, exactly, so every reader (LibreOffice too) sets 22 lines a page. */
const LINE = { line: GRID.linePitch, lineRule: LineRuleType.EXACT } as const;
/** Two characters of the grid (15.79 pt each), in twips. */
const INDENT_2 = 632;
/** One character of 4号 (14 pt), in twips: the page number's and the 版记's indent. */
const INDENT_4HAO = 280;
/** The title's characters per line: the type area's width in 2号 (22 pt) characters, less one for air. */
const TITLE_CHARS = 19;

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
  attachmentLabel: 'DubanAttachmentLabel',
} as const;

const font = (eastAsia: string) => ({ eastAsia, ascii: FONTS.latin, hAnsi: FONTS.latin, hint: 'eastAsia' });

const PARAGRAPH_STYLES: IParagraphStyleOptions[] = [
  {
    // The grid's character pitch is the Normal style's font size plus charSpace (Word and WPS read it
    // from Normal): Normal says 3号 itself. LibreOffice sets a character wider than its grid cell on two
    // cells (14 a line), so paragraphs do not snap to the grid (see withoutGridSnap); the text is
    // condensed by 0.3 pt instead (15.7 pt a character, 439.6 of the 442.2 pt line), 28 a line in Word, WPS and LibreOffice alike.
    id: 'Normal',
    name: 'Normal',
    run: { font: font(FONTS.body), size: SIZE.body, characterSpacing: -6 },
  },
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
    // Off the character grid: a 2号 title keeps its own pitch.
    run: { font: font(FONTS.title), size: SIZE.title, snapToGrid: false },
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
    // Table text keeps its own 小四 pitch: the body's character grid would stretch it.
    run: { size: SIZE.table, snapToGrid: false },
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
    run: { size: SIZE.footer, snapToGrid: false },
    paragraph: {
      indent: { left: INDENT_4HAO, right: INDENT_4HAO },
      spacing: { before: 100, line: 400, lineRule: LineRuleType.EXACT },
    },
  },
  {
    id: STYLE.attachmentLabel,
    name: '督办 附件标识',
    basedOn: 'Normal',
    run: { font: font(FONTS.heading1) },
    paragraph: { spacing: LINE },
  },
];

const para = (style: string, text: string | null) =>
  new Paragraph({ style, children: text ? [new TextRun(text)] : [] });

/** A block as paragraphs and tables; `keepNext` keeps a paragraph on the page of what follows it. */
function blockElements(block: Block, keepNext = false): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'paragraph':
      return [
        new Paragraph({
          style: STYLE.body,
          ...(block.indent === false ? { indent: { firstLine: 0 } } : {}),
          ...(keepNext ? { keepNext: true, keepLines: true } : {}),
          children: [new TextRun(block.text)],
        }),
      ];
    case 'heading':
      return [para(block.level === 1 ? STYLE.heading1 : STYLE.heading2, block.text)];
    case 'table':
      // An empty paragraph after the table, so two tables or a table and text never touch.
      return [table(block.columns, block.rows), new Paragraph({ style: STYLE.cell, children: [] })];
  }
}

/** Cell margins left + right, in twips. */
const CELL_MARGIN = 80;
/**
 * The width of a text in 小四 (12 pt), in twips: CJK and ★ a full em, Latin and digits about 0.6 em, and
 * a quarter em where Chinese meets Latin or digits (the readers' automatic spacing between them).
 */
function textWidth(text: string, size = SIZE.table): number {
  let ems = 0;
  let prevLatin: boolean | null = null;
  for (const ch of text) {
    const latin = /[\u0020-\u024f\u2010-\u2015]/.test(ch);
    ems += latin ? 0.6 : 1;
    if (prevLatin !== null && prevLatin !== latin && ch !== ' ') ems += 0.25;
    prevLatin = latin;
  }
  return Math.ceil(ems * size * 10);
}
const widest = (texts: string[]) => Math.max(0, ...texts.map((t) => textWidth(t)));

/**
 * Column widths sized to the content: a column is at least as wide as its widest word (its header's
 * too), a `nowrap` column as its widest cell; what is left of the type area goes to the other columns by
 * their relative widths. Exported for the tests.
 */
export function columnWidths(columns: TableColumn[], rows: string[][], total = TEXT_WIDTH): number[] {
  const slack = 2 * CELL_MARGIN + 120;
  const min = columns.map((c, i) => {
    const cells = rows.map((r) => r[i] ?? '').flatMap((t) => t.split('\n'));
    const head = widest(words(c.title));
    const body = c.nowrap ? widest(cells) : widest(cells.flatMap((t) => words(t)));
    return Math.max(head, body) + slack;
  });
  const fixed = columns.map((c, i) => (c.nowrap ? (min[i] as number) : 0));
  const flexible = columns.map((c) => (c.nowrap ? 0 : c.width));
  const flexTotal = flexible.reduce((a, b) => a + b, 0);
  let left = total - fixed.reduce((a, b) => a + b, 0);
  const widths = columns.map((_, i) => fixed[i] as number);
  // Give each flexible column its share, but never less than its widest word; repeat while one is raised.
  const open = new Set(columns.map((_, i) => i).filter((i) => !columns[i]?.nowrap));
  for (let changed = true; changed && open.size;) {
    changed = false;
    const share = [...open].reduce((a, i) => a + (flexible[i] as number), 0) || 1;
    for (const i of open) {
      const w = Math.floor((left * (flexible[i] as number)) / share);
      if (w < (min[i] as number)) {
        widths[i] = min[i] as number;
        left -= min[i] as number;
        open.delete(i);
        changed = true;
      }
    }
    if (!changed) for (const i of open) widths[i] = Math.floor((left * (flexible[i] as number)) / share);
  }
  const sum = widths.reduce((a, b) => a + b, 0);
  if (sum > total) {
    // Too wide for the type area: every column shrinks in proportion (text wraps rather than overflows).
    return widths.map((w) => Math.floor((w * total) / sum));
  }
  if (flexTotal === 0 && left > 0) {
    // All columns fixed: spread what is left evenly so the table spans the type area.
    const add = Math.floor(left / columns.length);
    return widths.map((w) => w + add);
  }
  return widths;
}

/** A header title broken between words into lines that fit its column. */
function headerLines(title: string, width: number): string[] {
  const room = width - 2 * CELL_MARGIN;
  if (textWidth(title) <= room) return [title];
  const out: string[] = [];
  let line = '';
  for (const w of words(title)) {
    if (line && textWidth(line + w) > room) {
      out.push(line);
      line = '';
    }
    line += w;
  }
  if (line) out.push(line);
  return out;
}

function table(columns: TableColumn[], rows: string[][]): Table {
  const widths = columnWidths(columns, rows);
  const cell = (lines: string[], i: number, style: string) =>
    new TableCell({
      children: lines.map((line) => para(style, line)),
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
    });
  const styleOf = (i: number) => (columns[i]?.align === 'center' ? STYLE.cellCenter : STYLE.cell);
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: 'fixed',
    margins: { left: CELL_MARGIN, right: CELL_MARGIN, top: 40, bottom: 40 },
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: columns.map((c, i) => cell(headerLines(c.title, widths[i] ?? 0), i, STYLE.cellHead)),
      }),
      ...rows.map(
        (r) =>
          new TableRow({
            cantSplit: true,
            children: columns.map((_, i) => cell((r[i] ?? '').split('\n'), i, styleOf(i))),
          }),
      ),
    ],
  });
}

function head(content: DocumentContent): Paragraph[] {
  return [
    para(STYLE.issuer, content.issuer),
    para(STYLE.docNo, content.docNo),
    new Paragraph({
      style: STYLE.title,
      children: titleLines(content.title, TITLE_CHARS).map(
        (line, i) => new TextRun({ text: line, break: i ? 1 : 0 }),
      ),
    }),
    para(STYLE.addressee, `${content.addressees.join('、')}：`),
  ];
}

function signature(content: DocumentContent): Paragraph[] {
  // Kept with the body's last line: no page holds only the signature (GB/T 9704 7.3.5).
  return [
    new Paragraph({ style: STYLE.addressee, keepNext: true, children: [] }),
    new Paragraph({
      style: STYLE.signature,
      keepNext: true,
      children: [new TextRun(content.signature.issuer)],
    }),
    para(STYLE.date, content.signature.dateText),
    // 附注 (GB/T 9704 7.3.6): two characters in, in parentheses, on the line under the date.
    ...(content.note ? [para(STYLE.body, `（${content.note}）`)] : []),
  ];
}

/** The body, its last paragraph travelling with the signature to the next page when they do not fit. */
function body(blocks: Block[]): (Paragraph | Table)[] {
  return blocks.flatMap((b, i) => blockElements(b, i === blocks.length - 1));
}

/** 附件：1. … under the body, two characters in; later attachments aligned under the first name. */
function attachmentNote(content: DocumentContent): Paragraph[] {
  const list = content.attachments ?? [];
  if (!list.length) return [];
  return [
    new Paragraph({ style: STYLE.addressee, keepNext: true, children: [] }),
    ...list.map(
      (a, i) =>
        new Paragraph({
          style: STYLE.body,
          keepNext: true,
          indent: i ? { left: INDENT_2 * 2 + 600, firstLine: 0 } : undefined,
          children: [new TextRun(`${i ? '' : '附件：'}${list.length > 1 ? `${i + 1}. ` : ''}${a.title}`)],
        }),
    ),
  ];
}

/** Each attachment on a new page: 附件N in 黑体 at the top left, its title centred in the third line. */
function attachments(content: DocumentContent): (Paragraph | Table)[] {
  const list = content.attachments ?? [];
  return list.flatMap((a, i) => [
    new Paragraph({
      style: STYLE.attachmentLabel,
      pageBreakBefore: true,
      children: [new TextRun(list.length > 1 ? `附件${i + 1}` : '附件')],
    }),
    para(STYLE.addressee, null),
    new Paragraph({
      style: STYLE.title,
      children: titleLines(a.title, TITLE_CHARS).map(
        (line, j) => new TextRun({ text: line, break: j ? 1 : 0 }),
      ),
    }),
    ...a.blocks.flatMap((b) => blockElements(b)),
  ]);
}

/** Rule weights of the 版记 in eighths of a point: first and last 0.35 mm, those between 0.25 mm. */
const RULE = { outer: 8, inner: 6 } as const;

/** The type area's height in twips (225 mm), and the height of one 版记 line between its rules. */
const TYPE_HEIGHT = A4.height - MARGIN.top - MARGIN.bottom;
const IMPRINT_LINE = 600;

/**
 * The 版记 (GB/T 9704 7.4) at the foot of the last page's type area: one frame per line (抄送 when there
 * is one, then 印发机关 and 印发日期), each the width of the type area at a fixed height from the type
 * area's top, so the last line's rule is the type area's bottom edge in Word, WPS and LibreOffice alike.
 * Full-width rules between and around the lines, the first and the last thicker.
 */
function imprint(content: DocumentContent): Paragraph[] {
  const rule = (size: number) => ({ style: BorderStyle.SINGLE, size, color: '000000', space: 1 });
  const cc = (content.cc ?? []).filter((c) => c.trim());
  const lines: { text: TextRun[]; tab?: boolean }[] = [
    ...(cc.length ? [{ text: [new TextRun(`抄送：${cc.join('，')}。`)] }] : []),
    {
      tab: true,
      text: [
        new TextRun(content.imprint.issuer),
        new TextRun({ children: [new Tab(), `${content.imprint.dateText}印发`] }),
      ],
    },
  ];
  // A 1-twip paragraph between the frames keeps readers from merging them into one frame.
  const spacer = () => new Paragraph({ spacing: { line: 20, lineRule: LineRuleType.EXACT }, children: [] });
  return lines.flatMap((line, i) => [
    ...(i ? [spacer()] : []),
    new Paragraph({
      style: STYLE.imprint,
      frame: {
        type: 'absolute',
        position: { x: 0, y: TYPE_HEIGHT - (lines.length - i) * IMPRINT_LINE },
        anchor: { horizontal: FrameAnchorType.MARGIN, vertical: FrameAnchorType.MARGIN },
        width: TEXT_WIDTH,
        height: IMPRINT_LINE,
        rule: HeightRule.EXACT,
        wrap: FrameWrap.AROUND,
      },
      border: {
        ...(i === 0 ? { top: rule(RULE.outer) } : {}),
        bottom: rule(i === lines.length - 1 ? RULE.outer : RULE.inner),
      },
      ...(line.tab ? { tabStops: [{ type: 'right' as const, position: TEXT_WIDTH - 2 * INDENT_4HAO }] } : {}),
      children: line.text,
    }),
  ]);
}

/** "— 1 —" in 4号 宋体, one character in from the outer edge: right on odd pages, left on even ones. */
function pageNumber(side: 'odd' | 'even'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: INDENT_4HAO } : { left: INDENT_4HAO },
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: { eastAsia: FONTS.footer, ascii: FONTS.footer, hAnsi: FONTS.footer },
            size: SIZE.footer,
            snapToGrid: false,
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
    evenAndOddHeaderAndFooters: true,
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
        properties: {
          // The page number's line 7 mm under the type area (bottom margin 35 mm, a 14 pt line ≈ 5 mm).
          page: { size: A4, margin: { ...MARGIN, footer: convertMillimetersToTwip(23) } },
          grid: {
            type: DocumentGridType.LINES_AND_CHARS,
            linePitch: GRID.linePitch,
            charSpace: GRID.charSpace,
          },
        },
        footers: { default: pageNumber('odd'), even: pageNumber('even') },
        children: [
          ...head(content),
          ...body(content.blocks),
          ...attachmentNote(content),
          ...signature(content),
          ...attachments(content),
          ...imprint(content),
        ],
      },
    ],
  });
}

/**
 * The Normal style with <w:snapToGrid w:val="0"/> in its paragraph properties (docx has no option for
 * it): every paragraph keeps the grid's line count without being stretched to its character cells.
 */
function withoutGridSnap(docx: Buffer): Buffer {
  const files = unzipSync(docx);
  const styles = strFromU8(files['word/styles.xml'] as Uint8Array);
  const normal = '<w:style w:type="paragraph" w:styleId="Normal" w:default="1"><w:name w:val="Normal"/>';
  if (!styles.includes(normal))
    throw new Error('word/styles.xml: the Normal style was not where docx writes it');
  files['word/styles.xml'] = strToU8(
    styles.replace(normal, `${normal}<w:pPr><w:snapToGrid w:val="0"/></w:pPr>`),
  );
  return Buffer.from(zipSync(files, { level: 6 }));
}

/** The document as the bytes of a .docx file. */
export async function renderDocx(content: DocumentContent): Promise<Buffer> {
  // Cleaned again here (the API edge cleaned it once): text stored before, or from the ledger, may
  // hold what XML forbids, and one such character makes a .docx Word refuses to open.
  return withoutGridSnap(await Packer.toBuffer(buildDocument(cleanDeep(content))));
}
