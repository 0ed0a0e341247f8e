import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarBanner, holidayYearProblems, makeCalendar } from '../../shared/calendar.js';
import { BUILTIN_HOLIDAYS } from '../../shared/holidays.js';
import { SettingsSchema, makeSettings } from '../../shared/settings.js';
import { dayOfWeek, eachDate, fromDayNumber, toDayNumber } from '../../shared/dates.js';

const dateIn = (from: string, to: string) =>
  fc.integer({ min: toDayNumber(from), max: toDayNumber(to) }).map((n) => fromDayNumber(n));

describe('WorkCalendar', () => {
  it('R15: the 2026 Q1 example — last working day Tue 31 Mar, W−10 = 17 Mar, W−3 = 26 Mar, W+5 = 8 Apr', () => {
    const cal = makeCalendar();
    expect(cal.lastWorkingDayOnOrBefore('2026-03-31')).toBe('2026-03-31');
    expect(dayOfWeek('2026-03-31')).toBe(2);
    expect(cal.wMinus('2026-03-31', 10)).toBe('2026-03-17');
    expect(cal.wMinus('2026-03-31', 3)).toBe('2026-03-26');
    // 4–6 Apr is the 清明 holiday, so W+5 skips it.
    expect(cal.wPlus('2026-03-31', 5)).toBe('2026-04-08');
    expect(cal.wMinus('2026-03-31', 0)).toBe('2026-03-31');
  });

  it('R15: W−0 is the last working day when the period ends on a weekend, and a 调休 Saturday can be it', () => {
    const cal = makeCalendar();
    expect(cal.wMinus('2026-01-31', 0)).toBe('2026-01-30'); // Sat 31 Jan is a normal weekend
    expect(cal.wMinus('2026-02-28', 0)).toBe('2026-02-28'); // Sat 28 Feb is a 调休 working day
    expect(cal.wMinus('2026-10-31', 2)).toBe('2026-10-28'); // last working day Fri 30 Oct
    expect(cal.wPlus('2026-09-30', 1)).toBe('2026-10-08'); // 国庆 1–7 Oct off
  });

  it('R16: 调休 make-up days are working days, even on a Saturday or Sunday', () => {
    const cal = makeCalendar();
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(dayOfWeek(d)).toBeGreaterThanOrEqual(6);
      expect(cal.isWorkingDay(d), d).toBe(true);
    }
    for (const d of ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']) {
      expect(cal.isWorkingDay(d), d).toBe(true);
    }
    expect(cal.isWorkingDay('2026-02-21')).toBe(false); // an ordinary Saturday inside 春节
    expect(cal.isWorkingDay('2026-03-07')).toBe(false); // an ordinary Saturday
  });

  it('R16: national holidays are days off, even on a weekday', () => {
    const cal = makeCalendar();
    for (const d of [
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-23',
      '2026-04-06',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-07',
    ]) {
      expect(dayOfWeek(d)).toBeLessThanOrEqual(5);
      expect(cal.isWorkingDay(d), d).toBe(false);
      expect(cal.isHoliday(d), d).toBe(true);
    }
    expect(cal.isWorkingDay('2025-10-08')).toBe(false); // a Wednesday, last day of 2025 国庆中秋
    expect(cal.isWorkingDay('2025-06-02')).toBe(false); // 端午 Monday
    expect(cal.isWorkingDay('2026-10-08')).toBe(true); // Thursday after 国庆 2026
  });

  it('R16: the built-in 2026 calendar has the notice’s 33 days off and 6 make-up days; 2025 has 27 and 5', () => {
    const y2026 = BUILTIN_HOLIDAYS['2026']!;
    expect(y2026.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(y2026.workdays).toHaveLength(6);
    const y2025 = BUILTIN_HOLIDAYS['2025']!;
    expect(y2025.holidays).toHaveLength(1 + 8 + 3 + 5 + 3 + 8);
    expect(y2025.workdays).toHaveLength(5);
    // Each year: 261 weekdays − weekday holidays (2026: 19, 2025: 18) + make-up days (6, 5).
    const cal = makeCalendar();
    expect(eachDate('2026-01-01', '2026-12-31').filter((d) => dayOfWeek(d) <= 5)).toHaveLength(261);
    expect(cal.workingDaysBetween('2026-01-01', '2026-12-31')).toHaveLength(248);
    expect(cal.workingDaysBetween('2025-01-01', '2025-12-31')).toHaveLength(248);
  });

  it('R16: a year without data falls back to Monday–Friday and says so', () => {
    const cal = makeCalendar();
    expect(cal.covers(2026)).toBe(true);
    expect(cal.covers(2031)).toBe(false);
    expect(cal.fallbackYears()).toEqual([]);
    expect(cal.fallbackNotice()).toBeNull();
    expect(cal.isWorkingDay('2031-01-01')).toBe(true); // a Wednesday; New Year is unknown without data
    expect(cal.isWorkingDay('2031-01-04')).toBe(false); // Saturday
    expect(cal.addWorkingDays('2031-01-03', 1)).toBe('2031-01-06');
    expect(cal.fallbackYears()).toEqual([2031]);
    expect(cal.fallbackNotice()).toContain('2031年');
    expect(cal.fallbackNotice()).toContain('周一至周五');
  });

  it('R16: the office’s entry for a year replaces the built-in one, and adds years', () => {
    const cal = makeCalendar(
      makeSettings({
        holidays: {
          '2026': { holidays: ['2026-03-02'], workdays: [] },
          '2031': { holidays: ['2031-01-01'], workdays: ['2031-01-04'] },
        },
      }),
    );
    expect(cal.isWorkingDay('2026-10-01')).toBe(true); // the built-in 国庆 is replaced
    expect(cal.isWorkingDay('2026-02-14')).toBe(false); // and so is its 调休 Saturday
    expect(cal.isWorkingDay('2026-03-02')).toBe(false);
    expect(cal.covers(2031)).toBe(true);
    expect(cal.isWorkingDay('2031-01-01')).toBe(false);
    expect(cal.isWorkingDay('2031-01-04')).toBe(true);
    expect(cal.fallbackYears()).toEqual([]);
    expect(cal.isWorkingDay('2025-10-08')).toBe(false); // other built-in years stay
    expect(cal.yearData(2026)).toEqual({ holidays: ['2026-03-02'], workdays: [] });
    expect(cal.yearData(2025)?.source).toContain('2025年');
    expect(cal.yearData(2040)).toBeNull();
  });

  it('R16: a day listed both as day off and as make-up day is refused with a clear message', () => {
    expect(() =>
      makeCalendar(
        makeSettings({ holidays: { '2027': { holidays: ['2027-02-06'], workdays: ['2027-02-06'] } } }),
      ),
    ).toThrow('2027年节假日安排有误：同一天不能既是放假日又是调休上班日：2027-02-06');
  });

  it('R16: an office entry keyed 2027 that holds a 2026 date is refused, naming the date', () => {
    const r = SettingsSchema.safeParse({
      holidays: { '2027': { holidays: ['2027-02-06', '2026-10-01'], workdays: [] } },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['holidays.2027.holidays.1', '2027年的节假日数据中的日期2026-10-01不属于2027年'],
    ]);
  });

  it('R16: a working day is never a holiday, and a holiday never a working day', () => {
    const cal = makeCalendar();
    fc.assert(
      fc.property(dateIn('2025-01-01', '2027-12-31'), (d) => {
        if (cal.isHoliday(d)) expect(cal.isWorkingDay(d)).toBe(false);
        if (cal.isWorkingDay(d)) expect(cal.isHoliday(d)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('R15: addWorkingDays(addWorkingDays(d, n), −n) lands back on d when d is a working day', () => {
    const cal = makeCalendar();
    fc.assert(
      fc.property(dateIn('2025-01-01', '2026-12-31'), fc.integer({ min: -40, max: 40 }), (d0, n) => {
        const d = cal.firstWorkingDayOnOrAfter(d0);
        expect(cal.addWorkingDays(cal.addWorkingDays(d, n), -n)).toBe(d);
      }),
      { numRuns: 1000 },
    );
  });

  it('R15: addWorkingDays(d, n) is a working day with exactly |n| working days from d to it', () => {
    const cal = makeCalendar();
    fc.assert(
      fc.property(dateIn('2025-01-01', '2026-12-31'), fc.integer({ min: 1, max: 40 }), (d, n) => {
        const after = cal.addWorkingDays(d, n);
        expect(cal.isWorkingDay(after)).toBe(true);
        expect(cal.workingDaysBetween(fromDayNumber(toDayNumber(d) + 1), after)).toHaveLength(n);
        const before = cal.addWorkingDays(d, -n);
        expect(cal.isWorkingDay(before)).toBe(true);
        expect(cal.workingDaysBetween(before, fromDayNumber(toDayNumber(d) - 1))).toHaveLength(n);
      }),
      { numRuns: 500 },
    );
  });

  it('R15: W−n lies n working days before the period’s last working day, W+n after its end', () => {
    const cal = makeCalendar();
    fc.assert(
      fc.property(dateIn('2025-01-31', '2026-12-31'), fc.integer({ min: 0, max: 15 }), (end, n) => {
        const last = cal.lastWorkingDayOnOrBefore(end);
        const wm = cal.wMinus(end, n);
        expect(cal.isWorkingDay(wm)).toBe(true);
        expect(cal.workingDaysBetween(wm, last)).toHaveLength(n + 1);
        if (n > 0) {
          const wp = cal.wPlus(end, n);
          expect(wp > end).toBe(true);
          expect(cal.workingDaysBetween(fromDayNumber(toDayNumber(end) + 1), wp)).toHaveLength(n);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('R16: one calendar validation, and the banner that asks for next year', () => {
  it('R16: holidayYearProblems names dates outside the year and days both off and working; a good entry has none', () => {
    expect(holidayYearProblems(2027, { holidays: ['2027-01-01'], workdays: ['2027-02-07'] })).toEqual([]);
    expect(
      holidayYearProblems(2027, { holidays: ['2026-10-01', '2027-02-06'], workdays: ['2027-02-06'] }),
    ).toEqual(['日期不在 2027 年内：2026-10-01', '同一天不能既是放假日又是调休上班日：2027-02-06']);
  });

  it('R16: from 1 November the pane asks for next year’s holidays, saying how; not before, not once entered', () => {
    const covered = (years: number[]) => (y: number) => years.includes(y);
    expect(calendarBanner('2026-10-31', covered([2026]))).toBeNull();
    const nov = calendarBanner('2026-11-01', covered([2026]));
    expect(nov?.year).toBe(2027);
    expect(nov?.text).toContain('2027年的节假日安排尚未载入');
    expect(nov?.text).toContain('请在下方录入');
    expect(calendarBanner('2026-12-20', covered([2026, 2027]))).toBeNull();
    // 1 January 2027 with no 2027 data: working days are being counted Mon–Fri now.
    expect(calendarBanner('2027-01-01', covered([2026]))?.text).toContain(
      '2027年的节假日安排未载入，工作日暂按周一至周五计算',
    );
  });
});
