// Tables in a document sized to their content (GB/T 9704 and the clerk's eye): no 台账序号, 完成时限,
// 排名 or 星级 wraps inside a word or a date, headers break between words, and a row never splits
// across pages.
import { Table, TableCell, TableRow, VerticalAlignTable, WidthType } from 'docx';
import type { TableColumn } from '../../shared/documents/content.js';
import { SIZE, STYLE, TEXT_WIDTH, para } from './page.js';
import { words } from './words.js';

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

export function table(columns: TableColumn[], rows: string[][]): Table {
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
