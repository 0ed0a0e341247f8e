// Plain-text tables for the terminal: Chinese characters take two columns, so pad by display width.
// A 10,000-row ledger has ~100,000 cells: widths are measured once per distinct text (cells repeat:
// units, stars, dates) and printable ASCII is its own length, so printing stays linear in the cells.
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Characters whose width depends on their neighbours (combining marks, joiners, selectors, emoji). */
const CLUSTERED = /\p{M}|\p{Cf}|[\u{10000}-\u{10ffff}]/u;
const charWidths = new Map<string, number>();

function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  if (CLUSTERED.test(text)) return stringWidth(text);
  // Chinese text: the sum of its characters' widths, each character measured once per process.
  let w = 0;
  for (const ch of text) {
    let cw = charWidths.get(ch);
    if (cw === undefined) charWidths.set(ch, (cw = stringWidth(ch)));
    w += cw;
  }
  return w;
}

export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  // One pass, each character measured once: the longest prefix that leaves a column for the "…".
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Renders rows under headers; `max` caps a column's width (longer cells are cut with …). */
export function renderTable(
  headers: string[],
  rows: (string | number | null | undefined)[][],
  max: number[] = [],
): string {
  const cells = rows.map((r) =>
    r.map((c, i) => truncate(c === null || c === undefined ? '' : String(c), max[i] ?? 40)),
  );
  const widths = headers.map((h, i) =>
    cells.reduce((m, r) => Math.max(m, displayWidth(r[i] ?? '')), displayWidth(h)),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
