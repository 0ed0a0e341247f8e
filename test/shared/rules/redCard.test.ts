// R12: the red card an interview issues (shared redCardFor) — once per window, whatever the order in
// which the interviews are recorded.
import { describe, expect, it } from 'vitest';
import { inOneRedWindow, redCardFor } from '../../../shared/rules/redCard.js';
import { makeSettings } from '../../../shared/settings.js';
import type { UnitEvent } from '../../../shared/model.js';

const U = '县林业局';
const calendar = makeSettings({});
const rolling = makeSettings({ redWindow: 'rolling' });
const iv = (date: string, id = `i-${date}`) => ({ type: 'interview' as const, unit: U, date, id });

describe('redCardFor (R12)', () => {
  it('R12: the first interview of the year issues nothing; the second issues the red card citing both interviews and the tasks of the year’s cards', () => {
    const events: UnitEvent[] = [
      { type: 'card', unit: U, color: 'orange', date: '2026-05-20', taskIds: ['T1', 'T2'] },
      { type: 'card', unit: U, color: 'yellow', date: '2025-11-02', taskIds: ['OLD'] },
      iv('2026-06-01'),
    ];
    expect(redCardFor(events.slice(0, 2), iv('2026-06-01'), calendar)).toBeNull();
    expect(redCardFor(events, iv('2026-06-10'), calendar)).toEqual({
      date: '2026-06-10',
      reason: '一年内被约谈2次以上',
      taskIds: ['T1', 'T2'],
      interviewIds: ['i-2026-06-01', 'i-2026-06-10'],
    });
  });

  it('R12: a third interview backdated before the red card issues no second red card', () => {
    const events: UnitEvent[] = [
      iv('2026-06-01'),
      iv('2026-06-10'),
      { type: 'card', unit: U, color: 'red', date: '2026-06-10', id: 'red-1' },
    ];
    expect(redCardFor(events, iv('2026-03-01'), calendar)).toBeNull();
    expect(redCardFor(events, iv('2026-09-01'), calendar)).toBeNull();
    // Next year is a new window: its second interview makes a new red card.
    expect(redCardFor([...events, iv('2027-01-05')], iv('2027-02-01'), calendar)).not.toBeNull();
  });

  it('R12: a backdated second interview makes the unit red on the day it had two interviews, citing both', () => {
    const spec = redCardFor([iv('2026-06-10')], iv('2026-03-01'), calendar);
    expect(spec).toMatchObject({ date: '2026-06-10', interviewIds: ['i-2026-03-01', 'i-2026-06-10'] });
  });

  it('R12 (rolling): a red card within a year of the interview, before or after it, means no second one', () => {
    const events: UnitEvent[] = [
      iv('2026-01-10'),
      iv('2026-02-01'),
      { type: 'card', unit: U, color: 'red', date: '2026-02-01' },
    ];
    expect(redCardFor(events, iv('2025-12-20'), rolling)).toBeNull();
    expect(redCardFor(events, iv('2026-12-20'), rolling)).toBeNull();
    // More than a year after the red card, with a second interview in its own year: red again.
    expect(redCardFor([...events, iv('2027-03-01')], iv('2027-04-01'), rolling)).toMatchObject({
      date: '2027-04-01',
      interviewIds: ['i-2027-03-01', 'i-2027-04-01'],
    });
  });

  it('R12: the same interview recorded again (same id) is not a second one', () => {
    expect(redCardFor([iv('2026-06-01')], iv('2026-06-01'), calendar)).toBeNull();
  });

  it('R12: inOneRedWindow — the calendar year, or one year rolling (ends inclusive)', () => {
    expect(inOneRedWindow('2026-12-20', '2027-01-05', calendar)).toBe(false);
    expect(inOneRedWindow('2026-12-20', '2027-01-05', rolling)).toBe(true);
    expect(inOneRedWindow('2026-01-10', '2027-01-09', rolling)).toBe(true);
    expect(inOneRedWindow('2026-01-10', '2027-01-10', rolling)).toBe(false);
  });
});
