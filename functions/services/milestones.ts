// Milestones marked done or not done (R7), by the clerk (POST /tasks/milestones) or by the unit's
// feedback: the task's record and its history change together.
import type { IsoDate } from '../../shared/model.js';
import { applyMilestoneMarks, type MilestoneMark } from '../../shared/rules/milestones.js';
import { appendEvents, updateTasks, type Storage } from '../storage/index.js';

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
