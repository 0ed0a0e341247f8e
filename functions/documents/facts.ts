// The facts behind a card that the program computed, with their figures, for the letter that goes with
// it (R8, R11): for 上报材料不及时 (R9) which prompt, sent when and over which channels, due when, and
// when (if ever) the feedback came; for 台账清单不规范 (R9) each R1 problem of the cited rows at its row
// and column; for 工作进展缓慢 (R10) the completion date passed, the reported value against the target
// (R6) and the milestone missed with its date (R7). Nothing here decides a rule: the shared rules do,
// on what the office's storage holds on the card's date.
import type { IsoDate } from '../../shared/model.js';
import type { Settings } from '../../shared/settings.js';
import type { LetterFact } from '../../shared/documents/index.js';
import { isOverdue, yellowCandidates } from '../../shared/rules/candidates.js';
import { judgeLagging, latestReported, milestoneSlips } from '../../shared/rules/progress.js';
import { effectiveStars } from '../../shared/rules/stars.js';
import { chinaToday, yearOf } from '../../shared/dates.js';
import type { Outbox } from '../notify/outbox.js';
import {
  getLedger,
  listProblems,
  listTaskFeedback,
  listTaskReminders,
  type Storage,
  type StoredTask,
} from '../storage/index.js';
import { problemsByLeadUnit, remindersWithDelivery } from '../supervision.js';

export interface CardFactsInput {
  ledgerId: string;
  unit: string;
  reason: string;
  /** The card's date: the facts as they stood on it. */
  date: IsoDate;
  /** The cited tasks, as stored (milestones with their done marks, R7). */
  tasks: StoredTask[];
  settings: Settings;
}

/**
 * The channel as a letter names it: its kind (短信, 邮件, 企业微信, 钉钉). The number, address or host
 * stays out — a long unbreakable run spreads a justified line of the letter — and the outbox keeps
 * where each prompt went.
 */
export function channelInWords(label: string): string {
  const kind = label.trim().split(/\s+/)[0] ?? label;
  return kind === '短信网关' ? '短信' : kind;
}

/**
 * The computed facts for a card on its cited tasks (none for a card that cites none, or for a reason
 * the program does not compute: the letter then names the reason in words only). Late reports are
 * decided by R9's own rule on the reminders, their delivery and the feedback; slow progress by R10,
 * R6 and R7 on the stored tasks.
 */
export async function cardLetterFacts(
  storage: Storage,
  outbox: Outbox,
  input: CardFactsInput,
): Promise<LetterFact[]> {
  const cited = input.tasks.filter((t) => !t.removed && !t.closed);
  if (cited.length === 0) return [];
  if (input.reason === '上报材料不及时') return lateReportFacts(storage, outbox, input, cited);
  if (input.reason === '台账清单不规范') return ledgerProblemFacts(storage, input, cited);
  if (input.reason === '工作进展缓慢') return progressFacts(storage, input, cited);
  return [];
}

async function lateReportFacts(
  storage: Storage,
  outbox: Outbox,
  input: CardFactsInput,
  cited: StoredTask[],
): Promise<LetterFact[]> {
  const ids = cited.map((t) => t.task.id);
  const [reminders, feedback] = await Promise.all([
    listTaskReminders(storage, input.ledgerId, input.unit, ids),
    listTaskFeedback(storage, input.ledgerId, ids),
  ]);
  const mine = reminders.filter((r) => r.leadUnit === input.unit);
  const delivered = await remindersWithDelivery(outbox, input.ledgerId, mine);
  const candidates = yellowCandidates({
    reminders: delivered,
    feedback,
    problems: [],
    tasks: cited.map((t) => ({ id: t.task.id, closed: t.closed, removed: t.removed })),
    asOf: input.date,
  });
  const order = new Map(cited.map((t, i) => [t.task.id, i]));
  return candidates
    .filter((c) => c.unit === input.unit && c.reason === '上报材料不及时')
    .flatMap((c) => c.evidence)
    .flatMap((e): LetterFact[] =>
      e.kind === 'late-report'
        ? [
            {
              kind: 'feedback',
              taskId: e.taskId,
              period: e.period,
              // The day the prompt reached the unit, not the day it was planned: a send that failed
              // and succeeded days later gave the unit only the later day.
              sentOn: chinaToday(new Date(e.deliveredAt)),
              channels: [...new Set(e.channels.map(channelInWords))],
              feedbackDue: e.feedbackDue,
              receivedOn: e.receivedOn,
            },
          ]
        : [],
    )
    .sort(
      (a, b) =>
        (order.get(a.taskId) ?? 0) - (order.get(b.taskId) ?? 0) ||
        (a.kind === 'feedback' && b.kind === 'feedback' ? a.sentOn.localeCompare(b.sentOn) : 0),
    );
}

/** R9: the R1 problems of the cited tasks' rows in the last sync, each at its row and column. */
async function ledgerProblemFacts(
  storage: Storage,
  input: CardFactsInput,
  cited: StoredTask[],
): Promise<LetterFact[]> {
  const problems = await listProblems(storage, input.ledgerId);
  const ids = new Set(cited.map((t) => t.task.id));
  const candidates = yellowCandidates({
    reminders: [],
    feedback: [],
    problems: problemsByLeadUnit(problems.filter((p) => !!p.taskId && ids.has(p.taskId))),
    tasks: cited.map((t) => ({ id: t.task.id, closed: t.closed, removed: t.removed })),
    asOf: input.date,
  });
  return candidates
    .filter((c) => c.unit === input.unit && c.reason === '台账清单不规范')
    .flatMap((c) => c.evidence)
    .flatMap((e): LetterFact[] =>
      e.kind === 'ledger-problem' && e.taskId
        ? [{ kind: 'ledger-problem', taskId: e.taskId, row: e.row, column: e.column, message: e.message }]
        : [],
    );
}

async function progressFacts(
  storage: Storage,
  input: CardFactsInput,
  cited: StoredTask[],
): Promise<LetterFact[]> {
  const { date: asOf, settings } = input;
  const [ledger, feedback] = await Promise.all([
    getLedger(storage, input.ledgerId),
    listTaskFeedback(
      storage,
      input.ledgerId,
      cited.map((t) => t.task.id),
    ),
  ]);
  // R6 judges against the ledger's year, as the candidates do (a January card on last year's ledger).
  const year = ledger?.year ?? yearOf(asOf);
  const reported = latestReported(feedback, asOf);
  const facts: LetterFact[] = [];
  for (const { task, stars, closed } of cited) {
    if (isOverdue({ closed, deadline: task.deadline }, asOf) && task.deadline.date)
      facts.push({ kind: 'deadline', taskId: task.id, date: task.deadline.date });
    const star = effectiveStars({ stars, category: task.category });
    if (star === 4) {
      const value = reported.get(task.id) ?? null;
      const judged = judgeLagging({
        target: task.target,
        title: task.title,
        reported: value,
        asOf,
        year,
        settings,
      });
      if (judged?.lagging && value !== null && task.target)
        facts.push({
          kind: 'indicator',
          taskId: task.id,
          checkpoint: judged.checkpoint,
          reported: value,
          expected: judged.expected,
          target: task.target.value,
          unit: task.target.unit || null,
          level: judged.kind === 'level',
        });
    }
    if (star === 5)
      for (const m of milestoneSlips(task.milestones, asOf))
        facts.push({ kind: 'milestone', taskId: task.id, text: m.text, date: m.date });
  }
  return facts;
}
