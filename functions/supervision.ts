// Gathers what the shared rules need from storage and hands it to them. Nothing here decides a rule:
// it only translates stored records into the plain inputs of shared/rules/* (ARCHITECTURE.md).
import type { Feedback, Reminder } from '../shared/model.js';
import type { Settings } from '../shared/settings.js';
import type { WorkCalendar } from '../shared/calendar.js';
import { effectiveStars } from '../shared/rules/stars.js';
import { reminderSchedule, remindersDueOn, type ScheduleTask } from '../shared/rules/schedule.js';
import { orangeCandidates, yellowCandidates, type Candidate } from '../shared/rules/candidates.js';
import {
  listFeedback,
  listProblems,
  listReminders,
  listTasks,
  type Storage,
  type StoredTask,
} from './storage/index.js';

/** Open tasks as the schedule takes them; tasks with no lead unit or no star (even by kind) cannot be reminded. */
export function scheduleTasks(tasks: StoredTask[]): ScheduleTask[] {
  const out: ScheduleTask[] = [];
  for (const t of tasks) {
    if (t.removed) continue;
    const stars = effectiveStars({ stars: t.stars, category: t.task.category });
    if (!t.task.leadUnit || stars === null) continue;
    const startDate = (t.task as { startDate?: string | null }).startDate ?? null;
    out.push({
      id: t.task.id,
      no: t.task.no,
      leadUnit: t.task.leadUnit,
      stars,
      closed: t.closed,
      startDate,
      deadline: t.task.deadline,
      milestones: t.task.milestones,
    });
  }
  return out;
}

export function dueReminders(
  tasks: StoredTask[],
  on: string,
  calendar: WorkCalendar,
  settings: Settings,
): Reminder[] {
  return remindersDueOn(scheduleTasks(tasks), on, calendar, settings);
}

export function remindersBetween(
  tasks: StoredTask[],
  from: string,
  to: string,
  calendar: WorkCalendar,
  settings: Settings,
): Reminder[] {
  return reminderSchedule(scheduleTasks(tasks), from, to, calendar, settings);
}

/** The latest indicator value each task's unit reported (for R6 lagging). */
export function latestValues(feedback: Feedback[]): Map<string, number> {
  const latest = new Map<string, Feedback>();
  for (const f of feedback) {
    if (f.value === null || f.value === undefined) continue;
    const prev = latest.get(f.taskId);
    if (!prev || f.receivedOn >= prev.receivedOn) latest.set(f.taskId, f);
  }
  return new Map([...latest].map(([k, f]) => [k, f.value as number]));
}

export async function ledgerCandidates(
  storage: Storage,
  ledgerId: string,
  year: number,
  asOf: string,
  settings: Settings,
  preloaded?: { tasks?: StoredTask[]; reminders?: Reminder[] },
): Promise<Candidate[]> {
  const [tasks, reminders, feedback, problems] = await Promise.all([
    preloaded?.tasks ?? listTasks(storage, ledgerId),
    preloaded?.reminders ?? listReminders(storage, ledgerId),
    listFeedback(storage, ledgerId),
    listProblems(storage, ledgerId),
  ]);
  const open = tasks.filter((t) => !t.removed);
  const reported = latestValues(feedback);
  const yellow = yellowCandidates({
    reminders: reminders.map((r) => ({
      taskId: r.taskId,
      taskNo: r.taskNo,
      leadUnit: r.leadUnit,
      period: r.period,
      feedbackDue: r.feedbackDue,
    })),
    feedback,
    problems: problems.flatMap((p) =>
      p.unit ? [{ unit: p.unit, row: p.row, message: p.message, taskId: p.taskId ?? null }] : [],
    ),
    asOf,
  });
  const orange = orangeCandidates({
    tasks: open.map((t) => ({
      id: t.task.id,
      no: t.task.no,
      leadUnit: t.task.leadUnit,
      closed: t.closed,
      deadline: t.task.deadline,
      stars: effectiveStars({ stars: t.stars, category: t.task.category }),
      milestones: t.task.milestones,
      target: t.task.target,
      reported: reported.get(t.task.id) ?? null,
    })),
    asOf,
    year,
    settings,
  });
  return [...yellow, ...orange];
}
