// R15, R16: working days and the W−n / W+n arithmetic of the reminder schedule.
import type { IsoDate } from './model.js';
import { DEFAULT_SETTINGS, type HolidayYear, type Settings } from './settings.js';
import { BUILTIN_HOLIDAYS } from './holidays.js';
import { addDays, dayOfWeek, yearOf } from './dates.js';

type DayStatus = 'off' | 'work';

/**
 * The office's working-day calendar. Built once from the built-in national calendar and the office's
 * own entries (Settings.holidays, which replace a built-in year). A date in a year with no data falls
 * back to Monday–Friday, and the calendar remembers that it did (`fallbackYears()`), so every output
 * that depended on it can say so (R16).
 */
export class WorkCalendar {
  private readonly status = new Map<IsoDate, DayStatus>();
  private readonly coveredYears = new Set<number>();
  private readonly fellBack = new Set<number>();
  private readonly workingCache = new Map<IsoDate, boolean>();

  constructor(private readonly data: Readonly<Record<string, HolidayYear>>) {
    const years = data;
    for (const [key, year] of Object.entries(years)) {
      this.coveredYears.add(Number(key));
      const problems = holidayYearProblems(Number(key), year);
      if (problems.length) throw new Error(`${key}年节假日安排有误：${problems[0]}`);
      for (const d of year.holidays) this.status.set(d, 'off');
      for (const d of year.workdays) this.status.set(d, 'work');
    }
  }

  /** True when the calendar has holiday data for the year (built in or from the office). */
  covers(year: number): boolean {
    return this.coveredYears.has(year);
  }

  /** The holiday data used for a year (the office's entry, else the built-in one), or null (Mon–Fri). */
  yearData(year: number): HolidayYear | null {
    return this.data[String(year)] ?? null;
  }

  /** The years covered by data, ascending. */
  years(): number[] {
    return [...this.coveredYears].sort((a, b) => a - b);
  }

  /** Years that some computation needed but the calendar does not cover, so Mon–Fri was used. */
  fallbackYears(): number[] {
    return [...this.fellBack].sort((a, b) => a - b);
  }

  /** The clerk-facing note for fallbackYears(), or null when every year used had data. */
  fallbackNotice(): string | null {
    const years = this.fallbackYears();
    if (years.length === 0) return null;
    return `${years.join('、')}年的节假日安排未载入，这些年份按周一至周五计算工作日（国务院通知发布后请在设置中补充）`;
  }

  /** R16: a holiday is never a working day; a 调休 Saturday or Sunday is one; otherwise Mon–Fri. */
  isWorkingDay(d: IsoDate): boolean {
    const cached = this.workingCache.get(d);
    if (cached !== undefined) return cached;
    const year = yearOf(d);
    if (!this.coveredYears.has(year)) this.fellBack.add(year);
    const s = this.status.get(d);
    const working = s === 'off' ? false : s === 'work' ? true : dayOfWeek(d) <= 5;
    this.workingCache.set(d, working);
    return working;
  }

  /** A declared holiday (day off by the national calendar or the office's entries). */
  isHoliday(d: IsoDate): boolean {
    return this.status.get(d) === 'off';
  }

  /** n > 0: the n-th working day after d; n < 0: the |n|-th working day before d; 0: d itself. */
  addWorkingDays(d: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n)) throw new Error(`工作日数应为整数：${n}`);
    const step = n > 0 ? 1 : -1;
    let left = Math.abs(n);
    let cur = d;
    while (left > 0) {
      cur = addDays(cur, step);
      if (this.isWorkingDay(cur)) left--;
    }
    return cur;
  }

  lastWorkingDayOnOrBefore(d: IsoDate): IsoDate {
    let cur = d;
    while (!this.isWorkingDay(cur)) cur = addDays(cur, -1);
    return cur;
  }

  firstWorkingDayOnOrAfter(d: IsoDate): IsoDate {
    let cur = d;
    while (!this.isWorkingDay(cur)) cur = addDays(cur, 1);
    return cur;
  }

  /** R15: W−n = the n-th working day before the period's last working day (W−0 is that day). */
  wMinus(periodEnd: IsoDate, n: number): IsoDate {
    return this.addWorkingDays(this.lastWorkingDayOnOrBefore(periodEnd), -n);
  }

  /** R15: W+n = the n-th working day after the period's end (its last calendar day). */
  wPlus(periodEnd: IsoDate, n: number): IsoDate {
    return this.addWorkingDays(periodEnd, n);
  }

  /** Working days in [start, end], both inclusive. */
  workingDaysBetween(start: IsoDate, end: IsoDate): IsoDate[] {
    const out: IsoDate[] = [];
    for (let cur = start; cur <= end; cur = addDays(cur, 1)) if (this.isWorkingDay(cur)) out.push(cur);
    return out;
  }
}

/** The calendar for the office's settings: built-in years, each replaced by the office's entry where given. */
export function makeCalendar(settings: Settings = DEFAULT_SETTINGS): WorkCalendar {
  return new WorkCalendar({ ...BUILTIN_HOLIDAYS, ...settings.holidays });
}

/**
 * R16: what is wrong with a year's holiday entry, in Chinese (empty when nothing): a date outside the
 * year (an entry keyed 2027 holding 2026 dates would change nothing in 2027), or a day listed both as
 * a holiday and as a 调休 working day. The API, the settings and the pane's form all check with this.
 */
export function holidayYearProblems(
  year: number,
  entry: Pick<HolidayYear, 'holidays' | 'workdays'>,
): string[] {
  const problems: string[] = [];
  const outside = [...entry.holidays, ...entry.workdays].filter((d) => yearOf(d) !== year);
  if (outside.length) problems.push(`日期不在 ${year} 年内：${outside.slice(0, 5).join('、')}`);
  const off = new Set(entry.holidays);
  const both = entry.workdays.filter((d) => off.has(d));
  if (both.length) problems.push(`同一天不能既是放假日又是调休上班日：${both.join('、')}`);
  return problems;
}

/** From this month on the pane asks for next year's holidays (the State Council publishes them in November). */
export const NEXT_YEAR_NOTICE_MONTH = 11;

/**
 * R16: the banner the pane shows on `today`, or null: this year has no holiday data (working days are
 * counted Monday–Friday now), or — from 1 November — next year has none yet. It says how to enter it.
 */
export function calendarBanner(
  today: IsoDate,
  covers: (year: number) => boolean,
): { year: number; text: string } | null {
  const year = yearOf(today);
  const how = '国务院办公厅通知发布后，请在下方录入放假和调休上班日期（或 PUT /api/calendar/{年份}）';
  if (!covers(year))
    return {
      year,
      text: `${year}年的节假日安排未载入，工作日暂按周一至周五计算，提示和期限可能不准。${how}。`,
    };
  if (Number(today.slice(5, 7)) >= NEXT_YEAR_NOTICE_MONTH && !covers(year + 1))
    return {
      year: year + 1,
      text: `${year + 1}年的节假日安排尚未载入：1月1日起的提示和期限将按周一至周五计算。${how}。`,
    };
  return null;
}
