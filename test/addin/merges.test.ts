// R4: Excel's range.values and an xlsx reader must read the same ledger. Excel gives a merged value in
// the top-left cell only; exceljs gives it in every cell of the area. The add-in passes the sheet's
// merged areas (ExcelApi 1.13, read in the same sync as the values) to readLedger, so a unit merged
// over several sibling tasks is every one's lead unit in both.
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLedger } from '../../shared/ledger/index.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { readWorkbookSheets } from '../../functions/xlsx.js';
import { checkLedger, type CommandEnv } from '../../addin/src/commands/actions.js';
import { BackendError } from '../../addin/src/api/client.js';
import { readSheet, splitAreas } from '../../addin/src/excel/workbook.js';
import { viewLedger } from '../../addin/src/ledgerView.js';
import type { Mailbox, PaneRequest } from '../../addin/src/mailbox.js';
import {
  MAX_MERGED_AREAS,
  SimWorkbook,
  simulatedHost,
  type SimCell,
} from '../../playground/simulatedExcel.js';
import { generatedLedger } from './support/generatedLedger.js';

const tmp = mkdtempSync(join(tmpdir(), 'duban-merges-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Five tasks in B:M (the ledger does not start in column A); tasks 2, 3 and 4 (siblings, no parent
 * among them) share 牵头领导 and 牵头单位, merged over their three rows; task 5 has no deadline (a real R1).
 */
function siblingLedger(): { values: SimCell[][]; merges: string[]; origin: { row: number; column: number } } {
  const values = generatedLedger(5);
  for (const r of [4, 5]) {
    values[r]![4] = '';
    values[r]![5] = '';
  }
  values[3]![4] = '王副县长';
  values[3]![5] = '县财政局';
  values[6]![7] = '';
  // Sheet columns: B = 序号 … F = 牵头领导, G = 牵头单位, I = 完成时限; sheet rows 3–7 are tasks 1–5.
  return { values, merges: ['F4:F6', 'G4:G6'], origin: { row: 1, column: 1 } };
}

function excelShape(excelApi: string): SimWorkbook {
  const { values, merges, origin } = siblingLedger();
  const workbook = new SimWorkbook({ excelApi });
  workbook.addSheet('台账', values, origin);
  workbook.merge('台账', ...merges);
  return workbook;
}

/** The same ledger saved by exceljs and read back the way `duban` reads a file. */
async function xlsxShape(): Promise<SimCell[][]> {
  const { values, merges, origin } = siblingLedger();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  values.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v !== '' && v !== null) ws.getCell(origin.row + r, origin.column + c + 1).value = v;
    }),
  );
  for (const m of merges) ws.mergeCells(m);
  const file = join(tmp, 'siblings.xlsx');
  await wb.xlsx.writeFile(file);
  const [sheet] = await readWorkbookSheets(file);
  return sheet!.values as SimCell[][];
}

