// The page of every document the office sends, after GB/T 9704-2012, in one place: A4, margins
// 37/35/28/26 mm, the 28 × 22 character grid, the fonts and sizes (红头 in red 小标宋, title 2号 小标宋,
// body 3号 仿宋 on the grid's line, level-1 headings 黑体, level-2 楷体), the named paragraph styles a
// clerk can restyle in Word, and page numbers "— 1 —" outside on odd and even pages.
import {
  AlignmentType,
  BorderStyle,
  DocumentGridType,
  Footer,
  LineRuleType,
  PageNumber,
  Paragraph,
  TextRun,
  convertMillimetersToTwip,
  type IParagraphStyleOptions,
} from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

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
export const SIZE = { issuer: 60, title: 44, body: 32, table: 24, footer: 28 } as const;
export const RED = 'FF0000';
/**
 * GB/T 9704 5.2.2: 22 lines of 28 characters in the 156 × 225 mm type area. The section's document grid
 * (lines and characters) says so to Word and WPS: 225 mm ÷ 22 = 579 twips a line; 156 mm ÷ 28 = 15.79 pt a
 * character, i.e. the 16 pt body font less 0.21 pt, in 1/4096 pt.
 */
export const GRID = { linePitch: 579, charSpace: -848, charsPerLine: 28, linesPerPage: 22 } as const;
/** Body lines at the grid's pitch, exactly, so every reader (LibreOffice too) sets 22 lines a page. */
export const LINE = { line: GRID.linePitch, lineRule: LineRuleType.EXACT } as const;
/** Two characters of the grid (15.79 pt each), in twips. */
export const INDENT_2 = 632;
/** One character of 4号 (14 pt), in twips: the page number's and the 版记's indent. */
export const INDENT_4HAO = 280;
/** The title's characters per line: the type area's width in 2号 (22 pt) characters, less one for air. */
export const TITLE_CHARS = 19;

/** A4 in twips as Word writes it (210 × 297 mm, rounded). */
export const A4 = { width: 11906, height: 16838 };
export const MARGIN = {
  top: convertMillimetersToTwip(37),
  bottom: convertMillimetersToTwip(35),
  left: convertMillimetersToTwip(28),
  right: convertMillimetersToTwip(26),
};
export const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right;

/**
 * Every paragraph takes one of these styles, named in Chinese so that a clerk can restyle a document in
 * Word (e.g. another 仿宋 font) in one place; runs carry no formatting of their own.
 */
export const STYLE = {
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

export const font = (eastAsia: string) => ({
  eastAsia,
  ascii: FONTS.latin,
  hAnsi: FONTS.latin,
  hint: 'eastAsia',
});

export const PARAGRAPH_STYLES: IParagraphStyleOptions[] = [
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

export const para = (style: string, text: string | null) =>
  new Paragraph({ style, children: text ? [new TextRun(text)] : [] });

/** The type area's height in twips (225 mm). */
export const TYPE_HEIGHT = A4.height - MARGIN.top - MARGIN.bottom;

/** "— 1 —" in 4号 宋体, one character in from the outer edge: right on odd pages, left on even ones. */
export function pageNumber(side: 'odd' | 'even'): Footer {
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

/** The section's page: A4, the margins, the footer's place and the character grid (GB/T 9704 5.2). */
export function pageSetup() {
  return {
    // The page number's line 7 mm under the type area (bottom margin 35 mm, a 14 pt line ≈ 5 mm).
    page: { size: A4, margin: { ...MARGIN, footer: convertMillimetersToTwip(23) } },
    grid: {
      type: DocumentGridType.LINES_AND_CHARS,
      linePitch: GRID.linePitch,
      charSpace: GRID.charSpace,
    },
  };
}

/** The document's styles: the named paragraph styles over a 3号 仿宋 default. */
export function documentStyles() {
  return {
    paragraphStyles: PARAGRAPH_STYLES,
    default: {
      document: {
        run: { font: font(FONTS.body), size: SIZE.body, language: { value: 'en-US', eastAsia: 'zh-CN' } },
      },
    },
  };
}

/**
 * The Normal style with <w:snapToGrid w:val="0"/> in its paragraph properties (docx has no option for
 * it): every paragraph keeps the grid's line count without being stretched to its character cells.
 */
export function withoutGridSnap(docx: Buffer): Buffer {
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
