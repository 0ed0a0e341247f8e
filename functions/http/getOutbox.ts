// GET /api/outbox?date=YYYY-MM-DD&status=queued|sending|sent|retrying|failed|cancelled|stale&unit=…&limit=&continuation=
// — the prompts queued for delivery and what became of each (R17: delivered, or visibly failed).
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { OutboxStatusSchema } from '../../shared/api.js';
import { api } from './adapter.js';
import { UnitNameSchema } from './common.js';
import { runtimeOutbox } from '../runtime/outbox.js';

export const Query = z.object({
  date: IsoDateSchema.optional(),
  status: OutboxStatusSchema.optional(),
  unit: UnitNameSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuation: z.string().max(4000).optional(),
});

export const getOutbox = api({}, async (call) => {
  const q = call.query(Query);
  const outbox = runtimeOutbox(call.env);
  const page = await outbox.listOutbox({
    date: q.date,
    status: q.status,
    unit: q.unit,
    limit: q.limit,
    continuationToken: q.continuation,
  });
  return {
    body: {
      items: page.items.map(({ etag: _etag, ...item }) => item),
      continuation: page.continuationToken,
    },
  };
});
