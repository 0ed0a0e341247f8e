// Table Storage's size limits on Azurite through the API: a title of 10,000 characters and titles as
// long as an Excel cell (Tasks, Outbox), a feedback of 5,000 characters (Feedback), a red card citing
// 1,000 tasks (Cards, Events).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { runtimeOutbox } from '../../functions/runtime/outbox.js';
import { runtimeEnv } from '../../functions/runtime/index.js';

const ON = '2026-03-17';
const SMALL = '县财政局';

describe('through the API', () => {
  let api: TestApi;
  // Each test sets the moment it runs at; the API reads it.
  let clock = new Date('2026-03-17T00:00:05Z');
  beforeAll(async () => {
    api = await startApi('limapi', { now: () => clock });
  });
  afterAll(() => api.close());

  it('R1/R15: a title of 10,000 characters syncs, is listed whole and reaches the outbox whole; titles as long as an Excel cell allows (32,767) for 60 tasks are queued the same day; 32,768 is refused naming the row and column', async () => {
    clock = new Date('2026-03-17T00:00:05Z');
    const long = '推进'.repeat(5000);
    const sync = (tasks: ReturnType<typeof task>[], ledgerId = 'TITLE') =>
      api.call('POST', '/ledger/sync', { body: { ledgerId, year: 2026, by: '李文书', tasks, problems: [] } });
    expect((await sync([task('T1', { row: 4, title: long, leadUnit: SMALL })])).status).toBe(200);
    const listed = await api.call('GET', '/tasks?ledgerId=TITLE');
    expect(listed.body.tasks[0].title).toBe(long);

    const cell = (i: number) => `${i}`.padEnd(32_767, '项');
    const many = Array.from({ length: 60 }, (_, i) =>
      task(`C${i}`, { row: 4 + i, title: cell(i), leadUnit: SMALL }),
    );
    expect((await sync(many, 'CELL')).status).toBe(200);

    const beyond = await sync([task('T2', { row: 7, title: 'x'.repeat(32_768), leadUnit: SMALL })], 'BEYOND');
    expect(beyond.status).toBe(413);
    expect(beyond.body.error.message).toBe(
      '第 7 行「工作任务」长 32768 字，超过 Excel 单元格上限 32767 字，未同步任何内容：请精简后再同步',
    );
    expect((await api.call('GET', '/tasks?ledgerId=BEYOND')).status).toBe(404);

    const r = await runDaily({ on: ON, storage: api.storage, now: clock });
    expect(r.failures).toEqual([]);
    expect(r.queued).toBe(61);
    const items = (await runtimeOutbox(runtimeEnv()).listOutbox({ date: ON, limit: 1000 })).items;
    expect(items.find((i) => i.taskId === 'T1')?.taskTitle).toBe(long);
    expect(
      items
        .filter((i) => i.ledgerId === 'CELL')
        .map((i) => i.taskTitle)
        .sort(),
    ).toEqual(many.map((t) => t.title).sort());
  }, 120_000);

  it('R19: a feedback of 5,000 characters is kept and listed exactly; 5,001 is refused in Chinese and nothing is kept', async () => {
    clock = new Date('2026-03-20T02:00:00Z');
    await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'FB',
        year: 2026,
        by: '李文书',
        tasks: [task('F1', { leadUnit: SMALL })],
        problems: [],
      },
    });
    const link = await api.call('POST', '/feedback-links', {
      body: { ledgerId: 'FB', unit: SMALL, taskId: 'F1', period: '2026-03' },
    });
    expect(link.status).toBe(201);
    const path = new URL(link.body.url as string).pathname.replace(/^\/api/, '');
    const text = '已完成'.repeat(1666) + '好。';
    expect(text).toHaveLength(5000);
    expect((await api.call('POST', path, { key: null, body: { text } })).status).toBe(201);
    const tooLong = await api.call('POST', path, { key: null, body: { text: text + '！' } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const listed = await api.call('GET', '/feedback?ledgerId=FB');
    expect(listed.body.feedback.map((f: { text: string }) => f.text)).toEqual([text]);
  }, 60_000);

  it('R12: a red card citing 1,000 tasks (ids of 100 characters) is kept whole in the unit’s record and history; each task’s history refers to it; 1,001 tasks are refused', async () => {
    clock = new Date('2026-03-20T02:00:00Z');
    const unit = '县住建局';
    const ids = Array.from({ length: 1000 }, (_, i) => `RC${String(i).padStart(4, '0')}`.padEnd(100, '号'));
    const sync = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'RC',
        year: 2026,
        by: '李文书',
        tasks: ids.map((id, i) => task(id, { row: 4 + i, leadUnit: unit })),
        problems: [],
      },
    });
    expect(sync.status).toBe(200);
    const orange = await api.call('POST', '/cards', {
      body: {
        ledgerId: 'RC',
        unit,
        color: 'orange',
        reason: '工作进展缓慢',
        taskIds: ids,
        date: '2026-03-02',
        by: '李文书',
      },
    });
    expect(orange.status).toBe(201);
    const interview = (date: string, cardId?: string) =>
      api.call('POST', '/interviews', {
        body: {
          unit,
          date,
          leader: '张副县长',
          interviewee: '钱局长',
          ...(cardId ? { cardId } : {}),
          by: '李文书',
        },
      });
    expect((await interview('2026-03-05', orange.body.card.id)).status).toBe(201);
    const second = await interview('2026-03-19');
    expect(second.status).toBe(201);
    expect(second.body.red.taskIds).toHaveLength(1000);
    const red = await api.call('GET', `/cards/${second.body.red.id}`);
    expect(red.status).toBe(200);
    expect(JSON.stringify(red.body)).toContain(ids[999]);
    const unitHistory = await api.call('GET', `/history?unit=${encodeURIComponent(unit)}&limit=1000`);
    const redEvent = unitHistory.body.events.find(
      (e: { type: string; data: { color?: string } }) => e.type === 'card' && e.data.color === 'red',
    );
    expect(redEvent.data.taskIds).toEqual(second.body.red.taskIds);
    const taskHistory = await api.call('GET', `/history?ledgerId=RC&taskId=${encodeURIComponent(ids[999]!)}`);
    const ref = taskHistory.body.events.find((e: { data: { color?: string } }) => e.data.color === 'red');
    expect(ref.data.taskIds).toHaveLength(50);
    expect(ref.data.omittedNote).toBe(
      `此牌共引用 1000 项任务，这里只列前 50 项；完整清单见单位「${unit}」的牌 ${second.body.red.id}（GET /api/cards/${second.body.red.id}）`,
    );
    const beyond = await api.call('POST', '/cards', {
      body: {
        ledgerId: 'RC',
        unit,
        color: 'yellow',
        reason: '工作不到位',
        taskIds: [...ids, 'X'],
        by: '李文书',
      },
    });
    expect(beyond.status).toBe(400);
  }, 300_000);
});
