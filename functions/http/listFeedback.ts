// GET /api/feedback?ledgerId=…[&since=ISO][&limit=100][&continuation=…] — the feedback units sent
// through their signed links (R19), for the add-in to write back into the ledger's 进展情况 column.
// One page at a time; `since` (inclusive, any ISO instant with Z or an offset) lists only what
// arrived from then on, so a client that remembers the last instant it wrote asks only for news.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { receivedFeedbackPage } from '../storage/index.js';
import { api } from './adapter.js';

export const Query = z.object({
  ledgerId: z.string().trim().min(1, '请提供 ledgerId（台账编号）').max(200),
  since: z.iso
    .datetime({
      offset: true,
      error: 'since 应为 ISO 时间，例如 2026-03-25T00:00:00Z 或 2026-03-25T08:00:00+08:00',
    })
    .optional(),
  limit: z.coerce.number().int().min(1, 'limit 至少为 1').max(1000, 'limit 最多为 1000').default(200),
  continuation: z.string().max(4000).optional(),
});

export const listFeedback = api({}, async (call) => {
  const q = call.query(Query);
  // Stored instants are toISOString() values; an offset given by the caller is normalised to them.
  const since = q.since ? new Date(q.since).toISOString() : null;
  const storage = await call.storage();
  let page;
  try {
    page = await receivedFeedbackPage(storage, q.ledgerId, since, q.limit, q.continuation);
  } catch (e) {
    const err = e as { name?: string; statusCode?: number } | null;
    if (q.continuation && (err?.name !== 'RestError' || err.statusCode === 400)) {
      throw new ApiError(400, 'invalid_continuation', '翻页标记（continuation）无效，请从第一页重新读取');
    }
    throw e;
  }
  const feedback = page.items.map((f) => ({
    id: f.id,
    taskId: f.taskId,
    unit: f.unit,
    period: f.period,
    receivedOn: f.receivedOn,
    text: f.text,
    value: f.value ?? null,
    at: f.at,
  }));
  return { body: { ledgerId: q.ledgerId, since, feedback, continuation: page.next } };
});
