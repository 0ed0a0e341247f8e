// 黄牌/橙牌 (R8–R10, R13, R14): one card per lead unit of the selected rows, issued in the backend first,
// then the units' rows coloured by their new state; the reason from the backend's candidates or the
// clerk's choice in the pane.
import { cardRefusal } from '../../../shared/rules/cardDecisions.js';
import { splitLeadUnits } from '../../../shared/ledger/leadUnits.js';
import type { CardReason, CardState, LedgerTask } from '../../../shared/model.js';
import { rowsOfUnits, type LedgerView } from '../ledgerView.js';
import type { CardOrder } from '../mailbox.js';
import { ledgerIdFor } from '../prefs.js';
import { ledgerCommand, paintAndRecord, selectedWithIds, unitStates, writeRecorded } from './ledgerRun.js';
import {
  clerk,
  COLOR_NAME,
  failure,
  listNames,
  newRequestId,
  rowLabel,
  type CommandEnv,
  type Outcome,
} from './outcome.js';

export type { CardOrder } from '../mailbox.js';

function groupByUnit(tasks: (LedgerTask & { id: string })[]): {
  units: Map<string, string[]>;
  noUnit: LedgerTask[];
} {
  const units = new Map<string, string[]>();
  const noUnit: LedgerTask[] = [];
  for (const t of tasks) {
    if (t.leadUnits.length === 0) {
      noUnit.push(t);
      continue;
    }
    // A jointly led task goes to each of its lead units (县发改局、县财政局 is two units).
    for (const unit of t.leadUnits) units.set(unit, [...(units.get(unit) ?? []), t.id]);
  }
  return { units, noUnit };
}

/**
 * 黄牌/橙牌 from the ribbon: the reason comes from the backend's candidates (R9, R10), from `reasons`
 * (the clerk's choice in the pane), or the pane is asked. Each card's number is reported.
 */
export function issueCards(
  env: CommandEnv,
  color: 'yellow' | 'orange',
  reasons?: Map<string, CardReason>,
): Promise<Outcome> {
  return ledgerCommand(env, { records: true }, async ({ context, view }) => {
    const chosenRows = selectedWithIds(view);
    // R3, R8: the shared rule the backend enforces — a closed task is never carded — said per row here.
    const refused = chosenRows.flatMap((t) => {
      const r = t.leadUnit
        ? cardRefusal(splitLeadUnits(t.leadUnit)[0] ?? t.leadUnit, [
            { id: t.id, leadUnit: t.leadUnit, closed: t.closed },
          ])
        : null;
      return r ? [`${rowLabel(t)}：${r.message}`] : [];
    });
    const selected = chosenRows.filter((t) => !t.closed);
    const { units, noUnit } = groupByUnit(selected);
    const notes = [...refused, ...noUnit.map((t) => `${rowLabel(t)}没有牵头单位，未亮牌`)];
    if (units.size === 0)
      return {
        level: 'error' as const,
        text: refused.length
          ? '所选任务都已销号或没有牵头单位，无法亮牌。'
          : '所选任务都没有牵头单位，无法亮牌。',
        details: notes,
      };
    const api = env.api();
    const ledgerId = ledgerIdFor(env.prefs(), view.ledger.year);
    const today = env.today();
    const chosen = new Map<string, CardReason>();
    /** The tasks a card cites: the candidate's own (the slow ones, R10), else the selected rows. */
    const cited = new Map(units);
    const candidateUnits = new Set<string>();
    if (reasons) {
      for (const unit of units.keys()) {
        const r = reasons.get(unit);
        if (r) chosen.set(unit, r);
      }
    } else {
      // R9/R10: the program proposes (the backend's candidates), the clerk decides. An orange card is
      // never issued by one click on a unit the program did not propose: the pane asks to confirm.
      const candidates = await api.candidates(ledgerId, today);
      for (const unit of units.keys()) {
        const c = candidates.find((x) => x.unit === unit && x.color === color);
        if (!c) continue;
        candidateUnits.add(unit);
        chosen.set(unit, c.reason as CardReason);
        if (c.taskIds.length) cited.set(unit, c.taskIds);
      }
    }
    const unasked = [...units.keys()].filter((u) => !chosen.has(u));
    if (unasked.length > 0) {
      env.mailbox.ask({
        kind: 'cardReason',
        color,
        units: [...cited].map(([unit, taskIds]) => ({
          unit,
          taskIds,
          candidate: candidateUnits.has(unit),
        })),
      });
      return {
        level: 'info' as const,
        text:
          color === 'orange'
            ? `请在下方确认：${listNames(unasked)}不是系统提出的橙牌候选（R10），确需亮橙牌请逐个勾选确认。`
            : `请在下方选择${COLOR_NAME[color]}理由：${listNames(unasked)}没有系统提出的理由。`,
        details: notes,
      };
    }
    // The ribbon click is the clerk's confirmation: each order gets its requestId now, kept for retries.
    const list = [...cited].map(([unit, taskIds]) => ({
      unit,
      taskIds,
      reason: chosen.get(unit)!,
      requestId: newRequestId(),
    }));
    const outcome = await issueAndPaint(env, context, view, color, list);
    return { ...outcome, details: [...(outcome.details ?? []), ...notes] };
  });
}

