// R9 (yellow candidates: late report, non-standard ledger rows) and R10 (orange candidates: slow
// progress). The program proposes; a candidate becomes a card only when a clerk confirms it.
import type { CardReason, Deadline, IsoDate, Milestone, Stars, Target } from '../model.js';
import type { Settings } from '../settings.js';
import type {
  Candidate,
  CandidateEvidence,
  LateReportEvidence,
  OutboxStatus,
  UndeliveredCause,
  UndeliveredPrompt,
} from '../api.js';
import { chinaToday } from '../dates.js';
import { judgeLagging, milestoneSlips } from './progress.js';
import { splitLeadUnits } from '../ledger/leadUnits.js';

export type { Candidate } from '../api.js';

/** What delivery did with one recorded reminder (its outbox entry), as far as R9 needs it. */
export interface PromptDelivery {
  status: OutboxStatus;
  /** The channels that delivered it, each with the UTC instant it did. */
  delivered: { label: string; at: string }[];
  /** The channels tried (delivered or not); empty when the unit had none. */
  tried: number;
  error: string | null;
}

export interface CandidateReminder {
  taskId: string;
  taskNo?: string | null;
  leadUnit: string;
  period: string;
  feedbackDue: IsoDate;
  sendOn: IsoDate;
  /** Its outbox entry's outcome; null when it was recorded but never queued. */
  delivery: PromptDelivery | null;
}

export interface CandidateFeedback {
  taskId: string;
  period: string;
  receivedOn: IsoDate;
  /** Who answered. Each lead unit of a jointly led task answers for itself; absent = any of them. */
  unit?: string;
}

export interface CandidateProblem {
  unit: string;
  row: number;
  /** The sheet column (A, B, …), or null for the whole row. */
  column?: string | null;
  /** The rule the problem breaks (R1, R4, …): only R1 problems make a ledger non-standard (R9). */
  rule: string;
  message: string;
  taskId?: string | null;
}

/** A task's state as R9 needs it: a closed or removed task is never the subject of a candidate. */
export interface CandidateTaskState {
  id: string;
  closed: boolean;
  removed?: boolean;
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
    evidence?: CandidateEvidence,
  ): void {
    const key = `${unit}\u0000${reason}`;
    let c = this.map.get(key);
    if (!c) {
      c = { unit, color, reason, taskIds: [], details: [], evidence: [] };
      this.map.set(key, c);
    }
    if (taskId !== null && !c.taskIds.includes(taskId)) c.taskIds.push(taskId);
    if (!c.details.includes(detail)) {
      c.details.push(detail);
      if (evidence) c.evidence.push(evidence);
    }
  }
  result(): Candidate[] {
    return [...this.map.values()].sort(byUnitThenReason);
  }
}

const taskLabel = (id: string, no: string | null | undefined) => (no ? `第${no}项任务` : `任务${id}`);

/** R9: a prompt counts as a reminder once at least one channel delivered it: the CST day (R22) the first one did, or null when none did. */
function deliveredOn(delivery: PromptDelivery | null): IsoDate | null {
  if (!delivery || delivery.delivered.length === 0) return null;
  const first = delivery.delivered.map((d) => d.at).sort()[0]!;
  return chinaToday(new Date(first));
}

/** The tasks a candidate may cite: open (not closed) and still in the ledger (R3, R9). */
function openTaskIds(tasks: CandidateTaskState[]): Set<string> {
  return new Set(tasks.filter((t) => !t.closed && !t.removed).map((t) => t.id));
}

/**
 * R9: yellow-card candidates on `asOf`.
 * - 上报材料不及时: a reminder delivered on at least one channel on or before its feedback due date,
 *   of a task still open and in the ledger, whose feedback due date has passed (due < asOf; the due day itself is still on time) with
 *   no feedback for that task and period received on or before the due date — including feedback that
 *   came, but late. A prompt that never reached the unit (no channel, every channel failed, cancelled,
 *   still queued) is the office's problem (`undeliveredPrompts`), never the unit's.
 * - 台账清单不规范: every R1 problem of an open task's row, naming its row and column.
 * Each finding carries its evidence (which prompt, sent when, over which channels, due when).
 */
function earliest(a: IsoDate | undefined, b: IsoDate | undefined): IsoDate | undefined {
  return a === undefined ? b : b === undefined || a <= b ? a : b;
}

