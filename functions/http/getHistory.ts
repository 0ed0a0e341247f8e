// The append-only history (R8) of a unit, a task, a ledger or the office (settings, daily runs),
// oldest first, one page at a time.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { historyPage, type EventSubject } from '../storage/index.js';
import type { ApiRun } from './adapter.js';
import { LedgerIdSchema, pageQuery, UnitNameSchema } from './common.js';
import { httpFunction } from './route.js';

export const Query = z.object({
  unit: UnitNameSchema.optional(),
  ledgerId: LedgerIdSchema.optional(),
  taskId: z.string().trim().min(1).max(200).optional(),
  office: z.enum(['true']).optional(),
  ...pageQuery(100),
});

const getHistory: ApiRun = async (call) => {
  const q = call.query(Query);
  let subject: EventSubject;
  if (q.office && !q.unit && !q.ledgerId && !q.taskId) subject = { office: true };
  else if (q.unit && !q.ledgerId && !q.taskId) subject = { unit: q.unit };
  else if (q.ledgerId && q.taskId && !q.unit) subject = { ledgerId: q.ledgerId, taskId: q.taskId };
  else if (q.ledgerId && !q.taskId && !q.unit) subject = { ledgerId: q.ledgerId };
  else
    throw new ApiError(
      400,
      'invalid_request',
      '请指定 unit（单位），或 ledgerId 与 taskId（任务），或仅 ledgerId（台账），或 office=true（设置与每日运行）',
    );
  const storage = await call.storage();
  const page = await call.page(q.continuation, () => historyPage(storage, subject, q.limit, q.continuation));
  return { body: { subject, events: page.events, continuation: page.next } };
};

export default httpFunction('history', {
  route: 'history',
  query: { GET: Query },
  methods: { GET: getHistory },
});
