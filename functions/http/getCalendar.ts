// GET /api/calendar/{year} — the holiday calendar of a year (R16): the office's entry if stored, else
// the built-in one, else Mon–Fri, saying which.
import { makeCalendar } from '../../shared/calendar.js';
import { ApiError } from '../errors.js';
import { getCalendarYear, loadSettings } from '../storage/index.js';
import { api } from './adapter.js';

export function yearParam(raw: string): number {
  if (!/^\d{4}$/.test(raw) || Number(raw) < 2000 || Number(raw) > 2100) {
    throw new ApiError(400, 'invalid_year', `年份应为 2000–2100 之间的四位数字：${raw}`);
  }
  return Number(raw);
}

export const getCalendar = api({}, async (call) => {
  const year = yearParam(call.param('year'));
  const storage = await call.storage();
  const stored = await getCalendarYear(storage, year);
  const calendar = makeCalendar(await loadSettings(storage));
  return {
    body: {
      year,
      source: stored ? 'office' : calendar.covers(year) ? 'builtin' : 'fallback',
      calendar: stored?.value ?? null,
      covered: calendar.covers(year),
      etag: stored?.etag ?? null,
    },
    etag: stored?.etag ?? null,
  };
});
