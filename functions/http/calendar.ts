// The holiday calendar of a year (R16): GET the office's entry if stored, else the built-in one, else
// Mon–Fri, saying which; PUT the office's own when the State Council publishes it (every date must lie
// in that year).
import { makeCalendar } from '../../shared/calendar.js';
import { PutCalendarRequestSchema } from '../../shared/api.js';
import { holidayYearProblems } from '../../shared/calendar.js';
import { ApiError } from '../errors.js';
import { getCalendarYear, loadSettings, putCalendarYear } from '../storage/index.js';
import type { ApiRun } from './adapter.js';
import { yearParam } from './common.js';
import { httpFunction } from './route.js';

const getCalendar: ApiRun = async (call) => {
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
};

const putCalendar: ApiRun = async (call) => {
  const year = yearParam(call.param('year'));
  const body = await call.body(PutCalendarRequestSchema);
  // R16, decided in shared (the pane's form checks the same before sending).
  const problems = holidayYearProblems(year, body);
  if (problems.length) throw new ApiError(400, 'invalid_calendar', problems.join('；'));
  const saved = await putCalendarYear(await call.storage(), year, body, call.ifMatch());
  await call.history([
    {
      subject: { office: true },
      type: 'calendar',
      data: { year, holidays: body.holidays.length, workdays: body.workdays.length },
    },
  ]);
  return { body: { year, calendar: saved.value, etag: saved.etag }, etag: saved.etag };
};

export default httpFunction('calendar', {
  route: 'calendar/{year}',
  methods: { GET: getCalendar, PUT: putCalendar },
});
