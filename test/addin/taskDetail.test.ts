// 节点与指标 in the pane: a 5★ task's milestones (R7) and a 4★ target's kind (R6) in the clerk's words.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { milestoneLine, targetKindLine } from '../../addin/src/taskpane/taskDetail.js';

describe('节点与指标 (R6, R7)', () => {
  it('R7: a milestone done by the clerk says when, who and that the office ticked it; it can be unticked', () => {
    const line = milestoneLine(
      {
        date: '2026-04-30',
        text: '完成招标',
        done: true,
        doneOn: '2026-04-28',
        doneBy: '王督办',
        doneSource: 'office',
      },
      '2026-11-26',
    );
    expect(line).toEqual({
      text: '完成招标',
      when: '2026-04-30',
      done: true,
      state: '已完成（2026-04-28，王督办，督查室勾选）',
      locked: false,
    });
  });

  it('R7: a milestone the ledger marks done is shown as such and locked (edit the ledger to undo it)', () => {
    const line = milestoneLine(
      { date: '2026-03-31', text: '完成立项', done: true, doneSource: 'ledger' },
      '2026-11-26',
    );
    expect(line.state).toBe('已完成（台账标注）');
    expect(line.locked).toBe(true);
  });

  it('R7: past its date and not done is a slip; before its date it is pending; no date says so', () => {
    expect(milestoneLine({ date: '2026-05-15', text: '开工' }, '2026-11-26').state).toBe('已过期限未完成');
    expect(milestoneLine({ date: '2026-12-15', text: '试运行' }, '2026-11-26').state).toBe('未到期');
    const undated = milestoneLine({ date: null, text: '竣工验收' }, '2026-11-26');
    expect([undated.when, undated.state, undated.done]).toEqual(['未定期限', '未定期限', false]);
  });

  it('R6: the kind in force and where it comes from — the clerk, the ledger, the unit, the default', () => {
    const people = { value: 1200, unit: '人' };
    expect(targetKindLine({ ...people, kind: 'level' }, 'level', DEFAULT_SETTINGS).text).toBe(
      '现行：水平值（全年保持），来源：督查室设定',
    );
    expect(targetKindLine({ ...people, kind: 'level' }, null, DEFAULT_SETTINGS).text).toBe(
      '现行：水平值（全年保持），来源：台账写明',
    );
    expect(targetKindLine({ value: 95, unit: '%' }, null, DEFAULT_SETTINGS).text).toBe(
      '现行：水平值（全年保持），来源：按计量单位“%”',
    );
    expect(targetKindLine(people, null, DEFAULT_SETTINGS)).toEqual({
      kind: 'cumulative',
      text: '现行：累计值（按进度折算），来源：按设置默认',
    });
    // The office's default decides a target nobody classed: a level office-wide makes 人 a level too.
    expect(targetKindLine(people, null, { ...DEFAULT_SETTINGS, targetKindDefault: 'level' }).kind).toBe(
      'level',
    );
  });
});
