// Putting a day's failed prompts back in the queue (R17: a failed prompt is visible, and can be sent
// again once the office fixed the unit's channels), as POST /api/outbox/requeue and
// `duban deliver --requeue` both do it: attempts start again, channels that already delivered are not
// sent to again, and the office's history says who requeued what.
import type { IsoDate } from '../../shared/model.js';
import { chinaToday } from '../../shared/dates.js';
import type { Outbox } from '../notify/outbox.js';
import { appendEvents, type Storage } from '../storage/index.js';

export async function requeueFailedPrompts(
  outbox: Outbox,
  storage: Storage,
  request: { date: IsoDate; unit?: string; by: string },
  now: Date,
): Promise<number> {
  const requeued = await outbox.requeueFailed({ date: request.date, unit: request.unit });
  await appendEvents(
    storage,
    [
      {
        subject: { office: true },
        type: 'outbox-requeue',
        date: chinaToday(now),
        by: request.by,
        data: { sendOn: request.date, unit: request.unit ?? null, requeued },
      },
    ],
    now,
  );
  return requeued;
}
