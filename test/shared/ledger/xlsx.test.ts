// The sample ledger through the Node adapter (functions/xlsx.ts), and the same sheet as Excel's
// range.values gives it: both must read the same (R4).
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { pickLedgerSheet, readWorkbookSheets, type SheetValues } from '../../../functions/xlsx.js';
import { readLedger, type CellValue } from '../../../shared/ledger/index.js';
import { LedgerTaskSchema, ProblemSchema } from '../../../shared/model.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/ledger-2026.xlsx', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'duban-ledger-'));

/** The fixture as Excel's range.values: merged value in the top-left cell only, '' elsewhere, dates as serials. */
async function excelRangeValues(file: string): Promise<CellValue[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0]!;
  const values: CellValue[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row: CellValue[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const cell = ws.getCell(r, c);
      if (cell.isMerged && cell.master.address !== cell.address) row.push('');
      else if (cell.value instanceof Date) row.push(Math.round(cell.value.getTime() / 86_400_000) + 25_569);
      else if (cell.value === null || cell.value === undefined) row.push('');
      else row.push(cell.value as CellValue);
    }
    values.push(row);
  }
  return values;
}

describe('the sample ledger (test/fixtures/ledger-2026.xlsx)', () => {
  let sheets: SheetValues[];
  beforeAll(async () => {
    sheets = await readWorkbookSheets(FIXTURE);
  });

  it('R4: every one of its 24 rows is accounted for with the right kind', () => {
    const sheet = pickLedgerSheet(sheets);
    expect(sheet.name).toBe('重点工作台账');
    expect(sheet.values).toHaveLength(24);
    const r = readLedger(sheet.values);
    expect([r.year, r.yearSource]).toEqual([2026, 'title']);
    expect(r.header.rows).toEqual([3]);
    const kind: Record<number, string> = { 1: 'title', 2: 'title', 3: 'header', 4: 'section', 11: 'section' };
    Object.assign(kind, { 16: 'section', 23: 'blank', 24: 'note' });
    expect(r.rows).toEqual(
      Array.from({ length: 24 }, (_, i) => ({ row: i + 1, kind: kind[i + 1] ?? 'task' })),
    );
    expect(r.tasks.map((t) => t.row)).toEqual([5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22]);
    for (const t of r.tasks) LedgerTaskSchema.parse(t);
  });

  it('R1: rows 20 (no 牵头领导, column E) and 21 (no 完成时限, column H) are reported, and are still tasks', () => {
    const r = readLedger(pickLedgerSheet(sheets).values);
    expect(r.problems).toEqual([
      { row: 20, column: 'E', rule: 'R1', message: '第20行E列（牵头领导）为空' },
      { row: 21, column: 'H', rule: 'R1', message: '第21行H列（完成时限）为空' },
    ]);
    for (const p of r.problems) ProblemSchema.parse(p);
    const byRow = new Map(r.tasks.map((t) => [t.row, t]));
    expect(byRow.get(20)).toMatchObject({ no: '12', leadLeader: null, leadUnit: '县住建局' });
    expect(byRow.get(21)).toMatchObject({ no: '13', deadline: { text: '', date: null, recurrence: null } });
  });

  it('R2, R4–R7: the tasks read as the office wrote them (serial dates, 3-1/3-2, stars, kinds, milestones, targets)', () => {
    const r = readLedger(pickLedgerSheet(sheets).values);
    const byNo = new Map(r.tasks.map((t) => [t.no, t]));
    expect(byNo.get('1')).toMatchObject({
      title: '地区生产总值增长6%以上',
      leadLeader: '王志刚',
      leadUnit: '县发改局',
      supportUnits: ['县统计局', '县工信局', '各乡（镇）人民政府'],
      deadline: { text: '2026-12-31', date: '2026-12-31', recurrence: null },
      category: 'indicator',
      stars: 4,
      suggestedStars: 4,
      target: { value: 6, unit: '%' },
    });
    expect(byNo.get('2')).toMatchObject({
      stars: null,
      suggestedStars: 4,
      target: { value: 3.2, unit: '亿元' },
    });
    expect(byNo.get('3-1')).toMatchObject({ parent: '3', deadline: { date: '2026-11-30' } });
    expect(byNo.get('3-2')).toMatchObject({
      parent: '3',
      deadline: { text: '每季度', date: null, recurrence: 'quarterly' },
      category: 'routine',
      stars: 3,
      supportUnits: [],
    });
    expect(byNo.get('4')!.deadline.date).toBe('2026-09-30');
    expect(byNo.get('5')!.milestones).toEqual([
      { date: '2026-03-31', text: '完成立项' },
      { date: '2026-05-31', text: '取得施工许可' },
      { date: '2026-06-30', text: '开工建设' },
      { date: '2026-10-31', text: '主体完工' },
    ]);
    expect(byNo.get('6')!.milestones.map((m) => m.date)).toEqual([
      '2026-04-30',
      '2026-05-15',
      '2026-09-30',
      '2026-10-15',
    ]);
    expect(byNo.get('7')).toMatchObject({ category: 'major', stars: null, suggestedStars: 5 });
    expect(byNo.get('10')!.deadline).toEqual({ text: '长期坚持', date: null, recurrence: 'ongoing' });
    expect(byNo.get('14')!.deadline.date).toBe('2026-08-20');
    expect(r.tasks.every((t) => t.parent === null || t.no?.startsWith('3-'))).toBe(true);
  });

  it('R4: the same sheet as Excel’s range.values (merged value top-left only, dates as serials) reads identically', async () => {
    const excel = await excelRangeValues(FIXTURE);
    const xlsx = pickLedgerSheet(sheets).values;
    // The two shapes really differ: merged title repeated vs. '' after the top-left cell.
    expect(xlsx[0]![5]).toBe(xlsx[0]![0]);
    expect(excel[0]![5]).toBe('');
    expect(excel[4]![7]).toBe(46387);
    expect(readLedger(excel)).toEqual(readLedger(xlsx));
    // and with the merged areas Excel reports (exceljs: worksheet.model.merges)
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(FIXTURE);
    const merges = wb.worksheets[0]!.model.merges;
    expect(merges).toContain('A4:L4');
    expect(readLedger(excel, { merges })).toEqual(readLedger(xlsx));
  });

  it('R4: firstRow maps a range that starts below the top of the sheet to sheet rows', () => {
    const values = pickLedgerSheet(sheets).values;
    const r = readLedger(values.slice(2), { firstRow: 3, year: 2026 });
    expect(r.rows[0]).toEqual({ row: 3, kind: 'header' });
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([
      [20, 'E'],
      [21, 'H'],
    ]);
  });
});

