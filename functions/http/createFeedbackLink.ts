// POST /api/feedback-links — a signed feedback link for a unit, task and period (the daily run makes
// these for every prompt; the office may make one by hand, e.g. to resend).
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { addDays, chinaToday } from '../../shared/dates.js';
import { feedbackUrl, signFeedbackToken } from '../feedbackLink.js';
import { api } from './adapter.js';
import { linkGeneration } from '../storage/links.js';
import { tasksByIds, UnitNameSchema } from './common.js';

export const FeedbackLinkRequestSchema = z.object({
  ledgerId: z.string().trim().min(1).max(200),
  unit: UnitNameSchema,
  taskId: z.string().trim().min(1).max(200),
  period: z.string().trim().min(1).max(20),
  expires: IsoDateSchema.optional(),
});

export const createFeedbackLink = api({}, async (call) => {
  const body = await call.body(FeedbackLinkRequestSchema);
  const storage = await call.storage();
  await tasksByIds(storage, body.ledgerId, [body.taskId]);
  const expires = body.expires ?? addDays(chinaToday(call.now), 60);
  const generation = await linkGeneration(storage, body.unit);
  const token = signFeedbackToken(
    {
      ledgerId: body.ledgerId,
      unit: body.unit,
      taskId: body.taskId,
      period: body.period,
      expires,
      generation,
    },
    call.env,
  );
  return { status: 201, body: { url: feedbackUrl(token, call.env), token, expires } };
});
