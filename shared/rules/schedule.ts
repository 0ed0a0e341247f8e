// R15 (the reminder schedule) and R18 (closed and not-yet-started tasks get none).
import type { Category, Deadline, IsoDate, Milestone, Reminder, Stars } from '../model.js';
import type { Settings } from '../settings.js';
import type { WorkCalendar } from '../calendar.js';
import {
  addDays,
  endOfMonth,
  endOfQuarter,
  isoWeek,
  maxDate,
  monthOf,
  quarterOf,
  startOfIsoWeek,
  startOfMonth,
  startOfQuarter,
} from '../dates.js';
import { effectiveStars } from './stars.js';
import { splitLeadUnits } from '../ledger/leadUnits.js';

export interface ScheduleTask {
  id: string;
  no: string | null;
  /** The one lead unit this entry reminds (a jointly led task is one entry per lead unit). */
  leadUnit: string;
  /** For a jointly led task, its other lead units (each reminded on its own entry). */
  jointWith?: string[];
  stars: Stars;
  closed: boolean;
  startDate?: IsoDate | null;
  /** Not used for the cadence: a recurring or passed deadline changes nothing (only closing does). */
  deadline?: Deadline;
  milestones: Milestone[];
}

/** A task as the ledger or storage holds it, before it is known whether it can be scheduled. */
export interface SchedulableTask {
  id: string;
  no: string | null;
  /** The sheet row, when known (for the clerk's message). */
  row?: number | null;
  /** 牵头单位 as written; its units (`leadUnits`, else read from it) are each reminded. */
  leadUnit: string | null;
  leadUnits?: readonly string[];
  stars: Stars | null;
  category: Category | null;
  closed: boolean;
  startDate?: IsoDate | null;
  deadline?: Deadline;
  milestones: Milestone[];
}

/** An open task that cannot be reminded, and why (never dropped silently). */
export interface UnscheduledTask {
  taskId: string;
  row: number | null;
  taskNo: string | null;
  reason: string;
}

/**
 * R15, R18: the open tasks the schedule can take (closed ones are left out: they get no reminders), and
 * the open tasks it cannot — no lead unit, or no star even by kind (R5) — each with the reason, for the
 * clerk to fix. The one place this is decided, for `duban plan` and the daily run alike.
 */
export function schedulableTasks(tasks: readonly SchedulableTask[]): {
  tasks: ScheduleTask[];
  unscheduled: UnscheduledTask[];
} {
  const out: ScheduleTask[] = [];
  const unscheduled: UnscheduledTask[] = [];
  for (const t of tasks) {
    if (t.closed) continue;
    const stars = effectiveStars(t);
    const units = t.leadUnits?.length ? [...t.leadUnits] : splitLeadUnits(t.leadUnit);
    if (units.length === 0 || !stars) {
      const reason =
        units.length === 0 ? '牵头单位为空，无法提示' : '未赋星且工作类别无法确定，无法确定提示频次';
      unscheduled.push({ taskId: t.id, row: t.row ?? null, taskNo: t.no, reason });
      continue;
    }
    // A jointly led task reminds each of its lead units (县发改局、县财政局 is two units, not one).
    for (const unit of units) {
      const task: ScheduleTask = {
        id: t.id,
        no: t.no,
        leadUnit: unit,
        stars,
        closed: false,
        startDate: t.startDate ?? null,
        milestones: t.milestones,
      };
      if (units.length > 1) task.jointWith = units.filter((u) => u !== unit);
      if (t.deadline) task.deadline = t.deadline;
      out.push(task);
    }
  }
  return { tasks: out, unscheduled };
}

/** The dates one period's reminder gives every task of a star level (shared by all those tasks). */
interface PeriodDates {
  period: string;
  sendOn: IsoDate;
  feedbackDue: IsoDate;
  roundupOn: IsoDate;
}

/** 3★: one reminder per quarter, at W−send, feedback W−feedback, round-up W+roundup (R15); sent within [from, to]. */
function quarterlyDates(from: IsoDate, to: IsoDate, cal: WorkCalendar, s: Settings): PeriodDates[] {
  const { send, feedback, roundup } = s.schedule.three;
  return periodDates(from, to, send, startOfQuarter, endOfQuarter, quarterOf, cal, feedback, roundup);
}

