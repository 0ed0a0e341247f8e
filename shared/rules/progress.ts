// R6 (4★ 以旬保月、以月保季、以季保年: lagging against the time-proportional target) and R7 (5★ milestone slips).
import type { IsoDate, Milestone, Target } from '../model.js';
import type { Settings } from '../settings.js';
import { daysBetween, daysInMonth, daysInYear, makeDate, monthNumberOf, yearOf } from '../dates.js';

/**
 * The share of the year elapsed at the end of `asOf`, by calendar day: 31 Dec → 1, 1 Jan → 1/365.
 * Before the year → 0, after it → 1. (By day, not by working day: the target is an annual one.)
 */
export function yearFraction(asOf: IsoDate, year: number): number {
  const elapsed = daysBetween(makeDate(year, 1, 1), asOf) + 1;
  return Math.min(1, Math.max(0, elapsed / daysInYear(year)));
}

/** R6: the pro-rata target at `asOf` = annual target × the elapsed fraction of the year. */
export function proRataTarget(target: number | Target, asOf: IsoDate, year: number): number {
  const value = typeof target === 'number' ? target : target.value;
  return value * yearFraction(asOf, year);
}

/** R6: the 旬 checkpoints of a month: the 10th, the 20th and the month's last day. */
export function tenDayCheckpoints(year: number, month: number): IsoDate[] {
  return [
    makeDate(year, month, 10),
    makeDate(year, month, 20),
    makeDate(year, month, daysInMonth(year, month)),
  ];
}

/**
 * The latest 旬 checkpoint on or before `asOf` within `year` (null before 10 Jan). Lagging is judged at
 * checkpoints, so between two checkpoints the last one passed is the one that counts.
 */
export function latestCheckpoint(asOf: IsoDate, year: number): IsoDate | null {
  if (yearOf(asOf) > year) return makeDate(year, 12, 31);
  if (yearOf(asOf) < year) return null;
  for (let m = monthNumberOf(asOf); m >= 1; m--) {
    const passed = tenDayCheckpoints(year, m).filter((c) => c <= asOf);
    const last = passed[passed.length - 1];
    if (last) return last;
  }
  return null;
}

export interface LaggingInput {
  target: number | Target | null | undefined;
  /** The value the unit last reported (cumulative for the year); null when nothing was reported. */
  reported: number | null | undefined;
  asOf: IsoDate;
  year: number;
  settings: Settings;
}

/**
 * R6: lagging = the reported value is below laggingThreshold (default 80%) of the pro-rata target at the
 * latest 旬 checkpoint. No target or no reported value cannot be judged (not lagging; a missing report is
 * R9's late-report case instead).
 */
export function isLagging({ target, reported, asOf, year, settings }: LaggingInput): boolean {
  if (target === null || target === undefined || reported === null || reported === undefined) return false;
  const checkpoint = latestCheckpoint(asOf, year);
  if (checkpoint === null) return false;
  const expected = proRataTarget(target, checkpoint, year);
  return reported < settings.laggingThreshold * expected;
}

/** R7: milestones whose date has passed (date < asOf) and that are not done. */
export function milestoneSlips(milestones: Milestone[], asOf: IsoDate): Milestone[] {
  return milestones.filter((m) => m.date !== null && m.date < asOf && m.done !== true);
}
