// The pane's decisions that need no browser: which units and candidates it lists, which card awaits
// a report, what a checklist holds, which dates and addresses it accepts. The card rules themselves are
// the shared ones the backend enforces (shared/rules/cardDecisions.ts); these only apply them to the
// backend's answers.
import { IsoDateSchema } from '../../../shared/model.js';
import { holidayYearProblems } from '../../../shared/calendar.js';
import { orangeCardForRectification } from '../../../shared/rules/cardDecisions.js';
import type { CandidateReport, CandidateView, UnitView } from '../api/client.js';

type UnitCard = UnitView['cards'][number];

/** 单位亮牌情况 lists a unit once it has a card or an interview this year (R11–R13). */
export function shownUnits(units: UnitView[]): UnitView[] {
  return units.filter((u) => u.state !== 'none' || u.interviews > 0);
}

/** R14: the cards whose letter (提示函, 预警通知书) downloads from the unit's line; a red card has its own. */
export function letterCards(u: UnitView): UnitCard[] {
  return u.cards.filter((c) => c.docNo && c.color !== 'red');
}

/** R11: the orange card still waiting for its rectification report, as the backend picks it too. */
export function awaitingRectification(u: UnitView): UnitCard | null {
  const card = orangeCardForRectification(
    u.unit,
    u.cards.map((c) => ({ ...c, unit: u.unit })),
  );
  return card ? (u.cards.find((c) => c.id === card.id) ?? null) : null;
}

/** R12: a red unit's latest red card, whose checklist and documents the pane shows. */
export function redCardOf(u: UnitView): UnitCard | null {
  return [...u.cards].reverse().find((c) => c.color === 'red') ?? null;
}

/** R12: the checklist items the backend holds as done for that card (none without a card). */
export function checklistDone(card: UnitCard | null): Set<string> {
  return new Set((card?.checklist ?? []).filter((i) => i.done).map((i) => i.id));
}

/**
 * 亮牌候选 (R9, R10): the candidates still to decide, then those the backend set apart as already carded
 * this year (shared alreadyCarded): these are listed 已亮牌, never offered again (one card, one number).
 */
export function candidateRows(report: CandidateReport): { candidate: CandidateView; carded: boolean }[] {
  return [
    ...[...report.yellow, ...report.orange].map((candidate) => ({ candidate, carded: false })),
    ...report.carded.map((candidate) => ({ candidate, carded: true })),
  ];
}

/** The first `max` lines of a long list and how many more there are (另有 N 条). */
export function firstOf<T>(items: T[], max: number): { shown: T[]; more: number } {
  const shown = items.slice(0, max);
  return { shown, more: items.length - shown.length };
}

/** R16: dates typed into the holiday form, one each, separated by spaces, commas or new lines. */
export function dateList(text: string): string[] {
  return text
    .split(/[\s,，、;；]+/)
    .map((d) => d.trim())
    .filter(Boolean);
}

/**
 * R16: why a year's holiday entry cannot be sent (dates not written YYYY-MM-DD, or the shared check the
 * backend applies too); null when it can.
 */
export function holidayEntryRefusal(
  year: number,
  entry: { holidays: string[]; workdays: string[] },
): string | null {
  const bad = [...entry.holidays, ...entry.workdays].filter((d) => !IsoDateSchema.safeParse(d).success);
  if (bad.length) return `日期应写成 YYYY-MM-DD：${bad.slice(0, 5).join('、')}`;
  const problems = holidayYearProblems(year, entry);
  return problems.length ? problems.join('；') : null;
}

/**
 * The function key travels with every request: the backend's address must be https, the add-in's own
 * /api, or this machine over http (debugging). Anything else is refused before it is saved.
 */
export function backendUrlAccepted(url: string): boolean {
  return /^(\/|https:\/\/|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/)/.test(url);
}

/** 历史 (R8): a 督办编号 asks for that task's history in the pane's ledger, anything else for a unit's. */
export function historySubject(
  subject: string,
  ledgerId: string,
): { ledgerId: string; taskId: string } | { unit: string } {
  return /^DB-\d{4}-\d+$/i.test(subject) ? { ledgerId, taskId: subject.toUpperCase() } : { unit: subject };
}

/**
 * R12: the number typed for a red card's draft (the 县政府办公室's 通报 number, the office's 专题报告
 * number): empty leaves it blank in the draft (null); anything but a whole number 1–99999 is refused.
 */
export function draftNumber(text: string): number | null | 'invalid' {
  const t = text.trim();
  if (!t) return null;
  return /^[1-9]\d{0,4}$/.test(t) ? Number(t) : 'invalid';
}
