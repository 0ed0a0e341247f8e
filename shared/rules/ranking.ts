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
  /**
   * 1-based; units whose displayed scores are equal share a rank (并列: 1, 1, 3). Null for a unit with
   * nothing due in the period when settings.ranking.nothingDue is 'apart' (本期无到期任务，不参与排名).
   */
  rank: number | null;
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

/** Nothing fell due for the unit in the period: no feedback due and no task due. */
export function nothingDue(row: RankingInput): boolean {
  return row.feedbackDue <= 0 && row.tasksDue <= 0;
}

/** The tie rule as the report prints it under the ranking table. */
export const TIE_RULE = '得分相同的单位并列同一名次，并列单位按亮牌少者在前、再按单位名称排列';

/**
 * R20: units by score, highest first. Units whose scores are equal as printed (two decimals) share a
 * rank (并列: 1, 1, 3) and are listed with fewer cards first, then by name (zh-CN collation). A unit with
 * nothing due is listed after the ranked ones with rank null when settings.ranking.nothingDue is 'apart'
 * (default); 'ranked' ranks it with rateWhenNothingDue.
 */
export function rankUnits(rows: RankingInput[], settings: Settings): RankedUnit[] {
  const apart = settings.ranking.nothingDue === 'apart';
  const scored = rows.map((row) => {
    const score = unitScore(row, settings);
    return {
      ...row,
      score,
      scoreText: score.toFixed(2),
      rank: null as number | null,
      onTimeFeedbackRate: rate(row.feedbackOnTime, row.feedbackDue, settings),
      completionRate: rate(row.tasksDone, row.tasksDue, settings),
      cards: row.yellow + row.orange + row.red,
    };
  });
  const isApart = (r: RankingInput) => apart && nothingDue(r);
  scored.sort((a, b) => {
    if (isApart(a) !== isApart(b)) return isApart(a) ? 1 : -1;
    if (a.scoreText !== b.scoreText && Math.abs(a.score - b.score) > EPSILON) return b.score - a.score;
    if (a.cards !== b.cards) return a.cards - b.cards;
    return a.unit.localeCompare(b.unit, 'zh-CN');
  });
  let previous: (typeof scored)[number] | null = null;
  scored.forEach((r, i) => {
    if (isApart(r)) return;
    r.rank = previous && previous.scoreText === r.scoreText ? previous.rank : i + 1;
    previous = r;
  });
  return scored;
}
