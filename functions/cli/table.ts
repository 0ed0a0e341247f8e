// Plain-text tables for the terminal: Chinese characters take two columns, so pad by display width.
import stringWidth from 'string-width';

export function truncate(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (stringWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return out + '…';
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
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
    Math.max(stringWidth(h), ...cells.map((r) => stringWidth(r[i] ?? ''))),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