/** 4★: one reminder per month, at W−send, feedback W−feedback, round-up W+roundup (R15); sent within [from, to]. */
function monthlyDates(from: IsoDate, to: IsoDate, cal: WorkCalendar, s: Settings): PeriodDates[] {
  const { send, feedback, roundup } = s.schedule.four;
  return periodDates(from, to, send, startOfMonth, endOfMonth, monthOf, cal, feedback, roundup);
}

/**
 * The dates of the periods whose reminder is sent within [from, to]. A reminder is sent inside or shortly
 * before its period (W−n may reach back about 2n calendar days, more across a long holiday), so periods
 * ending up to a margin past `to` are looked at; one whose earliest possible send date is after `to` is
 * not, and a period's feedback and round-up dates are computed only when its send date is in range — so
 * the calendar is consulted (and a missing year reported, R16) only for dates a reminder really uses.
 */
function periodDates(
  from: IsoDate,
  to: IsoDate,
  send: number,
  startOf: (d: IsoDate) => IsoDate,
  endOf: (d: IsoDate) => IsoDate,
  label: (d: IsoDate) => string,
  cal: WorkCalendar,
  feedback: number,
  roundup: number,
): PeriodDates[] {
  const margin = send * 3 + 20;
  const out: PeriodDates[] = [];
  for (let start = startOf(from); ; start = addDays(endOf(start), 1)) {
    const end = endOf(start);
    if (addDays(end, -margin) > to) break;
    const sendOn = cal.wMinus(end, send);
    if (sendOn < from || sendOn > to) continue;
    out.push({
      period: label(start),
      sendOn,
      feedbackDue: cal.wMinus(end, feedback),
      roundupOn: cal.wPlus(end, roundup),
    });
  }
  return out;
}

/**
 * 5★ weekly dates for the ISO week holding `sendOn`. Round-up: W+settings.schedule.five.roundup of the
 * week ([default] 1: the first working day after it), but never before the feedback is due — a week whose only working day is its
 * Friday has its feedback due the next Tuesday, and the round-up waits for it.
 */
function fiveStarDates(sendOn: IsoDate, cal: WorkCalendar, s: Settings): PeriodDates {
  const feedbackDue = cal.addWorkingDays(sendOn, s.schedule.five.feedbackAfter);
  const weekEnd = addDays(startOfIsoWeek(sendOn), 6);
  return {
    period: isoWeek(sendOn),
    sendOn,
    feedbackDue,
    roundupOn: maxDate(cal.wPlus(weekEnd, s.schedule.five.roundup), feedbackDue),
  };
}

/** 5★: the first working day of each ISO week (Mon–Sun) in range; a week with no working day has none. */
function weeklyDates(from: IsoDate, to: IsoDate, cal: WorkCalendar, s: Settings): PeriodDates[] {
  const out: PeriodDates[] = [];
  for (let monday = startOfIsoWeek(from); monday <= to; monday = addDays(monday, 7)) {
    const sunday = addDays(monday, 6);
    const first = cal.firstWorkingDayOnOrAfter(monday);
    if (first > sunday || first < from || first > to) continue;
    out.push(fiveStarDates(first, cal, s));
  }
  return out;
}

/** One reminder, built as a plain literal (a year's plan for 10,000 tasks is some 200,000 of them). */
function makeReminder(
  task: ScheduleTask,
  p: PeriodDates,
  reason: Reminder['reason'],
  note?: string,
): Reminder {
  const r: Reminder = {
    taskId: task.id,
    taskNo: task.no,
    leadUnit: task.leadUnit,
    stars: task.stars,
    period: p.period,
    reason,
    sendOn: p.sendOn,
    feedbackDue: p.feedbackDue,
    roundupOn: p.roundupOn,
  };
  if (note !== undefined) r.note = note;
  if (task.jointWith?.length) r.jointWith = task.jointWith;
  return r;
}

/** The two milestone reminders of R15 for one 5★ milestone: before it is due, and after it slipped. */
function milestoneReminders(task: ScheduleTask, m: Milestone, cal: WorkCalendar, s: Settings): Reminder[] {
  if (m.date === null || m.done === true) return [];
  const lead = s.schedule.five.milestoneLead;
  const before = cal.addWorkingDays(m.date, -lead);
  const after = cal.firstWorkingDayOnOrAfter(addDays(m.date, 1));
  return [
    makeReminder(
      task,
      fiveStarDates(before, cal, s),
      'milestone',
      `节点将于${lead}个工作日后到期：${m.text}（${m.date}）`,
    ),
    makeReminder(
      task,
      fiveStarDates(after, cal, s),
      'milestone',
      `节点已过期限未完成：${m.text}（${m.date}）`,
    ),
  ];
}

