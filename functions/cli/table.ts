// Plain-text tables for the terminal: Chinese characters take two columns, so pad by display width.
// A 10,000-row ledger has ~100,000 cells: a cell of printable ASCII and the wide ranges (nearly every
// cell) is measured in one pass over its code units, and a character outside them once per process,
// so printing stays linear in the cells.
import stringWidth from 'string-width';

/**
 * Characters whose width depends on their neighbours, measured with the whole text by string-width:
 * marks, format characters and other grapheme extenders, the few letters that join a cluster
 * (Malayalam dot reph, Thai and Lao sara am, Hangul vowel and final jamo), controls (and so ANSI
 * sequences), and everything beyond the BMP (emoji).
 */
const CLUSTERED =
  // eslint-disable-next-line no-control-regex -- controls are matched to be measured, never to be typed.
  /\p{M}|\p{Cf}|\p{Grapheme_Extend}|[\u0d4e\u0e33\u0eb3\u1160-\u11ff\ud7b0-\ud7ff]|[\u0000-\u001f\u007f-\u009f]|[\u{10000}-\u{10ffff}]/u;
const charWidths = new Map<string, number>();

/** Two columns: CJK ideographs and punctuation, kana, hangul syllables, fullwidth forms (as string-width says). */
function wide(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    // U+302A–302F are combining tone marks: they join the character before them (width 0 there).
    (code >= 0x3000 && code <= 0x3029) ||
    (code >= 0x3030 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x3096) ||
    (code >= 0x30a0 && code <= 0x30ff) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xff01 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6)
  );
}

/** One character's columns: printable ASCII 1, the wide ranges 2, any other as string-width says (once per process). */
function charWidth(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code >= 0x20 && code <= 0x7e) return 1;
  if (wide(code)) return 2;
  let cw = charWidths.get(ch);
  if (cw === undefined) charWidths.set(ch, (cw = stringWidth(ch)));
  return cw;
}

/**
 * The width of a text made only of printable ASCII and the wide ranges (most cells of a ledger),
 * counted code unit by code unit; -1 for any other text. Neither kind ever joins its neighbours.
 */
function plainWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e) w += 1;
    else if (wide(code)) w += 2;
    else return -1;
  }
  return w;
}

/** Widths of the other texts seen (stars ★, dashes): few and repeated, each measured once. */
const otherWidths = new Map<string, number>();

export function displayWidth(text: string): number {
  const plain = plainWidth(text);
  if (plain >= 0) return plain;
  let w = otherWidths.get(text);
  if (w !== undefined) return w;
  if (CLUSTERED.test(text)) w = stringWidth(text);
  else {
    // The sum of its characters' widths.
    w = 0;
    for (const ch of text) w += charWidth(ch);
  }
  // A bound on what a long run keeps: the map starts again rather than grow with every text.
  if (otherWidths.size >= 10_000) otherWidths.clear();
  otherWidths.set(text, w);
  return w;
}

export function truncate(text: string, width: number): string {
  return fitted(text, width).text;
}

const ELLIPSIS = '…';

/** The text cut to `width` columns (with …), and its width: each cell is measured once. */
function fitted(text: string, width: number): { text: string; width: number } {
  const full = displayWidth(text);
  if (full <= width) return { text, width: full };
  // One pass, each character measured once: the longest prefix that leaves a column for the "…".
  const measure = CLUSTERED.test(text) ? displayWidth : charWidth;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = measure(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return { text: out + ELLIPSIS, width: used + charWidth(ELLIPSIS) };
}

/** Renders rows under headers; `max` caps a column's width (longer cells are cut with …). */
export function renderTable(
  headers: string[],
  rows: (string | number | null | undefined)[][],
  max: number[] = [],
): string {
  // Each cell fitted once, its text and width kept side by side; a column is as wide as its widest
  // cell (cells past the headers are not padded).
  const headWidths = headers.map(displayWidth);
  const widths = [...headWidths];
  const texts: string[][] = [];
  const sizes: number[][] = [];
  for (const r of rows) {
    const text: string[] = [];
    const size: number[] = [];
    for (let i = 0; i < r.length; i++) {
      const c = r[i];
      const f = fitted(c === null || c === undefined ? '' : String(c), max[i] ?? 40);
      text.push(f.text);
      size.push(f.width);
      if (i < widths.length && f.width > widths[i]!) widths[i] = f.width;
    }
    texts.push(text);
    sizes.push(size);
  }
  const line = (text: string[], size: number[]) => {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      if (i > 0) out += '  ';
      out += text[i];
      const gap = (widths[i] ?? 0) - size[i]!;
      if (gap > 0) out += ' '.repeat(gap);
    }
    return out.trimEnd();
  };
  const lines = [line(headers, headWidths), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (let r = 0; r < texts.length; r++) lines.push(line(texts[r]!, sizes[r]!));
  return lines.join('\n');
}
