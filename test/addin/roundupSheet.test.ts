// 督检汇总 in the workbook (R20, R21): the round-up written as a printable sheet with a chart, on the
// simulated Excel host that refuses what Excel refuses (sheet names, duplicates, page setup below 1.9).
import { describe, expect, it } from 'vitest';
import type { RoundupView } from '../../addin/src/api/client.js';
import { roundupSheetOf, writeRoundupToWorkbook } from '../../addin/src/commands/roundupSheet.js';
import { roundupSheetName, writeRoundupSheet } from '../../addin/src/excel/workbook.js';
import { SimWorkbook, simulatedHost } from '../../playground/simulatedExcel.js';

function unit(name: string, rank: number | null, score: number, cards: string[] = [], state = 'none') {
  return {
    unit: name,
    rank,
    score,
    scoreText: score.toFixed(2),
    state,
    overdue: [],
    lagging: [],
    cards: cards.map((color) => ({ color })),
  };
}

function view(units: ReturnType<typeof unit>[], period = '2026-Q1'): RoundupView {
  return { period, units, notice: null } as RoundupView;
}

const REPORT = view([
  unit('县发改局', 1, 96.5),
  unit('县交通局', 2, 88),
  unit('县住建局', 2, 88, ['yellow']),
  unit('县水利局', 4, 61.25, ['yellow', 'orange'], 'orange'),
  unit('县档案馆', null, 0),
]);

function workbook(excelApi = '1.13') {
  const wb = new SimWorkbook({ excelApi });
  wb.addSheet('台账', [
    ['序号', '任务'],
    [1, '修路'],
  ]);
  wb.select('台账', 'A2');
  return wb;
}

async function write(wb: SimWorkbook, v: RoundupView, replace = false) {
  const host = simulatedHost(wb);
  return writeRoundupToWorkbook(host, v, 'ledger-2026', '2026-04-03', replace);
}

