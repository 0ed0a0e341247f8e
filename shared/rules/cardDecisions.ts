// The decisions around issuing a card that the pane shows and the API enforces, in one place (R3,
// R8–R11, R13): which reasons go with which colour, which tasks a card may cite, which candidates are
// already carded this year, and which orange card an interview or a rectification report answers.
import type { CardReason, IsoDate } from '../model.js';
import type { Candidate } from '../api.js';
import { isLeadUnitOf } from '../ledger/leadUnits.js';

/** R8–R10: yellow reasons (R9 and the clerk's judgment); orange has one reason, slow progress (R10). */
export const CARD_REASONS: { yellow: readonly CardReason[]; orange: readonly CardReason[] } = {
  yellow: ['贯彻落实不力', '工作不到位', '上报材料不及时', '报送材料质量不高', '台账清单不规范'],
  orange: ['工作进展缓慢'],
};

const COLOR_NAME = { yellow: '黄牌', orange: '橙牌' } as const;

/** R8–R10: the reasons a card of this colour may give. */
export function reasonsFor(color: 'yellow' | 'orange'): readonly CardReason[] {
  return CARD_REASONS[color];
}

/** R8–R10: why a reason does not go with a colour (in Chinese), or null when it does. */
export function reasonRefusal(color: 'yellow' | 'orange', reason: CardReason): string | null {
  if (CARD_REASONS[color].includes(reason)) return null;
  return `${COLOR_NAME[color]}的理由只能是${CARD_REASONS[color].map((r) => `「${r}」`).join('、')}，不能是「${reason}」（R9、R10）`;
}

/** A task as a card sees it: who leads it, whether it is closed or no longer in the ledger. */
export interface CardTask {
  id: string;
  no?: string | null;
  leadUnit: string | null;
  closed: boolean;
  removed?: boolean;
}

export interface CardRefusal {
  code: 'task_closed' | 'task_removed' | 'not_lead_unit';
  message: string;
}

/**
 * R3, R8: why a card to `unit` may not cite these tasks, or null. A closed task is never carded (R3);
 * a task removed from the ledger neither; a card belongs to a lead unit of the task (R8).
 */
export function cardRefusal(unit: string, tasks: CardTask[]): CardRefusal | null {
  const closed = tasks.filter((t) => t.closed).map((t) => t.id);
  if (closed.length)
    return { code: 'task_closed', message: `已销号的任务不再亮牌（R3）：${closed.join('、')}` };
  const removed = tasks.filter((t) => t.removed).map((t) => t.id);
  if (removed.length)
    return { code: 'task_removed', message: `任务已不在台账中，不能据此亮牌（R8）：${removed.join('、')}` };
  // A jointly led task (县发改局、县财政局) may be cited in a card to any one of its lead units.
  const foreign = tasks.find((t) => !isLeadUnitOf(t, unit));
  if (foreign)
    return {
      code: 'not_lead_unit',
      message: `任务 ${foreign.id} 的牵头单位是「${foreign.leadUnit ?? '（空）'}」，不是「${unit}」：牌只亮给牵头单位（R8）`,
    };
  return null;
}

/** A card already issued, as far as these decisions need it. */
export interface IssuedCard {
  id: string;
  unit: string;
  color: 'yellow' | 'orange' | 'red';
  reason?: string | null;
  date: IsoDate;
  interviewIds?: string[];
  rectifiedOn?: IsoDate | null;
}

/**
 * R9, R10, R13: a candidate is already carded when its unit has a card of the same colour for the same
 * reason in asOf's calendar year, dated on or before asOf: proposing it again would give a second card
 * and number for the same finding.
 */
export function alreadyCarded(
  candidate: Pick<Candidate, 'unit' | 'color' | 'reason'>,
  cards: IssuedCard[],
  asOf: IsoDate,
): IssuedCard | null {
  const year = asOf.slice(0, 4);
  return (
    cards.find(
      (c) =>
        c.unit === candidate.unit &&
        c.color === candidate.color &&
        c.reason === candidate.reason &&
        c.date.slice(0, 4) === year &&
        c.date <= asOf,
    ) ?? null
  );
}

/** Splits candidates into those still to decide and those already carded this year (see alreadyCarded). */
export function splitCarded<C extends Pick<Candidate, 'unit' | 'color' | 'reason'>>(
  candidates: C[],
  cards: IssuedCard[],
  asOf: IsoDate,
): { open: C[]; carded: C[] } {
  const open: C[] = [];
  const carded: C[] = [];
  for (const c of candidates) (alreadyCarded(c, cards, asOf) ? carded : open).push(c);
  return { open, carded };
}

const byDateThenId = (a: IssuedCard, b: IssuedCard) =>
  a.date.localeCompare(b.date) || a.id.localeCompare(b.id);

/**
 * R11: the orange card an interview answers: the unit's most recent orange card (on or before the
 * interview) not yet interviewed on, else its most recent orange card; null when it has none.
 */
export function orangeCardForInterview(unit: string, cards: IssuedCard[], on: IsoDate): IssuedCard | null {
  const orange = cards
    .filter((c) => c.unit === unit && c.color === 'orange' && c.date <= on)
    .sort(byDateThenId);
  const waiting = orange.filter((c) => !c.interviewIds?.length);
  return waiting.at(-1) ?? orange.at(-1) ?? null;
}

/**
 * R11: the orange card a rectification report answers: the unit's oldest orange card still awaiting
 * its report (its deadline comes first); null when none awaits one.
 */
export function orangeCardForRectification(unit: string, cards: IssuedCard[]): IssuedCard | null {
  return (
    cards.filter((c) => c.unit === unit && c.color === 'orange' && !c.rectifiedOn).sort(byDateThenId)[0] ??
    null
  );
}
