// The ribbon commands on the sample ledger (simulated Excel host) against the real backend (the
// functions' dev host on Azurite): what a clerk sees in the cells and the status line, and what the
// backend recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { DubanApi } from '../../addin/src/api/client.js';
import {
  issueCards,
  issueCardsFor,
  newRequestId,
  openClose,
  setStars,
  submitClose,
  submitInterview,
  syncLedger,
  type CommandEnv,
} from '../../addin/src/commands/actions.js';
import { PROBLEM_FILL } from '../../addin/src/ledgerView.js';
import type { Mailbox, PaneRequest } from '../../addin/src/mailbox.js';
import { SimWorkbook, simulatedHost } from '../../playground/simulatedExcel.js';
import { fixtureSheet } from './support/fixture.js';
import { startBackend, type Backend } from './support/backend.js';

const TODAY = '2026-03-20';
const YELLOW = DEFAULT_SETTINGS.cardColors.yellow;
const ORANGE = DEFAULT_SETTINGS.cardColors.orange;
const RED = DEFAULT_SETTINGS.cardColors.red;

let backend: Backend;
let workbook: SimWorkbook;
let sheet: string;
const requests: PaneRequest[] = [];

function env(url = backend.url): CommandEnv {
  const host = simulatedHost(workbook);
  const mailbox: Mailbox = { report: (s) => ({ id: '', at: '', ...s }), ask: (r) => void requests.push(r) };
  return {
    excel: host.excel,
    isSetSupported: host.isSetSupported,
    api: () => new DubanApi({ url, key: backend.key }),
    prefs: () => ({ backendUrl: url, functionKey: backend.key, clerk: '王督办', ledgerId: '' }),
    settings: DEFAULT_SETTINGS,
    today: () => TODAY,
    mailbox,
  };
}

function api(): DubanApi {
  return new DubanApi({ url: backend.url, key: backend.key });
}

/** Every cell of the sheet with its value, format and fill, to prove what a command did not touch. */
function cellsOf(rows: number[]): string {
  const out: string[] = [];
  for (const r of rows)
    for (let c = 0; c < 16; c++) {
      const addr = `${String.fromCharCode(65 + c)}${r}`;
      out.push(`${addr}=${JSON.stringify(workbook.cell(sheet, addr))}`);
    }
  return out.join('\n');
}

beforeAll(async () => {
  backend = await startBackend('cmd');
  const fixture = await fixtureSheet();
  sheet = fixture.name;
  workbook = new SimWorkbook({ excelApi: '1.13' });
  workbook.addSheet(sheet, fixture.values);
  workbook.merge(sheet, ...fixture.merges);
});
afterAll(async () => {
  await backend?.close();
});

