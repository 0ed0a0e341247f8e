// Gathers what the shared rules need from storage and hands it to them. Nothing here decides a rule:
// it only translates stored records into the plain inputs of shared/rules/* (ARCHITECTURE.md).
import type { Reminder } from '../shared/model.js';
import type { Settings } from '../shared/settings.js';
import type { WorkCalendar } from '../shared/calendar.js';
import { splitLeadUnits } from '../shared/ledger/leadUnits.js';
import { effectiveStars } from '../shared/rules/stars.js';
import {
  reminderSchedule,
  remindersDueOn,
  schedulableTasks,
  type ScheduleTask,
  type UnscheduledTask,
} from '../shared/rules/schedule.js';
import { latestReported } from '../shared/rules/progress.js';
import { orangeCandidates, yellowCandidates, type Candidate } from '../shared/rules/candidates.js';
import {
  listFeedback,
  listProblems,
  listReminders,
  listTasks,
  type Storage,
  type StoredTask,
} from './storage/index.js';

/**
 * The ledger's tasks as the schedule takes them (R15, R18), decided by shared `schedulableTasks`: the
 * open tasks it can remind, and the open tasks it cannot (no lead unit, no star even by kind) with the
 * reason, so that nobody's prompt vanishes unseen. A task removed from the ledger is a storage fact
 * (not a rule) and is left out here.
 */
export function scheduleOf(tasks: StoredTask[]): { tasks: ScheduleTask[]; unscheduled: UnscheduledTask[] } {
  return schedulableTasks(
    tasks
      .filter((t) => !t.removed)
      .map((t) => ({
        id: t.task.id,
        no: t.task.no,
        row: t.task.row,
        leadUnit: t.task.leadUnit,
        leadUnits: t.task.leadUnits,
        stars: t.stars,
        category: t.task.category,
        closed: t.closed,
        startDate: t.task.startDate ?? null,
        deadline: t.task.deadline,
        milestones: t.task.milestones,
      })),
  );
}

export function dueReminders(
  tasks: StoredTask[],
  on: string,
  calendar: WorkCalendar,
  settings: Settings,
): { reminders: Reminder[]; unscheduled: UnscheduledTask[] } {
  const plan = scheduleOf(tasks);
  return { reminders: remindersDueOn(plan.tasks, on, calendar, settings), unscheduled: plan.unscheduled };
}

export function remindersBetween(
  tasks: StoredTask[],
  from: string,
  to: string,
  calendar: WorkCalendar,
  settings: Settings,
): { reminders: Reminder[]; unscheduled: UnscheduledTask[] } {
  const plan = scheduleOf(tasks);
  return {
    reminders: reminderSchedule(plan.tasks, from, to, calendar, settings),
    unscheduled: plan.unscheduled,
  };
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
  const reported = latestReported(feedback, asOf);
  const yellow = yellowCandidates({
    reminders: reminders.map((r) => ({
      taskId: r.taskId,
      taskNo: r.taskNo,
      leadUnit: r.leadUnit,
      period: r.period,
      feedbackDue: r.feedbackDue,
    })),
    feedback,
    // A problem of a jointly led task's row is each lead unit's (the stored unit is the cell text).
    problems: problems.flatMap((p) =>
      splitLeadUnits(p.unit).map((unit) => ({
        unit,
        row: p.row,
        message: p.message,
        taskId: p.taskId ?? null,
      })),
    ),
    asOf,
  });
  const orange = orangeCandidates({
    tasks: open.map((t) => ({
      id: t.task.id,
      no: t.task.no,
      title: t.task.title,
      leadUnit: t.task.leadUnit,
      leadUnits: t.task.leadUnits,
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