export function yellowCandidates(input: {
  reminders: CandidateReminder[];
  feedback: CandidateFeedback[];
  problems: CandidateProblem[];
  tasks: CandidateTaskState[];
  asOf: IsoDate;
}): Candidate[] {
  const open = openTaskIds(input.tasks);
  const firstReceived = new Map<string, IsoDate>();
  for (const f of input.feedback) {
    const key = `${f.taskId}\u0000${f.period}\u0000${f.unit ?? ''}`;
    const prev = firstReceived.get(key);
    if (f.receivedOn <= input.asOf && (prev === undefined || f.receivedOn < prev))
      firstReceived.set(key, f.receivedOn);
  }
  const out = new CandidateBuilder();
  for (const r of input.reminders) {
    if (r.feedbackDue >= input.asOf || !open.has(r.taskId)) continue;
    // Reminded means reached before the feedback was due: a prompt that arrived after it gave the
    // unit no chance to answer on time.
    const on = deliveredOn(r.delivery);
    if (on === null || on > r.feedbackDue) continue;
    // The reminded unit's own answer (a co-lead's answer does not answer for it, R9 with joint tasks).
    const received = earliest(
      firstReceived.get(`${r.taskId}\u0000${r.period}\u0000${r.leadUnit}`),
      firstReceived.get(`${r.taskId}\u0000${r.period}\u0000`),
    );
    if (received !== undefined && received <= r.feedbackDue) continue;
    // The channels that reached the unit in time to answer: a later delivery is no reminder.
    const delivered = [...r.delivery!.delivered]
      .filter((d) => chinaToday(new Date(d.at)) <= r.feedbackDue)
      .sort((a, b) => a.at.localeCompare(b.at));
    const channels = [...new Set(delivered.map((d) => d.label))];
    const evidence: LateReportEvidence = {
      kind: 'late-report',
      taskId: r.taskId,
      taskNo: r.taskNo ?? null,
      period: r.period,
      sendOn: r.sendOn,
      deliveredAt: delivered[0]!.at,
      channels,
      feedbackDue: r.feedbackDue,
      receivedOn: received ?? null,
    };
    const label = taskLabel(r.taskId, r.taskNo);
    const sent = `${on}经${channels.join('、')}送达提示`;
    const detail =
      received === undefined
        ? `${label}（${r.period}）${sent}，反馈应于${r.feedbackDue}前报送，至今未收到`
        : `${label}（${r.period}）${sent}，反馈应于${r.feedbackDue}前报送，${received}才收到`;
    out.add(r.leadUnit, 'yellow', '上报材料不及时', r.taskId, detail, evidence);
  }
  for (const p of input.problems) {
    if (p.rule !== 'R1' || !p.taskId || !open.has(p.taskId)) continue;
    const column = p.column ?? null;
    const at = `第${p.row}行${column ? `${column}列` : ''}`;
    // The reader's messages often name the cell already (第20行E列…): say it once.
    const detail = p.message.startsWith(`第${p.row}行`) ? `台账${p.message}` : `台账${at}：${p.message}`;
    out.add(p.unit, 'yellow', '台账清单不规范', p.taskId, detail, {
      kind: 'ledger-problem',
      taskId: p.taskId,
      row: p.row,
      column,
      message: p.message,
    });
  }
  return out.result();
}

const UNDELIVERED_MESSAGE: Record<UndeliveredCause, string> = {
  'no-channel': '该单位无可用渠道，提示未送达',
  failed: '该单位的提示渠道均未送达，提示未送达',
  pending: '提示至反馈期限仍未送达',
  'not-queued': '提示未进入发送队列，未送达',
  'late-delivery': '提示在反馈期限之后才送达',
};

/** Why a prompt did not reach its unit, or null when it did (or was cancelled with its task, R18). */
export function undeliveredCause(r: CandidateReminder, asOf: IsoDate): UndeliveredCause | null {
  const d = r.delivery;
  const on = deliveredOn(d);
  if (on !== null) return on > r.feedbackDue ? 'late-delivery' : null;
  if (d === null) return r.feedbackDue < asOf ? 'not-queued' : null;
  if (d.status === 'cancelled') return null;
  if (d.status === 'failed') return d.tried === 0 ? 'no-channel' : 'failed';
  return r.feedbackDue < asOf ? 'pending' : null;
}

/**
 * R9: prompts of open tasks that did not reach their unit by `asOf`: the office's problem (the unit has
 * no working channel), listed for the clerk and never a late-report candidate. Most recent first.
 */
export function undeliveredPrompts(input: {
  reminders: CandidateReminder[];
  tasks: CandidateTaskState[];
  asOf: IsoDate;
}): UndeliveredPrompt[] {
  const open = openTaskIds(input.tasks);
  const out: UndeliveredPrompt[] = [];
  for (const r of input.reminders) {
    if (r.sendOn > input.asOf || !open.has(r.taskId)) continue;
    const cause = undeliveredCause(r, input.asOf);
    if (!cause) continue;
    out.push({
      unit: r.leadUnit,
      taskId: r.taskId,
      taskNo: r.taskNo ?? null,
      period: r.period,
      sendOn: r.sendOn,
      feedbackDue: r.feedbackDue,
      cause,
      error: r.delivery?.error ?? null,
      message: UNDELIVERED_MESSAGE[cause],
    });
  }
  return out.sort(
    (a, b) =>
      b.sendOn.localeCompare(a.sendOn) ||
      a.unit.localeCompare(b.unit, 'zh-CN') ||
      a.taskId.localeCompare(b.taskId),
  );
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