/** R18: a closed task, or one whose start date is after the send date, gets no reminder. */
function remindable(task: ScheduleTask, sendOn: IsoDate): boolean {
  return !task.closed && !(task.startDate && task.startDate > sendOn);
}

function compareReminders(a: Reminder, b: Reminder): number {
  if (a.sendOn !== b.sendOn) return a.sendOn < b.sendOn ? -1 : 1;
  if (a.taskId !== b.taskId) return a.taskId < b.taskId ? -1 : 1;
  if (a.reason !== b.reason) return a.reason < b.reason ? -1 : 1;
  if (a.leadUnit !== b.leadUnit) return a.leadUnit < b.leadUnit ? -1 : 1;
  const an = a.note ?? '';
  const bn = b.note ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/**
 * R15, R18: every reminder whose sendOn lies within [from, to], sorted by sendOn, then taskId (then
 * reason and note, so the order is total). Numbers come from settings.schedule. Calendar years without
 * data fall back to Mon–Fri; ask `calendar.fallbackYears()` / `fallbackNotice()` afterwards to say so.
 */
export function reminderSchedule(
  tasks: ScheduleTask[],
  from: IsoDate,
  to: IsoDate,
  calendar: WorkCalendar,
  settings: Settings,
): Reminder[] {
  if (to < from) return [];
  const open = tasks.filter((t) => !t.closed);
  // Each star level's dates are computed once for all its tasks, and only when some open task needs them
  // (so a plan with no 5★ task does not consult the calendar of the week before `from`).
  const needed = new Set(open.map((t) => t.stars));
  const byStars: Record<Stars, PeriodDates[]> = {
    3: needed.has(3) ? quarterlyDates(from, to, calendar, settings) : [],
    4: needed.has(4) ? monthlyDates(from, to, calendar, settings) : [],
    5: needed.has(5) ? weeklyDates(from, to, calendar, settings) : [],
  };
  const reasonOf: Record<Stars, Reminder['reason']> = { 3: 'quarterly', 4: 'monthly', 5: 'weekly' };
  // Tasks in id order, reminders bucketed by send date: each bucket is then (nearly) in order already,
  // which keeps a year's plan for 10,000 tasks well under a second.
  open.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const buckets = new Map<IsoDate, Reminder[]>();
  const put = (r: Reminder) => {
    const bucket = buckets.get(r.sendOn);
    if (bucket) bucket.push(r);
    else buckets.set(r.sendOn, [r]);
  };
  for (const task of open) {
    for (const p of byStars[task.stars]) {
      if (remindable(task, p.sendOn)) put(makeReminder(task, p, reasonOf[task.stars]));
    }
    if (task.stars === 5) {
      for (const m of task.milestones) {
        for (const r of milestoneReminders(task, m, calendar, settings)) {
          if (r.sendOn >= from && r.sendOn <= to && remindable(task, r.sendOn)) put(r);
        }
      }
    }
  }
  const out: Reminder[] = [];
  for (const day of [...buckets.keys()].sort()) {
    for (const r of (buckets.get(day) as Reminder[]).sort(compareReminders)) out.push(r);
  }
  return out;
}

/** The reminders to send on one day (what the daily timer asks). */
export function remindersDueOn(
  tasks: ScheduleTask[],
  date: IsoDate,
  calendar: WorkCalendar,
  settings: Settings,
): Reminder[] {
  return reminderSchedule(tasks, date, date, calendar, settings);
}

/** A short stable hash (FNV-1a, 32 bit, hex) — enough to tell a task's milestones apart in a key. */
export function noteHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * R17: the idempotency key of a reminder: `${ledgerId}|${taskId}|${period}|${reason}`, plus
 * `|${hash of note}` for a milestone reminder (a task can have several in one week), plus
 * `|u${hash of the unit}` for a jointly led task (each lead unit gets its own prompt). A task led by
 * one unit keeps the key it always had.
 */
export function reminderKey(ledgerId: string, r: Reminder): string {
  let key = `${ledgerId}|${r.taskId}|${r.period}|${r.reason}`;
  if (r.reason === 'milestone') key += `|${noteHash(r.note ?? '')}`;
  if (r.jointWith?.length) key += `|u${noteHash(r.leadUnit)}`;
  return key;
}
