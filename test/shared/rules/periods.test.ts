// R21: the round-up period the pane preselects and GET /roundup takes when none is named.
import { describe, expect, it } from 'vitest';
import { defaultRoundupPeriod } from '../../../shared/rules/periods.js';
import { roundupPeriods } from '../../../addin/src/taskpane/periods.js';

describe('R21: the default round-up period', () => {
  it('R21: the most recent period ended — the quarter when the month just ended closes one, else that month', () => {
    expect(defaultRoundupPeriod('2026-04-08')).toBe('2026-Q1');
    expect(defaultRoundupPeriod('2026-05-20')).toBe('2026-04');
    expect(defaultRoundupPeriod('2026-07-01')).toBe('2026-Q2');
    // In January the round-up is of last year's Q4.
    expect(defaultRoundupPeriod('2027-01-10')).toBe('2026-Q4');
  });

  it('R21: the pane preselects the same period the API defaults to', () => {
    for (const today of ['2026-04-08', '2026-05-20', '2026-11-26', '2027-01-10'])
      expect(roundupPeriods(today, 2026).chosen).toBe(defaultRoundupPeriod(today));
  });
});
