// R12: what recording an interview does to a unit's red card — decided here once, for the backend's
// 约谈登记 and anything else that records interviews. The caller only writes what this returns.
import type { InterviewEvent, IsoDate, UnitEvent } from '../model.js';
import type { Settings } from '../settings.js';
import { addDays, addYears } from '../dates.js';
import { interviewMakesRed } from './cards.js';

/** The red card an interview produces: its date, reason, the tasks cited and the interviews counted. */
export interface RedCardSpec {
  /** The day the unit became red: the day of the interview that reached the count (R12: "at once"). */
  date: IsoDate;
  reason: string;
  /** The tasks of the unit's yellow and orange cards in the window up to that day: what it was about. */
  taskIds: string[];
  /** The interviews of the window, in date order (the recorded one included). */
  interviewIds: string[];
}

/**
 * R12's window holding two dates: the same calendar year (default), or — rolling — both within one
 * year (or settings.rollingWindowDays days), ends inclusive.
 */
export function inOneRedWindow(a: IsoDate, b: IsoDate, settings: Settings): boolean {
  if (settings.redWindow === 'calendar') return a.slice(0, 4) === b.slice(0, 4);
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  const days = settings.rollingWindowDays;
  const end = days === null ? addDays(addYears(lo, 1), -1) : addDays(lo, days - 1);
  return hi <= end;
}

/**
 * R12: the red card recording `interview` issues, or null. Null when the interview does not make the
 * unit red (shared interviewMakesRed), and null when the unit already has a red card in a window that
 * holds the interview — whatever the order the interviews are recorded in: a third interview, or one
 * backdated before the red card, keeps the unit red with its one card and its one checklist (R20 counts
 * it once). `priorEvents` are the unit's events (cards and interviews) before this one.
 */
export function redCardFor(
  priorEvents: readonly UnitEvent[],
  interview: InterviewEvent & { id: string },
  settings: Settings,
): RedCardSpec | null {
  const unitEvents = priorEvents.filter((e) => e.unit === interview.unit);
  if (!interviewMakesRed(unitEvents, interview, settings)) return null;
  const alreadyRed = unitEvents.some(
    (e) => e.type === 'card' && e.color === 'red' && inOneRedWindow(e.date, interview.date, settings),
  );
  if (alreadyRed) return null;
  const seen = new Set<string>([interview.id]);
  const interviews: { id: string | null; date: IsoDate }[] = [{ id: interview.id, date: interview.date }];
  for (const e of unitEvents) {
    if (e.type !== 'interview' || !inOneRedWindow(e.date, interview.date, settings)) continue;
    if (e.id !== undefined) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
    }
    interviews.push({ id: e.id ?? null, date: e.date });
  }
  interviews.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const reached = interviews[Math.min(settings.redInterviewCount, interviews.length) - 1] ?? interviews[0]!;
  const date = reached.date < interview.date ? interview.date : reached.date;
  const taskIds = [
    ...new Set(
      unitEvents.flatMap((e) =>
        e.type === 'card' &&
        e.color !== 'red' &&
        e.date <= date &&
        inOneRedWindow(e.date, interview.date, settings)
          ? (e.taskIds ?? [])
          : [],
      ),
    ),
  ];
  return {
    date,
    reason: `${settings.redWindow === 'calendar' || settings.rollingWindowDays === null ? '一年内' : `${settings.rollingWindowDays}天内`}被约谈${settings.redInterviewCount}次以上`,
    taskIds,
    interviewIds: interviews.flatMap((i) => (i.id === null ? [] : [i.id])),
  };
}
