// Gathers what the shared rules need from storage and hands it to them. Nothing here decides a rule:
// it only translates stored records into the plain inputs of shared/rules/* (docs/architecture.md).
import type { Feedback, IsoDate, Reminder } from '../shared/model.js';
import { addDays } from '../shared/dates.js';
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
import type { UndeliveredPrompt } from '../shared/api.js';
import {
  orangeCandidates,
  undeliveredPrompts,
  yellowCandidates,
  type Candidate,
  type CandidateReminder,
  type PromptDelivery,
} from '../shared/rules/candidates.js';
import { reminderKey } from '../shared/rules/schedule.js';
import { createOutbox, type Outbox, type DeliveryFacts } from './notify/outbox.js';
import {
  listFeedback,
  listProblems,
  listReminders,
  listTasks,
  type Storage,
  type StoredProblem,
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

/** What delivery did with an outbox entry, as R9 reads it: the channels that delivered it, and when. */
export function promptDelivery(item: DeliveryFacts): PromptDelivery {
  return {
    status: item.status,
    delivered: item.channels.filter((c) => c.ok).map((c) => ({ label: c.label, at: c.at })),
    tried: item.channels.length,
    error: item.lastError,
  };
}

/**
 * A ledger's recorded reminders with what delivery did with each (its outbox entry, found by the
 * reminder's key R17 within the days they were sent): the facts late reports are decided on (R9).
 */
export async function remindersWithDelivery(
  outbox: Outbox,
  ledgerId: string,
  reminders: Reminder[],
  known?: KnownDelivery,
): Promise<CandidateReminder[]> {
  if (reminders.length === 0) return [];
  const days = reminders.map((r) => r.sendOn).sort();
  const entries = await deliveryInSpans(
    outbox,
    ledgerId,
    unreadSpans(days[0]!, days.at(-1)!, known?.days ?? new Set()),
  );
  const byKey = new Map<string, DeliveryFacts>(known?.facts ?? []);
  for (const e of entries) byKey.set(e.key, e);
  return reminders.map((r) => {
    const entry = byKey.get(reminderKey(ledgerId, r));
    return {
      taskId: r.taskId,
      taskNo: r.taskNo,
      leadUnit: r.leadUnit,
      period: r.period,
      sendOn: r.sendOn,
      feedbackDue: r.feedbackDue,
      delivery: entry ? promptDelivery(entry) : null,
    };
  });
}

/**
 * Delivery facts the caller holds already: every entry of `days` (read by `Outbox.daysRead`, plus
 * what the caller queued on them since), by key. Those days are not read again.
 */
export interface KnownDelivery {
  days: ReadonlySet<string>;
  facts: ReadonlyMap<string, DeliveryFacts>;
}

/**
 * The delivery facts of a ledger's reminders sent on days outside `skip` (days the caller reads
 * itself), read now — e.g. while the caller writes the days in `skip` — as a `KnownDelivery` for
 * `ledgerCandidates`: every day of the spans read is known, so none is read twice.
 */
export async function deliveryOutside(
  outbox: Outbox,
  ledgerId: string,
  reminders: readonly Reminder[],
  skip: ReadonlySet<string>,
): Promise<KnownDelivery> {
  const days = reminders.map((r) => r.sendOn).sort();
  const spans = days.length ? unreadSpans(days[0]!, days.at(-1)!, skip) : [];
  const read = await deliveryInSpans(outbox, ledgerId, spans);
  const known = new Set<string>();
  for (const [from, to] of spans) for (let d = from; d <= to; d = addDays(d as IsoDate, 1)) known.add(d);
  return { days: known, facts: new Map(read.map((f) => [f.key, f])) };
}

/** The longest span one query of delivery facts covers: a year's span is a dozen queries side by side. */
export const FACT_SPAN_DAYS = 31;

/**
 * A ledger's delivery facts on the days of `spans`, each span cut into pieces of at most
 * FACT_SPAN_DAYS days read side by side: late in the year the span holds a prompt for every task and
 * period of the year, and its pages would otherwise come one after another.
 */
export async function deliveryInSpans(
  outbox: Outbox,
  ledgerId: string,
  spans: [string, string][],
): Promise<DeliveryFacts[]> {
  const pieces: [string, string][] = [];
  for (const [from, to] of spans)
    for (let start = from; start <= to; start = addDays(start as IsoDate, FACT_SPAN_DAYS)) {
      const end = addDays(start as IsoDate, FACT_SPAN_DAYS - 1);
      pieces.push([start, end < to ? end : to]);
    }
  return (await Promise.all(pieces.map(([from, to]) => outbox.deliveryOf(ledgerId, from, to)))).flat();
}

/** The spans of [from, to] outside `known`, as [first, last] day pairs (a day known is not read again). */
export function unreadSpans(from: string, to: string, known: ReadonlySet<string>): [string, string][] {
  const spans: [string, string][] = [];
  let cursor = from;
  for (const day of [...known].filter((d) => d >= from && d <= to).sort()) {
    if (cursor < day) spans.push([cursor, addDays(day as IsoDate, -1)]);
    if (addDays(day as IsoDate, 1) > cursor) cursor = addDays(day as IsoDate, 1);
  }
  if (cursor <= to) spans.push([cursor, to]);
  return spans;
}

/** A problem of a jointly led task's row is each lead unit's (the stored unit is the cell text). */
export function problemsByLeadUnit(problems: StoredProblem[]) {
  return problems.flatMap((p) =>
    splitLeadUnits(p.unit).map((unit) => ({
      unit,
      row: p.row,
      column: p.column,
      rule: p.rule,
      message: p.message,
      taskId: p.taskId,
    })),
  );
}

export interface LedgerCandidates {
  candidates: Candidate[];
  /** Prompts that never reached their unit: the office's problem (R9), never a candidate. */
  undelivered: UndeliveredPrompt[];
}

export async function ledgerCandidates(
  storage: Storage,
  ledgerId: string,
  year: number,
  asOf: string,
  settings: Settings,
  preloaded?: {
    tasks?: StoredTask[];
    reminders?: Reminder[];
    outbox?: Outbox;
    delivery?: KnownDelivery;
    /** Read by the caller while it did other work (nothing the caller writes changes them). */
    feedback?: Promise<Feedback[]>;
    problems?: Promise<StoredProblem[]>;
  },
): Promise<LedgerCandidates> {
  const outbox = preloaded?.outbox ?? createOutbox({ storage });
  const [tasks, reminders, feedback, problems] = await Promise.all([
    preloaded?.tasks ?? listTasks(storage, ledgerId, { includeRemoved: true }),
    preloaded?.reminders ?? listReminders(storage, ledgerId),
    preloaded?.feedback ?? listFeedback(storage, ledgerId),
    preloaded?.problems ?? listProblems(storage, ledgerId),
  ]);
  const open = tasks.filter((t) => !t.removed);
  const states = tasks.map((t) => ({ id: t.task.id, closed: t.closed, removed: t.removed }));
  const delivered = await remindersWithDelivery(outbox, ledgerId, reminders, preloaded?.delivery);
  const reported = latestReported(feedback, asOf);
  const yellow = yellowCandidates({
    reminders: delivered,
    feedback,
    problems: problemsByLeadUnit(problems),
    tasks: states,
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
  return {
    candidates: [...yellow, ...orange],
    undelivered: undeliveredPrompts({ reminders: delivered, tasks: states, asOf }),
  };
}
