// The feedback units sent
// through their signed links (R19), for the add-in to write back into the ledger's 进展情况 column.
// One page at a time; `since` (inclusive, any ISO instant with Z or an offset) lists only what
// arrived from then on, so a client that remembers the last instant it wrote asks only for news.
import { z } from 'zod';
import { receivedFeedbackPage } from '../storage/index.js';
import type { ApiRun } from './adapter.js';
import { LedgerIdSchema, pageQuery } from './common.js';
import { httpFunction } from './route.js';

export const Query = z.object({
  ledgerId: LedgerIdSchema,
  since: z.iso
    .datetime({
      offset: true,
      error: 'since 应为 ISO 时间，例如 2026-03-25T00:00:00Z 或 2026-03-25T08:00:00+08:00',
    })
    .optional(),
  ...pageQuery(200),
});

const listFeedback: ApiRun = async (call) => {
  const q = call.query(Query);
  // Stored instants are toISOString() values; an offset given by the caller is normalised to them.
  const since = q.since ? new Date(q.since).toISOString() : null;
  const storage = await call.storage();
  const page = await call.page(q.continuation, () =>
    receivedFeedbackPage(storage, q.ledgerId, since, q.limit, q.continuation),
  );
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
};

export default httpFunction('feedbackList', {
  route: 'feedback',
  query: { GET: Query },
  methods: { GET: listFeedback },
});
