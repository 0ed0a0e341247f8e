import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, makeSettings } from '../../../shared/settings.js';
import { TIE_RULE, rankUnits, unitScore, type RankingInput } from '../../../shared/rules/ranking.js';

const row = (unit: string, extra: Partial<RankingInput> = {}): RankingInput => ({
  unit,
  feedbackDue: 0,
  feedbackOnTime: 0,
  tasksDue: 0,
  tasksDone: 0,
  yellow: 0,
  orange: 0,
  red: 0,
  ...extra,
});

describe('ranking', () => {
  it('R20: score = 100 × on-time rate × 0.4 + 100 × completion rate × 0.6 − 2/yellow − 5/orange − 10/red', () => {
    expect(
      unitScore(
        row('A', { feedbackDue: 10, feedbackOnTime: 8, tasksDue: 4, tasksDone: 3, yellow: 1 }),
        DEFAULT_SETTINGS,
      ),
    ).toBeCloseTo(75);
    expect(
      unitScore(
        row('B', { feedbackDue: 4, feedbackOnTime: 4, tasksDue: 2, tasksDone: 0, orange: 1, red: 1 }),
        DEFAULT_SETTINGS,
      ),
    ).toBeCloseTo(25);
  });

  it('R20: a unit with nothing due is listed apart, unranked, after the units that delivered', () => {
    const ranked = rankUnits(
      [row('县档案馆'), row('县水利局', { tasksDue: 2, tasksDone: 2, feedbackDue: 2, feedbackOnTime: 1 })],
      DEFAULT_SETTINGS,
    );
    expect(ranked.map((r) => [r.unit, r.rank])).toEqual([
      ['县水利局', 1],
      ['县档案馆', null],
    ]);
  });

  it('R20: with nothingDue "ranked" (the older reading) a unit with nothing due is ranked, its rates counting as 1', () => {
    const [r] = rankUnits([row('县档案馆')], makeSettings({ ranking: { nothingDue: 'ranked' } }));
    expect(r).toMatchObject({ score: 100, onTimeFeedbackRate: 1, completionRate: 1, rank: 1 });
  });

  it('R20: the weights and penalties are settings', () => {
    const s = makeSettings({ ranking: { feedbackWeight: 0.5, completionWeight: 0.5, redPenalty: 20 } });
    expect(
      unitScore(row('A', { feedbackDue: 10, feedbackOnTime: 5, tasksDue: 1, tasksDone: 1, red: 1 }), s),
    ).toBeCloseTo(55);
  });

  it('R20: units rank by score, highest first; the score is kept exact and rounded to 2 decimals only for display', () => {
    const ranked = rankUnits(
      [
        row('县民政局', { feedbackDue: 3, feedbackOnTime: 2 }),
        row('县水利局', { tasksDue: 2, tasksDone: 1 }),
        row('县卫健委', { orange: 1, tasksDue: 1, tasksDone: 1 }),
      ],
      DEFAULT_SETTINGS,
    );
    expect(ranked.map((r) => [r.rank, r.unit, r.scoreText])).toEqual([
      [1, '县卫健委', '95.00'],
      [2, '县民政局', '86.67'],
      [3, '县水利局', '70.00'],
    ]);
    expect(ranked[1]!.score).toBeCloseTo(86.6666667, 6);
  });

  it('R20: tied scores share a rank (并列), listed with fewer cards first, then by name; the next rank skips', () => {
    const ranked = rankUnits(
      [
        row('县公安局', { yellow: 1, tasksDue: 1, tasksDone: 1 }), // 100 − 2 = 98, one card
        row('县教育局', { feedbackDue: 20, feedbackOnTime: 19 }), // 38 + 60 = 98, no card
        row('县财政局', { feedbackDue: 20, feedbackOnTime: 19 }), // same as 县教育局: by name, 财 (cai) before 教 (jiao)
        row('县林业局', { feedbackDue: 20, feedbackOnTime: 10 }), // 20 + 60 = 80
      ],
      DEFAULT_SETTINGS,
    );
    expect(ranked.map((r) => [r.rank, r.unit, r.scoreText, r.cards])).toEqual([
      [1, '县财政局', '98.00', 0],
      [1, '县教育局', '98.00', 0],
      [1, '县公安局', '98.00', 1],
      [4, '县林业局', '80.00', 0],
    ]);
  });

  it('R20: a unit with nothing due scores the full rate by default; the office may set that rate (e.g. 0.5)', () => {
    const idle = row('县档案馆');
    expect(unitScore(idle, DEFAULT_SETTINGS)).toBeCloseTo(100);
    expect(TIE_RULE).toContain('并列');
    expect(unitScore(idle, makeSettings({ ranking: { rateWhenNothingDue: 0.5 } }))).toBeCloseTo(50);
    expect(
      unitScore(
        row('X', { tasksDue: 2, tasksDone: 1 }),
        makeSettings({ ranking: { rateWhenNothingDue: 0 } }),
      ),
    ).toBeCloseTo(30);
  });
});
