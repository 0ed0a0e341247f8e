// The Excel adapter on the simulated host (honest: unloaded reads throw, syncs counted, formulas
// interpreted as Excel does): read once, write once; text stays text; marks and colours (R1, R13).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { checkLedger, type CommandEnv } from '../../addin/src/commands/actions.js';
import { BackendError } from '../../addin/src/api/client.js';
import {
  MAX_BATCH_BYTES,
  readSheet,
  writePlan,
  parseAddress,
  type CellWrite,
} from '../../addin/src/excel/workbook.js';
import { PROBLEM_FILL, paintRows, rowsOfUnits, viewLedger } from '../../addin/src/ledgerView.js';
import { SAMPLE_HEADER } from '../support/sampleLayout.js';
import type { Mailbox, PaneRequest, Status } from '../../addin/src/mailbox.js';
import { SimWorkbook, simulatedHost, REQUEST_LIMIT_BYTES } from '../../playground/simulatedExcel.js';
import { fixtureSheet } from './support/fixture.js';
import { syncsForCommand } from './support/bench.js';
import { generatedLedger } from './support/generatedLedger.js';

function recordingMailbox() {
  const statuses: Status[] = [];
  const requests: PaneRequest[] = [];
  const mailbox: Mailbox = {
    report: (s) => {
      const full = { id: String(statuses.length), at: new Date().toISOString(), ...s };
      statuses.push(full);
      return full;
    },
    ask: (r) => void requests.push(r),
  };
  return { mailbox, statuses, requests };
}

async function fixtureWorkbook(excelApi = '1.13') {
  const { name, values, merges } = await fixtureSheet();
  const workbook = new SimWorkbook({ excelApi });
  workbook.addSheet(name, values);
  workbook.merge(name, ...merges);
  return { workbook, name };
}

function offlineEnv(workbook: SimWorkbook, mailbox: Mailbox): CommandEnv {
  const host = simulatedHost(workbook);
  return {
    excel: host.excel,
    isSetSupported: host.isSetSupported,
    api: () => {
      throw new BackendError('config', '尚未设置督办后台地址');
    },
    prefs: () => ({ backendUrl: '', functionKey: '', clerk: '张三', ledgerId: '' }),
    settings: DEFAULT_SETTINGS,
    today: () => '2026-03-20',
    mailbox,
  };
}

describe('the simulated host is honest', () => {
  it('throws on reading a property that was not loaded, or loaded but not yet synced', async () => {
    const { workbook } = await fixtureWorkbook();
    const { excel } = simulatedHost(workbook);
    await excel.run(async (context) => {
      const range = context.workbook.worksheets.getActiveWorksheet().getRange('A1:C3');
      expect(() => range.values).toThrow(/PropertyNotLoaded/);
      range.load('values');
      expect(() => range.values).toThrow(/PropertyNotLoaded/);
      await context.sync();
      expect(range.values[2]).toEqual(['序号', '工作来源', '工作任务']);
      expect(() => range.address).toThrow(/PropertyNotLoaded/);
    });
    expect(workbook.syncCount).toBe(1);
  });

  it('reads a string with a leading = as a formula when the cell is not formatted as text, as Excel does', async () => {
    const workbook = new SimWorkbook();
    workbook.addSheet('S', [['x']]);
    const { excel } = simulatedHost(workbook);
    await excel.run(async (context) => {
      context.workbook.worksheets.getItem('S').getRange('A2:A3').values = [['=1+2'], ['0012']];
      await context.sync();
    });
    expect(workbook.cell('S', 'A2')).toMatchObject({ value: 3, formula: '=1+2' });
    expect(workbook.cell('S', 'A3').value).toBe(12);
  });

  it('rejects a request over 5 MB, as Excel on the web does', async () => {
    const workbook = new SimWorkbook();
    workbook.addSheet('S', [['x']]);
    const { excel } = simulatedHost(workbook);
    const big = 'x'.repeat(1000);
    await expect(
      excel.run(async (context) => {
        context.workbook.worksheets.getItem('S').getRange('A1:A6000').values = Array.from(
          { length: 6000 },
          () => [big],
        );
        await context.sync();
      }),
    ).rejects.toThrow(/RequestPayloadSizeLimitExceeded/);
  });
});

