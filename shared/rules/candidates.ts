// R9 (yellow candidates: late report, non-standard ledger rows) and R10 (orange candidates: slow
// progress). The program proposes; a candidate becomes a card only when a clerk confirms it.
import type { CardReason, Deadline, IsoDate, Milestone, Stars, Target } from '../model.js';
import type { Settings } from '../settings.js';
import { judgeLagging, milestoneSlips } from './progress.js';
import { splitLeadUnits } from '../ledger/leadUnits.js';

export interface Candidate {
  unit: string;
  color: 'yellow' | 'orange';
  reason: CardReason;
  taskIds: string[];
  /** One line per finding, in Chinese, for the clerk. */
  details: string[];
}

export interface CandidateReminder {
  taskId: string;
  taskNo?: string | null;
  leadUnit: string;
  period: string;
  feedbackDue: IsoDate;
}

export interface CandidateFeedback {
  taskId: string;
  period: string;
  receivedOn: IsoDate;
}

export interface CandidateProblem {
  unit: string;
  row: number;
  message: string;
  taskId?: string | null;
}

const byUnitThenReason = (a: Candidate, b: Candidate) =>
  a.unit.localeCompare(b.unit, 'zh-CN') || a.reason.localeCompare(b.reason, 'zh-CN');

/** Collects findings into one candidate per unit and reason, keeping task ids and details unique. */
class CandidateBuilder {
  private readonly map = new Map<string, Candidate>();
  add(
    unit: string,
    color: Candidate['color'],
    reason: CardReason,
    taskId: string | null,
    detail: string,
  ): void {
    const key = `${unit}\u0000${reason}`;
    let c = this.map.get(key);
    if (!c) {
      c = { unit, color, reason, taskIds: [], details: [] };
      this.map.set(key, c);
    }
    if (taskId !== null && !c.taskIds.includes(taskId)) c.taskIds.push(taskId);
    if (!c.details.includes(detail)) c.details.push(detail);
  }
  result(): Candidate[] {
    return [...this.map.values()].sort(byUnitThenReason);
  }
}

const taskLabel = (id: string, no: string | null | undefined) => (no ? `第${no}项任务` : `任务${id}`);

/**
 * R9: yellow-card candidates on `asOf`.
 * - 上报材料不及时: a reminder whose feedback due date has passed (due < asOf; the due day itself is
 *   still on time) with no feedback for that task and period received on or before the due date —
 *   including feedback that came, but late.
 * - 台账清单不规范: every non-standard ledger row (R1) of the unit.
 */
export function yellowCandidates(input: {
  reminders: CandidateReminder[];
  feedback: CandidateFeedback[];
  problems: CandidateProblem[];
  asOf: IsoDate;
}): Candidate[] {
  const firstReceived = new Map<string, IsoDate>();
  for (const f of input.feedback) {
    const key = `${f.taskId}\u0000${f.period}`;
    const prev = firstReceived.get(key);
    if (f.receivedOn <= input.asOf && (prev === undefined || f.receivedOn < prev))
      firstReceived.set(key, f.receivedOn);
  }
  const out = new CandidateBuilder();
  for (const r of input.reminders) {
    if (r.feedbackDue >= input.asOf) continue;
    const received = firstReceived.get(`${r.taskId}\u0000${r.period}`);
    if (received !== undefined && received <= r.feedbackDue) continue;
    const label = taskLabel(r.taskId, r.taskNo);
    const detail =
      received === undefined
        ? `${label}（${r.period}）反馈应于${r.feedbackDue}前报送，至今未收到`
        : `${label}（${r.period}）反馈应于${r.feedbackDue}前报送，${received}才收到`;
    out.add(r.leadUnit, 'yellow', '上报材料不及时', r.taskId, detail);
  }
  for (const p of input.problems) {
    // The reader's messages already name the row (第20行E列…): say it once.
    const detail = p.message.startsWith(`第${p.row}行`)
      ? `台账${p.message}`
      : `台账第${p.row}行：${p.message}`;
    out.add(p.unit, 'yellow', '台账清单不规范', p.taskId ?? null, detail);
  }
  return out.result();
}

