// R7: when a 5★ milestone (节点) is done. Three sources say so: the ledger's own mark beside the
// milestone (✓, 已完成), the lead unit's feedback (its milestonesDone, with who and when) and the clerk's
// tick in the pane (with history). A slip is a milestone past its date and not done by then.
import type { IsoDate, Milestone, MilestoneSource } from '../model.js';

/** A milestone marked done (or, by the office, undone) outside the ledger: kept beside the task. */
export interface MilestoneMark {
  /** The milestone's text as the ledger reads it (the key: a milestone renamed in the ledger is new). */
  text: string;
  done: boolean;
  /** The CST date it was done (the feedback's day, or the date the clerk gives). */
  on: IsoDate;
  by: string;
  source: Exclude<MilestoneSource, 'ledger'>;
  /** When it was recorded (UTC), to order marks of the same day. */
  at: string;
}

/**
 * The milestones with what the marks say: the latest mark of each milestone (by its record instant)
 * decides, except that the ledger's own done mark is never undone by a mark (the ledger is the clerk's
 * record; to undo it, edit the ledger). Marks of milestones no longer in the ledger are ignored.
 */
export function applyMilestoneMarks(
  milestones: readonly Milestone[],
  marks: readonly MilestoneMark[],
): Milestone[] {
  if (marks.length === 0) return milestones.map((m) => ({ ...m }));
  const latest = new Map<string, MilestoneMark>();
  for (const mark of marks) {
    const prev = latest.get(mark.text);
    if (!prev || mark.at >= prev.at) latest.set(mark.text, mark);
  }
  return milestones.map((m) => {
    const mark = latest.get(m.text);
    if (!mark || m.doneSource === 'ledger') return { ...m };
    if (!mark.done) {
      const { done: _d, doneOn: _o, doneBy: _b, doneSource: _s, ...rest } = m;
      return rest;
    }
    return { ...m, done: true, doneOn: mark.on, doneBy: mark.by, doneSource: mark.source };
  });
}

/** R7: done by `asOf` (a milestone done later than a back-dated day was not done on it). */
export function milestoneDoneBy(m: Milestone, asOf: IsoDate): boolean {
  return m.done === true && (m.doneOn === null || m.doneOn === undefined || m.doneOn <= asOf);
}

export type MilestoneState = 'done' | 'slipped' | 'pending' | 'undated';

/** R7: a milestone's state on `asOf`: done; slipped (its date passed, not done); pending; or undated. */
export function milestoneState(m: Milestone, asOf: IsoDate): MilestoneState {
  if (milestoneDoneBy(m, asOf)) return 'done';
  if (m.date === null) return 'undated';
  return m.date < asOf ? 'slipped' : 'pending';
}

/** The milestone texts of `requested` that the task does not have (a unit's feedback must name real ones). */
export function unknownMilestones(milestones: readonly Milestone[], requested: readonly string[]): string[] {
  const texts = new Set(milestones.map((m) => m.text));
  return requested.filter((t) => !texts.has(t));
}
