// Puts a day's failed prompts (of one unit, or all) back in the queue, after the office fixed a unit's
// channels (R17: a failed prompt is visible, and can be sent again). Attempts start again; channels
// that already delivered are not sent to again. Recorded in the office's history.
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { runtimeOutbox } from '../runtime/outbox.js';
import { requeueFailedPrompts } from '../services/outbox.js';
import type { ApiRun } from './adapter.js';
import { UnitNameSchema } from './common.js';
import { httpFunction } from './route.js';

export const RequeueRequestSchema = z.object({
  date: IsoDateSchema,
  unit: UnitNameSchema.optional(),
  by: z.string().trim().min(1, '请填写经办人').max(50),
});

const requeueOutbox: ApiRun = async (call) => {
  const body = await call.body(RequeueRequestSchema);
  const requeued = await requeueFailedPrompts(
    runtimeOutbox(call.env),
    await call.storage(),
    { date: body.date, unit: body.unit, by: body.by },
    call.now,
  );
  return { body: { date: body.date, unit: body.unit ?? null, requeued } };
};

export default httpFunction('outboxRequeue', { route: 'outbox/requeue', methods: { POST: requeueOutbox } });
