// The pane's round-up period and ledger (R15, R21): the most recent ended period by default, quarters
// and months to pick from, and the ledger of the last sync — so in January the Q4 round-up is last year's.
import { describe, expect, it } from 'vitest';
import { roundupPeriods } from '../../addin/src/taskpane/periods.js';
import { DEFAULT_PREFS, lastLedger, paneLedgerId, rememberLedger } from '../../addin/src/prefs.js';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

describe('the round-up period picker (R21: quarterly and monthly)', () => {
  it('R15: on 8 Apr (W+5 of Q1) the default is 2026-Q1, not the empty Q2 today falls in', () => {
    const { options, chosen } = roundupPeriods('2026-04-08', 2026);
    expect(chosen).toBe('2026-Q1');
    expect(options.map((o) => o.period)).toEqual([
      '2026-Q2',
      '2026-04',
      '2026-Q1',
      '2026-03',
      '2026-02',
      '2026-01',
    ]);
    expect(options.find((o) => o.period === '2026-Q1')?.label).toBe('2026年第一季度');
    expect(options.find((o) => o.period === '2026-03')?.label).toBe('2026年3月');
  });

  it('R21: the picker names a quarter as the prompts, the unit’s page and the round-up report do', () => {
    const labels = roundupPeriods('2027-01-08', 2026).options.map((o) => o.label);
    expect(labels.filter((l) => l.includes('季度'))).toEqual([
      '2026年第四季度',
      '2026年第三季度',
      '2026年第二季度',
      '2026年第一季度',
    ]);
    expect(labels.some((l) => /第\d季度/.test(l))).toBe(false);
  });

  it('R21: in a month that does not follow a quarter’s end the default is the month just ended', () => {
    expect(roundupPeriods('2026-11-26', 2026).chosen).toBe('2026-10');
  });

  it('R15: in January the default is last year’s Q4, and the options are the ledger year’s', () => {
    const { options, chosen } = roundupPeriods('2027-01-08', 2026);
    expect(chosen).toBe('2026-Q4');
    expect(options[0]?.period).toBe('2026-Q4');
    expect(options.every((o) => o.period.startsWith('2026'))).toBe(true);
    expect(options).toHaveLength(16);
  });
});

describe('the pane’s ledger', () => {
  it('is the ledger of the last 同步台账, so in January the pane still asks about ledger-2026', () => {
    const storage = memoryStorage();
    expect(paneLedgerId(DEFAULT_PREFS, lastLedger(storage), '2027-01-08')).toBe('ledger-2027');
    rememberLedger(storage, { ledgerId: 'ledger-2026', year: 2026 });
    expect(paneLedgerId(DEFAULT_PREFS, lastLedger(storage), '2027-01-08')).toBe('ledger-2026');
    expect(paneLedgerId({ ...DEFAULT_PREFS, ledgerId: '县重点' }, lastLedger(storage), '2027-01-08')).toBe(
      '县重点',
    );
  });
});
