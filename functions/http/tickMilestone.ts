// POST /api/tasks/milestones — the clerk ticks a 5★ milestone done, or unticks it (R7). A milestone
// done stops its slip, its orange candidate (工作进展缓慢) and its 节点已过期限未完成 reminder; every
// change is a 'milestone' event in the task's history with who, when and the source.
import { TickMilestoneRequestSchema } from '../../shared/api.js';
import { chinaToday } from '../../shared/dates.js';
import type { IsoDate } from '../../shared/model.js';
import { applyMilestoneMarks, type MilestoneMark } from '../../shared/rules/milestones.js';
import { ApiError } from '../errors.js';
import { appendEvents, updateTasks, type Storage } from '../storage/index.js';
import { api } from './adapter.js';
import { tasksByIds } from './common.js';

/**
 * Records milestone marks on one task (ETag-guarded), with one history event per milestone that
 * changed. Returns the task's milestones as they now read. The caller has checked the texts.
 */
export async function markMilestones(
  storage: Storage,
  ledgerId: string,
  taskId: string,
  marks: Omit<MilestoneMark, 'at'>[],
  now: Date,
  date: IsoDate,
) {
  const at = now.toISOString();
  const stamped = marks.map((m) => ({ ...m, at }));
  const written = await updateTasks(storage, ledgerId, [taskId], (t) => {
    const before = t.task.milestones;
    const after = applyMilestoneMarks(before, [...(t.milestoneMarks ?? []), ...stamped]);
    if (JSON.stringify(before) === JSON.stringify(after)) return null;
    return {
      ...t,
      task: { ...t.task, milestones: after },
      milestoneMarks: [...(t.milestoneMarks ?? []), ...stamped],
    };
  });
  const change = written[0];
  if (!change) return { changed: [] as string[], milestones: null };
  const before = new Map(change.before.task.milestones.map((m) => [m.text, m.done === true]));
  const changed = change.after.task.milestones.filter((m) => (m.done === true) !== before.get(m.text));
  await appendEvents(
    storage,
    changed.map((m) => {
      const mark = stamped.find((s) => s.text === m.text)!;
      return {
        subject: { ledgerId, taskId },
        type: 'milestone',
        date,
        by: mark.by,
        data: { milestone: m.text, milestoneDate: m.date, done: mark.done, on: mark.on, source: mark.source },
      };
    }),
    now,
  );
  return { changed: changed.map((m) => m.text), milestones: change.after.task.milestones };
}

export const tickMilestone = api({}, async (call) => {
  const body = await call.body(TickMilestoneRequestSchema);
  const storage = await call.storage();
  const [task] = await tasksByIds(storage, body.ledgerId, [body.taskId]);
  const milestone = task!.task.milestones.find((m) => m.text === body.milestone);
  if (!milestone)
    throw new ApiError(
      400,
      'unknown_milestone',
      `任务 ${body.taskId} 没有节点「${body.milestone}」（现有节点：${task!.task.milestones.map((m) => m.text).join('、') || '无'}）`,
    );
  if (!body.done && milestone.doneSource === 'ledger')
    throw new ApiError(
      409,
      'ledger_marked',
      `节点「${body.milestone}」在台账中标为已完成，请在台账中修改后再同步`,
    );
  const today = chinaToday(call.now);
  const on = body.date ?? today;
  if (on > today) throw new ApiError(400, 'future_date', `完成日期 ${on} 晚于今天（${today}）`);
  const result = await markMilestones(
    storage,
    body.ledgerId,
    body.taskId,
    [{ text: milestone.text, done: body.done, on, by: body.by, source: 'office' }],
    call.now,
    today,
  );
  return {
    body: {
      taskId: body.taskId,
      changed: result.changed,
      milestones: result.milestones ?? task!.task.milestones,
    },
  };
});
