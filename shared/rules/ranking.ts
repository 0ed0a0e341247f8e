// R20: 排名亮丑 — ranking the lead units.
import type { Settings } from '../settings.js';

export interface RankingInput {
  unit: string;
  /** Feedback that fell due in the period (reminders whose feedback due date has passed). */
  feedbackDue: number;
  /** Of those, feedback received by its due date. */
  feedbackOnTime: number;
  /** Tasks whose deadline fell due in the period. */
  tasksDue: number;
  /** Of those, tasks completed (closed). */
  tasksDone: number;
  /** Cards within the year. */
  yellow: number;
  orange: number;
  red: number;
}

export interface RankedUnit extends RankingInput {
  /** Full precision; round only for display (scoreText). */
  score: number;
  /** The score with 2 decimals, for display. */
  scoreText: string;
  rank: number;
  onTimeFeedbackRate: number;
  completionRate: number;
  cards: number;
}

/**
 * A rate; where nothing was due it is settings.ranking.rateWhenNothingDue ([default] 1: a unit is not
 * punished for having nothing due — the notice does not say).
 */
function rate(done: number, due: number, settings: Settings): number {
  if (due <= 0) return settings.ranking.rateWhenNothingDue;
  return Math.min(1, Math.max(0, done / due));
}

/** R20: the score of one unit, weights and penalties from settings.ranking. */
export function unitScore(row: RankingInput, settings: Settings): number {
  const w = settings.ranking;
  return (
    100 * rate(row.feedbackOnTime, row.feedbackDue, settings) * w.feedbackWeight +
    100 * rate(row.tasksDone, row.tasksDue, settings) * w.completionWeight -
    w.yellowPenalty * row.yellow -
    w.orangePenalty * row.orange -
    w.redPenalty * row.red
  );
}

const EPSILON = 1e-9;

/**
 * R20: units by score, highest first; ties (equal to 1e-9) broken by fewer cards, then by name
 * (zh-CN collation). Ranks are 1..n in that order, so no two units share a rank.
 */
export function rankUnits(rows: RankingInput[], settings: Settings): RankedUnit[] {
  const scored = rows.map((row) => {
    const score = unitScore(row, settings);
    return {
      ...row,
      score,
      scoreText: score.toFixed(2),
      rank: 0,
      onTimeFeedbackRate: rate(row.feedbackOnTime, row.feedbackDue, settings),
      completionRate: rate(row.tasksDone, row.tasksDue, settings),
      cards: row.yellow + row.orange + row.red,
    };
  });
  scored.sort((a, b) => {
    if (Math.abs(a.score - b.score) > EPSILON) return b.score - a.score;
    if (a.cards !== b.cards) return a.cards - b.cards;
    return a.unit.localeCompare(b.unit, 'zh-CN');
  });
  scored.forEach((r, i) => (r.rank = i + 1));
  return scored;
}
