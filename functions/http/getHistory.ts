// GET /api/history?unit=… | ?ledgerId=…&taskId=… | ?ledgerId=… | ?office=true [&limit=&continuation=]
// — the append-only history (R8) of a unit, a task, a ledger or the office (settings, daily runs),
// oldest first, one page at a time.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { historyPage, type EventSubject } from '../storage/index.js';
import { api } from './adapter.js';
import { UnitNameSchema } from './common.js';

export const Query = z.object({
  unit: UnitNameSchema.optional(),
  ledgerId: z.string().trim().min(1).max(200).optional(),
  taskId: z.string().trim().min(1).max(200).optional(),
  office: z.enum(['true']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuation: z.string().max(4000).optional(),
});

export const getHistory = api({}, async (call) => {
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
  let page;
  try {
    page = await historyPage(storage, subject, q.limit, q.continuation);
  } catch (e) {
    const err = e as { name?: string; statusCode?: number } | null;
    if (q.continuation && (err?.name !== 'RestError' || err.statusCode === 400)) {
      throw new ApiError(400, 'invalid_continuation', '翻页标记（continuation）无效，请从第一页重新读取');
    }
    throw e;
  }
  return { body: { subject, events: page.events, continuation: page.next } };
});
