// 台账体检 in the add-in on a township workbook (simulated Excel host, real backend on Azurite), R4:
// the sheet read and the ledger year are shown; a deadline column under an unknown name is mapped once
// by the clerk, kept in the workbook and the backend, and used by every later read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings.js';
import { DubanApi } from '../../addin/src/api/client.js';
import { checkLedger, mapColumns, syncLedger, type CommandEnv } from '../../addin/src/commands/actions.js';
import { COLUMN_MAP_SETTING } from '../../addin/src/excel/workbook.js';
import type { Mailbox, PaneRequest } from '../../addin/src/mailbox.js';
import { SimWorkbook, simulatedHost } from '../../playground/simulatedExcel.js';
import { startBackend, type Backend } from './support/backend.js';

const TODAY = '2026-03-20';
let backend: Backend;
let workbook: SimWorkbook;
const requests: PaneRequest[] = [];

function env(settings: Settings = DEFAULT_SETTINGS): CommandEnv {
  const host = simulatedHost(workbook);
  const mailbox: Mailbox = { report: (s) => ({ id: '', at: '', ...s }), ask: (r) => void requests.push(r) };
  return {
    excel: host.excel,
    isSetSupported: host.isSetSupported,
    api: () => new DubanApi({ url: backend.url, key: backend.key }),
    prefs: () => ({ backendUrl: backend.url, functionKey: backend.key, clerk: '王督办', ledgerId: '' }),
    settings,
    today: () => TODAY,
    mailbox,
  };
}

function lastProblems(): Extract<PaneRequest, { kind: 'problems' }> {
  const r = requests.filter((x) => x.kind === 'problems').at(-1);
  if (!r || r.kind !== 'problems') throw new Error('no problems request');
  return r;
}

const LEDGER = [
  ['城关镇二〇二六年重点工作任务台账', '', '', '', '', '', ''],
  ['序号', '工作任务', '牵头领导', '牵头单位', '工作措施', '最迟办结', '备注'],
  ['1', '老旧小区改造', '王志刚', '城关镇、县住建局', '分片推进。', '2026年6月30日', ''],
  ['2', '农贸市场提升', '李明', '城关镇', '按月调度。', '年底前', ''],
  ['填表人：李明', '', '联系电话：0000-1234567', '', '', '', ''],
];

beforeAll(async () => {
  backend = await startBackend('map');
  workbook = new SimWorkbook({ excelApi: '1.13' });
  workbook.addSheet('说明', [['本台账按乡镇分表。']]);
  workbook.addSheet('城关镇', LEDGER);
  workbook.addSheet('汇总', [['序号', '工作任务', '牵头单位']]);
  workbook.select('城关镇', 'A3');
});
afterAll(async () => {
  await backend?.close();
});

describe('R4: 台账体检 on a workbook of several sheets, with a header to map', () => {
  it('reads the active sheet, says so with the ledger year, and lists the header cells to map', async () => {
    const outcome = await checkLedger(env());
    expect(outcome.text).toMatch(/读取的是工作表“城关镇”（\d{4}年，/);
    const p = lastProblems();
    expect(p.sheetName).toBe('城关镇');
    expect(p.missing).toEqual(['deadline']);
    expect(p.unknown).toEqual([
      { column: 'F', label: '最迟办结' },
      { column: 'G', label: '备注' },
    ]);
    expect(p.problems[0]!.message).toContain(
      '如F列“最迟办结”就是完成时限，请在“台账体检”中把该列对应为“完成时限”',
    );
  });

  it('the clerk maps 最迟办结 → 完成时限: kept in the workbook and the backend, and the check is clean', async () => {
    const outcome = await mapColumns(env(), '城关镇', { 最迟办结: 'deadline' });
    expect(outcome.text).toContain('已保存表头对应：“最迟办结”→完成时限，并已保存到督办后台。');
    expect(JSON.parse(String(workbook.settings.get(COLUMN_MAP_SETTING)))).toEqual({
      城关镇: { 最迟办结: 'deadline' },
    });
    const stored = await new DubanApi({ url: backend.url, key: backend.key }).settings();
    expect(stored.columnMaps).toEqual({ 城关镇: { 最迟办结: 'deadline' } });
    expect(lastProblems().problems).toEqual([]);
    expect(lastProblems().missing).toEqual([]);
  });

  it('every later read uses it: 同步台账 sends both deadlines', async () => {
    const outcome = await syncLedger(env());
    expect(outcome.level).not.toBe('error');
    const res = await fetch(`${backend.url}/tasks?ledgerId=ledger-2026`, {
      headers: { 'x-functions-key': backend.key },
    });
    const body = (await res.json()) as { tasks: { task?: { deadline: { date: string | null } } }[] };
    expect(JSON.stringify(body.tasks)).toContain('"2026-06-30"');
    expect(JSON.stringify(body.tasks)).toContain('"2026-12-31"');
    expect(body.tasks).toHaveLength(2);
  });

  it('a copy of the workbook without the setting still reads with the backend’s mapping', async () => {
    workbook.settings.delete(COLUMN_MAP_SETTING);
    const settings = await new DubanApi({ url: backend.url, key: backend.key }).settings();
    await checkLedger(env(settings));
    expect(lastProblems().problems).toEqual([]);
  });

  it('the adapter asks Excel only for the sheet, never for the file: an .xls or .et workbook reads alike', async () => {
    // Office.js gives the add-in cells, not files; nothing in the adapter names a file format.
    const { readFileSync } = await import('node:fs');
    const { readdirSync } = await import('node:fs');
    for (const f of [
      ...readdirSync('addin/src/excel').map((name) => `addin/src/excel/${name}`),
      ...readdirSync('addin/src/commands').map((name) => `addin/src/commands/${name}`),
      'addin/src/ledgerView.ts',
    ]) {
      const src = readFileSync(f, 'utf8');
      expect(src, f).not.toMatch(/\.xlsx\b|exceljs|workbook\.name|getFilePropertiesAsync/);
    }
  });
});
