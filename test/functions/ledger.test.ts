// Ledger sync, 赋星 and 销号 over the API (dev host, real HTTP, Azurite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { listTasks, subjectHistory } from '../../functions/storage/index.js';

let api: TestApi;
const L = '2026台账';

beforeAll(async () => {
  api = await startApi('ledger');
});
afterAll(() => api.close());

describe('POST /api/ledger/sync', () => {
  it('R1, R4: upserts the tasks and returns the problems with the unit of their row', async () => {
    const res = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: L,
        year: 2026,
        by: '李文书',
        tasks: [
          task('T1', { row: 4 }),
          task('T2', { row: 5, leadUnit: '县/局#?', category: 'indicator', suggestedStars: 4 }),
          task('T3', { row: 6, stars: 5, category: 'major' }),
        ],
        problems: [{ row: 5, column: 'F', rule: 'R1', message: '完成时限无法识别' }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.added).toEqual(['T1', 'T2', 'T3']);
    expect(res.body.problems).toEqual([
      { row: 5, column: 'F', rule: 'R1', message: '完成时限无法识别', unit: '县/局#?', taskId: 'T2' },
    ]);
    const stored = await listTasks(api.storage, L);
    expect(stored.map((t) => [t.task.id, t.task.leadUnit, t.stars])).toEqual([
      ['T1', '县财政局', null],
      ['T2', '县/局#?', null],
      ['T3', '县财政局', 5],
    ]);
  });

  it('R3/R8: a task gone from the ledger is marked removed, never deleted; it comes back when it reappears', async () => {
    const res = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: L,
        year: 2026,
        by: '李文书',
        tasks: [
          task('T1', { row: 4, title: '改了标题' }),
          task('T3', { row: 6, stars: 5, category: 'major' }),
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ updated: ['T1'], removed: ['T2'], unchanged: 1 });
    const all = await listTasks(api.storage, L, { includeRemoved: true });
    expect(all.find((t) => t.task.id === 'T2')).toMatchObject({ removed: true });
    expect(all.find((t) => t.task.id === 'T1')?.task.title).toBe('改了标题');
    const listed = await api.call('GET', `/tasks?ledgerId=${encodeURIComponent(L)}`);
    expect(listed.body.tasks.map((t: { id: string }) => t.id)).toEqual(['T1', 'T3']);
    const history = await subjectHistory(api.storage, { ledgerId: L, taskId: 'T2' });
    expect(history.map((h) => h.type)).toEqual(['task-removed']);

    const back = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: L,
        year: 2026,
        by: '李文书',
        tasks: [
          task('T1', { row: 4, title: '改了标题' }),
          task('T2', { row: 5, leadUnit: '县/局#?', category: 'indicator', suggestedStars: 4 }),
          task('T3', { row: 6, stars: 5, category: 'major' }),
        ],
      },
    });
    expect(back.body).toMatchObject({ restored: ['T2'], removed: [] });
  });

  it('refuses two rows with the same 督办编号, naming both rows, and stores nothing', async () => {
    const res = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'other',
        year: 2026,
        by: '李文书',
        tasks: [task('X1', { row: 4 }), task('X1', { row: 9 })],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('第 4 行和第 9 行');
    expect(await listTasks(api.storage, 'other', { includeRemoved: true })).toEqual([]);
  });
});

describe('POST /api/stars (R5)', () => {
  it('R5: byKind sets each task its kind’s star and records who, when, from, to; a second click changes nothing', async () => {
    const res = await api.call('POST', '/stars', {
      body: { ledgerId: L, taskIds: ['T1', 'T2', 'T3'], stars: 'byKind', by: '李文书' },
    });
    expect(res.status).toBe(200);
    expect(res.body.changes.map((c: object) => ({ ...c, at: undefined }))).toEqual([
      { taskId: 'T1', row: 4, from: null, to: 3, by: '李文书', at: undefined },
      { taskId: 'T2', row: 5, from: null, to: 4, by: '李文书', at: undefined },
    ]);
    const history = await subjectHistory(api.storage, { ledgerId: L, taskId: 'T2' });
    const star = history.find((h) => h.type === 'stars');
    expect(star).toMatchObject({ by: '李文书', data: { from: null, to: 4, target: 'byKind' } });
    expect(star?.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const again = await api.call('POST', '/stars', {
      body: { ledgerId: L, taskIds: ['T1', 'T2', 'T3'], stars: 'byKind', by: '李文书' },
    });
    expect(again.body.changes).toEqual([]);
  });

  it('R5: an explicit star overrides; the next sync with an empty star cell keeps it', async () => {
    const res = await api.call('POST', '/stars', {
      body: { ledgerId: L, taskIds: ['T1'], stars: 5, by: '王科长' },
    });
    expect(res.body.changes).toMatchObject([{ taskId: 'T1', from: 3, to: 5 }]);
    await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: L,
        year: 2026,
        by: '李文书',
        tasks: [
          task('T1', { row: 4, title: '改了标题' }),
          task('T2', { row: 5, leadUnit: '县/局#?', category: 'indicator', suggestedStars: 4 }),
          task('T3', { row: 6, stars: 5, category: 'major' }),
        ],
      },
    });
    const t1 = (await listTasks(api.storage, L)).find((t) => t.task.id === 'T1');
    expect(t1?.stars).toBe(5);
  });

  it('unknown task ids → 404 naming them, nothing changed', async () => {
    const res = await api.call('POST', '/stars', {
      body: { ledgerId: L, taskIds: ['T1', 'NOPE'], stars: 4, by: '王科长' },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('NOPE');
    expect((await listTasks(api.storage, L)).find((t) => t.task.id === 'T1')?.stars).toBe(5);
  });
});

