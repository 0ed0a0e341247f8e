// R6 (4★ 以旬保月、以月保季、以季保年: lagging against the time-proportional target) and R7 (5★ milestone slips).
import type { IsoDate, Milestone, Target } from '../model.js';
import type { Settings } from '../settings.js';
import { milestoneState } from './milestones.js';
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

export type TargetKind = 'cumulative' | 'level';

/** Where a target's kind came from (R6): written data, the office's level units, or the default setting. */
export type TargetKindSource = 'task' | 'unit' | 'default';

// A title naming a rate or a growth (参保率, 增长6%) suggests a level; it never decides one (R6).
const LEVEL_TITLE = /率|增长/;

/**
 * R6: a kind the title suggests ('level' for 率 or 增长 in it), for the clerk to confirm or set; null
 * when the title suggests nothing. Never used to judge: see `targetKindOf`.
 */
export function suggestTargetKind(title: string | null | undefined): TargetKind | null {
  return title && LEVEL_TITLE.test(title) ? 'level' : null;
}

/**
 * R6: whether a target accumulates over the year (1200 人: pro-rated) or is a level to hold (参保率95%:
 * the reported value is compared with the target itself), and why. It is data: the target's own
 * `kind` (written in the ledger, or set by the clerk) wins; else a unit in settings.levelUnits (%, ‰,
 * 个百分点) means level; else settings.targetKindDefault. The title never decides.
 */
export function targetKindOf(
  target: number | Target,
  settings: Settings,
): { kind: TargetKind; source: TargetKindSource } {
  if (typeof target !== 'number') {
    if (target.kind) return { kind: target.kind, source: 'task' };
    if (settings.levelUnits.includes(target.unit)) return { kind: 'level', source: 'unit' };
  }
  return { kind: settings.targetKindDefault, source: 'default' };
}

/** R6: the kind of a target (see `targetKindOf`); the title is accepted for callers but never decides. */
export function targetKind(
  target: number | Target,
  _title: string | null | undefined,
  settings: Settings,
): TargetKind {
  return targetKindOf(target, settings).kind;
}

export interface LaggingInput {
  target: number | Target | null | undefined;
  /** The task's title, when known: 率/增长 in it suggest a level to the clerk (never decide it). */
  title?: string | null;
  /** The value the unit last reported (cumulative for the year, or the level reached); null when nothing was reported. */
  reported: number | null | undefined;
  asOf: IsoDate;
  year: number;
  settings: Settings;
}

export interface LaggingJudgement {
  lagging: boolean;
  kind: TargetKind;
  /** Where the kind came from; with 'default', `suggested` is what the title suggests, if it differs. */
  kindSource: TargetKindSource;
  suggested: TargetKind | null;
  checkpoint: IsoDate;
  /** What should have been reached at the checkpoint: the pro-rata target, or (a level) the target itself. */
  expected: number;
}

/**
 * R6 in full: at the latest 旬 checkpoint, the expected value (pro-rata for a cumulative target, the
 * target itself for a level) and whether the reported value is below laggingThreshold of it. Null when
 * it cannot be judged: no target, nothing reported, or before the year's first checkpoint.
 */
export function judgeLagging(input: LaggingInput): LaggingJudgement | null {
  const { target, reported, asOf, year, settings } = input;
  if (target === null || target === undefined || reported === null || reported === undefined) return null;
  const checkpoint = latestCheckpoint(asOf, year);
  if (checkpoint === null) return null;
  const { kind, source } = targetKindOf(target, settings);
  const suggestion = source === 'default' ? suggestTargetKind(input.title) : null;
  const value = typeof target === 'number' ? target : target.value;
  const expected = kind === 'level' ? value : proRataTarget(value, checkpoint, year);
  return {
    lagging: reported < settings.laggingThreshold * expected,
    kind,
    kindSource: source,
    suggested: suggestion !== kind ? suggestion : null,
    checkpoint,
    expected,
  };
}

/**
 * R6: lagging = the reported value is below laggingThreshold (default 80%) of what was expected at the
 * latest 旬 checkpoint (see `judgeLagging`). No target or no reported value cannot be judged (not
 * lagging; a missing report is R9's late-report case instead).
 */
export function isLagging(input: LaggingInput): boolean {
  return judgeLagging(input)?.lagging ?? false;
}

/**
 * R6: the latest indicator value each task's unit reported on or before `asOf` (a back-dated run must
 * not see values from its future). Of two on the same day, the later in the list wins.
 */
export function latestReported(
  feedback: readonly { taskId: string; receivedOn: IsoDate; value?: number | null }[],
  asOf: IsoDate,
): Map<string, number> {
  const latest = new Map<string, { on: IsoDate; value: number }>();
  for (const f of feedback) {
    if (f.receivedOn > asOf || f.value === null || f.value === undefined) continue;
    const prev = latest.get(f.taskId);
    if (!prev || f.receivedOn >= prev.on) latest.set(f.taskId, { on: f.receivedOn, value: f.value });
  }
  return new Map([...latest].map(([id, v]) => [id, v.value]));
}

/** R7: milestones whose date has passed (date < asOf) and that were not done by asOf. */
export function milestoneSlips(milestones: Milestone[], asOf: IsoDate): Milestone[] {
  return milestones.filter((m) => milestoneState(m, asOf) === 'slipped');
}
