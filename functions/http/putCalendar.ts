// PUT /api/calendar/{year} — the office's holiday calendar for a year (R16), when the State Council
// publishes it. Every date must lie in that year.
import { PutCalendarRequestSchema } from '../../shared/api.js';
import { chinaToday } from '../../shared/dates.js';
import { holidayYearProblems } from '../../shared/calendar.js';
import { ApiError } from '../errors.js';
import { appendEvents, putCalendarYear } from '../storage/index.js';
import { api } from './adapter.js';
import { yearParam } from './getCalendar.js';

export const putCalendar = api({}, async (call) => {
  const year = yearParam(call.param('year'));
  const body = await call.body(PutCalendarRequestSchema);
  // R16, decided in shared (the pane's form checks the same before sending).
  const problems = holidayYearProblems(year, body);
  if (problems.length) throw new ApiError(400, 'invalid_calendar', problems.join('；'));
  const storage = await call.storage();
  const saved = await putCalendarYear(storage, year, body, call.ifMatch());
  await appendEvents(
    storage,
    [
      {
        subject: { office: true },
        type: 'calendar',
        date: chinaToday(call.now),
        data: { year, holidays: body.holidays.length, workdays: body.workdays.length },
      },
    ],
    call.now,
  );
  return { body: { year, calendar: saved.value, etag: saved.etag }, etag: saved.etag };
});
