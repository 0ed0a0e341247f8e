// Deadlines (完成时限) in the ways clerks write them (R1, R4). All patterns are compiled once, here.
import type { Deadline, IsoDate } from '../model.js';
import {
  type CellValue,
  cellText,
  chineseNumber,
  compact,
  endOfMonthIso,
  excelSerialToIsoDate,
  isoIfValid,
} from './cells.js';

const MONTHLY = /^(?:每个?月|按月|逐月)/;
const QUARTERLY = /^(?:每个?季|按季|逐季)/;
// Only a deadline that *is* a standing term is ongoing: 6月底前建立长效机制 is a date (R4).
const ONGOING = /^(?:长期|持续|常态化?|长效|常年)/;

// A time of day after a date ('2026-06-30 00:00:00', '2026-06-30T00:00:00Z'), dropped before parsing.
const TIME_OF_DAY = /(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)$/;
// 年底前, 2026年底, 年内, 全年 … : the end of the year.
const YEAR_END =
  /^(?:(\d{4})年?)?(年底|年末|年终|年内|全年|本年度?|今年底?|当年|年度|底|末)?(?:前|之前|以前|内|以内)?(?:完成|完工|办结)?$/;
// What may follow a date: 前, 之前, 以前, 止, 内 and then 完成 …
const SUFFIX = /(?:之前|以前|为止|以内|前|止|内)?(?:完成|完工|办结|结束|实现)?$/;
const FULL_DATE = /^(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})[日号]?$/;
const MONTH_DAY = /^(\d{1,2})[月.\-/](\d{1,2})[日号]?$/;
const MONTH = /^(?:(\d{4})年)?(\d{1,2})月份?(底|末|上旬|中旬|下旬)?$/;
const YEAR_MONTH = /^(\d{4})[.\-/](\d{1,2})$/;
const QUARTER = /^(?:(\d{4})年)?第?([一二三四1-4])季度?(?:末|底)?$/;
const HALF = /^(?:(\d{4})年)?(上|下)半年(?:末|底)?$/;
const CN_MONTH = /([一二三四五六七八九十]{1,3})(?=月)/g;
const HAS_CN_MONTH = /[一二三四五六七八九十]月/;
const RANGE_SPLIT = /至|到|~|—|–|－{1,2}|--/;
const YEAR_IN = /(\d{4})年/;

const QUARTER_END = ['03-31', '06-30', '09-30', '12-31'];

function yearOf(s: string | undefined, year: number): number {
  return s ? Number(s) : year;
}

/** A year written in text is a year only within 1900–2200, as for a numeric cell (1130 is a typo). */
function plausibleYear(s: string | undefined): boolean {
  if (!s) return true;
  const y = Number(s);
  return y >= 1900 && y <= 2200;
}

/**
 * A date written in text → `YYYY-MM-DD`, or null. `end` decides what a month or a year alone means:
 * its last day (deadlines) or its first (start dates). The year, where the text has none, is `year`.
 */
export function parseDateText(text: string, year: number, end = true): IsoDate | null {
  let s = compact(text.replace(TIME_OF_DAY, ''));
  if (s === '') return null;
  if (HAS_CN_MONTH.test(s)) s = s.replace(CN_MONTH, (m) => String(chineseNumber(m) ?? m));
  const whole = parseCompact(s, year, end);
  if (whole !== null) return whole;
  // A range such as 2026年3月至6月: the deadline is its end (a start date is its beginning).
  const parts = s.split(RANGE_SPLIT);
  if (parts.length === 2 && parts[0] && parts[1]) {
    const y = YEAR_IN.exec(parts[0]);
    return end ? parseCompact(parts[1], y ? Number(y[1]) : year, true) : parseCompact(parts[0], year, false);
  }
  return null;
}