describe('a clerk’s day on the sample ledger, against the real backend', () => {
  it('a backend that is down: a clear message with retry, and the workbook untouched', async () => {
    const before = JSON.stringify(workbook.values(sheet));
    const outcome = await syncLedger(env('http://127.0.0.1:9/api'));
    expect(outcome.level).toBe('error');
    expect(outcome.retry).toBe(true);
    expect(outcome.text).toContain('无法连接督办后台');
    expect(JSON.stringify(workbook.values(sheet))).toBe(before);
    expect(workbook.cell(sheet, 'E20').fill).toBeNull();
  });

  it('同步台账 adds the 督办编号 column once, sends every task, marks the non-standard cells (R1, R4)', async () => {
    const syncsBefore = workbook.syncCount;
    const outcome = await syncLedger(env());
    expect(outcome).toMatchObject({ level: 'success' });
    expect(outcome.text).toContain('已同步 16 项任务，新编督办编号 16 个');
    expect(workbook.syncCount - syncsBefore).toBe(2);
    expect(workbook.cell(sheet, 'M3').value).toBe('督办编号');
    expect(workbook.cell(sheet, 'M5').value).toBe('DB-2026-0001');
    expect(workbook.cell(sheet, 'M22').value).toBe('DB-2026-0016');
    expect(workbook.cell(sheet, 'M4').value).toBe('');
    expect(workbook.cell(sheet, 'M11').value).toBe('');
    expect(workbook.cell(sheet, 'E20').fill).toBe(PROBLEM_FILL);
    expect(workbook.cell(sheet, 'H21').fill).toBe(PROBLEM_FILL);
    const res = await fetch(`${backend.url}/tasks?ledgerId=ledger-2026`, {
      headers: { 'x-functions-key': backend.key },
    });
    const body = (await res.json()) as { tasks: { task?: { id: string }; id?: string }[] };
    expect(body.tasks).toHaveLength(16);
  });

  it('同步台账 again keeps every id (stable 督办编号) and adds none', async () => {
    const ids = workbook.values(sheet).map((r) => r[12]);
    const outcome = await syncLedger(env());
    expect(outcome.text).toContain('已同步 16 项任务；');
    expect(workbook.values(sheet).map((r) => r[12])).toEqual(ids);
  });

  it('赋星 by kind writes ★ into the selected tasks only and records each change with who, from, to (R5)', async () => {
    workbook.select(sheet, 'A6:M6', 'A8:M9');
    const untouched = cellsOf([5, 7, 10, 12, 13, 14, 20]);
    const syncsBefore = workbook.syncCount;
    const outcome = await setStars(env(), 'byKind');
    expect(outcome).toMatchObject({ level: 'success', text: '已为 2 项任务赋星（按类别）。' });
    expect(outcome.details).toEqual(['第6行 未定 → ★★★★', '第8行 未定 → ★★★★']);
    expect(workbook.syncCount - syncsBefore).toBe(2);
    expect(workbook.cell(sheet, 'J6').value).toBe('★★★★');
    expect(workbook.cell(sheet, 'J8').value).toBe('★★★★');
    expect(workbook.cell(sheet, 'J9').value).toBe('★★★');
    expect(cellsOf([5, 7, 10, 12, 13, 14, 20])).toBe(untouched);
    const history = await api().history({ ledgerId: 'ledger-2026', taskId: 'DB-2026-0002' });
    const stars = history.events.find((e) => e.type === 'stars');
    expect(stars).toMatchObject({ by: '王督办', data: { from: null, to: 4 } });
  });

  it('赋星 five stars explicitly on one selected row (R5)', async () => {
    workbook.select(sheet, 'C9');
    const outcome = await setStars(env(), 5);
    expect(outcome.details).toEqual(['第9行 ★★★ → ★★★★★']);
    expect(workbook.cell(sheet, 'J9').value).toBe('★★★★★');
  });

  it('黄牌 on a unit with non-standard rows takes the candidate’s reason 台账清单不规范, colours all its rows and shows the number (R9, R13, R14)', async () => {
    workbook.select(sheet, 'A20:M20');
    const outcome = await issueCards(env(), 'yellow');
    expect(outcome).toMatchObject({ level: 'success', text: '已向 县住建局 亮黄牌。' });
    expect(outcome.details?.[0]).toBe('县住建局：黄牌（台账清单不规范），友政督提〔2026〕1号');
    expect(workbook.cell(sheet, 'A20').fill).toBe(YELLOW);
    expect(workbook.cell(sheet, 'M20').fill).toBe(YELLOW);
    expect(workbook.cell(sheet, 'E20').fill).toBe(PROBLEM_FILL);
    // 县住建局 also leads row 13: the unit's rows carry its state (R13).
    expect(workbook.cell(sheet, 'C13').fill).toBe(YELLOW);
    expect(workbook.cell(sheet, 'C12').fill).toBeNull();
  });

  it('黄牌 without a candidate asks the pane for the reason and writes nothing; the clerk’s choice then issues it (R9)', async () => {
    workbook.select(sheet, 'A7:M7');
    requests.length = 0;
    const syncsBefore = workbook.syncCount;
    const asked = await issueCards(env(), 'yellow');
    expect(asked.level).toBe('info');
    expect(asked.text).toContain('请在下方选择黄牌理由');
    expect(workbook.syncCount - syncsBefore).toBe(1);
    expect(workbook.cell(sheet, 'A7').fill).toBeNull();
    const request = requests.find((r) => r.kind === 'cardReason');
    expect(request).toEqual({
      kind: 'cardReason',
      color: 'yellow',
      units: [{ unit: '县商务局', taskIds: ['DB-2026-0003'], candidate: false }],
    });
    const outcome = await issueCardsFor(env(), 'yellow', [
      { unit: '县商务局', taskIds: ['DB-2026-0003'], reason: '工作不到位', requestId: newRequestId() },
    ]);
    expect(outcome.details?.[0]).toBe('县商务局：黄牌（工作不到位），友政督提〔2026〕2号');
    for (const row of [7, 8, 9]) expect(workbook.cell(sheet, `B${row}`).fill).toBe(YELLOW);
  });

  it('橙牌 on a unit the program did not propose asks the pane to confirm and writes nothing; the confirmed card colours the unit orange, numbers the 预警通知书 and sets the rectification deadline (R10, R11, R13, R14)', async () => {
    workbook.select(sheet, 'A12:M12');
    requests.length = 0;
    const asked = await issueCards(env(), 'orange');
    expect(asked.level).toBe('info');
    expect(asked.text).toContain('县工信局不是系统提出的橙牌候选（R10）');
    expect(workbook.cell(sheet, 'A12').fill).toBeNull();
    const request = requests.find((r) => r.kind === 'cardReason');
    expect(request).toMatchObject({ color: 'orange', units: [{ unit: '县工信局', candidate: false }] });
    const units = await api().units(TODAY);
    expect(units.find((u) => u.unit === '县工信局')?.cards ?? []).toHaveLength(0);
    // The clerk ticks “仍要亮橙牌” in the pane.
    const taskIds = request && request.kind === 'cardReason' ? request.units[0]!.taskIds : [];
    const outcome = await issueCardsFor(env(), 'orange', [
      { unit: '县工信局', taskIds, reason: '工作进展缓慢', requestId: newRequestId() },
    ]);
    expect(outcome.level).toBe('success');
    expect(outcome.details?.[0]).toMatch(
      /^县工信局：橙牌（工作进展缓慢），友政督警〔2026〕1号，限 2026-04-\d\d 前整改$/,
    );
    expect(workbook.cell(sheet, 'A12').fill).toBe(ORANGE);
    expect(workbook.cell(sheet, 'L12').fill).toBe(ORANGE);
  });

  it('two interviews within the year turn the unit red at once, coloured red, with the checklist to tick (R12)', async () => {
    const first = await submitInterview(env(), {
      unit: '县工信局',
      date: '2026-03-20',
      leader: '张海涛',
      interviewee: '李局长',
      record: '项目进展缓慢',
    });
    expect(first).toMatchObject({ level: 'success', red: false });
    expect(first.text).toContain('本年度第 1 次');
    expect(workbook.cell(sheet, 'A12').fill).toBe(ORANGE);
    const second = await submitInterview(env(), {
      unit: '县工信局',
      date: '2026-03-20',
      leader: '张海涛',
      interviewee: '李局长',
      record: '=整改不力',
    });
    expect(second.red).toBe(true);
    expect(second.text).toContain('亮红牌（R12）');
    expect(second.redCardId).toBeTruthy();
    expect(workbook.cell(sheet, 'A12').fill).toBe(RED);
    expect(workbook.cell(sheet, 'M12').fill).toBe(RED);
    await api().tickChecklist(second.redCardId!, 'explain', true, '王督办');
    const units = await api().units(TODAY);
    expect(units.find((u) => u.unit === '县工信局')).toMatchObject({ state: 'red', interviews: 2 });
  });

  it('销号 asks the pane for date and note, then writes 已销号 into the status column of those tasks only (R3)', async () => {
    workbook.select(sheet, 'A17:M18');
    requests.length = 0;
    const opened = await openClose(env());
    expect(opened.level).toBe('info');
    const request = requests.find((r) => r.kind === 'close');
    expect(request && 'tasks' in request ? request.tasks.map((t) => t.id) : []).toEqual([
      'DB-2026-0011',
      'DB-2026-0012',
    ]);
    // The clerk moves on to another row while the form is open: 销号 finds the tasks by id.
    workbook.select(sheet, 'A5');
    const untouched = cellsOf([5, 16, 19]);
    const outcome = await submitClose(env(), {
      taskIds: ['DB-2026-0011', 'DB-2026-0012'],
      date: '2026-03-20',
      note: '已完成年度目标，见验收报告',
    });
    expect(outcome).toMatchObject({ level: 'success', text: '已销号 2 项任务（2026-03-20）。' });
    expect(workbook.cell(sheet, 'N3').value).toBe('办理状态');
    expect(workbook.cell(sheet, 'N17').value).toBe('已销号（2026-03-20）已完成年度目标，见验收报告');
    expect(workbook.cell(sheet, 'N18').value).toBe('已销号（2026-03-20）已完成年度目标，见验收报告');
    expect(cellsOf([5, 16, 19])).toBe(untouched);
    const history = await api().history({ ledgerId: 'ledger-2026', taskId: 'DB-2026-0011' });
    expect(history.events.some((e) => e.type === 'close')).toBe(true);
  });

  it('a closed task gets no card (R3): the ribbon says so by the shared rule, the backend refuses, the workbook stays as it was', async () => {
    workbook.select(sheet, 'A17:M17');
    const before = cellsOf([17]);
    // The ribbon refuses the closed row by the same rule the backend enforces, naming the row.
    const ribbon = await issueCards(env(), 'orange');
    expect(ribbon).toMatchObject({ level: 'error', text: '所选任务都已销号或没有牵头单位，无法亮牌。' });
    expect(ribbon.details).toEqual([
      expect.stringMatching(/^第17行.*：已销号的任务不再亮牌（R3）：DB-2026-0011$/),
    ]);
    // And a card confirmed from the pane for that task is refused by the backend.
    const outcome = await issueCardsFor(env(), 'orange', [
      {
        unit: String(workbook.values(sheet)[16]![5]),
        taskIds: ['DB-2026-0011'],
        reason: '工作进展缓慢',
        requestId: newRequestId(),
      },
    ]);
    expect(outcome.level).toBe('error');
    expect(outcome.text).toContain('已销号的任务不再亮牌');
    expect(cellsOf([17])).toBe(before);
  });

  it('the ledger read after these commands still has every task, closed ones included (R3, R4)', async () => {
    const outcome = await syncLedger(env());
    expect(outcome.text).toContain('已同步 16 项任务；');
  });
  it('a copied row that repeats another row’s 督办编号 gets a new id, and the status line says so (R4: no row lost)', async () => {
    const row5 = workbook.values(sheet)[4]!;
    await simulatedHost(workbook).excel.run(async (context) => {
      context.workbook.worksheets.getItem(sheet).getRange('A23:M23').values = [
        row5.slice(0, 13).map((v) => v ?? ''),
      ];
      await context.sync();
    });
    expect(workbook.cell(sheet, 'M23').value).toBe('DB-2026-0001');
    const outcome = await syncLedger(env());
    expect(outcome.text).toContain('已同步 17 项任务，新编督办编号 1 个');
    expect(outcome.details).toEqual([
      '第23行的督办编号 DB-2026-0001 与第5行重复（复制的行？），已改为 DB-2026-0017',
    ]);
    expect(workbook.cell(sheet, 'M23').value).toBe('DB-2026-0017');
    expect(workbook.cell(sheet, 'M5').value).toBe('DB-2026-0001');
  });

  it('橙牌 on an orange candidate (R10) is one click: the card cites the candidate’s slow tasks, not merely the selected rows', async () => {
    const july = (): CommandEnv => ({ ...env(), today: () => '2026-07-10' });
    const candidate = (await api().candidates('ledger-2026', '2026-07-10')).find(
      (c) => c.unit === '县发改局' && c.color === 'orange',
    );
    expect(candidate?.taskIds.length).toBeGreaterThan(0);
    const rowOf = (id: string) => workbook.values(sheet).findIndex((r) => r[12] === id) + 1;
    const first = rowOf(candidate!.taskIds[0]!);
    workbook.select(sheet, `A${first}:M${first}`);
    requests.length = 0;
    const outcome = await issueCards(july(), 'orange');
    expect(outcome.level).toBe('success');
    expect(requests).toEqual([]);
    expect(outcome.details?.[0]).toMatch(/^县发改局：橙牌（工作进展缓慢），友政督警〔2026〕2号/);
    const card = (await api().units('2026-07-10')).find((u) => u.unit === '县发改局')?.cards[0];
    const history = await api().history({ unit: '县发改局' });
    const issued = history.events.find((e) => e.type === 'card');
    expect(card).toBeTruthy();
    expect(JSON.stringify(issued)).toContain(candidate!.taskIds[0]!);
    expect(workbook.cell(sheet, `A${first}`).fill).toBe(ORANGE);
  });
});
