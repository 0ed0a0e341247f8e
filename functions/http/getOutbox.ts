// The prompts queued for delivery and what became of each (R17: delivered, or visibly failed).
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { OutboxStatusSchema } from '../../shared/api.js';
import { runtimeOutbox } from '../runtime/outbox.js';
import type { ApiRun } from './adapter.js';
import { pageQuery, UnitNameSchema } from './common.js';
import { httpFunction } from './route.js';

export const Query = z.object({
  date: IsoDateSchema.optional(),
  status: OutboxStatusSchema.optional(),
  unit: UnitNameSchema.optional(),
  ...pageQuery(100),
});

const getOutbox: ApiRun = async (call) => {
  const q = call.query(Query);
  const outbox = runtimeOutbox(call.env);
  // An edited or foreign continuation is a 400 asking to start again, as for every paged list.
  const page = await call.page(q.continuation, () =>
    outbox.listOutbox({
      date: q.date,
      status: q.status,
      unit: q.unit,
      limit: q.limit,
      continuationToken: q.continuation,
    }),
  );
  return {
    body: {
      // The ETag and the row's partition are storage's, not the API's.
      items: page.items.map(({ etag: _etag, partition: _partition, ...item }) => item),
      continuation: page.continuationToken,
    },
  };
};

export default httpFunction('outbox', {
  route: 'outbox',
  query: { GET: Query },
  methods: { GET: getOutbox },
});
