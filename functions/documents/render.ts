// Renders a document's content (shared/documents) to a .docx in the county's 公文 layout (after
// GB/T 9704-2012) on the page of page.ts: the 红头 issuer and the number under it with a red rule, the
// title, 主送, the body and its tables (table.ts), the 落款 and date on the right, 附件 each on a page
// of its own, and the 版记 (抄送, 印发) between full-width rules at the foot of the last page.
import { cleanDeep } from '../../shared/text.js';
import {
  BorderStyle,
  Document,
  FrameAnchorType,
  FrameWrap,
  HeightRule,
  LineRuleType,
  Packer,
  Paragraph,
  Tab,
  Table,
  TextRun,
} from 'docx';
import type { Block, DocumentContent } from '../../shared/documents/content.js';
import {
  INDENT_2,
  INDENT_4HAO,
  STYLE,
  TEXT_WIDTH,
  TITLE_CHARS,
  TYPE_HEIGHT,
  documentStyles,
  pageNumber,
  pageSetup,
  para,
  withoutGridSnap,
} from './page.js';
import { table } from './table.js';
import { titleLines } from './words.js';

export { FONTS, GRID } from './page.js';
export { columnWidths } from './table.js';

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
  return blocks.flatMap((b, i) => blockElements(b, i === blocks.length - 1 || introducesTable(blocks, i)));
}

/** A paragraph that leads into a table (…如下：) stays on the page where the table starts. */
function introducesTable(blocks: Block[], i: number): boolean {
  return blocks[i]?.kind === 'paragraph' && blocks[i + 1]?.kind === 'table';
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
    ...a.blocks.flatMap((b, j) => blockElements(b, introducesTable(a.blocks, j))),
  ]);
}

/** Rule weights of the 版记 in eighths of a point: first and last 0.35 mm, those between 0.25 mm. */
const RULE = { outer: 8, inner: 6 } as const;

/** The height of one 版记 line between its rules, in twips. */
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

export function buildDocument(content: DocumentContent): Document {
  return new Document({
    creator: content.issuer,
    title: content.docNo ? `${content.title}（${content.docNo}）` : content.title,
    description: '督办：县政府督办检查室重点工作督查文书',
    evenAndOddHeaderAndFooters: true,
    styles: documentStyles(),
    sections: [
      {
        properties: pageSetup(),
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

/** The document as the bytes of a .docx file. */
export async function renderDocx(content: DocumentContent): Promise<Buffer> {
  // Cleaned again here (the API edge cleaned it once): text stored before, or from the ledger, may
  // hold what XML forbids, and one such character makes a .docx Word refuses to open.
  return withoutGridSnap(await Packer.toBuffer(buildDocument(cleanDeep(content))));
}
