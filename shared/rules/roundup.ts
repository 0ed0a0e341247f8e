// R19, R21: the round-up report (督检汇总) of a period — per lead unit: its tasks, feedback (who reported,
// who is late, what they said, indicator values), lagging and overdue tasks, cards and rank.
import type {
  CardEvent,
  CardState,
  Deadline,
  Feedback,
  IsoDate,
  Milestone,
  Reminder,
  Stars,
  Target,
  UnitEvent,
} from '../model.js';
import type { Settings } from '../settings.js';
import type { WorkCalendar } from '../calendar.js';
import { periodRange, yearOf, type DateRange } from '../dates.js';
import { judgeLagging, latestReported, milestoneSlips } from './progress.js';
import { deadlinePassed, isOverdue } from './candidates.js';
import { unitCardStates } from './cards.js';
import { rankUnits, type RankedUnit } from './ranking.js';
import { splitLeadUnits } from '../ledger/leadUnits.js';
import { milestoneState, type MilestoneState } from './milestones.js';

export interface RoundupTask {
  id: string;
  no: string | null;
  title?: string;
  /** 牵头单位 as written; each of its units (`leadUnits`, else read from it) is ranked on the task. */
  leadUnit: string | null;
  leadUnits?: readonly string[];
  stars: Stars | null;
  closed: boolean;
  deadline: Deadline;
  milestones: Milestone[];
  target?: Target | number | null;
  /** The latest reported indicator value; when absent, the latest feedback value up to asOf is used. */
  reported?: number | null;
}

export interface RoundupFeedbackLine {
  taskId: string;
  taskNo: string | null;
  period: string;
  feedbackDue: IsoDate;
  /** 'onTime' / 'late' (received after the due date) / 'missing' (due passed, nothing) / 'pending' (not yet due). */
  status: 'onTime' | 'late' | 'missing' | 'pending';
  receivedOn: IsoDate | null;
  text: string | null;
  value: number | null;
}

export interface RoundupUnit {
  unit: string;
  tasks: {
    id: string;
    no: string | null;
    title: string | null;
    stars: Stars | null;
    closed: boolean;
    deadline: Deadline;
    /** R7: each milestone with its state on asOf (done, slipped, pending, undated) and who said done. */
    milestones: (Milestone & { state: MilestoneState })[];
  }[];
  feedback: {
    expected: number;
    received: number;
    onTime: number;
    late: number;
    missing: number;
    pending: number;
    lines: RoundupFeedbackLine[];
  };
  lagging: {
    taskId: string;
    taskNo: string | null;
    checkpoint: IsoDate;
    reported: number;
    expected: number;
    /** The target's unit (人, 万元, %), for printing the figures; null when the target has none. */
    unit?: string | null;
  }[];
  overdue: { taskId: string; taskNo: string | null; deadline: IsoDate }[];
  slips: { taskId: string; taskNo: string | null; milestone: Milestone }[];
  cards: CardEvent[];
  state: CardState;
  interviews: number;
  rectificationOverdue: boolean;
  /** R20: null when the unit had nothing due and is listed apart (settings.ranking.nothingDue 'apart'). */
  rank: number | null;
  score: number;
  scoreText: string;
  /** The ranking's inputs (R20): feedback and tasks that fell due, and the two rates (0–1). */
  due: { feedback: number; feedbackOnTime: number; tasks: number; tasksDone: number };
  onTimeFeedbackRate: number;
  completionRate: number;
}

export interface RoundupReport {
  period: string;
  range: DateRange;
  asOf: IsoDate;
  units: RoundupUnit[];
  /** Years the calendar had no data for (Mon–Fri used), and the note saying so (R16). */
  fallbackYears: number[];
  notice: string | null;
}

