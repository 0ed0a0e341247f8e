// Cell values as Excel's `range.values` gives them, and the small conversions every reader needs.
import type { IsoDate } from '../model.js';
import { daysInMonth } from '../dates.js';

/**
 * One cell as Excel's `range.values` gives it: dates are Excel serial numbers, '' for an empty cell.
 * xlsx readers give null/undefined for empty cells; both are read alike.
 */
export type CellValue = string | number | boolean | null | undefined;

const MS_PER_DAY = 86_400_000;
/** 1899-12-30, Excel's day 0 for serials from 61 on (the 1900 system, with its fictitious 1900-02-29). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** The Excel (1900 system) serial of a date → `YYYY-MM-DD`; the time of day (the fraction) is ignored. */
export function excelSerialToIsoDate(n: number): IsoDate {
  let days = Math.floor(n);
  // Excel counts a 29 Feb 1900 that never was: serials 1..59 are one day later than the arithmetic says.
  // (serial 60, that fictitious day, is read as 1 Mar 1900.)
  if (days < 61) days += 1;
  return isoOf(new Date(EXCEL_EPOCH_MS + days * MS_PER_DAY));
}

/** `YYYY-MM-DD` → the Excel (1900 system) serial of that date. */
export function isoDateToExcelSerial(d: IsoDate): number {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const days = Math.round((Date.UTC(y, m - 1, day) - EXCEL_EPOCH_MS) / MS_PER_DAY);
  return days < 61 ? days - 1 : days;
}

export function isoOf(dt: Date): IsoDate {
  const y = dt.getUTCFullYear();
  const m = dt.getUTCMonth() + 1;
  const d = dt.getUTCDate();
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** `YYYY-MM-DD` when (y, m, d) is a real date, else null. */
export function isoIfValid(y: number, m: number, d: number): IsoDate | null {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

// One calendar arithmetic for the domain: the ledger's cells use dates.ts's.
export { daysInMonth };

export function endOfMonthIso(y: number, m: number): IsoDate {
  return isoIfValid(y, m, daysInMonth(y, m)) as IsoDate;
}

/** Sheet column letter of a 0-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index0: number): string {
  let n = Math.floor(index0) + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A cell as trimmed text: '' for empty; numbers as written by JavaScript (1 → '1', 3.2 → '3.2'). */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  // String.prototype.trim removes the full-width space (U+3000), NBSP and BOM as well.
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return v ? 'TRUE' : 'FALSE';
}

const FULL_WIDTH = /[\uff01-\uff5e]/g;
const HAS_FULL_WIDTH = /[\uff01-\uff5e]/;

/** Full-width ASCII forms (０-９，（）：．／ …) → their ASCII counterparts; for parsing only, never for display. */
export function halfWidth(s: string): string {
  return HAS_FULL_WIDTH.test(s)
    ? s.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    : s;
}

const ALL_SPACE = /[\s\u3000\u00a0\ufeff]+/g;

/** Text for parsing: half-width, with every space and line break removed. */
export function compact(s: string): string {
  return halfWidth(s).replace(ALL_SPACE, '');
}

const CN_DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一 … 九十九 → 1 … 99; null when the text is not such a numeral. */
export function chineseNumber(s: string): number | null {
  if (s.length === 0 || s.length > 3) return null;
  const ten = s.indexOf('十');
  if (ten === -1) return s.length === 1 ? (CN_DIGITS[s] ?? null) : null;
  const tens = ten === 0 ? 1 : CN_DIGITS[s.slice(0, ten)];
  const rest = s.slice(ten + 1);
  const ones = rest === '' ? 0 : CN_DIGITS[rest];
  if (tens === undefined || ones === undefined || ten > 1 || rest.length > 1) return null;
  return tens * 10 + ones;
}
