// Feedback flows back into the ledger (R19): units answer through their signed links, and 同步台账 writes
// each task's latest answer into the 进展情况 column of the row with that 督办编号, as text, in the same
// two syncs; answers for a 督办编号 the ledger no longer has are reported, kept, and not lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { DubanApi, type ReceivedFeedback } from '../../addin/src/api/client.js';
import { dismissPendingFeedback, syncLedger, type CommandEnv } from '../../addin/src/commands/actions.js';
import {
  FEEDBACK_SETTING,
  OVERLAP_MS,
  PROGRESS_HEADER,
  askSince,
  cursorOf,
  feedbackCellText,
  planFeedback,
} from '../../addin/src/ledgerFeedback.js';
import { readSheet } from '../../addin/src/excel/workbook.js';
import { viewLedger } from '../../addin/src/ledgerView.js';
import type { Mailbox } from '../../addin/src/mailbox.js';
import { SimWorkbook, simulatedHost } from '../../playground/simulatedExcel.js';
import { fixtureSheet } from './support/fixture.js';
import { generatedLedger } from './support/generatedLedger.js';
import { clockFrom, startBackend, type Backend } from './support/backend.js';

let backend: Backend;
let workbook: SimWorkbook;
let sheet: string;

function env(): CommandEnv {
  const host = simulatedHost(workbook);
  const mailbox: Mailbox = { report: (s) => ({ id: '', at: '', ...s }), ask: () => undefined };
  return {
    excel: host.excel,
    isSetSupported: host.isSetSupported,
    api: () => new DubanApi({ url: backend.url, key: backend.key }),
    prefs: () => ({ backendUrl: backend.url, functionKey: backend.key, clerk: '王督办', ledgerId: '' }),
    settings: DEFAULT_SETTINGS,
    today: () => '2026-03-20',
    mailbox,
  };
}