export interface RoundupInput {
  /** 'YYYY-Qn' (quarterly), 'YYYY-MM' (monthly), 'YYYY-Www' or 'YYYY'. */
  period: string;
  /** Units to report even when they have no task (e.g. every unit of the ledger). */
  units?: string[];
  tasks: RoundupTask[];
  /** Reminders sent; those with sendOn in the period belong to the report. */
  reminders: Reminder[];
  feedback: Feedback[];
  events: UnitEvent[];
  asOf: IsoDate;
  settings: Settings;
  calendar: WorkCalendar;
}

/**
 * R19, R21. Feedback per reminder of the period (sendOn in the period; one line per task and period).
 * Ranking (R20) inputs: feedback due = lines whose due date passed by asOf, on time = received by the due
 * date; tasks due = tasks with a deadline date in the period that has passed by asOf (deadline < asOf, as
 * for overdue), done = closed; cards of
 * the period's year, a red state without a red card event counting as one red.
 */
export function roundupReport(input: RoundupInput): RoundupReport {
  const { period, asOf, settings, calendar } = input;
  const range = periodRange(period);
  if (!range) throw new Error(`汇总周期「${period}」无法识别（应为 2026-Q1、2026-03、2026-W09 或 2026）`);
  const year = yearOf(range.end);

  const feedbackByKey = new Map<string, Feedback[]>();
  for (const f of input.feedback) {
    if (f.receivedOn > asOf) continue;
    const key = `${f.taskId}\u0000${f.period}`;
    const list = feedbackByKey.get(key) ?? [];
    list.push(f);
    feedbackByKey.set(key, list);
  }
  for (const list of feedbackByKey.values())
    list.sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : 0));

  const latestValue = latestReported(input.feedback, asOf);

  // The period's year, not asOf's: the Q4 round-up is due in January and must see the year's cards (R20).
  const states = new Map(
    unitCardStates(input.events, asOf, settings, calendar, { year }).map((s) => [s.unit, s]),
  );
  const unitNames = new Set<string>(input.units ?? []);
  const unitsOf = new Map(
    input.tasks.map((t) => [t, t.leadUnits?.length ? t.leadUnits : splitLeadUnits(t.leadUnit)]),
  );
  for (const units of unitsOf.values()) for (const u of units) unitNames.add(u);
  for (const r of input.reminders) unitNames.add(r.leadUnit);

  const units: Omit<
    RoundupUnit,
    'rank' | 'score' | 'scoreText' | 'due' | 'onTimeFeedbackRate' | 'completionRate'
  >[] = [];
  const rankingRows = [];
  for (const unit of unitNames) {
    // A jointly led task counts for each of its lead units (tasks due, done, lagging, slips).
    const tasks = input.tasks.filter((t) => unitsOf.get(t)!.includes(unit));
    // One feedback line per task and period (a weekly and a milestone reminder of one week share it; the earliest due date counts).
    const dueByKey = new Map<string, Reminder>();
    for (const r of input.reminders) {
      if (r.leadUnit !== unit || r.sendOn < range.start || r.sendOn > range.end) continue;
      const key = `${r.taskId}\u0000${r.period}`;
      const prev = dueByKey.get(key);
      if (!prev || r.feedbackDue < prev.feedbackDue) dueByKey.set(key, r);
    }
    const lines: RoundupFeedbackLine[] = [...dueByKey.entries()].map(([key, r]) => {
      const got = feedbackByKey.get(key) ?? [];
      const first = got[0];
      const last = got[got.length - 1];
      const status: RoundupFeedbackLine['status'] = first
        ? first.receivedOn <= r.feedbackDue
          ? 'onTime'
          : 'late'
        : r.feedbackDue < asOf
          ? 'missing'
          : 'pending';
      return {
        taskId: r.taskId,
        taskNo: r.taskNo,
        period: r.period,
        feedbackDue: r.feedbackDue,
        status,
        receivedOn: first?.receivedOn ?? null,
        text: last?.text ?? null,
        value: last?.value ?? null,
      };
    });
    lines.sort((a, b) =>
      a.feedbackDue < b.feedbackDue ? -1 : a.feedbackDue > b.feedbackDue ? 1 : a.taskId < b.taskId ? -1 : 1,
    );
    const count = (s: RoundupFeedbackLine['status']) => lines.filter((l) => l.status === s).length;

    const lagging: RoundupUnit['lagging'] = [];
    const overdue: RoundupUnit['overdue'] = [];
    const slips: RoundupUnit['slips'] = [];
    for (const t of tasks) {
      if (t.closed) continue;
      if (isOverdue(t, asOf) && t.deadline.date !== null)
        overdue.push({ taskId: t.id, taskNo: t.no, deadline: t.deadline.date });
      const reported = t.reported ?? latestValue.get(t.id) ?? null;
      const judged =
        t.stars === 4
          ? judgeLagging({ target: t.target, title: t.title, reported, asOf, year, settings })
          : null;
      if (judged?.lagging && reported !== null)
        lagging.push({
          taskId: t.id,
          taskNo: t.no,
          checkpoint: judged.checkpoint,
          reported,
          expected: judged.expected,
          unit: typeof t.target === 'object' && t.target !== null ? t.target.unit : null,
        });
      if (t.stars === 5)
        for (const m of milestoneSlips(t.milestones, asOf))
          slips.push({ taskId: t.id, taskNo: t.no, milestone: m });
    }

    const st = states.get(unit);
    const cards = st?.cards ?? [];
    const recordedRed = cards.filter((c) => c.color === 'red').length;
    // Due (R20) = the deadline is in the period and has passed (the same test as overdue, R10).
    const dueTasks = tasks.filter(
      (t) => t.deadline.date !== null && t.deadline.date <= range.end && deadlinePassed(t.deadline, asOf),
    );
    rankingRows.push({
      unit,
      feedbackDue: lines.filter((l) => l.feedbackDue < asOf || l.status === 'onTime').length,
      feedbackOnTime: count('onTime'),
      tasksDue: dueTasks.length,
      tasksDone: dueTasks.filter((t) => t.closed).length,
      yellow: cards.filter((c) => c.color === 'yellow').length,
      orange: cards.filter((c) => c.color === 'orange').length,
      red: Math.max(recordedRed, st?.state === 'red' ? 1 : 0),
    });
    units.push({
      unit,
      tasks: tasks.map((t) => ({
        id: t.id,
        no: t.no,
        title: t.title ?? null,
        stars: t.stars,
        closed: t.closed,
        deadline: t.deadline,
        milestones: t.milestones.map((m) => ({ ...m, state: milestoneState(m, asOf) })),
      })),
      feedback: {
        expected: lines.length,
        received: count('onTime') + count('late'),
        onTime: count('onTime'),
        late: count('late'),
        missing: count('missing'),
        pending: count('pending'),
        lines,
      },
      lagging,
      overdue,
      slips,
      cards,
      state: st?.state ?? 'none',
      interviews: st?.interviews ?? 0,
      rectificationOverdue: st?.rectificationOverdue ?? false,
    });
  }

  // rankUnits' order: ranked units by rank (ties as it orders them), then those listed apart.
  const ranked = rankUnits(rankingRows, settings);
  const byUnit = new Map(units.map((u) => [u.unit, u]));
  const withRank: RoundupUnit[] = ranked.map((r: RankedUnit) => ({
    ...(byUnit.get(r.unit) as (typeof units)[number]),
    rank: r.rank,
    score: r.score,
    scoreText: r.scoreText,
    due: {
      feedback: r.feedbackDue,
      feedbackOnTime: r.feedbackOnTime,
      tasks: r.tasksDue,
      tasksDone: r.tasksDone,
    },
    onTimeFeedbackRate: r.onTimeFeedbackRate,
    completionRate: r.completionRate,
  }));
  return {
    period,
    range,
    asOf,
    units: withRank,
    fallbackYears: calendar.fallbackYears(),
    notice: calendar.fallbackNotice(),
  };
}