describe('POST /api/tasks/close (R3)', () => {
  it('R3: closes with date and evidence; the task stays, and a later sync does not reopen it', async () => {
    const res = await api.call('POST', '/tasks/close', {
      body: { ledgerId: L, taskIds: ['T3'], date: '2026-05-06', note: '已竣工验收', by: '李文书' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ closed: ['T3'], alreadyClosed: [] });
    await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: L,
        year: 2026,
        by: '李文书',
        tasks: [
          task('T1', { row: 4, title: '改了标题' }),
          task('T2', { row: 5, leadUnit: '县/局#?', category: 'indicator', suggestedStars: 4 }),
          task('T3', { row: 6, stars: 5, category: 'major' }),
        ],
      },
    });
    const t3 = (await listTasks(api.storage, L)).find((t) => t.task.id === 'T3');
    expect(t3).toMatchObject({
      closed: true,
      closedOn: '2026-05-06',
      closeNote: '已竣工验收',
      removed: false,
    });
    const again = await api.call('POST', '/tasks/close', {
      body: { ledgerId: L, taskIds: ['T3'], date: '2026-05-07', note: '重复', by: '李文书' },
    });
    expect(again.body).toEqual({ closed: [], alreadyClosed: ['T3'] });
  });

  it('R3: a note of evidence is required (Chinese message)', async () => {
    const res = await api.call('POST', '/tasks/close', {
      body: { ledgerId: L, taskIds: ['T1'], date: '2026-05-06', note: '  ', by: '李文书' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('请填写销号依据');
  });
});

describe('changes that arrive through a sync', () => {
  it('R5/R3: a star edited in the ledger and a status closing are in the task’s history with who, from, to and source ledger', async () => {
    const sync = (tasks: ReturnType<typeof task>[]) =>
      api.call('POST', '/ledger/sync', { body: { ledgerId: 'via-ledger', year: 2026, by: '李文书', tasks } });
    expect((await sync([task('V1', { row: 4 }), task('V2', { row: 5 })])).status).toBe(200);
    const stars = await api.call('POST', '/stars', {
      body: { ledgerId: 'via-ledger', taskIds: ['V1'], stars: 4, by: '王科长' },
    });
    expect(stars.status).toBe(200);
    const res = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'via-ledger',
        year: 2026,
        by: '赵文书',
        tasks: [
          task('V1', { row: 4, stars: 5 }),
          task('V2', { row: 5, closed: true, closedOn: '2026-04-28' }),
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      starChanges: [{ taskId: 'V1', row: 4, from: 4, to: 5 }],
      closedByLedger: ['V2'],
    });
    const v1 = await subjectHistory(api.storage, { ledgerId: 'via-ledger', taskId: 'V1' });
    expect(
      v1.filter((h) => h.type === 'stars').map((h) => [h.by, h.data.from, h.data.to, h.data.source ?? null]),
    ).toEqual([
      ['王科长', null, 4, null],
      ['赵文书', 4, 5, 'ledger'],
    ]);
    const v2 = await subjectHistory(api.storage, { ledgerId: 'via-ledger', taskId: 'V2' });
    expect(v2.filter((h) => h.type === 'close')).toMatchObject([
      { by: '赵文书', date: '2026-04-28', data: { source: 'ledger' } },
    ]);
    expect((await listTasks(api.storage, 'via-ledger')).find((t) => t.task.id === 'V2')).toMatchObject({
      closed: true,
      closedOn: '2026-04-28',
    });
    // The same ledger synced again: nothing more in the history.
    await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'via-ledger',
        year: 2026,
        by: '赵文书',
        tasks: [
          task('V1', { row: 4, stars: 5 }),
          task('V2', { row: 5, closed: true, closedOn: '2026-04-28' }),
        ],
      },
    });
    const again = await subjectHistory(api.storage, { ledgerId: 'via-ledger', taskId: 'V1' });
    expect(again.filter((h) => h.type === 'stars')).toHaveLength(2);
  });
});

describe('two clerks at once', () => {
  it('R3/R5: 赋星 and 销号 of the same tasks at the same moment both land (ETags, re-read, apply again)', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `C${i}`);
    await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'busy',
        year: 2026,
        by: '李文书',
        tasks: ids.map((id, i) => task(id, { row: i + 4 })),
      },
    });
    const [stars, close] = await Promise.all([
      api.call('POST', '/stars', { body: { ledgerId: 'busy', taskIds: ids, stars: 4, by: '李文书' } }),
      api.call('POST', '/tasks/close', {
        body: { ledgerId: 'busy', taskIds: ids, date: '2026-06-30', note: '完成', by: '王科长' },
      }),
    ]);
    expect([stars.status, close.status]).toEqual([200, 200]);
    const stored = await listTasks(api.storage, 'busy');
    expect(stored.every((t) => t.stars === 4 && t.closed && t.closeNote === '完成')).toBe(true);
    expect(stored).toHaveLength(30);
  });
});