describe('R21 round-up sheet in the workbook', () => {
  it('R21: writes 督检汇总2026Q1 with a title, the ranking under a header row, in two syncs', async () => {
    const wb = workbook();
    const before = wb.syncCount;
    const outcome = await write(wb, REPORT);
    expect(outcome.level).toBe('success');
    expect(outcome.text).toContain('督检汇总2026Q1');
    expect(wb.syncCount - before).toBe(2);
    const rows = wb.values('督检汇总2026Q1');
    expect(rows[0]![0]).toBe('督检汇总（2026年第一季度）');
    expect(wb.style('督检汇总2026Q1', 'A1')).toMatchObject({ bold: true, fontSize: 16 });
    expect(rows[2]).toEqual([
      '排名',
      '单位',
      '得分',
      '黄牌',
      '橙牌',
      '红牌',
      '逾期任务',
      '滞后任务',
      '当前亮牌',
    ]);
    expect(rows.slice(3).map((r) => [r[0], r[1], r[2], r[3], r[4], r[8]])).toEqual([
      [1, '县发改局', 96.5, 0, 0, '无'],
      [2, '县交通局', 88, 0, 0, '无'],
      [2, '县住建局', 88, 1, 0, '无'],
      [4, '县水利局', 61.25, 1, 1, '橙牌'],
      ['不参与排名', '县档案馆', 0, 0, 0, '无'],
    ]);
    expect(wb.cell('督检汇总2026Q1', 'C4').numberFormat).toBe('0.00');
    // The ledger is untouched and stays the active sheet, which the ribbon's commands read.
    expect(wb.values('台账')).toEqual([
      ['序号', '任务'],
      [1, '修路'],
    ]);
    expect(wb.sheets[wb.activeSheet]!.name).toBe('台账');
  });

  it('R20: the subtitle prints the tie rule and says which units are listed apart', async () => {
    const wb = workbook();
    await write(wb, REPORT);
    const subtitle = String(wb.values('督检汇总2026Q1')[1]![0]);
    expect(subtitle).toContain('并列');
    expect(subtitle).toContain('不参与排名');
  });

  it('R21: prints on A4 portrait with the header row repeated and 排名/得分/牌 wide enough not to wrap', async () => {
    const wb = workbook();
    await write(wb, REPORT);
    const sheet = wb.sheets.find((s) => s.name === '督检汇总2026Q1')!;
    expect(sheet.pageLayout).toMatchObject({
      paperSize: 'A4',
      orientation: 'Portrait',
      printTitleRows: '$3:$3',
    });
    const widths = [...sheet.columnWidths.entries()].sort((a, b) => a[0] - b[0]).map(([, w]) => w);
    // A CJK character at 11 pt is about 11 pt wide, plus the cell's padding: 2 characters need ≥ 30 pt,
    // 4 characters (逾期任务) ≥ 52 pt, and 61.25 in 0.00 format 5 digits ≈ 30 pt.
    expect(widths[0]).toBeGreaterThanOrEqual(30); // 排名
    expect(widths[2]).toBeGreaterThanOrEqual(40); // 得分
    for (const c of [3, 4, 5]) expect(widths[c]).toBeGreaterThanOrEqual(30); // 黄牌 橙牌 红牌
    for (const c of [6, 7, 8]) expect(widths[c]).toBeGreaterThanOrEqual(52);
    // The columns fit the printable width of A4 portrait (595 pt less two 36 pt margins).
    expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(595 - 72);
    expect(wb.style('督检汇总2026Q1', 'A4').wrapText).toBe(false);
  });

  it('R21: a clustered column chart of the scores and cards per unit sits under the table', async () => {
    const wb = workbook();
    await write(wb, REPORT);
    const [chart, ...more] = wb.charts('督检汇总2026Q1');
    expect(more).toEqual([]);
    expect(chart).toMatchObject({
      type: 'ColumnClustered',
      source: 'B3:F8',
      seriesBy: 'Columns',
      title: '各单位得分与亮牌',
      showValues: true,
    });
    expect(Number(/\d+/.exec(chart!.position!.from)![0])).toBeGreaterThan(8);
  });

  it('R21: re-running asks before replacing: nothing is written until the clerk says 替换', async () => {
    const wb = workbook();
    await write(wb, REPORT);
    wb.typeInto('督检汇总2026Q1', 'K1', '主任批示：已阅');
    const before = wb.syncCount;
    const again = await write(wb, view([unit('县发改局', 1, 70)]));
    expect(wb.syncCount - before).toBe(1);
    expect(again.exists).toBe('督检汇总2026Q1');
    expect(again.text).toContain('是否替换');
    expect(wb.cell('督检汇总2026Q1', 'K1').value).toBe('主任批示：已阅');
    expect(wb.values('督检汇总2026Q1')[3]![1]).toBe('县发改局');
    expect(wb.values('督检汇总2026Q1')[4]![1]).toBe('县交通局');

    const replaced = await write(wb, view([unit('县发改局', 1, 70)]), true);
    expect(replaced.level).toBe('success');
    expect(replaced.text).toContain('已替换');
    expect(wb.sheets.filter((s) => s.name === '督检汇总2026Q1')).toHaveLength(1);
    expect(wb.values('督检汇总2026Q1')).toHaveLength(4);
    expect(wb.cell('督检汇总2026Q1', 'K1').value).toBe('');
    expect(wb.charts('督检汇总2026Q1')).toHaveLength(1);
  });

  it('R21: a sheet the clerk named in other case counts as the same sheet', async () => {
    const wb = workbook();
    wb.addSheet('督检汇总2026q1', [['手工汇总']]);
    const outcome = await write(wb, REPORT);
    expect(outcome.exists).toBe('督检汇总2026q1');
    expect(wb.values('督检汇总2026q1')).toEqual([['手工汇总']]);
  });

  it('R21: monthly round-ups get their own sheet name, and the syncs do not grow with the units', async () => {
    expect(roundupSheetName('2026-03')).toBe('督检汇总2026年03月');
    for (const n of [1, 100, 2000]) {
      const wb = workbook();
      const units = Array.from({ length: n }, (_, i) => unit(`县第${i}局`, i + 1, 100 - i / 100));
      const host = simulatedHost(wb);
      const r = await writeRoundupSheet(
        host.excel,
        host.isSetSupported,
        roundupSheetOf(view(units, '2026-03'), 'l', '2026-04-01'),
        {
          replace: false,
        },
      );
      expect(r.syncs).toBe(2);
      expect(wb.syncCount).toBe(2);
      expect(wb.values('督检汇总2026年03月')).toHaveLength(3 + n);
    }
  });

  it('R21: a unit named like a formula stays text', async () => {
    const wb = workbook();
    await write(wb, view([unit('=HYPERLINK("x")', 1, 90)]));
    expect(wb.cell('督检汇总2026Q1', 'B4')).toMatchObject({ value: '=HYPERLINK("x")', formula: null });
  });

  it('R21: Excel below 2019 (ExcelApi 1.8) gets the sheet and chart without page setup, and is told so', async () => {
    const wb = workbook('1.8');
    const outcome = await write(wb, REPORT);
    expect(outcome.level).toBe('success');
    expect(outcome.text).toContain('页面布局');
    expect(wb.sheets.find((s) => s.name === '督检汇总2026Q1')!.pageLayout).toEqual({});
    expect(wb.charts('督检汇总2026Q1')).toHaveLength(1);
  });

  it('R21: an Excel refusal (a protected workbook) is reported in Chinese with the sheet name', async () => {
    const wb = workbook();
    const host = simulatedHost(wb);
    const failing = {
      ...host,
      excel: {
        run: () =>
          Promise.reject(Object.assign(new Error('AccessDenied: 工作簿受保护'), { code: 'AccessDenied' })),
      },
    };
    const r = await writeRoundupToWorkbook(failing, REPORT, 'l', '2026-04-03', false);
    expect(r.level).toBe('error');
    expect(r.text).toContain('未能写入工作表“督检汇总2026Q1”');
  });
});

