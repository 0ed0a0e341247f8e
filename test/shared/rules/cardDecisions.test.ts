// The card decisions the pane shows and the API enforces, decided once in shared/ (R3, R8–R11, R13).
import { describe, expect, it } from 'vitest';
import { CardReasonSchema } from '../../../shared/model.js';
import { IssueCardRequestSchema } from '../../../shared/api.js';
import {
  alreadyCarded,
  cardRefusal,
  orangeCardForInterview,
  orangeCardForRectification,
  reasonRefusal,
  reasonsFor,
  splitCarded,
  type IssuedCard,
} from '../../../shared/rules/cardDecisions.js';

const FIN = '县财政局';

describe('which reasons go with which colour (R9, R10)', () => {
  it('R9/R10: yellow takes the five yellow reasons, orange only 工作进展缓慢; together they are every reason', () => {
    expect(reasonsFor('orange')).toEqual(['工作进展缓慢']);
    expect(reasonsFor('yellow')).not.toContain('工作进展缓慢');
    expect([...reasonsFor('yellow'), ...reasonsFor('orange')].sort()).toEqual(
      [...CardReasonSchema.options].sort(),
    );
  });

  it('R9/R10: an orange card for 上报材料不及时 is refused in Chinese, by the rule and by the request schema both sides use', () => {
    expect(reasonRefusal('orange', '上报材料不及时')).toBe(
      '橙牌的理由只能是「工作进展缓慢」，不能是「上报材料不及时」（R9、R10）',
    );
    expect(reasonRefusal('yellow', '工作进展缓慢')).toContain('黄牌的理由只能是');
    expect(reasonRefusal('yellow', '上报材料不及时')).toBeNull();
    const parsed = IssueCardRequestSchema.safeParse({
      ledgerId: 'L',
      unit: FIN,
      color: 'orange',
      reason: '上报材料不及时',
      by: '李文书',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('橙牌的理由只能是「工作进展缓慢」');
  });
});

describe('which tasks a card may cite (R3, R8)', () => {
  const open = { id: 'T1', leadUnit: FIN, closed: false };

  it('R8: a card to the lead unit of open tasks is allowed', () => {
    expect(cardRefusal(FIN, [open])).toBeNull();
    expect(cardRefusal(FIN, [])).toBeNull();
  });

  it('R3: a closed task is never carded; R8: nor a removed one, nor one led by another unit', () => {
    expect(cardRefusal(FIN, [open, { ...open, id: 'T2', closed: true }])).toEqual({
      code: 'task_closed',
      message: '已销号的任务不再亮牌（R3）：T2',
    });
    expect(cardRefusal(FIN, [{ ...open, removed: true }])?.code).toBe('task_removed');
    expect(cardRefusal(FIN, [{ ...open, leadUnit: '县发改局' }])).toEqual({
      code: 'not_lead_unit',
      message: '任务 T1 的牵头单位是「县发改局」，不是「县财政局」：牌只亮给牵头单位（R8）',
    });
  });
});

describe('jointly led tasks (R8)', () => {
  it('R8: a task led by 县发改局、县财政局 may be cited in a card to either unit, never to a third', () => {
    const joint = { id: 'T9', leadUnit: '县发改局、县财政局', closed: false };
    expect(cardRefusal(FIN, [joint])).toBeNull();
    expect(cardRefusal('县发改局', [joint])).toBeNull();
    expect(cardRefusal('县商务局', [joint])?.code).toBe('not_lead_unit');
  });
});

describe('candidates already carded this year (R9, R10, R13)', () => {
  const card = (over: Partial<IssuedCard>): IssuedCard => ({
    id: 'c1',
    unit: FIN,
    color: 'yellow',
    reason: '上报材料不及时',
    date: '2026-04-02',
    ...over,
  });
  const candidate = { unit: FIN, color: 'yellow' as const, reason: '上报材料不及时' as const };

  it('R13: the same colour and reason this year, on or before the day, is carded; last year’s card or another reason is not', () => {
    expect(alreadyCarded(candidate, [card({})], '2026-04-10')?.id).toBe('c1');
    expect(alreadyCarded(candidate, [card({ date: '2025-12-30' })], '2026-04-10')).toBeNull();
    expect(alreadyCarded(candidate, [card({ reason: '台账清单不规范' })], '2026-04-10')).toBeNull();
    expect(
      alreadyCarded(candidate, [card({ color: 'orange', reason: '工作进展缓慢' })], '2026-04-10'),
    ).toBeNull();
    expect(alreadyCarded(candidate, [card({ unit: '县发改局' })], '2026-04-10')).toBeNull();
    // Looking back at 1 April, a card of 2 April is not there yet.
    expect(alreadyCarded(candidate, [card({})], '2026-04-01')).toBeNull();
  });

  it('R9: splitCarded keeps the order and sets the carded ones apart', () => {
    const other = { unit: '县发改局', color: 'yellow' as const, reason: '上报材料不及时' as const };
    expect(splitCarded([candidate, other], [card({})], '2026-04-10')).toEqual({
      open: [other],
      carded: [candidate],
    });
  });
});

describe('the orange card an interview or a rectification answers (R11)', () => {
  const cards: IssuedCard[] = [
    { id: 'o1', unit: FIN, color: 'orange', date: '2026-03-02', interviewIds: ['i1'], rectifiedOn: null },
    { id: 'o2', unit: FIN, color: 'orange', date: '2026-05-06', interviewIds: [], rectifiedOn: null },
    { id: 'y1', unit: FIN, color: 'yellow', date: '2026-06-01' },
    { id: 'x', unit: '县发改局', color: 'orange', date: '2026-06-01' },
  ];

  it('R11: an interview answers the latest orange card not yet interviewed on, else the latest orange card', () => {
    expect(orangeCardForInterview(FIN, cards, '2026-06-10')?.id).toBe('o2');
    // Before o2 was issued, o1 is the only one (already interviewed on: it is still the one).
    expect(orangeCardForInterview(FIN, cards, '2026-04-01')?.id).toBe('o1');
    expect(orangeCardForInterview('县教育局', cards, '2026-06-10')).toBeNull();
  });

  it('R11: a rectification report answers the oldest orange card still awaiting one', () => {
    expect(orangeCardForRectification(FIN, cards)?.id).toBe('o1');
    const afterFirst = cards.map((c) => (c.id === 'o1' ? { ...c, rectifiedOn: '2026-03-12' } : c));
    expect(orangeCardForRectification(FIN, afterFirst)?.id).toBe('o2');
    expect(orangeCardForRectification('县教育局', cards)).toBeNull();
  });
});
