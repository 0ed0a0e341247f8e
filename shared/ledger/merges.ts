// Merged areas (R1, R4): the one place that reads an A1 range and fills a merge, for the ledger reader
// and the add-in alike. Rows are sheet rows (1-based, as every problem names them); columns are 0-based
// sheet columns (A = 0), the base of `columnLetter`.
import type { CellValue } from './cells.js';

/** A merged area in sheet coordinates, inclusive on every side. */
export interface MergedArea {
  /** The area as written, without its sheet name (`E7:E9`, `$E$7:$E$9`). */
  address: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

// An area as Office.js `getMergedAreasOrNullObject().address` (split at its commas) or exceljs
// `worksheet.model.merges` give it: optionally after a sheet name and `!`, absolute or not, one cell or two.
const A1_RANGE = /^(?:.*!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/i;

/** The 0-based sheet column of column letters: A → 0, Z → 25, AA → 26 (the inverse of `columnLetter`). */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The area an A1 range names (`E7:E9`, `'台账'!$E$7`), or null when it is not one. */
export function parseArea(address: string): MergedArea | null {
  const a1 = address.trim();
  const m = A1_RANGE.exec(a1);
  if (!m) return null;
  const top = Number(m[2]);
  const left = columnIndex(m[1]!);
  return {
    address: a1.slice(a1.lastIndexOf('!') + 1),
    top,
    left,
    bottom: m[4] ? Number(m[4]) : top,
    right: m[3] ? columnIndex(m[3]) : left,
  };
}

function isEmpty(v: CellValue): boolean {
  return v === null || v === undefined || v === '';
}

/**
 * The values with each merged area's top-left value copied into its empty cells, as an xlsx reader
 * gives a merge (Excel's `range.values` holds it in the top-left cell only). `origin` is the sheet
 * position of `values[0][0]`. The caller's arrays are not changed: only the rows an area touches are
 * copied. An area whose top-left lies outside the values, or is empty, fills nothing.
 */
export function fillMerges(
  values: CellValue[][],
  merges: readonly string[],
  origin: { row: number; column: number },
): CellValue[][] {
  const out = values.slice();
  const copied = new Set<number>();
  for (const address of merges) {
    const area = parseArea(address);
    if (!area) continue;
    const top = area.top - origin.row;
    const left = area.left - origin.column;
    if (top < 0 || left < 0 || top >= out.length) continue;
    const v = out[top]?.[left];
    if (isEmpty(v)) continue;
    const bottom = area.bottom - origin.row;
    const right = area.right - origin.column;
    for (let r = top; r <= bottom && r < out.length; r++) {
      if (!copied.has(r)) {
        out[r] = (out[r] ?? []).slice();
        copied.add(r);
      }
      const row = out[r]!;
      for (let c = left; c <= right; c++) if (isEmpty(row[c])) row[c] = v;
    }
  }
  return out;
}

/**
 * The merged area (as listed in `merges`, without its sheet name) that hides the cell at sheet `row`
 * and 0-based `column`: the cell is inside it but not its top-left. Excel shows only the top-left value
 * of an area and refuses a value written below it. Null when no area hides it, or when the areas are
 * unknown (`merges` null: a host below ExcelApi 1.13, whose refusal is reported after the write).
 */
export function hiddenByMerge(merges: readonly string[] | null, row: number, column: number): string | null {
  for (const address of merges ?? []) {
    const area = parseArea(address);
    if (!area) continue;
    const inside = row >= area.top && row <= area.bottom && column >= area.left && column <= area.right;
    if (inside && (row !== area.top || column !== area.left)) return area.address;
  }
  return null;
}