/** Issues one card per unit (in the backend first), then colours those units' rows by their new state (R13). */
async function issueAndPaint(
  env: CommandEnv,
  context: Excel.RequestContext,
  view: LedgerView,
  color: 'yellow' | 'orange',
  orders: CardOrder[],
): Promise<Outcome> {
  const by = clerk(env);
  const api = env.api();
  const ledgerId = ledgerIdFor(env.prefs(), view.ledger.year);
  const today = env.today();
  const issued: string[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const failed: CardOrder[] = [];
  let firstError = '';
  let retryable = false;
  for (const order of orders) {
    const { unit, taskIds, reason, requestId } = order;
    try {
      const res = await api.issueCard({ ledgerId, unit, color, reason, taskIds, date: today, by, requestId });
      issued.push(unit);
      const rectify = res.card.rectifyBy ? `，限 ${res.card.rectifyBy} 前整改` : '';
      notes.push(
        `${unit}：${COLOR_NAME[color]}（${reason}）${res.card.docNo ? `，${res.card.docNo}` : ''}${rectify}`,
      );
    } catch (err) {
      const o = failure(err);
      if (o.retry) retryable = true;
      firstError ||= o.text;
      failed.push(order);
      failures.push(`${unit}：${o.text}`);
    }
  }
  const pendingCards = failed.length ? { color, orders: failed } : undefined;
  if (issued.length === 0) {
    // Nothing issued: nothing to paint, the workbook stays as it was.
    return {
      level: 'error',
      text: orders.length === 1 ? firstError : `亮${COLOR_NAME[color]}未成功：${firstError}`,
      details: orders.length === 1 ? [] : failures,
      retry: retryable,
      ...(retryable ? { pendingCards } : {}),
    };
  }
  // A unit's colour is its most severe card of the year (R13), decided by the backend: when that state
  // cannot be read, the colours are left as they are rather than guessed (a red unit given a yellow
  // card must not turn yellow).
  const states = await unitStates(api, today).catch(() => null);
  let colourNote = '';
  if (states) {
    const only = new Map<string, CardState>();
    for (const u of issued) {
      const state = states.get(u);
      if (state) only.set(u, state);
    }
    const paint = paintAndRecord(env, { read: view.read, view }, rowsOfUnits(view, [...only.keys()]), only);
    await writeRecorded(context, env, view.read.sheetName, { cells: [], ...paint }, notes.join('；'));
  } else {
    colourNote = '未能读取单位亮牌状态，台账颜色未改动，将在下次“同步台账”时更新';
  }
  return {
    level: failures.length ? 'error' : colourNote ? 'info' : 'success',
    text: `已向 ${listNames(issued)} 亮${COLOR_NAME[color]}${failures.length ? `；${failures.length} 个单位未成功${retryable ? '，点“重试”只重发这些单位' : ''}` : ''}${colourNote ? `；${colourNote}` : ''}。`,
    details: [...notes, ...failures],
    retry: retryable,
    ...(retryable ? { pendingCards } : {}),
  };
}

/** 亮牌 from the pane: the clerk chose the reasons (or confirmed a candidate, R9/R10) for these units. */
export function issueCardsFor(
  env: CommandEnv,
  color: 'yellow' | 'orange',
  orders: CardOrder[],
): Promise<Outcome> {
  return ledgerCommand(env, {}, ({ context, view }) => issueAndPaint(env, context, view, color, orders));
}
