// The task pane's decisions on the backend's answers, without a browser: which units and candidates
// it lists, which orange card awaits its report (the shared rule), what a red checklist holds, which
// holiday dates and backend addresses it accepts, what 历史 asks for.
import { describe, expect, it } from 'vitest';
import type { CandidateReport, CandidateView, UnitView } from '../../addin/src/api/client.js';
import {
  awaitingRectification,
  backendUrlAccepted,
  candidateRows,
  draftNumber,
  checklistDone,
  dateList,
  firstOf,
  historySubject,
  holidayEntryRefusal,
  letterCards,
  redCardOf,
  shownUnits,
} from '../../addin/src/taskpane/decisions.js';

type Card = UnitView['cards'][number];

function unit(unitName: string, cards: Card[] = [], over: Partial<UnitView> = {}): UnitView {
  return {
    unit: unitName,
    state: 'none',
    interviews: 0,
    cards,
    rectifyBy: null,
    rectificationOverdue: false,
    ...over,
  };
}
const orange = (id: string, date: string, rectifiedOn: string | null = null): Card => ({
  id,
  color: 'orange',
  docNo: `友政督警〔2026〕${id}号`,
  date,
  rectifiedOn,
});

describe('单位亮牌情况 (R11–R14)', () => {
  it('R13: lists the units with a card or an interview this year, not the others', () => {
    const units = [
      unit('县商务局'),
      unit('县工信局', [], { state: 'yellow' }),
      unit('县医保局', [], { interviews: 1 }),
    ];
    expect(shownUnits(units).map((u) => u.unit)).toEqual(['县工信局', '县医保局']);
  });

  it('R14: the letters to download are the numbered yellow and orange cards; a red card has its own documents', () => {
    const u = unit('县工信局', [
      { id: 'y', color: 'yellow', docNo: '友政督提〔2026〕1号', date: '2026-03-02' },
      orange('2', '2026-06-01'),
      { id: 'r', color: 'red', docNo: null, date: '2026-11-27' },
    ]);
    expect(letterCards(u).map((c) => c.id)).toEqual(['y', '2']);
  });

  it('R11: the orange card awaiting its report is the oldest one not yet rectified (the shared rule the backend uses)', () => {
    const u = unit('县工信局', [
      orange('3', '2026-09-01'),
      orange('1', '2026-03-01', '2026-03-20'),
      orange('2', '2026-06-01'),
    ]);
    expect(awaitingRectification(u)?.id).toBe('2');
    expect(awaitingRectification(unit('县工信局', [orange('1', '2026-03-01', '2026-03-20')]))).toBeNull();
    expect(awaitingRectification(unit('县工信局'))).toBeNull();
  });

  it('R12: the red checklist is the latest red card’s, ticked as the backend holds it; none without a red card', () => {
    const u = unit('县工信局', [
      { id: 'r1', color: 'red', docNo: null, date: '2025-12-01', checklist: [{ id: 'explain', done: true }] },
      {
        id: 'r2',
        color: 'red',
        docNo: null,
        date: '2026-11-27',
        checklist: [
          { id: 'explain', done: true },
          { id: 'circular', done: false },
        ],
      },
    ]);
    const card = redCardOf(u);
    expect(card?.id).toBe('r2');
    expect([...checklistDone(card)]).toEqual(['explain']);
    expect(redCardOf(unit('县商务局', [orange('1', '2026-03-01')]))).toBeNull();
    expect(checklistDone(null).size).toBe(0);
  });
});

describe('红牌 drafts (R12)', () => {
  it('R12: the draft’s number is a whole number 1–99999, or left blank for the office to fill in', () => {
    expect(draftNumber('')).toBeNull();
    expect(draftNumber(' 4 ')).toBe(4);
    expect(draftNumber('99999')).toBe(99999);
    for (const bad of ['0', '04', '100000', '4.5', '-1', '四']) expect(draftNumber(bad)).toBe('invalid');
  });
});

describe('亮牌候选 (R9, R10)', () => {
  const c = (unitName: string, color: 'yellow' | 'orange', reason: string): CandidateView =>
    ({ unit: unitName, color, reason, taskIds: [], details: [] }) as unknown as CandidateView;

  it('R9, R10: the candidates to decide first (yellow, then orange), then those already carded this year, marked so', () => {
    const report = {
      yellow: [c('县医保局', 'yellow', '台账清单不规范')],
      orange: [c('县工信局', 'orange', '工作进度滞后')],
      carded: [c('县住建局', 'yellow', '台账清单不规范')],
      undelivered: [],
    } as unknown as CandidateReport;
    expect(candidateRows(report).map((r) => [r.candidate.unit, r.carded])).toEqual([
      ['县医保局', false],
      ['县工信局', false],
      ['县住建局', true],
    ]);
  });

  it('R9: a long list of evidence shows its first lines and says how many more', () => {
    const lines = Array.from({ length: 23 }, (_, i) => `第${i + 1}条`);
    const { shown, more } = firstOf(lines, 20);
    expect(shown).toHaveLength(20);
    expect(more).toBe(3);
    expect(firstOf(lines.slice(0, 2), 20).more).toBe(0);
  });
});

describe('节假日安排 (R16)', () => {
  it('R16: dates typed with spaces, commas (either width), 、 or new lines are read one by one', () => {
    expect(dateList('2027-01-01， 2027-02-16、2027-02-17\n2027-02-18;2027-02-19')).toEqual([
      '2027-01-01',
      '2027-02-16',
      '2027-02-17',
      '2027-02-18',
      '2027-02-19',
    ]);
    expect(dateList('  ')).toEqual([]);
  });

  it('R16: a date not written YYYY-MM-DD, or a date outside the year, is refused with the reason; a good entry passes', () => {
    expect(holidayEntryRefusal(2027, { holidays: ['2027/01/01'], workdays: [] })).toBe(
      '日期应写成 YYYY-MM-DD：2027/01/01',
    );
    expect(holidayEntryRefusal(2027, { holidays: ['2026-10-01'], workdays: [] })).toMatch(/2027/);
    expect(holidayEntryRefusal(2027, { holidays: ['2027-01-01'], workdays: ['2027-02-07'] })).toBeNull();
  });
});

describe('设置 and 历史', () => {
  it('the key is never sent over plain http to another machine: https, /api or this machine only', () => {
    expect(backendUrlAccepted('https://duban.azurewebsites.net/api')).toBe(true);
    expect(backendUrlAccepted('/api')).toBe(true);
    expect(backendUrlAccepted('http://localhost:7071/api')).toBe(true);
    expect(backendUrlAccepted('http://127.0.0.1/api')).toBe(true);
    expect(backendUrlAccepted('http://duban.example/api')).toBe(false);
    expect(backendUrlAccepted('http://localhost.evil.example/api')).toBe(false);
  });

  it('R8: a 督办编号 asks for that task’s history in the pane’s ledger; anything else for a unit’s', () => {
    expect(historySubject('db-2026-0003', 'ledger-2026')).toEqual({
      ledgerId: 'ledger-2026',
      taskId: 'DB-2026-0003',
    });
    expect(historySubject('县商务局', 'ledger-2026')).toEqual({ unit: '县商务局' });
  });
});