/**
 * R10: a deadline date has passed once its day is over (deadline < asOf: on the day itself the task is
 * still on time). A recurring deadline (每月, 长期坚持 …) has no date and never passes. The round-up's
 * "due" (R20, R21) is the same test.
 */
export function deadlinePassed(deadline: Deadline, asOf: IsoDate): boolean {
  return deadline.date !== null && deadline.date < asOf;
}

/** R10: a task past its deadline and not closed (R3). */
export function isOverdue(task: { closed: boolean; deadline: Deadline }, asOf: IsoDate): boolean {
  return !task.closed && deadlinePassed(task.deadline, asOf);
}

export interface CandidateTask {
  id: string;
  no: string | null;
  /** The title, when known: 率/增长 in it suggest (never decide) a level target (R6). */
  title?: string | null;
  /** 牵头单位 as written; each of its units (`leadUnits`, else read from it) is a candidate on its own. */
  leadUnit: string | null;
  leadUnits?: readonly string[];
  closed: boolean;
  deadline: Deadline;
  stars: Stars | null;
  milestones: Milestone[];
  target?: number | Target | null;
  reported?: number | null;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/**
 * R10: orange-card candidates (工作进展缓慢) on `asOf`, one per lead unit: tasks past their deadline date
 * (deadline < asOf) and not closed; 4★ tasks lagging (R6); 5★ tasks with a milestone slip (R7). Closed
 * tasks never count. A recurring deadline (每月, 长期坚持 …) has no date and is never "past".
 */
export function orangeCandidates(input: {
  tasks: CandidateTask[];
  asOf: IsoDate;
  year: number;
  settings: Settings;
}): Candidate[] {
  const { asOf, year, settings } = input;
  const out = new CandidateBuilder();
  for (const t of input.tasks) {
    const units = t.leadUnits?.length ? t.leadUnits : splitLeadUnits(t.leadUnit);
    if (t.closed || units.length === 0) continue;
    const label = taskLabel(t.id, t.no);
    // A jointly led task's slow progress is each of its lead units' (never the joined cell text's).
    const add = (detail: string) => {
      for (const unit of units) out.add(unit, 'orange', '工作进展缓慢', t.id, detail);
    };
    if (isOverdue(t, asOf)) {
      add(`${label}已过完成时限（${t.deadline.date}）仍未销号`);
    }
    const judged =
      t.stars === 4
        ? judgeLagging({ target: t.target, title: t.title, reported: t.reported, asOf, year, settings })
        : null;
    if (judged?.lagging) {
      const threshold = Math.round(settings.laggingThreshold * 100);
      // R6: a kind taken from the default while the title suggests another is said, for the clerk to set.
      const doubt =
        judged.suggested === 'level'
          ? '（指标类型未设定，按累计值计算；标题含“率”或“增长”，如为水平值指标请在任务窗格设定）'
          : judged.suggested === 'cumulative'
            ? '（指标类型未设定，按水平值计算；如为累计值指标请在任务窗格设定）'
            : '';
      add(
        (judged.kind === 'level'
          ? `${label}进度滞后：截至${judged.checkpoint}报送${fmt(t.reported as number)}，` +
            `目标为${fmt(judged.expected)}，低于目标的${threshold}%`
          : `${label}进度滞后：截至${judged.checkpoint}报送${fmt(t.reported as number)}，` +
            `按序时进度应达${fmt(judged.expected)}，低于${threshold}%`) + doubt,
      );
    }
    if (t.stars === 5) {
      for (const m of milestoneSlips(t.milestones, asOf))
        add(`${label}节点逾期未完成：${m.text}（${m.date}）`);
    }
  }
  return out.result();
}
