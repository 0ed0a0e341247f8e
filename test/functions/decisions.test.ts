// Decisions the backend takes from shared/ (review findings 3, 11, 24): which tasks the daily run can
// remind and which it cannot (reported, never dropped), the reported value as of a date (R6), and
// 销号 of a decomposed task (R2). Against the dev host and Azurite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { listTasks, subjectHistory } from '../../functions/storage/index.js';

let api: TestApi;
let clock = new Date('2026-03-17T00:00:05Z');
const L = 'decisions';

beforeAll(async () => {
  api = await startApi('decide', { now: () => clock });
  const sync = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: 2026,
      by: '李文书',
      tasks: [
        task('OK', { row: 4, category: 'routine' }),
        task('NOUNIT', { row: 5, leadUnit: null, category: 'routine' }),
        task('NOSTAR', { row: 6, category: null, suggestedStars: null }),
        task('I1', {
          row: 7,
          leadUnit: '县统计局',
          category: 'indicator',
          target: { value: 1200, unit: '人' },
        }),
        task('P3', { row: 8, no: '3' }),
        task('P3-1', { row: 9, no: '3-1', parent: '3' }),
        task('P3-2', { row: 10, no: '3-2', parent: '3' }),
      ],
    },
  });
  expect(sync.status).toBe(200);
});
afterAll(() => api.close());

describe('R15/R18: open tasks the schedule cannot take are reported (finding 3)', () => {
  it('R15/R18: the daily run names the task without a lead unit and the one without a star, in its result, log and daily-run event', async () => {
    const lines: string[] = [];
    const r = await runDaily({
      on: '2026-03-17',
      storage: api.storage,
      now: new Date('2026-03-17T00:00:05Z'),
      log: (l) => lines.push(l),
    });
    expect(r.unscheduled).toEqual([
      { ledgerId: L, taskId: 'NOUNIT', row: 5, taskNo: 'NOUNIT', reason: '牵头单位为空，无法提示' },
      {
        ledgerId: L,
        taskId: 'NOSTAR',
        row: 6,
        taskNo: 'NOSTAR',
        reason: '未赋星且工作类别无法确定，无法确定提示频次',
      },
    ]);
    expect(lines.join('\n')).toContain('第5行NOUNIT（NOUNIT）牵头单位为空');
    expect(lines.join('\n')).toContain('第6行NOSTAR（NOSTAR）未赋星');
    const office = await subjectHistory(api.storage, { office: true });
    const run = office.find((h) => h.type === 'daily-run');
    expect(run?.data).toMatchObject({ unscheduledCount: 2 });
    expect((run?.data.unscheduled as { taskId: string }[]).map((u) => u.taskId)).toEqual([
      'NOUNIT',
      'NOSTAR',
    ]);
  });

  it('R15/R18: GET /api/reminders lists them too, with the row and the reason', async () => {
    const res = await api.call('GET', `/reminders?on=2026-03-17&ledgerId=${L}`);
    expect(res.status).toBe(200);
    expect(res.body.unscheduled.map((u: { taskId: string; row: number }) => [u.taskId, u.row])).toEqual([
      ['NOUNIT', 5],
      ['NOSTAR', 6],
    ]);
    expect(res.body.reminders.map((r: { taskId: string }) => r.taskId)).not.toContain('NOUNIT');
  });
});

describe('R6: the reported value as of a date (finding 11)', () => {
  it('R6/R10: GET /candidates?asOf= judges lagging on the value reported by then, not on a later one — as the round-up does', async () => {
    const link = async () => {
      const res = await api.call('POST', '/feedback-links', {
        body: { ledgerId: L, unit: '县统计局', taskId: 'I1', period: '2026-06', expires: '2026-12-31' },
      });
      expect(res.status).toBe(201);
      return new URL(res.body.url).pathname.replace(/^\/api/, '');
    };
    clock = new Date('2026-06-05T02:00:00Z');
    const early = await api.call('POST', await link(), { key: null, body: { text: '进度偏慢', value: 100 } });
    expect(early.status).toBe(201);
    clock = new Date('2026-06-25T02:00:00Z');
    const late = await api.call('POST', await link(), { key: null, body: { text: '已追上', value: 1100 } });
    expect(late.status).toBe(201);

    const then = await api.call('GET', `/candidates?ledgerId=${L}&asOf=2026-06-10`);
    expect(then.status).toBe(200);
    const lagging = then.body.orange.filter((c: { taskIds: string[] }) => c.taskIds.includes('I1'));
    expect(lagging).toHaveLength(1);
    const now = await api.call('GET', `/candidates?ledgerId=${L}&asOf=2026-06-30`);
    expect(now.body.orange.filter((c: { taskIds: string[] }) => c.taskIds.includes('I1'))).toEqual([]);
  });
});

describe('R2: 销号 of a decomposed task (finding 24)', () => {
  it('R2: closing a parent whose items are open → 409 naming the items; nothing is closed', async () => {
    const res = await api.call('POST', '/tasks/close', {
      body: { ledgerId: L, taskIds: ['P3'], date: '2026-06-30', note: '已完成', by: '李文书' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('第8行“3”');
    expect(res.body.error.message).toContain('“3-1”（P3-1）“3-2”（P3-2）');
    expect((await listTasks(api.storage, L)).find((t) => t.task.id === 'P3')?.closed).toBe(false);
  });

  it('R2: with one item closed the other still blocks; closing the parent with its last item in one request works', async () => {
    const one = await api.call('POST', '/tasks/close', {
      body: { ledgerId: L, taskIds: ['P3-1'], date: '2026-06-30', note: '已完成', by: '李文书' },
    });
    expect(one.status).toBe(200);
    const still = await api.call('POST', '/tasks/close', {
      body: { ledgerId: L, taskIds: ['P3'], date: '2026-06-30', note: '已完成', by: '李文书' },
    });
    expect(still.status).toBe(409);
    expect(still.body.error.message).not.toContain('3-1');
    const both = await api.call('POST', '/tasks/close', {
      body: { ledgerId: L, taskIds: ['P3-2', 'P3'], date: '2026-06-30', note: '已完成', by: '李文书' },
    });
    expect(both.status).toBe(200);
    expect(both.body.closed.sort()).toEqual(['P3', 'P3-2']);
  });
});
