// R5, R3: which source wins a star and a closing when the ledger is synced (shared syncTaskFacts).
import { describe, expect, it } from 'vitest';
import { LEDGER_CLOSE_NOTE, syncTaskFacts } from '../../../shared/rules/ledgerSync.js';

const open = { stars: null, closed: false, closedOn: null, closeNote: null } as const;

describe('syncTaskFacts', () => {
  it('R5: a filled star cell wins and is a change from → to; an empty one keeps the 赋星 star, no change', () => {
    expect(syncTaskFacts({ ...open, stars: 4 }, { stars: 5, closed: false }, '2026-05-01')).toMatchObject({
      stars: 5,
      starChange: { from: 4, to: 5 },
    });
    expect(syncTaskFacts({ ...open, stars: 4 }, { stars: null, closed: false }, '2026-05-01')).toMatchObject({
      stars: 4,
      starChange: null,
    });
    expect(
      syncTaskFacts({ ...open, stars: 4 }, { stars: 4, closed: false }, '2026-05-01').starChange,
    ).toBeNull();
  });

  it('R3: the ledger closing an open task closes it on the ledger’s date (else today) with a note; it is a closing to record', () => {
    expect(
      syncTaskFacts(open, { stars: null, closed: true, closedOn: '2026-04-28' }, '2026-05-01'),
    ).toMatchObject({
      closed: true,
      closedOn: '2026-04-28',
      closeNote: LEDGER_CLOSE_NOTE,
      closing: { date: '2026-04-28', note: LEDGER_CLOSE_NOTE },
    });
    expect(syncTaskFacts(open, { stars: null, closed: true }, '2026-05-01').closing?.date).toBe('2026-05-01');
  });

  it('R3: a task closed by 销号 stays closed with its own date and evidence, whatever the ledger says; no second closing', () => {
    const closedByOffice = { stars: 3 as const, closed: true, closedOn: '2026-03-02', closeNote: '已验收' };
    expect(syncTaskFacts(closedByOffice, { stars: null, closed: false }, '2026-05-01')).toMatchObject({
      closed: true,
      closedOn: '2026-03-02',
      closeNote: '已验收',
      closing: null,
    });
    expect(syncTaskFacts(closedByOffice, { stars: null, closed: true }, '2026-05-01').closing).toBeNull();
  });

  it('R5/R3: a task new to the office takes the ledger’s facts, and nothing is a change', () => {
    expect(syncTaskFacts(null, { stars: 5, closed: true }, '2026-05-01')).toMatchObject({
      stars: 5,
      closed: true,
      closedOn: '2026-05-01',
      starChange: null,
      closing: null,
    });
  });
});
