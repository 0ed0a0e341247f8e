// R8 (cards belong to a lead unit and are never deleted), R11 (rectification deadline after an orange
// card), R12 (red is derived from interviews, not judged), R13 (a unit's state is its most severe card
// of the current year).
import type { CardEvent, CardState, InterviewEvent, IsoDate, UnitEvent } from '../model.js';
import type { Settings } from '../settings.js';
import { makeCalendar, type WorkCalendar } from '../calendar.js';
import { addDays, addYears, yearOf } from '../dates.js';

export interface UnitCardState {
  unit: string;
  state: CardState;
  /** Interviews within the red window ending at asOf (R12). */
  interviews: number;
  /** True when the interviews alone make the unit red, whether or not a red card was recorded. */
  redByInterviews: boolean;
  /** The unit's cards of asOf's calendar year (dated on or before asOf), oldest first. */
  cards: CardEvent[];
  /** The earliest rectification deadline of the unit's orange cards still awaiting a rectification report. */
  rectifyBy: IsoDate | null;
  /** True when some orange card's deadline has passed (before asOf) without a rectification report (R11). */
  rectificationOverdue: boolean;
}

const SEVERITY: Record<CardState, number> = { none: 0, yellow: 1, orange: 2, red: 3 };

export function moreSevere(a: CardState, b: CardState): CardState {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/**
 * The id a card is known by: its recorded id, else `${unit}|${color}|${date}` (a minimal exported
 * history may carry cards without ids; a rectification then names the card by this key).
 */
export function cardKey(card: CardEvent): string {
  return card.id ?? `${card.unit}|${card.color}|${card.date}`;
}

/**
 * R12's rolling window starting on `start`: one calendar year ([default], rollingWindowDays null: up
 * to the day before the same date a year later, so 2028-01-01 … 2028-12-31 across a 29 Feb), or
 * rollingWindowDays days; inclusive.
 */
function rollingEnd(start: IsoDate, settings: Settings): IsoDate {
  const days = settings.rollingWindowDays;
  return days === null ? addDays(addYears(start, 1), -1) : addDays(start, days - 1);
}

/**
 * R12's window ending on `asOf`: the calendar year of asOf (default), or the rolling window ending on
 * asOf — one year (the same date a year earlier + 1 day … asOf) or rollingWindowDays days, both ends
 * inclusive.
 */
export function redWindowStart(asOf: IsoDate, settings: Settings): IsoDate {
  if (settings.redWindow === 'calendar') return `${asOf.slice(0, 4)}-01-01`;
  const days = settings.rollingWindowDays;
  return days === null ? addDays(addYears(asOf, -1), 1) : addDays(asOf, -(days - 1));
}

/** R12's window in words, for the clerk: 同一自然年, 滚动一年 or 滚动N天. */
export function redWindowLabel(settings: Settings): string {
  if (settings.redWindow === 'calendar') return '同一自然年';
  return settings.rollingWindowDays === null ? '滚动一年' : `滚动${settings.rollingWindowDays}天`;
}

/** Interviews of one unit in the window ending on asOf; the same interview recorded twice (same id) counts once. */
function interviewsInWindow(events: UnitEvent[], unit: string, asOf: IsoDate, settings: Settings): number {
  const start = redWindowStart(asOf, settings);
  const seen = new Set<string>();
  let n = 0;
  for (const e of events) {
    if (e.type !== 'interview' || e.unit !== unit || e.date < start || e.date > asOf) continue;
    if (e.id !== undefined) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
    }
    n++;
  }
  return n;
}

/** R11: the rectification deadline, settings.rectificationWorkingDays (10) working days after the orange card's date. */
export function rectificationDeadline(
  orangeDate: IsoDate,
  calendar: WorkCalendar,
  settings: Settings,
): IsoDate {
  return calendar.addWorkingDays(orangeDate, settings.rectificationWorkingDays);
}

/**
 * R12: whether, once `interview` is recorded, the unit has settings.redInterviewCount interviews
 * (「两次以上」 includes two) within one window holding the interview — the same calendar year, or (rolling)
 * some one-year (or rollingWindowDays) span around it. Then the unit is red at once. A backdated interview
 * that becomes the second of its year counts too; the same interview recorded again (same id) does not.
 * Also true for a third interview: whether a red card already exists is for the caller to check.
 */
