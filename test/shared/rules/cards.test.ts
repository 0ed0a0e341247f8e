import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../../shared/calendar.js';
import { DEFAULT_SETTINGS, makeSettings } from '../../../shared/settings.js';
import { eachDate } from '../../../shared/dates.js';
import type { InterviewEvent, UnitEvent } from '../../../shared/model.js';
import {
  cardKey,
  interviewMakesRed,
  overdueRectifications,
  rectificationDeadline,
  unitCardStates,
} from '../../../shared/rules/cards.js';

const U = '县住建局';
const stateOf = (events: UnitEvent[], asOf: string, settings = DEFAULT_SETTINGS) =>
  unitCardStates(events, asOf, settings).find((s) => s.unit === U)!;

describe('card state', () => {
  it('R12: a second interview in the same calendar year makes the unit red at once', () => {
    const events: UnitEvent[] = [
      { type: 'card', unit: U, color: 'orange', date: '2026-03-02', id: 'c1' },
      { type: 'interview', unit: U, date: '2026-03-10', cardId: 'c1' },
      { type: 'card', unit: U, color: 'orange', date: '2026-08-03', id: 'c2' },
    ];
    expect(stateOf(events, '2026-09-01')).toMatchObject({
      state: 'orange',
      interviews: 1,
      redByInterviews: false,
    });
    events.push({ type: 'interview', unit: U, date: '2026-09-02', cardId: 'c2' });
    expect(stateOf(events, '2026-09-01').state).toBe('orange'); // the interview has not happened yet
    // No red card event was recorded: red is derived from the interviews, not judged.
    expect(stateOf(events, '2026-09-02')).toMatchObject({
      state: 'red',
      interviews: 2,
      redByInterviews: true,
    });
  });

  it('R12: 「两次以上」 includes two — the count is a setting (redInterviewCount)', () => {
    const events: UnitEvent[] = [
      { type: 'interview', unit: U, date: '2026-03-10' },
      { type: 'interview', unit: U, date: '2026-05-10' },
    ];
    expect(stateOf(events, '2026-05-10').state).toBe('red');
    expect(stateOf(events, '2026-05-10', makeSettings({ redInterviewCount: 3 })).state).toBe('none');
  });

  it('R12: interviews 2026-12-20 and 2027-01-05 — the calendar window does not make the unit red in 2027, the rolling one does', () => {
    const second: InterviewEvent = { type: 'interview', unit: U, date: '2027-01-05' };
    const prior: UnitEvent[] = [
      { type: 'card', unit: U, color: 'orange', date: '2026-12-10', id: 'c1' },
      { type: 'interview', unit: U, date: '2026-12-20' },
    ];
    const events: UnitEvent[] = [...prior, second];
    // R13: the 2026 orange card does not carry into 2027 either.
    expect(stateOf(events, '2027-01-05')).toMatchObject({ state: 'none', interviews: 1 });
    const rolling = makeSettings({ redWindow: 'rolling' });
    expect(stateOf(events, '2027-01-05', rolling)).toMatchObject({ state: 'red', interviews: 2 });
    expect(interviewMakesRed(prior, second, DEFAULT_SETTINGS)).toBe(false);
    expect(interviewMakesRed(prior, second, rolling)).toBe(true);
  });

  it('R12: the rolling window is the rollingWindowDays days ending on the date, both ends included', () => {
    const rolling = makeSettings({ redWindow: 'rolling' });
    const events: UnitEvent[] = [
      { type: 'interview', unit: U, date: '2026-01-10' },
      { type: 'interview', unit: U, date: '2027-01-09' },
    ];
    expect(stateOf(events, '2027-01-09', rolling)).toMatchObject({ state: 'red', interviews: 2 }); // 364 days apart
    expect(stateOf(events, '2027-01-10', rolling)).toMatchObject({ state: 'none', interviews: 1 });
    expect(
      stateOf(events, '2027-01-09', makeSettings({ redWindow: 'rolling', rollingWindowDays: 300 })).state,
    ).toBe('none');
  });

  it('R12: in a leap year, interviews on 2028-01-01 and 2028-12-31 are within one rolling year (366 days), as by the calendar', () => {
    const rolling = makeSettings({ redWindow: 'rolling' });
    const first: UnitEvent = { type: 'interview', unit: U, date: '2028-01-01', id: 'a' };
    const second: UnitEvent = { type: 'interview', unit: U, date: '2028-12-31', id: 'b' };
    expect(stateOf([first, second], '2028-12-31', rolling)).toMatchObject({ state: 'red', interviews: 2 });
    expect(interviewMakesRed([first], second, rolling)).toBe(true);
    expect(stateOf([first, second], '2028-12-31', makeSettings())).toMatchObject({ state: 'red' });
    // A day later the first interview has left the rolling year.
    expect(stateOf([first, second], '2029-01-01', rolling)).toMatchObject({ state: 'none', interviews: 1 });
    // An explicit day count is still honoured: 365 days do not reach back to 1 Jan.
    expect(
      stateOf([first, second], '2028-12-31', makeSettings({ redWindow: 'rolling', rollingWindowDays: 365 }))
        .state,
    ).toBe('none');
  });

  it('R12: interviewMakesRed counts the prior interviews of that unit in the window, the same interview once', () => {
    const prior: UnitEvent[] = [
      { type: 'interview', unit: U, date: '2026-02-01', id: 'i1' },
      { type: 'interview', unit: '县水利局', date: '2026-03-01', id: 'i2' },
      { type: 'interview', unit: U, date: '2025-11-01', id: 'i0' },
    ];
    expect(
      interviewMakesRed(
        prior,
        { type: 'interview', unit: U, date: '2026-06-01', id: 'i3' },
        DEFAULT_SETTINGS,
      ),
    ).toBe(true);
    expect(
      interviewMakesRed(
        prior,
        { type: 'interview', unit: '县水利局', date: '2027-01-02', id: 'i4' },
        DEFAULT_SETTINGS,
      ),
    ).toBe(false);
    // Recording i1 again (a retried request) is not a second interview.
    expect(
      interviewMakesRed(
        prior,
        { type: 'interview', unit: U, date: '2026-02-01', id: 'i1' },
        DEFAULT_SETTINGS,
      ),
    ).toBe(false);
  });

  it('R12: a backdated interview that becomes the second of its window makes the unit red too', () => {
    const later: UnitEvent[] = [{ type: 'interview', unit: U, date: '2026-06-10', id: 'i2' }];
    const backdated: InterviewEvent = { type: 'interview', unit: U, date: '2026-03-10', id: 'i1' };
    expect(interviewMakesRed(later, backdated, DEFAULT_SETTINGS)).toBe(true);
    const rolling = makeSettings({ redWindow: 'rolling' });
    expect(interviewMakesRed(later, { ...backdated, date: '2025-07-01' }, rolling)).toBe(true); // 344 days apart
    expect(interviewMakesRed(later, { ...backdated, date: '2025-06-10' }, rolling)).toBe(false); // 365 days apart
    expect(interviewMakesRed(later, { ...backdated, date: '2025-07-01' }, DEFAULT_SETTINGS)).toBe(false);
    // Three needed: 2025-07-01 and 2026-06-10 are 344 days apart, 2026-08-01 is beyond 365 days of the first.
    const three = makeSettings({ redWindow: 'rolling', redInterviewCount: 3 });
    const two: UnitEvent[] = [...later, { type: 'interview', unit: U, date: '2026-08-01' }];
    expect(interviewMakesRed(two, { ...backdated, date: '2025-07-01' }, three)).toBe(false);
    expect(interviewMakesRed(two, { ...backdated, date: '2025-09-01' }, three)).toBe(true);
  });

  it('R13: the state is the most severe card of the current year; older cards stay on record', () => {
    const events: UnitEvent[] = [
      { type: 'card', unit: U, color: 'orange', date: '2025-11-03', id: 'old' },
      { type: 'card', unit: U, color: 'yellow', date: '2026-02-03', id: 'y1' },
      { type: 'card', unit: U, color: 'orange', date: '2026-04-03', id: 'o1' },
      { type: 'card', unit: U, color: 'yellow', date: '2026-06-03', id: 'y2' },
      { type: 'card', unit: '县水利局', color: 'yellow', date: '2026-05-01', id: 'w1' },
    ];
    expect(stateOf(events, '2026-01-15').state).toBe('none');
    expect(stateOf(events, '2026-03-01').state).toBe('yellow');
    const june = stateOf(events, '2026-06-30');
    expect(june.state).toBe('orange');
    expect(june.cards.map((c) => c.id)).toEqual(['y1', 'o1', 'y2']);
    expect(unitCardStates(events, '2026-06-30', DEFAULT_SETTINGS).map((s) => [s.unit, s.state])).toEqual([
      ['县水利局', 'yellow'],
      ['县住建局', 'orange'],
    ]);
  });

  it('R13: a recorded red card keeps the unit red for the rest of its year', () => {
    const events: UnitEvent[] = [{ type: 'card', unit: U, color: 'red', date: '2026-03-05' }];
    expect(stateOf(events, '2026-12-31').state).toBe('red');
    expect(stateOf(events, '2027-01-01').state).toBe('none');
  });

  it('R11: the rectification deadline is 10 working days after the orange card, over holidays and 调休', () => {
    const cal = makeCalendar();
    // 23, 24, 28, 29, 30 Sep, 8, 9, 10 (调休 Saturday), 12, 13 Oct.
    expect(rectificationDeadline('2026-09-22', cal, DEFAULT_SETTINGS)).toBe('2026-10-13');
    expect(rectificationDeadline('2026-09-22', cal, makeSettings({ rectificationWorkingDays: 5 }))).toBe(
      '2026-09-30',
    );
  });

  it('R11: a passed deadline without a rectification report is flagged every day until the report arrives', () => {
    const cal = makeCalendar();
    const events: UnitEvent[] = [{ type: 'card', unit: U, color: 'orange', date: '2026-09-22', id: 'o1' }];
    expect(stateOf(events, '2026-10-13')).toMatchObject({
      rectifyBy: '2026-10-13',
      rectificationOverdue: false,
    });
    expect(overdueRectifications(events, '2026-10-13', cal, DEFAULT_SETTINGS)).toEqual([]);
    for (const d of eachDate('2026-10-14', '2026-10-19')) {
      expect(overdueRectifications(events, d, cal, DEFAULT_SETTINGS), d).toEqual([
        { unit: U, cardId: 'o1', cardDate: '2026-09-22', rectifyBy: '2026-10-13' },
      ]);
      expect(stateOf(events, d).rectificationOverdue).toBe(true);
    }
    events.push({ type: 'rectification', unit: U, cardId: 'o1', date: '2026-10-20', note: '整改报告已报送' });
    expect(overdueRectifications(events, '2026-10-19', cal, DEFAULT_SETTINGS)).toHaveLength(1);
    expect(overdueRectifications(events, '2026-10-20', cal, DEFAULT_SETTINGS)).toEqual([]);
    const after = stateOf(events, '2026-10-20');
    expect(after).toMatchObject({ rectifyBy: null, rectificationOverdue: false, state: 'orange' });
  });

  it('R11: an overdue rectification stays flagged across the year end', () => {
    const cal = makeCalendar();
    const events: UnitEvent[] = [{ type: 'card', unit: U, color: 'orange', date: '2026-12-15', id: 'o9' }];
    expect(overdueRectifications(events, '2027-02-01', cal, DEFAULT_SETTINGS).map((o) => o.cardId)).toEqual([
      'o9',
    ]);
    expect(stateOf(events, '2027-02-01')).toMatchObject({ state: 'none', rectificationOverdue: true });
  });

  it('R11: a card without an id is named by unit|color|date, and a rectification naming it resolves it', () => {
    const card = { type: 'card' as const, unit: U, color: 'orange' as const, date: '2026-03-02' };
    expect(cardKey(card)).toBe('县住建局|orange|2026-03-02');
    const events: UnitEvent[] = [
      card,
      { type: 'rectification', unit: U, cardId: cardKey(card), date: '2026-03-10' },
    ];
    expect(overdueRectifications(events, '2026-06-01', makeCalendar(), DEFAULT_SETTINGS)).toEqual([]);
  });

  it('R8: cards are never dropped from the record — a rectified or superseded card is still listed', () => {
    const events: UnitEvent[] = [
      { type: 'card', unit: U, color: 'yellow', date: '2026-02-03', id: 'y1' },
      { type: 'card', unit: U, color: 'orange', date: '2026-03-03', id: 'o1' },
      { type: 'rectification', unit: U, cardId: 'o1', date: '2026-03-10' },
      { type: 'interview', unit: U, date: '2026-03-05' },
      { type: 'interview', unit: U, date: '2026-07-05' },
      { type: 'card', unit: U, color: 'red', date: '2026-07-05', id: 'r1' },
    ];
    const s = stateOf(events, '2026-08-01');
    expect(s.state).toBe('red');
    expect(s.cards.map((c) => c.id)).toEqual(['y1', 'o1', 'r1']);
  });

  it('R12: events after asOf are ignored, and interviews outside the window do not count', () => {
    const events: UnitEvent[] = [
      { type: 'interview', unit: U, date: '2025-12-31' },
      { type: 'interview', unit: U, date: '2026-01-01' },
      { type: 'interview', unit: U, date: '2026-12-01' },
    ];
    expect(stateOf(events, '2026-11-30')).toMatchObject({ state: 'none', interviews: 1 });
    expect(stateOf(events, '2026-12-01')).toMatchObject({ state: 'red', interviews: 2 });
  });
});
