import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, makeSettings } from '../../../shared/settings.js';
import {
  isLagging,
  judgeLagging,
  latestReported,
  targetKind,
  targetKindOf,
  suggestTargetKind,
  latestCheckpoint,
  milestoneSlips,
  proRataTarget,
  tenDayCheckpoints,
} from '../../../shared/rules/progress.js';

describe('progress', () => {
  it('R6: the pro-rata target is the annual target times the elapsed share of the year, by day', () => {
    expect(proRataTarget(1200, '2026-12-31', 2026)).toBe(1200);
    expect(proRataTarget(365, '2026-01-01', 2026)).toBeCloseTo(1);
    expect(proRataTarget({ value: 730, unit: '人' }, '2026-07-02', 2026)).toBeCloseTo(366); // day 183 of 365
    expect(proRataTarget(366, '2028-02-29', 2028)).toBeCloseTo(60);
    expect(proRataTarget(1200, '2025-12-31', 2026)).toBe(0);
    expect(proRataTarget(1200, '2027-03-01', 2026)).toBe(1200);
  });

  it('R6: the 旬 checkpoints are the 10th, the 20th and the month’s last day', () => {
    expect(tenDayCheckpoints(2026, 2)).toEqual(['2026-02-10', '2026-02-20', '2026-02-28']);
    expect(tenDayCheckpoints(2028, 2)).toEqual(['2028-02-10', '2028-02-20', '2028-02-29']);
    expect(tenDayCheckpoints(2026, 7)).toEqual(['2026-07-10', '2026-07-20', '2026-07-31']);
    expect(latestCheckpoint('2026-03-15', 2026)).toBe('2026-03-10');
    expect(latestCheckpoint('2026-03-20', 2026)).toBe('2026-03-20');
    expect(latestCheckpoint('2026-03-05', 2026)).toBe('2026-02-28');
    expect(latestCheckpoint('2026-01-09', 2026)).toBeNull();
  });

  it('R6: lagging = reported below 80% of the pro-rata target at the latest 旬 checkpoint', () => {
    // 15 Mar → checkpoint 10 Mar = day 69: 1200 × 69/365 = 226.85; 80% of it = 181.48.
    const at = (reported: number, settings = DEFAULT_SETTINGS) =>
      isLagging({ target: { value: 1200, unit: '人' }, reported, asOf: '2026-03-15', year: 2026, settings });
    expect(at(181)).toBe(true);
    expect(at(181.5)).toBe(false);
    expect(at(0)).toBe(true);
    // The threshold is a setting.
    expect(at(181, makeSettings({ laggingThreshold: 0.5 }))).toBe(false);
    expect(at(200, makeSettings({ laggingThreshold: 1 }))).toBe(true);
  });

  it('R6: nothing is lagging before the first checkpoint, and without a target or a reported value', () => {
    const base = { asOf: '2026-01-08', year: 2026, settings: DEFAULT_SETTINGS };
    expect(isLagging({ ...base, target: 1200, reported: 0 })).toBe(false);
    expect(isLagging({ ...base, asOf: '2026-06-30', target: null, reported: 0 })).toBe(false);
    expect(isLagging({ ...base, asOf: '2026-06-30', target: 1200, reported: null })).toBe(false);
  });

  it('R7: a milestone is a slip the day after its date if not done', () => {
    const ms = [
      { date: '2026-03-31', text: '完成立项' },
      { date: '2026-06-30', text: '开工' },
      { date: '2026-02-28', text: '完成选址', done: true },
      { date: null, text: '适时竣工' },
    ];
    expect(milestoneSlips(ms, '2026-03-31')).toEqual([]);
    expect(milestoneSlips(ms, '2026-04-01')).toEqual([{ date: '2026-03-31', text: '完成立项' }]);
    expect(milestoneSlips(ms, '2026-07-01').map((m) => m.text)).toEqual(['完成立项', '开工']);
  });

  it('R6: a rate target (参保率至95%) is a level: 60% on 30 Jun is lagging (below 80% of 95), not pro-rated to 47.4', () => {
    const base = { asOf: '2026-06-30', year: 2026, settings: DEFAULT_SETTINGS };
    const rate = { value: 95, unit: '%' };
    expect(judgeLagging({ ...base, target: rate, title: '参保率至95%', reported: 60 })).toEqual({
      lagging: true,
      kind: 'level',
      kindSource: 'unit',
      suggested: null,
      checkpoint: '2026-06-30',
      expected: 95,
    });
    expect(isLagging({ ...base, target: rate, reported: 76 })).toBe(false);
    // 增长6%以上 on 31 Mar: 4% is lagging (below 4.8), though pro-rata would have asked for 1.48 only.
    const growth = { value: 6, unit: '%' };
    expect(isLagging({ ...base, asOf: '2026-03-31', target: growth, reported: 4 })).toBe(true);
    expect(isLagging({ ...base, asOf: '2026-03-31', target: growth, reported: 5 })).toBe(false);
    // A count stays cumulative: 500 人 of 1200 by 30 Jun (pro-rata 595.1, 80% = 476) is on track.
    expect(
      judgeLagging({
        ...base,
        target: { value: 1200, unit: '人' },
        title: '城镇新增就业1200人',
        reported: 500,
      }),
    ).toMatchObject({ lagging: false, kind: 'cumulative' });
  });

  it('R6: the kind is data — the target’s own kind (ledger or clerk) wins, then the level units, then the setting; the title never decides', () => {
    const s = DEFAULT_SETTINGS;
    expect(targetKind({ value: 6, unit: '%' }, null, s)).toBe('level');
    expect(targetKind({ value: 2, unit: '‰' }, null, s)).toBe('level');
    expect(targetKind({ value: 0.5, unit: '个百分点' }, null, s)).toBe('level');
    // 增长 or 率 in the title only suggests: 固定资产投资增长 3.2亿元 is cumulative unless the data says otherwise.
    expect(targetKind({ value: 3.2, unit: '亿元' }, '固定资产投资增长', s)).toBe('cumulative');
    expect(suggestTargetKind('固定资产投资增长')).toBe('level');
    expect(suggestTargetKind('完成固定资产投资')).toBeNull();
    expect(targetKind({ value: 3.2, unit: '亿元', kind: 'level' }, '完成固定资产投资', s)).toBe('level');
    expect(targetKind({ value: 6, unit: '%', kind: 'cumulative' }, '增长6%', s)).toBe('cumulative');
    expect(targetKind({ value: 6, unit: '%' }, null, makeSettings({ levelUnits: ['‰'] }))).toBe('cumulative');
    expect(targetKind(1200, null, s)).toBe('cumulative');
    expect(targetKind(1200, null, makeSettings({ targetKindDefault: 'level' }))).toBe('level');
    expect(targetKindOf({ value: 50, unit: '亿元' }, s)).toEqual({ kind: 'cumulative', source: 'default' });
  });

  it('R6: 社会消费品零售总额增长 50亿元, on track in March (13 of a pro-rata 12.3), is not called lagging for the word 增长', () => {
    const judged = judgeLagging({
      target: { value: 50, unit: '亿元' },
      title: '社会消费品零售总额稳定增长，全年50亿元',
      reported: 13,
      asOf: '2026-03-31',
      year: 2026,
      settings: DEFAULT_SETTINGS,
    });
    expect(judged).toMatchObject({
      lagging: false,
      kind: 'cumulative',
      kindSource: 'default',
      suggested: 'level',
    });
  });

  it('R6: the latest reported value as of a date ignores values received after it (a back-dated run)', () => {
    const fb = [
      { taskId: 'A', receivedOn: '2026-03-05', value: 100 },
      { taskId: 'A', receivedOn: '2026-04-05', value: 300 },
      { taskId: 'A', receivedOn: '2026-04-06', value: null },
      { taskId: 'B', receivedOn: '2026-04-07', value: 9 },
    ];
    expect([...latestReported(fb, '2026-03-31')]).toEqual([['A', 100]]);
    expect([...latestReported(fb, '2026-04-30')]).toEqual([
      ['A', 300],
      ['B', 9],
    ]);
  });
});