function parseCompact(s0: string, year: number, end: boolean): IsoDate | null {
  let m = YEAR_END.exec(s0);
  if (m && !plausibleYear(m[1])) return null;
  if (m && (m[1] || m[2])) {
    // '2026', '2026年', '年底前', '2026年底前', '年内完成': the year's end (or its first day for a start).
    const y = yearOf(m[1], year);
    return end ? `${y}-12-31` : `${y}-01-01`;
  }
  const s = s0.replace(SUFFIX, '');
  if ((m = FULL_DATE.exec(s)))
    return plausibleYear(m[1]) ? isoIfValid(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  if ((m = MONTH_DAY.exec(s))) return isoIfValid(year, Number(m[1]), Number(m[2]));
  if ((m = MONTH.exec(s))) {
    if (!plausibleYear(m[1])) return null;
    const y = yearOf(m[1], year);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    const part = m[3];
    if (part === '上旬') return isoIfValid(y, mo, 10);
    if (part === '中旬') return isoIfValid(y, mo, 20);
    if (part || end) return endOfMonthIso(y, mo);
    return isoIfValid(y, mo, 1);
  }
  if ((m = YEAR_MONTH.exec(s))) {
    if (!plausibleYear(m[1])) return null;
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    return end ? endOfMonthIso(y, mo) : isoIfValid(y, mo, 1);
  }
  if ((m = QUARTER.exec(s))) {
    const q = /\d/.test(m[2]!) ? Number(m[2]) : (chineseNumber(m[2]!) ?? 1);
    const y = yearOf(m[1], year);
    return end ? `${y}-${QUARTER_END[q - 1]}` : isoIfValid(y, q * 3 - 2, 1);
  }
  if ((m = HALF.exec(s))) {
    const y = yearOf(m[1], year);
    if (m[2] === '上') return end ? `${y}-06-30` : `${y}-01-01`;
    return end ? `${y}-12-31` : `${y}-07-01`;
  }
  return null;
}

// The date at the start of a phrase: 3月底前, 5月15日前, 2026年6月, 2026.6.30, 年底前, 三季度末 …
export const DATE_PREFIX =
  /^((?:\d{4}年)?(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:\d{1,2}[日号]|底|末|上旬|中旬|下旬|份)?|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}|\d{4}年(?:底|末)?|年底|年末|年内|(?:\d{4}年)?(?:第?[一二三四1-4])季度(?:末|底)?|(?:\d{4}年)?[上下]半年)(?:之前|以前|前|止|内)?[:：\s]*/;
// Split before compacting (compacting removes line breaks): 、 and line breaks separate dates too.
const PHRASE_SEPARATORS = /[；;，,。、\r\n]+/;

/**
 * The latest date that starts a phrase of a longer text: `2026年6月底前完成初步设计` → 2026-06-30,
 * `3月底前启动，12月底前完成` → 2026-12-31; null when no phrase starts with a date.
 */
export function latestDateIn(text: string, year: number): IsoDate | null {
  let latest: IsoDate | null = null;
  for (const raw of text.split(PHRASE_SEPARATORS)) {
    const part = compact(raw);
    const m = DATE_PREFIX.exec(part);
    if (!m) continue;
    const d = parseDateText(m[1]!, year, true);
    if (d !== null && (latest === null || d > latest)) latest = d;
  }
  return latest;
}

/** Whether a number looks like an Excel date serial (1 Jan 1901 … 31 Dec 2200), not a year or a count. */
export function isLikelySerial(n: number): boolean {
  return n >= 367 && n < 110_000;
}

/**
 * 完成时限 → `{ text, date, recurrence }` (R4). `date` and `recurrence` both null means the deadline
 * could not be read (R1 calls that non-standard); `text` '' means the cell was empty.
 */
export function parseDeadline(value: CellValue, year: number): Deadline {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1900 && value <= 2200)
      return { text: String(value), date: `${value}-12-31`, recurrence: null };
    if (isLikelySerial(value)) {
      const date = excelSerialToIsoDate(value);
      return { text: date, date, recurrence: null };
    }
    return { text: String(value), date: null, recurrence: null };
  }
  const text = cellText(value);
  if (text === '' || typeof value === 'boolean') return { text, date: null, recurrence: null };
  const s = compact(text);
  if (MONTHLY.test(s)) return { text, date: null, recurrence: 'monthly' };
  if (QUARTERLY.test(s)) return { text, date: null, recurrence: 'quarterly' };
  // A date with words after it (2026年6月底前完成初步设计) is read by its date; of several, the last.
  // The date comes first: 6月底前建立长效机制 has a date, and must not lose it to 长效.
  const date = parseDateText(text, year, true) ?? latestDateIn(text, year);
  if (date !== null) return { text, date, recurrence: null };
  if (ONGOING.test(s)) return { text, date: null, recurrence: 'ongoing' };
  return { text, date: null, recurrence: null };
}

/** Whether a non-empty deadline was read as a date or a recurring term. */
export function deadlineIsReadable(d: Deadline): boolean {
  return d.date !== null || d.recurrence !== null;
}