describe('the Excel adapter', () => {
  it('writes text from outside as text: a leading = + - @ never becomes a formula', async () => {
    const workbook = new SimWorkbook();
    workbook.addSheet('台账', [['督办编号', '反馈']]);
    const { excel, isSetSupported } = simulatedHost(workbook);
    const texts = [
      '=HYPERLINK("http://evil","点我")',
      '+8613800000000',
      '-已完成60%',
      '@县财政局',
      '=1+2',
      '正常文本',
    ];
    const cells: CellWrite[] = texts.map((value, i) => ({ row: i + 2, column: 1, value }));
    await excel.run(async (context) => {
      await writePlan(context, isSetSupported, '台账', { cells, fills: [] });
    });
    texts.forEach((text, i) => {
      const cell = workbook.cell('台账', `B${i + 2}`);
      expect(cell.formula).toBeNull();
      expect(cell.value).toBe(text);
    });
    expect(workbook.cell('台账', 'B2').numberFormat).toBe('@');
    expect(workbook.cell('台账', 'B7').numberFormat).toBe('General');
  });

  it('suspends screen updating (1.9) during the write but never calculation: the workbook’s formulas are not left stale', async () => {
    for (const api of ['1.8', '1.9']) {
      const workbook = new SimWorkbook({ excelApi: api });
      workbook.addSheet('S', [['a']]);
      const { excel, isSetSupported } = simulatedHost(workbook);
      await excel.run((context) =>
        writePlan(context, isSetSupported, 'S', { cells: [{ row: 2, column: 0, value: 'b' }], fills: [] }),
      );
      expect(workbook.suspendedCalculation).toBe(0);
      expect(workbook.staleFormulas).toBe(false);
      expect(workbook.suspendedScreenUpdating).toBe(api === '1.9' ? 1 : 0);
    }
  });

  it('splits a write into more syncs only past the 5 MB request limit, each request under it', async () => {
    const workbook = new SimWorkbook();
    workbook.addSheet('S', [['a']]);
    const { excel, isSetSupported } = simulatedHost(workbook);
    const long = '督'.repeat(400);
    const cells: CellWrite[] = [];
    for (let col = 0; col < 4; col++)
      for (let row = 1; row <= 3000; row++) cells.push({ row, column: col, value: long });
    const { syncs } = await excel.run((context) =>
      writePlan(context, isSetSupported, 'S', { cells, fills: [] }),
    );
    expect(syncs).toBeGreaterThan(1);
    // Sized in UTF-8 bytes (督 is 3 bytes): 4 × 3,000 × 400 × 3 ≈ 14.4 MB needs at least three requests.
    expect(syncs).toBeGreaterThanOrEqual(4);
    expect(workbook.requests.every((r) => r.bytes <= REQUEST_LIMIT_BYTES)).toBe(true);
    expect(MAX_BATCH_BYTES).toBeLessThan(REQUEST_LIMIT_BYTES);
    expect(workbook.cell('S', 'D3000').value).toBe(long);
  });

  it('reads a ledger too large for one 5 MB response in blocks of rows, every response under the limit', async () => {
    const workbook = new SimWorkbook({ excelApi: '1.12' });
    workbook.addSheet('台账', generatedLedger(12_000));
    const box = recordingMailbox();
    const outcome = await checkLedger(offlineEnv(workbook, box.mailbox));
    expect(outcome.text).toBe('台账检查完成：12000 项任务，均规范。');
    expect(workbook.requests[0]!.responseBytes).toBeGreaterThan(REQUEST_LIMIT_BYTES);
    expect(workbook.syncCount).toBeGreaterThan(2);
    expect(workbook.requests.slice(1).every((r) => (r.responseBytes ?? 0) <= REQUEST_LIMIT_BYTES)).toBe(true);
  });

  it('reads every area of a multi-area selection (ExcelApi 1.9) and ignores a selection on another sheet', async () => {
    const { workbook, name } = await fixtureWorkbook();
    workbook.addSheet('说明', [['x']]);
    workbook.select(name, 'A5:L5', 'A8:L9');
    const { excel, isSetSupported } = simulatedHost(workbook);
    const read = await excel.run((context) => readSheet(context, isSetSupported));
    expect(read.selectedRows).toEqual([5, 8, 9]);
    expect(parseAddress("'重点工作台账'!A5:L7")).toEqual({ sheet: '重点工作台账', firstRow: 5, lastRow: 7 });
    // Whole rows, whole columns, absolute references and quoted names, as Excel writes them.
    expect(parseAddress('Sheet1!6:8')).toEqual({ sheet: 'Sheet1', firstRow: 6, lastRow: 8 });
    expect(parseAddress("'台 账''s'!C:C")).toEqual({ sheet: "台 账's", firstRow: 1, lastRow: 1_048_576 });
    expect(parseAddress('Sheet1!$A$5:$L$7')).toEqual({ sheet: 'Sheet1', firstRow: 5, lastRow: 7 });
  });

  it('检查台账 marks the non-standard cells of the sample ledger (R1) in one read and one write, and lists them in the pane', async () => {
    const { workbook, name } = await fixtureWorkbook();
    const before = workbook.values(name);
    const box = recordingMailbox();
    const outcome = await checkLedger(offlineEnv(workbook, box.mailbox));
    expect(outcome.text).toContain('发现 2 处不规范');
    expect(workbook.syncCount).toBe(2);
    expect(workbook.cell(name, 'E20').fill).toBe(PROBLEM_FILL);
    expect(workbook.cell(name, 'H21').fill).toBe(PROBLEM_FILL);
    expect(workbook.cell(name, 'F20').fill).toBeNull();
    expect(workbook.cell(name, 'E19').fill).toBeNull();
    expect(workbook.values(name)).toEqual(before);
    const request = box.requests.find((r) => r.kind === 'problems');
    expect(request).toMatchObject({ kind: 'problems', sheetName: name });
    expect(
      request && 'problems' in request ? request.problems.map((p) => `${p.column}${p.row}`) : [],
    ).toEqual(['E20', 'H21']);
  });

  it('检查台账 clears its own mark once the cell is fixed (R1), and leaves a clerk’s own colours alone (R13)', async () => {
    const { workbook, name } = await fixtureWorkbook();
    const env = offlineEnv(workbook, recordingMailbox().mailbox);
    await checkLedger(env);
    // The clerk fills in the leader and paints a cell of her own.
    await simulatedHost(workbook).excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(name);
      sheet.getRange('E20').values = [['周明']];
      sheet.getRange('C19').format.fill.color = '#00B0F0';
      // Her own highlights in Excel's palette: the 'Bad' style and Gold, Accent 4, Lighter 40% — the
      // very colours of an R1 mark and a yellow card. The add-in did not paint them: they stay.
      sheet.getRange('D19').format.fill.color = PROBLEM_FILL;
      sheet.getRange('B18:C18').format.fill.color = DEFAULT_SETTINGS.cardColors.yellow;
      await context.sync();
    });
    const outcome = await checkLedger(env);
    expect(outcome.text).toContain('发现 1 处不规范');
    expect(workbook.cell(name, 'E20').fill).toBeNull();
    expect(workbook.cell(name, 'H21').fill).toBe(PROBLEM_FILL);
    expect(workbook.cell(name, 'C19').fill).toBe('#00B0F0');
    expect(workbook.cell(name, 'D19').fill).toBe(PROBLEM_FILL);
    expect(workbook.cell(name, 'B18').fill).toBe(DEFAULT_SETTINGS.cardColors.yellow);
    // What the add-in painted is recorded in the workbook (it travels with it): H21 now, not E20.
    const record = JSON.parse(String(workbook.settings.get('duban.painted'))) as Record<string, unknown>;
    expect(record[name]).toEqual({ '21': [[7, 7, PROBLEM_FILL]] });
  });

  it('colours a unit’s rows in its card colour from settings.cardColors and keeps the R1 mark on top (R13)', async () => {
    const { workbook, name } = await fixtureWorkbook();
    const { excel, isSetSupported } = simulatedHost(workbook);
    await excel.run(async (context) => {
      const read = await readSheet(context, isSetSupported);
      const view = viewLedger(read, DEFAULT_SETTINGS);
      const colors = { ...DEFAULT_SETTINGS.cardColors, orange: '#C55A11' };
      const fills = paintRows({
        view,
        rows: [13, 20],
        states: new Map([['县住建局', 'orange']]),
        problems: view.ledger.problems,
        colors,
      });
      await writePlan(context, isSetSupported, read.sheetName, { cells: [], fills });
    });
    expect(workbook.cell(name, 'A13').fill).toBe('#C55A11');
    expect(workbook.cell(name, 'L13').fill).toBe('#C55A11');
    expect(workbook.cell(name, 'D20').fill).toBe('#C55A11');
    expect(workbook.cell(name, 'E20').fill).toBe(PROBLEM_FILL);
    expect(workbook.cell(name, 'A12').fill).toBeNull();
    expect(workbook.syncCount).toBe(2);
  });

  it('R13: a jointly led task’s row (县发改局、县财政局) is painted in the most severe card colour of its lead units', async () => {
    const values = generatedLedger(2);
    const unitCol = SAMPLE_HEADER.indexOf('牵头单位');
    values[2]![unitCol] = '县发改局、县财政局';
    values[3]![unitCol] = '县商务局';
    const workbook = new SimWorkbook();
    workbook.addSheet('台账', values);
    const { excel, isSetSupported } = simulatedHost(workbook);
    await excel.run(async (context) => {
      const read = await readSheet(context, isSetSupported);
      const view = viewLedger(read, DEFAULT_SETTINGS);
      expect(view.taskAt(3)?.leadUnits).toEqual(['县发改局', '县财政局']);
      // Carding 县财政局 repaints its rows: the joint task's row is one of them.
      const rows = rowsOfUnits(view, ['县财政局']);
      expect(rows).toEqual([3]);
      const fills = paintRows({
        view,
        rows,
        states: new Map([
          ['县发改局', 'yellow'],
          ['县财政局', 'orange'],
        ]),
        problems: [],
        colors: DEFAULT_SETTINGS.cardColors,
      });
      await writePlan(context, isSetSupported, read.sheetName, { cells: [], fills });
    });
    expect(workbook.cell('台账', 'A3').fill).toBe(DEFAULT_SETTINGS.cardColors.orange);
    expect(workbook.cell('台账', 'A4').fill).toBeNull();
  });

  it('R22: a ledger whose title names no year takes the year of the clerk’s today (China time), not the machine’s clock', async () => {
    const values = generatedLedger(2);
    values[0] = ['重点工作落实“四个体系”台账'];
    const workbook = new SimWorkbook();
    workbook.addSheet('台账', values);
    const { excel, isSetSupported } = simulatedHost(workbook);
    const read = await excel.run((context) => readSheet(context, isSetSupported));
    for (const today of ['2027-01-05', '2025-12-31']) {
      const view = viewLedger(read, DEFAULT_SETTINGS, today);
      expect(view.ledger).toMatchObject({ year: Number(today.slice(0, 4)), yearSource: 'today' });
    }
  });

  it('a multi-area selection on ExcelApi 1.8 (Excel 2019): getSelectedRange throws as in Excel, the clerk reads what to do, nothing is written', async () => {
    const { workbook, name } = await fixtureWorkbook('1.8');
    workbook.select(name, 'A6:M6', 'A8:M9');
    const before = JSON.stringify(workbook.values(name));
    const outcome = await checkLedger(offlineEnv(workbook, recordingMailbox().mailbox));
    expect(outcome).toEqual({ level: 'error', text: 'Excel 2019 不支持多处选择，请选中连续的行后再试。' });
    // No retried reads: one sync, then the message.
    expect(workbook.syncCount).toBe(1);
    expect(JSON.stringify(workbook.values(name))).toBe(before);
    // From ExcelApi 1.9 the same selection reads, both areas.
    const newer = await fixtureWorkbook('1.9');
    newer.workbook.select(newer.name, 'A6:M6', 'A8:M9');
    const { excel, isSetSupported } = simulatedHost(newer.workbook);
    const read = await excel.run((context) => readSheet(context, isSetSupported));
    expect(read.selectedRows).toEqual([6, 8, 9]);
  });

  it('says plainly when the active sheet is not a ledger, and writes nothing', async () => {
    const workbook = new SimWorkbook();
    workbook.addSheet('说明', [['这是说明页'], ['没有表头']]);
    const outcome = await checkLedger(offlineEnv(workbook, recordingMailbox().mailbox));
    expect(outcome).toMatchObject({ level: 'error' });
    expect(outcome.text).toContain('没有找到台账表头');
    expect(workbook.syncCount).toBe(1);
  });
});

describe('syncs per command do not grow with the rows selected', () => {
  it.each([
    'checkLedger',
    'syncLedger',
    'starsByKind',
    'stars3',
    'stars4',
    'stars5',
    'yellowCard',
    'orangeCard',
    'closeTasks',
  ] as const)('%s: the same number of syncs (at most 2) for 1, 100 and 5,000 rows', async (command) => {
    const counts = [];
    for (const n of [1, 100, 5000]) {
      const r = await syncsForCommand(command, n);
      expect(r.level).toBe('success');
      counts.push(r.syncs);
    }
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeLessThanOrEqual(2);
  });
});