describe('functions/xlsx.ts', () => {
  it('R4: cell values convert to what range.values gives (dates → serials, rich text, formulas — a result of 0 or FALSE too —, hyperlinks, null → "")', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.getCell('A1').value = new Date(Date.UTC(2026, 5, 30));
    ws.getCell('B1').value = {
      richText: [{ text: '县财政局、' }, { font: { bold: true }, text: '县税务局' }],
    };
    ws.getCell('C1').value = { formula: '1+2', result: 3 };
    ws.getCell('D1').value = { text: '县发改局', hyperlink: 'https://example.org' };
    ws.getCell('E1').value = true;
    ws.getCell('F1').value = { formula: 'DATE(2026,12,31)', result: new Date(Date.UTC(2026, 11, 31)) };
    ws.getCell('H1').value = 'x';
    // A formula that comes to 0 or FALSE is 0 or FALSE, as in Excel (not an empty cell).
    ws.getCell('I1').value = { formula: 'A3-A3', result: 0 };
    ws.getCell('J1').value = { formula: '1>2', result: false };
    ws.getCell('A3').value = '最后一行';
    ws.getCell('A5').style = { font: { bold: true } }; // formatted but empty: not a used row
    const file = join(dir, 'values.xlsx');
    await wb.xlsx.writeFile(file);
    const [sheet] = await readWorkbookSheets(file);
    expect(sheet!.name).toBe('台账');
    expect(sheet!.values).toEqual([
      [46203, '县财政局、县税务局', 3, '县发改局', true, 46387, '', 'x', 0, false],
      ['', '', '', '', '', '', '', '', '', ''],
      ['最后一行', '', '', '', '', '', '', '', '', ''],
    ]);
  });

  it('R4: a missing file, a file that is not a workbook and an unknown sheet name give printable errors', async () => {
    await expect(readWorkbookSheets(join(dir, 'nope.xlsx'))).rejects.toThrow(/找不到文件.*nope\.xlsx/);
    const bad = join(dir, 'bad.xlsx');
    writeFileSync(bad, 'this is not a zip file');
    await expect(readWorkbookSheets(bad)).rejects.toThrow(/无法读取工作簿.*bad\.xlsx/);
    const sheets = await readWorkbookSheets(FIXTURE);
    expect(() => pickLedgerSheet(sheets, '台账2025')).toThrow(
      '工作簿中没有名为“台账2025”的工作表（现有：重点工作台账）',
    );
    expect(pickLedgerSheet(sheets, ' 重点工作台账 ').name).toBe('重点工作台账');
    expect(() => pickLedgerSheet([])).toThrow(/没有工作表/);
  });

  it('R4: without a name, the sheet whose header matches best is the ledger', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRows([['填表说明'], ['1. 每月25日前更新进展。']]);
    wb.addWorksheet('汇总').addRows([
      ['序号', '工作任务', '牵头单位'],
      ['1', '甲', '县发改局'],
    ]);
    wb.addWorksheet('台账').addRows([
      ['序号', '工作任务', '工作措施', '牵头领导', '牵头单位', '完成时限'],
      ['1', '甲', '措施', '王', '县发改局', '6月底前'],
    ]);
    const file = join(dir, 'three.xlsx');
    await wb.xlsx.writeFile(file);
    const sheets = await readWorkbookSheets(file);
    expect(sheets.map((s) => s.name)).toEqual(['说明', '汇总', '台账']);
    expect(pickLedgerSheet(sheets).name).toBe('台账');
    expect(pickLedgerSheet(sheets, '汇总').name).toBe('汇总');
  });
});
