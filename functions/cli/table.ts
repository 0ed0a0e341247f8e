// Plain-text tables for the terminal: Chinese characters take two columns, so pad by display width.
// A 10,000-row ledger has ~100,000 cells: widths are measured once per distinct text (cells repeat:
// units, stars, dates) and printable ASCII is its own length, so printing stays linear in the cells.
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Characters whose width depends on their neighbours (combining marks, joiners, selectors, emoji). */
const CLUSTERED = /\p{M}|\p{Cf}|[\u{10000}-\u{10ffff}]/u;
const charWidths = new Map<string, number>();

/** Two columns: CJK ideographs and punctuation, kana, hangul syllables, fullwidth forms (as string-width says). */
function wide(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3000 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x3096) ||
    (code >= 0x30a0 && code <= 0x30ff) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xff01 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6)
  );
}

export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  if (CLUSTERED.test(text)) return stringWidth(text);
  // Chinese text: the sum of its characters' widths; the common ranges are known, any other
  // character is measured once per process.
  let w = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code >= 0x20 && code <= 0x7e) w += 1;
    else if (wide(code)) w += 2;
    else {
      let cw = charWidths.get(ch);
      if (cw === undefined) charWidths.set(ch, (cw = stringWidth(ch)));
      w += cw;
    }
  }
  return w;
}

export function truncate(text: string, width: number): string {
  return fitted(text, width).text;
}

/** The text cut to `width` columns (with …), and its width: each cell is measured once. */
function fitted(text: string, width: number): { text: string; width: number } {
  const full = displayWidth(text);
  if (full <= width) return { text, width: full };
  // One pass, each character measured once: the longest prefix that leaves a column for the "…".
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return { text: out + '…', width: used + displayWidth('…') };
}

/** Renders rows under headers; `max` caps a column's width (longer cells are cut with …). */
export function renderTable(
  headers: string[],
  rows: (string | number | null | undefined)[][],
  max: number[] = [],
): string {
  const cells = rows.map((r) =>
    r.map((c, i) => fitted(c === null || c === undefined ? '' : String(c), max[i] ?? 40)),
  );
  const head = headers.map((h) => ({ text: h, width: displayWidth(h) }));
  const widths = head.map((h, i) => cells.reduce((m, r) => Math.max(m, r[i]?.width ?? 0), h.width));
  const line = (r: { text: string; width: number }[]) =>
    r
      .map((c, i) => c.text + ' '.repeat(Math.max(0, (widths[i] ?? 0) - c.width)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
