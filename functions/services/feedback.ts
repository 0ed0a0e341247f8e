// A unit's feedback kept (R19): the record, its history row, and the milestones it reports done (R7).
// A record never stands without its history row.
import type { Feedback } from '../../shared/model.js';
import { ApiError } from '../errors.js';
import type { FeedbackLink } from '../feedbackLink.js';
import { appendEvents, encodeKey, joinKey, recordFeedback, type Storage } from '../storage/index.js';
import { markMilestones } from './milestones.js';

/** Keeps one answer of a unit for the task its link names; the milestones it reports done are done from today. */
export async function keepFeedback(
  storage: Storage,
  link: FeedbackLink,
  feedback: Feedback,
  now: Date,
): Promise<void> {
  const keptAt = await recordFeedback(storage, link.ledgerId, feedback, now.toISOString());
  await recordEvent(storage, link, feedback, keptAt, now);
  // R7: the milestones the unit reports done are done from today, by that unit (in the task's history).
  if (feedback.milestonesDone?.length)
    await markMilestones(
      storage,
      link.ledgerId,
      link.taskId,
      feedback.milestonesDone.map((text) => ({
        text,
        done: true,
        on: feedback.receivedOn,
        by: link.unit,
        source: 'feedback' as const,
      })),
      now,
      feedback.receivedOn,
    );
}

/**
 * The feedback's history event, with an id of the record's own (a retry writes the same row). A
 * record never stands without its event: after three failed writes the record is taken back and the
 * unit is asked to submit again, so both land or neither.
 */
async function recordEvent(
  storage: Storage,
  link: FeedbackLink,
  feedback: Feedback,
  keptAt: string,
  now: Date,
): Promise<void> {
  const event = {
    subject: { ledgerId: link.ledgerId, taskId: link.taskId },
    type: 'feedback' as const,
    date: feedback.receivedOn,
    by: link.unit,
    data: feedback,
    at: keptAt,
    id: `feedback-${feedback.period}-${keptAt}`,
  };
  let failure: unknown;
  for (let i = 0; i < 3; i++) {
    try {
      await appendEvents(storage, [event], now);
      return;
    } catch (e) {
      failure = e;
      await new Promise((r) => setTimeout(r, 200 * (i + 1)));
    }
  }
  await storage
    .table('Feedback')
    .deleteEntity(encodeKey(link.ledgerId), joinKey(feedback.taskId, feedback.period, keptAt))
    .catch(() => undefined);
  throw new ApiError(
    503,
    'history_unavailable',
    '反馈暂未保存（历史记录写入失败），请稍后再次提交',
    String(failure),
  );
}