export function interviewMakesRed(
  priorEvents: UnitEvent[],
  interview: InterviewEvent,
  settings: Settings,
): boolean {
  const need = settings.redInterviewCount;
  const seen = new Set<string>(interview.id === undefined ? [] : [interview.id]);
  const others: IsoDate[] = [];
  for (const e of priorEvents) {
    if (e.type !== 'interview' || e.unit !== interview.unit) continue;
    if (e.id !== undefined) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
    }
    others.push(e.date);
  }
  if (settings.redWindow === 'calendar') {
    const year = interview.date.slice(0, 4);
    return others.filter((d) => d.slice(0, 4) === year).length + 1 >= need;
  }
  // Rolling: try each window that holds the interview and starts on an interview's date.
  const starts = [...others.filter((d) => d <= interview.date && rollingEnd(d, settings) >= interview.date)];
  starts.push(interview.date);
  return starts.some((start) => {
    const end = rollingEnd(start, settings);
    return others.filter((d) => d >= start && d <= end).length + 1 >= need;
  });
}

export interface OverdueRectification {
  unit: string;
  cardId: string;
  cardDate: IsoDate;
  rectifyBy: IsoDate;
}

interface OpenRectification {
  unit: string;
  cardId: string;
  cardDate: IsoDate;
  rectifyBy: IsoDate;
}

/** Orange cards up to asOf with no rectification report (dated on or before asOf) naming them. */
function openRectifications(
  events: UnitEvent[],
  asOf: IsoDate,
  calendar: WorkCalendar,
  settings: Settings,
): OpenRectification[] {
  const rectified = new Set<string>();
  for (const e of events)
    if (e.type === 'rectification' && e.date <= asOf) rectified.add(`${e.unit}\u0000${e.cardId}`);
  const out: OpenRectification[] = [];
  for (const e of events) {
    if (e.type !== 'card' || e.color !== 'orange' || e.date > asOf) continue;
    const cardId = cardKey(e);
    if (rectified.has(`${e.unit}\u0000${cardId}`)) continue;
    out.push({
      unit: e.unit,
      cardId,
      cardDate: e.date,
      rectifyBy: rectificationDeadline(e.date, calendar, settings),
    });
  }
  return out;
}

/**
 * R11: orange cards whose rectification deadline has passed (rectifyBy < asOf) without a rectification
 * report. Flagged on every day until the report arrives, across year ends too.
 */
export function overdueRectifications(
  events: UnitEvent[],
  asOf: IsoDate,
  calendar: WorkCalendar,
  settings: Settings,
): OverdueRectification[] {
  return openRectifications(events, asOf, calendar, settings)
    .filter((o) => o.rectifyBy < asOf)
    .sort((a, b) =>
      a.rectifyBy < b.rectifyBy ? -1 : a.rectifyBy > b.rectifyBy ? 1 : a.unit.localeCompare(b.unit, 'zh-CN'),
    );
}

/**
 * R8, R11–R13: every unit named in the history, with its card state on `asOf`: the most severe card of
 * asOf's calendar year (or of `options.year`, for a report on a past year), and red whenever the interviews within the window reach redInterviewCount (red
 * is derived, so a history that lacks the red card event still gives red). Events after asOf are ignored.
 * Sorted by unit name (zh-CN).
 */
export function unitCardStates(
  events: UnitEvent[],
  asOf: IsoDate,
  settings: Settings,
  calendar: WorkCalendar = makeCalendar(settings),
  options: { year?: number } = {},
): UnitCardState[] {
  // A report on a past year (the Q4 round-up, due in January) looks at that year's cards and
  // interviews: up to its last day, or asOf if earlier. Rectification is judged as of asOf.
  const year = options.year ?? yearOf(asOf);
  const end = yearOf(asOf) > year ? `${year}-12-31` : asOf;
  const units = [...new Set(events.map((e) => e.unit))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const open = openRectifications(events, asOf, calendar, settings);
  return units.map((unit) => {
    const cards = events
      .filter(
        (e): e is CardEvent =>
          e.type === 'card' && e.unit === unit && e.date <= end && yearOf(e.date) === year,
      )
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const interviews = interviewsInWindow(events, unit, end, settings);
    const redByInterviews = interviews >= settings.redInterviewCount;
    let state: CardState = redByInterviews ? 'red' : 'none';
    for (const c of cards) state = moreSevere(state, c.color);
    const mine = open.filter((o) => o.unit === unit);
    const rectifyBy = mine.reduce<IsoDate | null>(
      (min, o) => (min === null || o.rectifyBy < min ? o.rectifyBy : min),
      null,
    );
    return {
      unit,
      state,
      interviews,
      redByInterviews,
      cards,
      rectifyBy,
      rectificationOverdue: mine.some((o) => o.rectifyBy < asOf),
    };
  });
}