describe('R21 the simulated Excel refuses sheet names Excel refuses', () => {
  async function add(wb: SimWorkbook, name: string) {
    const host = simulatedHost(wb);
    return host.excel.run(async (context) => {
      context.workbook.worksheets.add(name);
      await context.sync();
    });
  }

  it('R21: refuses a name over 31 characters and accepts one of exactly 31', async () => {
    const wb = workbook();
    await expect(add(wb, '督'.repeat(32))).rejects.toThrow(/InvalidArgument.*31/);
    await add(wb, '督'.repeat(31));
    expect(wb.sheets.map((s) => s.name)).toContain('督'.repeat(31));
  });

  it.each([':', '\\', '/', '?', '*', '[', ']'])('R21: refuses a name with %s', async (ch) => {
    const wb = workbook();
    await expect(add(wb, `督检${ch}汇总`)).rejects.toThrow(/InvalidArgument/);
    expect(wb.sheets).toHaveLength(1);
  });

  it('R21: refuses a duplicate name, case-insensitively, and a name ending in an apostrophe', async () => {
    const wb = workbook();
    wb.addSheet('Summary');
    await expect(add(wb, 'SUMMARY')).rejects.toThrow(/ItemAlreadyExists/);
    await expect(add(wb, '台账')).rejects.toThrow(/ItemAlreadyExists/);
    await expect(add(wb, "汇总'")).rejects.toThrow(/InvalidArgument/);
    expect(wb.sheets.map((s) => s.name)).toEqual(['台账', 'Summary']);
  });

  it('R21: refuses page setup below ExcelApi 1.9, deleting the last sheet, and an unknown chart type', async () => {
    const old = workbook('1.8');
    const host = simulatedHost(old);
    await expect(
      host.excel.run(async (context) => {
        context.workbook.worksheets.getItem('台账').pageLayout.paperSize = 'A4' as Excel.PaperType;
        await context.sync();
      }),
    ).rejects.toThrow(/ApiNotFound/);
    await expect(
      host.excel.run(async (context) => {
        context.workbook.worksheets.getItem('台账').delete();
        await context.sync();
      }),
    ).rejects.toThrow(/InvalidOperation/);
    await expect(
      host.excel.run(async (context) => {
        const sheet = context.workbook.worksheets.getItem('台账');
        sheet.charts.add(
          'Column3DFancy' as Excel.ChartType,
          sheet.getRange('A1:B2'),
          'Columns' as Excel.ChartSeriesBy,
        );
        await context.sync();
      }),
    ).rejects.toThrow(/InvalidArgument/);
    expect(old.sheets).toHaveLength(1);
  });
});
