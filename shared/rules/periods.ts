// R15, R21: the round-up period a clerk means when she names none. A round-up is made after its period
// ends (W+n), so it is the most recent period that has ended by today: the quarter when the month just
// ended closes a quarter, else that month. The pane preselects it and GET /roundup uses it.
import { addDays, monthOf, quarterOf, startOfMonth } from '../dates.js';
import type { IsoDate } from '../model.js';

export function defaultRoundupPeriod(today: IsoDate): string {
  const ended = addDays(startOfMonth(today), -1);
  const month = monthOf(ended);
  return ['03', '06', '09', '12'].includes(month.slice(5, 7)) ? quarterOf(ended) : month;
}
