// The one merges module of the ledger (R1, R4): A1 ranges as Excel and exceljs list them, the fill that
// makes Excel's top-left-only values read like an xlsx reader's, and the cells a merge hides from a write.
import { describe, expect, it } from 'vitest';
import {
  type CellValue,
  columnIndex,
  columnLetter,
  fillMerges,
  hiddenByMerge,
  parseArea,
  readLedger,
} from '../../../shared/ledger/index.js';

describe('A1 ranges', () => {
  it('R4: column letters and indexes are one base (A = 0), the inverse of each other up to XFD', () => {
    expect([columnIndex('A'), columnIndex('z'), columnIndex('AA'), columnIndex('XFD')]).toEqual([
      0, 25, 26, 16_383,
    ]);
    for (const c of [0, 1, 25, 26, 51, 52, 701, 702, 16_383]) expect(columnIndex(columnLetter(c))).toBe(c);
  });

  it('R4: an area reads alike with or without its sheet name, quotes or $ signs; rows stay sheet rows', () => {
    const area = { top: 7, left: 4, bottom: 9, right: 4 };
    expect(parseArea('E7:E9')).toEqual({ address: 'E7:E9', ...area });
    expect(parseArea("'台账 (2)'!E7:E9")).toEqual({ address: 'E7:E9', ...area });
    expect(parseArea('台账!$E$7:$E$9')).toEqual({ address: '$E$7:$E$9', ...area });
    expect(parseArea(' B3 ')).toEqual({ address: 'B3', top: 3, left: 1, bottom: 3, right: 1 });
  });

  it('R4: what is not an A1 area is no area (a whole column, a name, an R1C1 reference)', () => {
    for (const s of ['E:E', '3:3', '台账区域', 'R7C5:R9C5', 'E7:', '']) expect(parseArea(s), s).toBeNull();
  });
});

describe('filling merged areas', () => {
  // Sheet B2:D4: a unit merged down C2:C4, a heading merged across B4:D4 (values as Excel gives them).
  const excel = (): CellValue[][] => [
    ['1', '县财政局', '6月底前'],
    ['2', '', ''],
    ['三、民生', '', ''],
  ];

  it('R4: every cell of an area reads the top-left value, placed by the sheet origin of the values', () => {
    const values = excel();
    const filled = fillMerges(values, ['台账!C2:C3', 'B4:D4'], { row: 2, column: 1 });
    expect(filled).toEqual([
      ['1', '县财政局', '6月底前'],
      ['2', '县财政局', ''],
      ['三、民生', '三、民生', '三、民生'],
    ]);
    // The caller's arrays are not changed: Excel's values stay as Excel gave them.
    expect(values).toEqual(excel());
  });

  it('R1: a merge fills only empty cells, and an empty top-left fills nothing (no value made up)', () => {
    const values: CellValue[][] = [
      ['', '县财政局'],
      [null, '县税务局'],
    ];
    expect(fillMerges(values, ['A1:A2', 'B1:B2'], { row: 1, column: 0 })).toEqual(values);
  });

  it('R4: areas outside the values, or unreadable, are left alone; an area past the last row stops at it', () => {
    const filled = fillMerges(excel(), ['A1:A9', 'Z2:Z3', 'not-an-area', 'C3:C99'], { row: 2, column: 1 });
    expect(filled).toEqual([
      ['1', '县财政局', '6月底前'],
      ['2', '', ''],
      ['三、民生', '', ''],
    ]);
  });

  it('R1: the reader given the areas reads a merged lead unit as every row’s, and reports none missing', () => {
    const values: CellValue[][] = [
      ['友谊县2026年重点工作台账', '', '', '', '', ''],
      ['序号', '工作任务', '工作措施', '牵头领导', '牵头单位', '完成时限'],
      ['1', '新建学校两所', '选址', '王副县长', '县教育局', '6月底前'],
      ['2', '改造校舍十处', '招标', '', '', '9月底前'],
    ];
    // The sheet starts at B3: column E (index 4) is 牵头领导 and F is 牵头单位.
    const at = { firstRow: 3, firstColumn: 2 };
    const merged = readLedger(values, { ...at, merges: ["'台账'!E5:E6", 'F5:F6'] });
    expect(merged.tasks.map((t) => [t.leadLeader, t.leadUnit])).toEqual([
      ['王副县长', '县教育局'],
      ['王副县长', '县教育局'],
    ]);
    expect(merged.problems).toEqual([]);
    // Without the areas nothing is inherited (R1: no silent inheritance): the row and column are named.
    const unmerged = readLedger(values, at);
    expect(unmerged.problems.map((p) => [p.row, p.column, p.rule])).toEqual([
      [6, 'E', 'R1'],
      [6, 'F', 'R1'],
    ]);
  });
});

describe('cells a merge hides', () => {
  const merges = ['台账!E7:E9', 'B2:D2', 'K1'];

  it('R4: a cell below or beside an area’s top-left is hidden by that area, named without its sheet', () => {
    expect(hiddenByMerge(merges, 8, 4)).toBe('E7:E9');
    expect(hiddenByMerge(merges, 9, 4)).toBe('E7:E9');
    expect(hiddenByMerge(merges, 2, 3)).toBe('B2:D2');
  });

  it('R4: the top-left cell itself, cells outside every area and a one-cell area hide nothing', () => {
    expect(hiddenByMerge(merges, 7, 4)).toBeNull();
    expect(hiddenByMerge(merges, 10, 4)).toBeNull();
    expect(hiddenByMerge(merges, 8, 5)).toBeNull();
    expect(hiddenByMerge(merges, 1, 10)).toBeNull();
  });

  it('R4: with the areas unknown (a host below ExcelApi 1.13) no cell is said to be hidden', () => {
    expect(hiddenByMerge(null, 8, 4)).toBeNull();
  });
});
