// Calendar dates as `YYYY-MM-DD` strings in China Standard Time (R22). Arithmetic is done on whole
// days since 1970-01-01 (UTC), so no host time zone can shift a date: the add-in runs in a browser in
// Beijing, the functions run in UTC, and both must agree on what "today" and "next Monday" are.
import type { IsoDate } from './model.js';

export type { IsoDate } from './model.js';

const MS_PER_DAY = 86_400_000;
/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
const CST_OFFSET_MS = 8 * 3_600_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function pad4(n: number): string {
  const s = String(n);
  return s.length >= 4 ? s : '0'.repeat(4 - s.length) + s;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Throws a clear message for anything that is not a `YYYY-MM-DD` date. */
export function assertIsoDate(value: unknown, what = '日期'): asserts value is IsoDate {
  if (!isIsoDate(value)) throw new Error(`${what}「${String(value)}」不是有效的日期（应为 YYYY-MM-DD）`);
}

export function yearOf(d: IsoDate): number {
  return Number(d.slice(0, 4));
}

export function monthNumberOf(d: IsoDate): number {
  return Number(d.slice(5, 7));
}

export function dayOfMonth(d: IsoDate): number {
  return Number(d.slice(8, 10));
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

export function makeDate(year: number, month: number, day: number): IsoDate {
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
}

/** Whole days since 1970-01-01. */
export function toDayNumber(d: IsoDate): number {
  return Date.UTC(yearOf(d), monthNumberOf(d) - 1, dayOfMonth(d)) / MS_PER_DAY;
}

export function fromDayNumber(n: number): IsoDate {
  const dt = new Date(n * MS_PER_DAY);
  return makeDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

/** R22: the calendar date in Beijing at the instant `now` (08:00 CST = 00:00 UTC). */
export function chinaToday(now: Date): IsoDate {
  return fromDayNumber(Math.floor((now.getTime() + CST_OFFSET_MS) / MS_PER_DAY));
}

export function addDays(d: IsoDate, n: number): IsoDate {
  return fromDayNumber(toDayNumber(d) + n);
}

/** The same date n years later (or earlier); 29 Feb in a year without one becomes 28 Feb. */
export function addYears(d: IsoDate, n: number): IsoDate {
  const y = yearOf(d) + n;
  const m = monthNumberOf(d);
  return makeDate(y, m, Math.min(dayOfMonth(d), daysInMonth(y, m)));
}

/** Negative when a is earlier, 0 when equal, positive when later (sort comparator). */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Calendar days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/** 1 = Monday … 7 = Sunday (ISO). */
export function dayOfWeek(d: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((toDayNumber(d) + 3) % 7) + 7) % 7) + 1;
}

export function startOfIsoWeek(d: IsoDate): IsoDate {
  return addDays(d, 1 - dayOfWeek(d));
}

/** ISO week-year and week number: the week belongs to the year of its Thursday. */
export function isoWeekParts(d: IsoDate): { year: number; week: number } {
  const thursday = toDayNumber(d) - dayOfWeek(d) + 4;
  const year = yearOf(fromDayNumber(thursday));
  const week = Math.floor((thursday - toDayNumber(makeDate(year, 1, 1))) / 7) + 1;
  return { year, week };
}

/** The ISO week label, e.g. '2026-W09'; the year is the ISO week-year (Fri 2027-01-01 is in '2026-W53'). */
export function isoWeek(d: IsoDate): string {
  const { year, week } = isoWeekParts(d);
  return `${pad4(year)}-W${pad2(week)}`;
}

/** 'YYYY-Qn' */
export function quarterOf(d: IsoDate): string {
  return `${d.slice(0, 4)}-Q${Math.floor((monthNumberOf(d) - 1) / 3) + 1}`;
}

/** 'YYYY-MM' */
export function monthOf(d: IsoDate): string {
  return d.slice(0, 7);
}

export function startOfMonth(d: IsoDate): IsoDate {
  return `${d.slice(0, 7)}-01`;
}

export function endOfMonth(d: IsoDate): IsoDate {
  const y = yearOf(d);
  const m = monthNumberOf(d);
  return makeDate(y, m, daysInMonth(y, m));
}

export function startOfQuarter(d: IsoDate): IsoDate {
  const m = Math.floor((monthNumberOf(d) - 1) / 3) * 3 + 1;
  return makeDate(yearOf(d), m, 1);
}

export function endOfQuarter(d: IsoDate): IsoDate {
  const m = Math.floor((monthNumberOf(d) - 1) / 3) * 3 + 3;
  return endOfMonth(makeDate(yearOf(d), m, 1));
}

export interface DateRange {
  start: IsoDate;
  end: IsoDate;
}

/**
 * The dates a period label covers: 'YYYY', 'YYYY-Qn', 'YYYY-MM', 'YYYY-Www' (ISO week, Mon–Sun)
 * or a single date 'YYYY-MM-DD'. Null for anything else.
 */
export function periodRange(label: string): DateRange | null {
  let m = /^(\d{4})$/.exec(label);
  if (m) {
    const y = Number(m[1]);
    return { start: makeDate(y, 1, 1), end: makeDate(y, 12, 31) };
  }
  m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (m) {
    const start = makeDate(Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 1);
    return { start, end: endOfQuarter(start) };
  }
  m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) {
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    const start = makeDate(Number(m[1]), mo, 1);
    return { start, end: endOfMonth(start) };
  }
  m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (m) {
    const y = Number(m[1]);
    const w = Number(m[2]);
    // Week 1 is the week holding 4 January.
    const week1Monday = startOfIsoWeek(makeDate(y, 1, 4));
    const start = addDays(week1Monday, (w - 1) * 7);
    if (w < 1 || isoWeekParts(start).year !== y) return null;
    return { start, end: addDays(start, 6) };
  }
  if (isIsoDate(label)) return { start: label, end: label };
  return null;
}

/** Every date from start to end inclusive (empty when end < start). */
export function eachDate(start: IsoDate, end: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let n = toDayNumber(start), last = toDayNumber(end); n <= last; n++) out.push(fromDayNumber(n));
  return out;
}
