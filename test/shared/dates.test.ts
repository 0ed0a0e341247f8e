import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getISOWeek, getISOWeekYear } from 'date-fns';
import {
  addDays,
  chinaToday,
  compareDates,
  dayOfWeek,
  endOfMonth,
  endOfQuarter,
  fromDayNumber,
  isIsoDate,
  isoWeek,
  monthOf,
  periodRange,
  quarterOf,
  toDayNumber,
} from '../../shared/dates.js';

const anyDate = fc
  .integer({ min: toDayNumber('2000-01-01'), max: toDayNumber('2060-12-31') })
  .map((n) => fromDayNumber(n));

describe('dates', () => {
  it('R22: the date is the Beijing date — 16:00 UTC is already the next day in China', () => {
    expect(chinaToday(new Date('2026-03-31T15:59:59.999Z'))).toBe('2026-03-31');
    expect(chinaToday(new Date('2026-03-31T16:00:00.000Z'))).toBe('2026-04-01');
    // The 08:00 Beijing timer runs at 00:00 UTC: same calendar date.
    expect(chinaToday(new Date('2026-07-01T00:00:00Z'))).toBe('2026-07-01');
    expect(chinaToday(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });

  it('R22: dayOfWeek is ISO (1 = Monday … 7 = Sunday)', () => {
    expect(dayOfWeek('2026-03-31')).toBe(2); // Tuesday
    expect(dayOfWeek('2026-02-14')).toBe(6); // Saturday
    expect(dayOfWeek('2026-01-04')).toBe(7); // Sunday
    expect(dayOfWeek('1970-01-01')).toBe(4);
  });

  it('R15: period labels — quarter, month and ISO week with the ISO week-year', () => {
    expect(quarterOf('2026-08-15')).toBe('2026-Q3');
    expect(quarterOf('2026-12-31')).toBe('2026-Q4');
    expect(monthOf('2026-02-05')).toBe('2026-02');
    expect(isoWeek('2026-02-24')).toBe('2026-W09');
    expect(isoWeek('2027-01-01')).toBe('2026-W53'); // a Friday in the last ISO week of 2026
    expect(isoWeek('2025-12-29')).toBe('2026-W01'); // a Monday of 2025 in ISO week-year 2026
    expect(isoWeek('2027-01-04')).toBe('2027-W01');
  });

  it('R15: isoWeek agrees with date-fns on every date (ISO week and week-year)', () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        const local = new Date(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
        const expected = `${getISOWeekYear(local)}-W${String(getISOWeek(local)).padStart(2, '0')}`;
        expect(isoWeek(d)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('R15: ends of months and quarters, leap years included', () => {
    expect(endOfMonth('2026-02-03')).toBe('2026-02-28');
    expect(endOfMonth('2028-02-03')).toBe('2028-02-29');
    expect(endOfMonth('2026-04-30')).toBe('2026-04-30');
    expect(endOfQuarter('2026-01-01')).toBe('2026-03-31');
    expect(endOfQuarter('2026-08-15')).toBe('2026-09-30');
    expect(endOfQuarter('2026-12-31')).toBe('2026-12-31');
  });

  it('R15: periodRange gives the dates of each period label', () => {
    expect(periodRange('2026-Q1')).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(periodRange('2026-02')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(periodRange('2026-W09')).toEqual({ start: '2026-02-23', end: '2026-03-01' });
    expect(periodRange('2026-W01')).toEqual({ start: '2025-12-29', end: '2026-01-04' });
    expect(periodRange('2026-W53')).toEqual({ start: '2026-12-28', end: '2027-01-03' });
    expect(periodRange('2025-W53')).toBeNull(); // 2025 has 52 ISO weeks
    expect(periodRange('2026')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(periodRange('2026-13')).toBeNull();
    expect(periodRange('上半年')).toBeNull();
  });

  it('R22: a date string is a real calendar date', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-2-28')).toBe(false);
    expect(isIsoDate(20260228)).toBe(false);
  });

  it('R22: addDays crosses months and years, and goes back where it came from', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -1000, max: 1000 }), (d, n) => {
        expect(addDays(addDays(d, n), -n)).toBe(d);
        expect(Math.sign(compareDates(addDays(d, n), d))).toBe(Math.sign(n));
      }),
    );
  });
});