/** A unit answers through its signed link (the backend's POST /api/feedback/{token}, no function key). */
async function unitAnswers(
  taskId: string,
  unit: string,
  body: { text: string; value?: number },
): Promise<{ receivedOn: string }> {
  const link = await fetch(`${backend.url}/feedback-links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': backend.key },
    body: JSON.stringify({ ledgerId: 'ledger-2026', unit, taskId, period: '2026-03' }),
  });
  expect(link.status).toBe(201);
  const { token } = (await link.json()) as { token: string };
  const sent = await fetch(`${backend.url}/feedback/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(sent.status).toBe(201);
  return ((await sent.json()) as { feedback: { receivedOn: string } }).feedback;
}

const idAt = (row: number) => String(workbook.cell(sheet, `M${row}`).value);
const prefix = (receivedOn: string, unit: string) => {
  const [, m, d] = receivedOn.split('-').map(Number);
  return `【${m}月${d}日 ${unit}反馈】`;
};

beforeAll(async () => {
  // The backend's clock starts on the commands' today (2026-03-20), so receivedOn falls in the ledger's year.
  backend = await startBackend('fb', { now: clockFrom('2026-03-20T02:00:00Z') });
  const fixture = await fixtureSheet();
  sheet = fixture.name;
  workbook = new SimWorkbook({ excelApi: '1.13' });
  workbook.addSheet(sheet, fixture.values);
  workbook.merge(sheet, ...fixture.merges);
  const first = await syncLedger(env());
  expect(first.level).toBe('success');
});
afterAll(async () => {
  await backend?.close();
});

describe('同步台账 writes the units’ feedback into the ledger (R19)', () => {
  it('R19: each task’s latest answer lands in its 进展情况 cell, prefixed with date and unit, in 2 syncs; an unknown 督办编号 is reported, not dropped', async () => {
    // Row 6: 县财政局 answers twice (the latest wins); row 5: 县发改局 answers with formula-looking text,
    // written whole after the label (the label comes first, so the cell cannot start with `=`; the
    // text-format guard for a leading = + - @ is proven on the adapter, workbook.test.ts);
    // row 17: 县人社局 reports its indicator value; row 19's task is answered, then its row is emptied.
    await unitAnswers(idAt(6), '县财政局', { text: '一季度完成0.6亿元' });
    const financeOn = (
      await unitAnswers(idAt(6), '县财政局', { text: '一季度完成0.75亿元，占年度目标23.4%' })
    ).receivedOn;
    const reformOn = (
      await unitAnswers(idAt(5), '县发改局', { text: '=HYPERLINK("http://evil.example","点我")' })
    ).receivedOn;
    const hrOn = (await unitAnswers(idAt(17), '县人社局', { text: '一季度新增就业312人', value: 312 }))
      .receivedOn;
    const goneId = idAt(19);
    await unitAnswers(goneId, '县应急管理局', { text: '隐患已全部整改' });
    const row19 = workbook.values(sheet)[18]!.map(() => '');
    await simulatedHost(workbook).excel.run(async (context) => {
      context.workbook.worksheets.getItem(sheet).getRange(`A19:M19`).values = [row19.slice(0, 13)];
      await context.sync();
    });
    const untouched = workbook.cell(sheet, 'K7');

    const before = workbook.syncCount;
    const outcome = await syncLedger(env());
    expect(workbook.syncCount - before).toBe(2);
    expect(outcome.text).toContain('写入单位反馈 3 条');
    expect(outcome.text).toContain('1 条反馈未能写入');
    expect(outcome.details).toContainEqual(expect.stringContaining(`督办编号 ${goneId} 在台账中找不到`));
    expect(outcome.details).toContainEqual(expect.stringContaining('隐患已全部整改'));

    expect(workbook.cell(sheet, 'K6').value).toBe(
      `${prefix(financeOn, '县财政局')}一季度完成0.75亿元，占年度目标23.4%`,
    );
    const k5 = workbook.cell(sheet, 'K5');
    expect(k5.value).toBe(`${prefix(reformOn, '县发改局')}=HYPERLINK("http://evil.example","点我")`);
    expect(k5.formula).toBeNull();
    expect(workbook.cell(sheet, 'K17').value).toBe(
      `${prefix(hrOn, '县人社局')}一季度新增就业312人（报送值：312）`,
    );
    expect(workbook.cell(sheet, 'K7')).toEqual(untouched);
    expect(workbook.settings.has(FEEDBACK_SETTING)).toBe(true);
  });

  it('R19: a feedback is written once: the clerk’s later edit stays; the unknown 督办编号 is still reported', async () => {
    await simulatedHost(workbook).excel.run(async (context) => {
      context.workbook.worksheets.getItem(sheet).getRange('K6').values = [['一季度完成0.75亿元（已核实）']];
      await context.sync();
    });
    const outcome = await syncLedger(env());
    expect(workbook.cell(sheet, 'K6').value).toBe('一季度完成0.75亿元（已核实）');
    expect(outcome.text).not.toContain('写入单位反馈');
    expect(outcome.text).toContain('1 条反馈未能写入');
  });

  it('R19: 已知悉，不再提示: the clerk dismisses the unplaceable feedback; the next sync no longer reports it, and it is not dropped from the backend', async () => {
    const kept = await syncLedger(env());
    expect(kept.pendingFeedback).toHaveLength(1);
    const dismissed = await dismissPendingFeedback(env(), kept.pendingFeedback!);
    expect(dismissed).toMatchObject({ level: 'success' });
    expect(dismissed.text).toContain('已不再提示 1 条');
    const next = await syncLedger(env());
    expect(next.text).not.toContain('未能写入');
    expect(next.pendingFeedback).toBeUndefined();
    const all = await new DubanApi({ url: backend.url, key: backend.key }).feedbackSince('ledger-2026', null);
    expect(all.map((f) => f.id)).toContain(kept.pendingFeedback![0]);
  });

  it('R19: a new answer from the unit replaces the cell again, and only that cell', async () => {
    const otherRow = workbook.cell(sheet, 'K5').value;
    const on = (await unitAnswers(idAt(6), '县财政局', { text: '4月完成0.3亿元' })).receivedOn;
    const outcome = await syncLedger(env());
    expect(outcome.text).toContain('写入单位反馈 1 条');
    expect(workbook.cell(sheet, 'K6').value).toBe(`${prefix(on, '县财政局')}4月完成0.3亿元`);
    expect(workbook.cell(sheet, 'K5').value).toBe(otherRow);
  });
});

describe('planning the feedback writes', () => {
  const f = (over: Partial<ReceivedFeedback>): ReceivedFeedback => {
    const base = {
      taskId: 'DB-2026-0001',
      unit: '县财政局',
      period: '2026-03',
      receivedOn: '2026-03-25',
      text: '进展顺利',
      value: null,
      at: '2026-03-25T02:00:00.000Z',
      ...over,
    };
    return { ...base, id: `${base.taskId}|${base.period}|${base.at}` };
  };

  async function view(withProgress: boolean) {
    const wb = new SimWorkbook({ excelApi: '1.13' });
    const values = generatedLedger(2, { withIds: true }).map((r) =>
      withProgress ? r : r.filter((_, c) => c !== 10),
    );
    wb.addSheet('台账', values);
    const host = simulatedHost(wb);
    return host.excel.run(async (context) =>
      viewLedger(await readSheet(context, host.isSetSupported), DEFAULT_SETTINGS),
    );
  }

  it('R19: a ledger without a 进展情况 column gets one beside the last column, in the header row', async () => {
    const v = await view(false);
    const tasks = v.ledger.tasks.map((t) => ({ id: t.id!, row: t.row, no: t.no }));
    const plan = planFeedback({
      view: v,
      tasks,
      received: [f({})],
      cursor: cursorOf(null, 'x'),
      newColumn: 12,
    });
    expect(plan.cells).toEqual([
      { row: 2, column: 12, value: PROGRESS_HEADER },
      { row: 3, column: 12, value: '【3月25日 县财政局反馈】进展顺利' },
    ]);
  });

  it('R19: a 进展情况 cell merged with the one above is not written (Excel would hide it): reported and kept for the next sync', async () => {
    const wb = new SimWorkbook({ excelApi: '1.13' });
    wb.addSheet('台账', generatedLedger(2, { withIds: true }));
    wb.merge('台账', 'K3:K4');
    const host = simulatedHost(wb);
    const v = await host.excel.run(async (context) =>
      viewLedger(await readSheet(context, host.isSetSupported), DEFAULT_SETTINGS),
    );
    const tasks = v.ledger.tasks.map((t) => ({ id: t.id!, row: t.row, no: t.no }));
    const answer = f({ taskId: 'DB-2026-0002' });
    const plan = planFeedback({
      view: v,
      tasks,
      received: [answer],
      cursor: cursorOf(null, 'x'),
      newColumn: 13,
    });
    expect(plan.cells).toEqual([]);
    expect(plan.unplaced).toEqual([expect.stringContaining('第4行的“进展情况”单元格与上方单元格合并')]);
    expect(plan.cursor.pending).toEqual([answer]);
  });

  it('R19: a late arrival older than an answer already written never covers it; the next pull asks again for the overlap window', async () => {
    const v = await view(true);
    const tasks = v.ledger.tasks.map((t) => ({ id: t.id!, row: t.row, no: t.no }));
    const newer = f({ text: '新', at: '2026-03-25T03:00:00.000Z' });
    const first = planFeedback({
      view: v,
      tasks,
      received: [newer],
      cursor: cursorOf(null, 'x'),
      newColumn: 13,
    });
    expect(first.cursor.since).toBe(newer.at);
    expect(askSince(first.cursor)).toBe(new Date(Date.parse(newer.at) - OVERLAP_MS).toISOString());
    const late = f({ text: '旧', at: '2026-03-25T02:58:00.000Z' });
    const second = planFeedback({
      view: v,
      tasks,
      received: [late, newer],
      cursor: first.cursor,
      newColumn: 13,
    });
    expect(second.cells).toEqual([]);
    expect(feedbackCellText(f({ receivedOn: '2027-01-05' }), 2026)).toBe(
      '【2027年1月5日 县财政局反馈】进展顺利',
    );
  });
});
