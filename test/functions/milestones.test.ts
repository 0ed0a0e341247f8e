// R7 from the office's side: an on-track 5★ project never slips. A milestone is done when the ledger
// marks it (✓, 已完成), when the lead unit's feedback says so (who, when), or when the clerk ticks it;
// a slip is a milestone past its date and not done — no orange candidate, no 节点已过期限 reminder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { readLedger } from '../../shared/ledger/index.js';
import { subjectHistory } from '../../functions/storage/index.js';
import { HEADER, taskRow } from '../shared/ledger/sheet.js';

const L = 'milestone-ledger';
const UNIT = '县住建局';
let api: TestApi;
let clock = new Date('2026-06-05T01:00:00Z');

// The ledger as the clerk keeps it: 完成立项 ticked done in the ledger itself.
const ledger = readLedger([
  ['友谊县2026年重点工作台账'],
  HEADER,
  taskRow('1', '城南污水处理厂建设', {
    牵头单位: UNIT,
    工作类别: '重大项目建设类',
    星级: '★★★★★',
    完成时限: '2026年12月31日',
    时间节点: '3月底前完成立项（已完成）；5月底前取得施工许可；6月底前开工建设',
  }),
]);

const body = () => ({
  ledgerId: L,
  year: 2026,
  by: '李文书',
  tasks: ledger.tasks.map((t) => ({ ...t, id: 'P1' })),
  problems: [],
});

const orangeDetails = async (asOf: string): Promise<string[]> => {
  const res = await api.call('GET', `/candidates?ledgerId=${L}&asOf=${asOf}`);
  expect(res.status).toBe(200);
  return res.body.orange.flatMap((c: { details: string[] }) => c.details);
};

beforeAll(async () => {
  api = await startApi('milestones', { now: () => clock });
  expect((await api.call('POST', '/ledger/sync', { body: body() })).status).toBe(200);
});
afterAll(() => api.close());

describe('5★ milestones (R7)', () => {
  it('R7: the ledger’s own 已完成 mark makes a milestone done: it is never a slip', async () => {
    expect(ledger.tasks[0]!.milestones).toEqual([
      { date: '2026-03-31', text: '完成立项', done: true, doneSource: 'ledger' },
      { date: '2026-05-31', text: '取得施工许可' },
      { date: '2026-06-30', text: '开工建设' },
    ]);
    expect(await orangeDetails('2026-06-05')).toEqual([
      '第1项任务节点逾期未完成：取得施工许可（2026-05-31）',
    ]);
  });

  it('R7: the unit’s feedback reporting a milestone done applies it (who, when): the slip and the 节点已过期限 reminder go', async () => {
    const before = await api.call('GET', `/reminders?on=2026-06-01&ledgerId=${L}`);
    expect(before.body.reminders.map((r: { note?: string }) => r.note ?? '')).toContain(
      '节点已过期限未完成：取得施工许可（2026-05-31）',
    );
    const link = await api.call('POST', '/feedback-links', {
      body: { ledgerId: L, unit: UNIT, taskId: 'P1', period: '2026-W23', expires: '2026-07-31' },
    });
    const path = new URL(link.body.url).pathname.replace(/^\/api/, '');
    const wrong = await api.call('POST', path, {
      key: null,
      body: { text: '已开工', milestonesDone: ['竣工验收'] },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('该任务没有节点「竣工验收」');
    const sent = await api.call('POST', path, {
      key: null,
      body: { text: '施工许可已取得', milestonesDone: ['取得施工许可'] },
    });
    expect(sent.status).toBe(201);
    expect(await orangeDetails('2026-06-05')).toEqual([]);
    const after = await api.call('GET', `/reminders?on=2026-06-01&ledgerId=${L}`);
    expect(after.body.reminders.map((r: { note?: string }) => r.note ?? '')).not.toContain(
      '节点已过期限未完成：取得施工许可（2026-05-31）',
    );
    const history = await subjectHistory(api.storage, { ledgerId: L, taskId: 'P1' });
    expect(
      history.filter((h) => h.type === 'milestone').map((h) => [h.by, h.data.milestone, h.data.source]),
    ).toEqual([[UNIT, '取得施工许可', 'feedback']]);
  });

  it('R7: a milestone done stays done when the ledger is synced again', async () => {
    expect((await api.call('POST', '/ledger/sync', { body: body() })).status).toBe(200);
    const res = await api.call('GET', `/tasks?ledgerId=${L}`);
    expect(res.body.tasks[0].milestones[1]).toMatchObject({
      text: '取得施工许可',
      done: true,
      doneOn: '2026-06-05',
      doneBy: UNIT,
      doneSource: 'feedback',
    });
  });

  it('R7: the clerk ticks a milestone done (and back) through the API, each with history', async () => {
    clock = new Date('2026-07-03T01:00:00Z');
    expect(await orangeDetails('2026-07-03')).toEqual(['第1项任务节点逾期未完成：开工建设（2026-06-30）']);
    const tick = (done: boolean, milestone = '开工建设') =>
      api.call('POST', '/tasks/milestones', {
        body: { ledgerId: L, taskId: 'P1', milestone, done, date: '2026-07-02', by: '李文书' },
      });
    const ticked = await tick(true);
    expect(ticked.status).toBe(200);
    expect(ticked.body.changed).toEqual(['开工建设']);
    expect(await orangeDetails('2026-07-03')).toEqual([]);
    // A back-dated look at a day before it was done still sees the slip it was then.
    expect(await orangeDetails('2026-07-01')).toEqual(['第1项任务节点逾期未完成：开工建设（2026-06-30）']);
    const unticked = await tick(false);
    expect(unticked.status).toBe(200);
    expect(await orangeDetails('2026-07-03')).toEqual(['第1项任务节点逾期未完成：开工建设（2026-06-30）']);
    const unknown = await tick(true, '竣工验收');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('没有节点「竣工验收」');
    const ledgerMarked = await tick(false, '完成立项');
    expect(ledgerMarked.status).toBe(409);
    expect(ledgerMarked.body.error.message).toContain('在台账中标为已完成');
    const history = await subjectHistory(api.storage, { ledgerId: L, taskId: 'P1' });
    expect(
      history
        .filter((h) => h.type === 'milestone' && h.by === '李文书')
        .map((h) => [h.data.milestone, h.data.done])
        .sort(),
    ).toEqual([
      ['开工建设', false],
      ['开工建设', true],
    ]);
  });

  it('R7/R21: the round-up shows each milestone’s state: done (and by whom) or slipped', async () => {
    const res = await api.call('GET', `/roundup?ledgerId=${L}&period=2026-Q2&asOf=2026-07-03`);
    expect(res.status).toBe(200);
    const unit = res.body.units.find((u: { unit: string }) => u.unit === UNIT);
    expect(
      unit.tasks[0].milestones.map((m: { text: string; state: string; doneBy?: string }) => [
        m.text,
        m.state,
        m.doneBy ?? null,
      ]),
    ).toEqual([
      ['完成立项', 'done', null],
      ['取得施工许可', 'done', UNIT],
      ['开工建设', 'slipped', null],
    ]);
    expect(unit.slips.map((s: { milestone: { text: string } }) => s.milestone.text)).toEqual(['开工建设']);
  });
});
