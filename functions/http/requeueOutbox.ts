// POST /api/outbox/requeue {date, unit?, by} — puts a day's failed prompts (of one unit, or all) back
// in the queue, after the office fixed a unit's channels (R17: a failed prompt is visible, and can be
// sent again). Attempts start again; channels that already delivered are not sent to again. Recorded
// in the office's history.
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { chinaToday } from '../../shared/dates.js';
import { appendEvents } from '../storage/index.js';
import { api } from './adapter.js';
import { UnitNameSchema } from './common.js';
import { runtimeOutbox } from '../runtime/outbox.js';

export const RequeueRequestSchema = z.object({
  date: IsoDateSchema,
  unit: UnitNameSchema.optional(),
  by: z.string().trim().min(1, '请填写经办人').max(50),
});

export const requeueOutbox = api({}, async (call) => {
  const body = await call.body(RequeueRequestSchema);
  const requeued = await runtimeOutbox(call.env).requeueFailed({ date: body.date, unit: body.unit });
  const storage = await call.storage();
  await appendEvents(
    storage,
    [
      {
        subject: { office: true },
        type: 'outbox-requeue',
        date: chinaToday(call.now),
        by: body.by,
        data: { sendOn: body.date, unit: body.unit ?? null, requeued },
      },
    ],
    call.now,
  );
  return { body: { date: body.date, unit: body.unit ?? null, requeued } };
});
