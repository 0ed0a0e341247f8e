// R16: the national holiday calendar as data. Each year comes from the State Council's notice
// (国务院办公厅关于某年部分节假日安排的通知), published each autumn for the next year. The office adds a
// new year, or corrects one, through Settings.holidays; a year given there replaces the built-in one.
import type { HolidayYear } from './settings.js';
import { eachDate } from './dates.js';

export type { HolidayYear } from './settings.js';

/** Days off: each [first, last] span of a holiday, weekends inside it included. */
function daysOff(...spans: [string, string][]): string[] {
  return spans.flatMap(([first, last]) => eachDate(first, last));
}

export const BUILTIN_HOLIDAYS: Readonly<Record<string, HolidayYear>> = {
  '2025': {
    source: '国务院办公厅关于2025年部分节假日安排的通知',
    holidays: daysOff(
      ['2025-01-01', '2025-01-01'], // 元旦
      ['2025-01-28', '2025-02-04'], // 春节
      ['2025-04-04', '2025-04-06'], // 清明节
      ['2025-05-01', '2025-05-05'], // 劳动节
      ['2025-05-31', '2025-06-02'], // 端午节
      ['2025-10-01', '2025-10-08'], // 国庆节、中秋节
    ),
    // 调休 make-up working days (weekends worked)
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  '2026': {
    source: '国务院办公厅关于2026年部分节假日安排的通知',
    holidays: daysOff(
      ['2026-01-01', '2026-01-03'], // 元旦
      ['2026-02-15', '2026-02-23'], // 春节
      ['2026-04-04', '2026-04-06'], // 清明节
      ['2026-05-01', '2026-05-05'], // 劳动节
      ['2026-06-19', '2026-06-21'], // 端午节
      ['2026-09-25', '2026-09-27'], // 中秋节
      ['2026-10-01', '2026-10-07'], // 国庆节
    ),
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};
