import { describe, expect, it } from 'vitest';
import { decompositionProblems, effectiveClosed, openChildren } from '../../../shared/rules/decomposition.js';
import { readLedger } from '../../../shared/ledger/index.js';
import { HEADER, taskRow } from '../ledger/sheet.js';

const t = (row: number, no: string, parent: string | null, closed: boolean) => ({ row, no, parent, closed });

describe('R2: a parent is complete only when all its children are', () => {
  it('R2: 3 已完成 above an open 3-1 and an empty 3-2 is open, and the clerk is told which items are open', () => {
    const tasks = [t(3, '3', null, true), t(4, '3-1', '3', false), t(5, '3-2', '3', false)];
    expect([...effectiveClosed(tasks)].sort((a, b) => a[0] - b[0])).toEqual([
      [3, false],
      [4, false],
      [5, false],
    ]);
    expect(decompositionProblems(tasks, { letter: 'A', label: '序号' })).toEqual([
      {
        row: 3,
        column: 'A',
        rule: 'R2',
        message: '第3行A列（序号）“3”已销号，但其子任务“3-1”“3-2”未完成，按未销号处理',
      },
    ]);
    expect(openChildren(tasks, 3).map((c) => c.no)).toEqual(['3-1', '3-2']);
  });

  it('R2: a parent with an empty status closes with its last item; grandchildren count; one marked 推进中 waits for the office', () => {
    const blank = (row: number, no: string, parent: string | null) => ({
      ...t(row, no, parent, false),
      statusBlank: true,
    });
    const tasks = [
      blank(2, '3', null),
      t(3, '3-1', '3', true),
      blank(4, '3-2', '3'),
      t(5, '3-2-1', '3-2', true),
      blank(6, '4', null),
      t(7, '5', null, false),
      t(8, '5-1', '5', true),
    ];
    const closed = effectiveClosed(tasks);
    expect([closed.get(2), closed.get(4), closed.get(6), closed.get(7)]).toEqual([true, true, false, false]);
    expect(decompositionProblems(tasks)).toEqual([]);
    expect(openChildren(tasks, 2)).toEqual([]);
  });

  it('R2: numbers restarting after a section: an item belongs to the nearest task above with its parent number', () => {
    const tasks = [t(2, '1', null, true), t(4, '1', null, false), t(5, '1-1', '1', false)];
    const closed = effectiveClosed(tasks);
    expect([closed.get(2), closed.get(4)]).toEqual([true, false]);
  });

  it('R2: readLedger applies the roll-up in both directions and reports the closed parent with open items', () => {
    const header = [...HEADER, '状态'];
    const r = readLedger(
      [
        header,
        [...taskRow('3', '县城供热管网改造'), '已完成'],
        [...taskRow('3-1', '一期管网'), '未完成'],
        [...taskRow('3-2', '二期管网'), ''],
        [...taskRow('4', '老旧小区改造'), ''],
        [...taskRow('4-1', '东区'), '已销号'],
        [...taskRow('（2）', '西区'), '已完成'],
        [...taskRow('5', '农村公路'), '推进中'],
        [...taskRow('5-1', '县道'), '已完成'],
      ],
      { year: 2026 },
    );
    expect(r.tasks.map((x) => [x.no, x.closed])).toEqual([
      ['3', false],
      ['3-1', false],
      ['3-2', false],
      ['4', true],
      ['4-1', true],
      ['（2）', true],
      ['5', false],
      ['5-1', true],
    ]);
    expect(r.problems.filter((p) => p.rule === 'R2').map((p) => p.message)).toEqual([
      '第2行A列（序号）“3”已销号，但其子任务“3-1”“3-2”未完成，按未销号处理',
    ]);
  });
});
