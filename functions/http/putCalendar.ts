// PUT /api/calendar/{year} — the office's holiday calendar for a year (R16), when the State Council
// publishes it. Every date must lie in that year.
import { PutCalendarRequestSchema } from '../../shared/api.js';
import { chinaToday } from '../../shared/dates.js';
import { ApiError } from '../errors.js';
import { appendEvents, putCalendarYear } from '../storage/index.js';
import { api } from './adapter.js';
import { yearParam } from './getCalendar.js';

export const putCalendar = api({}, async (call) => {
  const year = yearParam(call.param('year'));
  const body = await call.body(PutCalendarRequestSchema);
  const outside = [...body.holidays, ...body.workdays].filter((d) => !d.startsWith(`${year}-`));
  if (outside.length)
    throw new ApiError(400, 'date_outside_year', `日期不在 ${year} 年内：${outside.slice(0, 5).join('、')}`);
  const both = body.holidays.filter((d) => body.workdays.includes(d));
  if (both.length)
    throw new ApiError(400, 'holiday_and_workday', `同一天不能既是假日又是调休工作日：${both.join('、')}`);
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