function offlineEnv(workbook: SimWorkbook, requests: PaneRequest[]): CommandEnv {
  const host = simulatedHost(workbook);
  const mailbox: Mailbox = {
    report: (s) => ({ id: '0', at: '', ...s }),
    ask: (r) => void requests.push(r),
  };
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

const essentials = (t: {
  row: number;
  no: string | null;
  leadLeader: string | null;
  leadUnit: string | null;
}) => ({
  row: t.row,
  no: t.no,
  leadLeader: t.leadLeader,
  leadUnit: t.leadUnit,
});

describe('merged cells read alike in Excel and in an xlsx file (R4)', () => {
  it('R4: 牵头领导/牵头单位 merged over three sibling tasks: no false R1 problem in the add-in, exactly as readLedger reads the exceljs shape, in the same 2 syncs', async () => {
    const workbook = excelShape('1.13');
    // Excel's shape: the merged value in the top-left cell only.
    expect(workbook.cell('台账', 'G5').value).toBe('');
    const requests: PaneRequest[] = [];
    const outcome = await checkLedger(offlineEnv(workbook, requests));
    expect(workbook.syncCount).toBe(2);
    expect(outcome.text).toBe('台账检查完成：5 项任务，发现 1 处不规范（已用浅红色标出）。');
    const problems = requests.find((r) => r.kind === 'problems');
    expect(
      problems && 'problems' in problems ? problems.problems.map((p) => `${p.column}${p.row}`) : [],
    ).toEqual(['I7']);
    expect(workbook.cell('台账', 'I7').fill).toBe('#FFC7CE');
    expect(workbook.cell('台账', 'G5').fill).toBeNull();

    const { excel, isSetSupported } = simulatedHost(workbook);
    const view = await excel.run(async (context) =>
      viewLedger(await readSheet(context, isSetSupported), DEFAULT_SETTINGS),
    );
    expect(view.read.merges).toEqual(["'台账'!F4:F6", "'台账'!G4:G6"]);
    const fromFile = readLedger(await xlsxShape(), { settings: DEFAULT_SETTINGS });
    expect(view.ledger.tasks.map(essentials)).toEqual(fromFile.tasks.map(essentials));
    expect(view.ledger.problems).toEqual(fromFile.problems);
    expect(view.ledger.tasks.slice(1, 4).map((t) => t.leadUnit)).toEqual([
      '县财政局',
      '县财政局',
      '县财政局',
    ]);
    expect(view.column('leadUnit')).toBe(6);
  });

  it('R4: below ExcelApi 1.13 the merged areas cannot be read; the reader infers parent→child merges only, so sibling merges show as R1 problems (the documented difference), and nothing else is asked of Excel', async () => {
    const workbook = excelShape('1.12');
    const requests: PaneRequest[] = [];
    await checkLedger(offlineEnv(workbook, requests));
    expect(workbook.syncCount).toBe(2);
    const problems = requests.find((r) => r.kind === 'problems');
    expect(
      problems && 'problems' in problems ? problems.problems.map((p) => `${p.column}${p.row}`) : [],
    ).toEqual(['F5', 'G5', 'F6', 'G6', 'I7']);
  });

  it(`R4: past ${MAX_MERGED_AREAS} merged areas Excel refuses to list them: the read is made again without them and the ledger still reads`, async () => {
    const rows = 600;
    const values = generatedLedger(rows);
    const workbook = new SimWorkbook({ excelApi: '1.13' });
    workbook.addSheet('台账', values);
    // A clerk's habit: 工作来源 merged pairwise down the sheet (300 areas), plus 牵头单位 likewise.
    const merges: string[] = [];
    for (let r = 3; r + 1 < rows + 3; r += 2) merges.push(`B${r}:B${r + 1}`, `F${r}:F${r + 1}`);
    workbook.merge('台账', ...merges);
    const { excel, isSetSupported } = simulatedHost(workbook);
    const view = await excel.run(async (context) =>
      viewLedger(await readSheet(context, isSetSupported), DEFAULT_SETTINGS),
    );
    expect(view.read.merges).toBeNull();
    expect(view.ledger.tasks).toHaveLength(rows);
    expect(workbook.syncCount).toBe(2);
  });

  it(`R4: a ledger past Excel on the web's 5 MB response and past ${MAX_MERGED_AREAS} merged areas still reads, in blocks of rows`, async () => {
    const rows = 12_000;
    const workbook = new SimWorkbook({ excelApi: '1.13' });
    workbook.addSheet('台账', generatedLedger(rows));
    const merges: string[] = [];
    for (let r = 3; r + 1 < 3 + 1200; r += 2) merges.push(`B${r}:B${r + 1}`);
    workbook.merge('台账', ...merges);
    const requests: PaneRequest[] = [];
    const outcome = await checkLedger(offlineEnv(workbook, requests));
    expect(outcome.text).toBe(`台账检查完成：${rows} 项任务，均规范。`);
  });

  it('R4: a RangeAreas address splits into its areas, a comma inside a quoted sheet name kept', () => {
    expect(splitAreas("台账!A1:L1,'重点,工作'!E7:E9, Sheet1!$B$2")).toEqual([
      '台账!A1:L1',
      "'重点,工作'!E7:E9",
      'Sheet1!$B$2',
    ]);
    expect(splitAreas('')).toEqual([]);
  });
});
