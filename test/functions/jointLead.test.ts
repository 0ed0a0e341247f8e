// Jointly led tasks (牵头单位 县发改局、县财政局) from the office's side: a ledger written with exceljs,
// read as `duban ledger` reads it, synced, then the morning run — each real lead unit is reminded,
// proposed, may be carded for the task and is ranked on it; no unit named after the whole cell exists.
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { pickLedgerSheet, readWorkbookSheets } from '../../functions/xlsx.js';
import { readLedger, type LedgerResult } from '../../shared/ledger/index.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { subjectHistory } from '../../functions/storage/index.js';
import { runtimeOutbox } from '../../functions/runtime/outbox.js';
import { runtimeEnv } from '../../functions/runtime/index.js';
import { SAMPLE_HEADER } from '../support/sampleLayout.js';

const L = 'joint-ledger';
const FGJ = '县发改局';
const CZJ = '县财政局';
const SWJ = '县商务局';
const JOINT = `${FGJ}、${CZJ}`;
let api: TestApi;
let ledger: LedgerResult;
const clock = new Date('2026-03-17T00:00:05Z');

async function writeLedger(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('重点工作台账');
  ws.addRow(['友谊县2026年重点工作落实“四个体系”台账']);
  ws.addRow([...SAMPLE_HEADER]);
  const row = (no: string, title: string, unit: string, deadline: string) => {
    const cells: Record<string, string> = {
      序号: no,
      工作来源: '县政府工作报告',
      工作任务: title,
      工作措施: '细化措施，按月调度。',
      牵头领导: '王志刚',
      牵头单位: unit,
      责任单位: '县统计局',
      完成时限: deadline,
      工作类别: '常规性',
      星级: '★★★',
    };
    ws.addRow(SAMPLE_HEADER.map((h) => cells[h] ?? ''));
  };
  row('1', '统筹财政资金支持重点项目', JOINT, '2026年3月10日');
  row('2', '优化营商环境', `${FGJ}；\n${CZJ}；${FGJ}`, '2026年12月31日');
  row('3', '外贸稳增长', SWJ, '2026年12月31日');
  await wb.xlsx.writeFile(file);
}

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'duban-joint-')), 'joint.xlsx');
  await writeLedger(file);
  ledger = readLedger(pickLedgerSheet(await readWorkbookSheets(file)).values);
  api = await startApi('joint', { now: () => clock });
  const sync = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: ledger.year,
      by: '李文书',
      tasks: ledger.tasks.map((t) => ({ ...t, id: `J${t.no}` })),
      problems: ledger.problems,
    },
  });
  expect(sync.status).toBe(200);
});
afterAll(() => api.close());

describe('jointly led tasks (牵头单位 with several units)', () => {
  it('the reader keeps the cell as written and lists each lead unit once, whatever the separator', () => {
    expect(ledger.problems).toEqual([]);
    expect(ledger.tasks.map((t) => [t.no, t.leadUnit, t.leadUnits])).toEqual([
      ['1', JOINT, [FGJ, CZJ]],
      ['2', `${FGJ}；\n${CZJ}；${FGJ}`, [FGJ, CZJ]],
      ['3', SWJ, [SWJ]],
    ]);
  });

  it('the API lists each task with its lead units', async () => {
    const res = await api.call('GET', `/tasks?ledgerId=${L}`);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.tasks.map((t: { id: string; leadUnits: string[] }) => [t.id, t.leadUnits]));
    expect(byId.get('J1')).toEqual([FGJ, CZJ]);
    expect(byId.get('J3')).toEqual([SWJ]);
  });

  it('R15: the morning run reminds each lead unit of a joint task, each with its own prompt and history', async () => {
    const r = await runDaily({ on: '2026-03-17', storage: api.storage, now: clock });
    expect(r).toMatchObject({ due: 5, queued: 5 });
    const page = await runtimeOutbox(runtimeEnv()).listOutbox({ date: '2026-03-17' });
    expect(page.items.map((i) => `${i.taskId} ${i.unit}`).sort()).toEqual(
      [`J1 ${CZJ}`, `J1 ${FGJ}`, `J2 ${CZJ}`, `J2 ${FGJ}`, `J3 ${SWJ}`].sort(),
    );
    expect(page.items.some((i) => i.unit === JOINT)).toBe(false);
    for (const unit of [FGJ, CZJ]) {
      const history = await subjectHistory(api.storage, { unit });
      expect(
        history
          .filter((h) => h.type === 'reminder')
          .map((h) => h.data.taskId)
          .sort(),
      ).toEqual(['J1', 'J2']);
    }
    // R17: the second run of the day queues nothing again for either unit.
    expect(await runDaily({ on: '2026-03-17', storage: api.storage, now: clock })).toMatchObject({
      due: 5,
      queued: 0,
      existing: 5,
    });
  });

  it('R10: a joint task past its deadline makes each lead unit an orange candidate, never the joined name', async () => {
    const res = await api.call('GET', `/candidates?ledgerId=${L}&asOf=2026-03-17`);
    expect(res.status).toBe(200);
    const orange = res.body.orange.map((c: { unit: string; taskIds: string[] }) => `${c.unit} ${c.taskIds}`);
    expect(orange.sort()).toEqual([`${CZJ} J1`, `${FGJ} J1`].sort());
  });

  it('R8: a card to either real lead unit citing the joint task is accepted; to a unit that does not lead it, refused', async () => {
    const card = (unit: string) =>
      api.call('POST', '/cards', {
        body: { ledgerId: L, unit, color: 'yellow', reason: '工作不到位', taskIds: ['J1'], by: '李文书' },
      });
    expect((await card(CZJ)).status).toBe(201);
    expect((await card(FGJ)).status).toBe(201);
    const foreign = await card(SWJ);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toContain(JOINT);
  });

  it('R20: the round-up ranks each lead unit on the joint task; no row for the joined name', async () => {
    const res = await api.call('GET', `/roundup?ledgerId=${L}&period=2026-Q1&asOf=2026-04-10`);
    expect(res.status).toBe(200);
    const units = new Map(
      res.body.units.map((u: { unit: string; tasks: { id: string }[]; overdue: { taskId: string }[] }) => [
        u.unit,
        u,
      ]),
    );
    expect([...units.keys()].sort()).toEqual([CZJ, FGJ, SWJ].sort());
    for (const unit of [FGJ, CZJ]) {
      const u = units.get(unit) as { tasks: { id: string }[]; overdue: { taskId: string }[]; rank: number };
      expect(u.tasks.map((t) => t.id)).toEqual(['J1', 'J2']);
      expect(u.overdue.map((o) => o.taskId)).toEqual(['J1']);
      expect(u.rank).toBeGreaterThan(0);
    }
  });
});
