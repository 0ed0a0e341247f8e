// A signed feedback link for a unit, task and period (the daily run makes
// these for every prompt; the office may make one by hand, e.g. to resend).
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { addDays } from '../../shared/dates.js';
import { feedbackUrl, signFeedbackToken } from '../feedbackLink.js';
import { linkGeneration } from '../storage/links.js';
import { tasksByIds } from '../services/tasks.js';
import type { ApiRun } from './adapter.js';
import { LedgerIdSchema, UnitNameSchema } from './common.js';
import { httpFunction } from './route.js';

export const FeedbackLinkRequestSchema = z.object({
  ledgerId: LedgerIdSchema,
  unit: UnitNameSchema,
  taskId: z.string().trim().min(1).max(200),
  period: z.string().trim().min(1).max(20),
  expires: IsoDateSchema.optional(),
});

const createFeedbackLink: ApiRun = async (call) => {
  const body = await call.body(FeedbackLinkRequestSchema);
  const storage = await call.storage();
  await tasksByIds(storage, body.ledgerId, [body.taskId]);
  const expires = body.expires ?? addDays(call.today, 60);
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
};

export default httpFunction('feedbackLinks', {
  route: 'feedback-links',
  methods: { POST: createFeedbackLink },
});
