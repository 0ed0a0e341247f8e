// Table Storage's size limits on Azurite for the ledger's tasks and history: a sync of 20,000 tasks
// (Tasks, Events), and an event whose lists outgrow a row (cut visibly). A file of its own: 20,000
// rows take a while on Azurite, and the other limit tests run beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { KEY, startApi, task, type Reply, type TestApi } from './support/api.js';
import { syncLedger } from '../../functions/http/syncLedger.js';
import {
  MAX_EVENT_DATA_BYTES,
  appendEvents,
  listTasks,
  storedBytes,
  subjectHistory,
} from '../../functions/storage/index.js';

/**
 * POST /api/ledger/sync through the function's own handler, in process: Azurite takes minutes for
 * 20,000 rows of one partition on a loaded machine (it scans a table for each insert), longer than an
 * HTTP client waits for headers; the handler, its key check and its validation are the same.
 */
async function sync(body: unknown): Promise<Pick<Reply, 'status' | 'body'>> {
  const res = await syncLedger(
    new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/ledger/sync',
      headers: { 'content-type': 'application/json', 'x-functions-key': KEY },
      body: { string: JSON.stringify(body) },
    }),
    new InvocationContext({ functionName: 'ledgerSync', invocationId: 'limits-sync' }),
  );
  return { status: res.status ?? 200, body: JSON.parse(String(res.body)) };
}

describe('Tasks and Events: a sync of 20,000 tasks', () => {
  let api: TestApi;
  let clock = new Date('2026-03-20T02:00:00Z');
  beforeAll(async () => {
    api = await startApi('limsync', { now: () => clock });
  });
  afterAll(() => api.close());

  it('R8: a sync of 20,000 tasks is kept whole and recorded in the ledger’s history; 20,001 are refused; an event whose lists outgrow a row is cut visibly, saying where the rest is', async () => {
    clock = new Date('2026-03-20T02:00:00Z');
    const tasks = Array.from({ length: 20_000 }, (_, i) =>
      task(`S${String(i).padStart(5, '0')}`, {
        row: 4 + i,
        title: `重点任务${i}`,
        leadUnit: `县第${i % 50}单位`,
      }),
    );
    const body = { ledgerId: 'BIG', year: 2026, by: '李文书', tasks, problems: [] };
    const synced = await sync(body);
    expect(synced.status).toBe(200);
    expect(synced.body.added).toHaveLength(20_000);
    expect(await listTasks(api.storage, 'BIG')).toHaveLength(20_000);
    const history = await api.call('GET', '/history?ledgerId=BIG');
    expect(history.body.events[0]).toMatchObject({
      type: 'ledger-sync',
      data: { tasks: 20_000, added: 20_000 },
    });
    const beyond = await sync({ ...body, tasks: [...tasks, task('S20000', { row: 20_004 })] });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.message).toMatch(/[\u4e00-\u9fff]/);

    // An event with a list of 60,000 ids (≈ 1.1 million characters): the row keeps what fits.
    const removed = Array.from({ length: 60_000 }, (_, i) => `REMOVED-${String(i).padStart(10, '0')}`);
    expect(storedBytes(JSON.stringify(removed))).toBeGreaterThan(MAX_EVENT_DATA_BYTES);
    await appendEvents(api.storage, [
      {
        subject: { ledgerId: 'HUGE' },
        type: 'ledger-sync',
        date: '2026-03-20',
        data: { tasks: 0, removed },
        rest: '每项任务的移除另记在该任务自己的历史中',
      },
    ]);
    const [ev] = await subjectHistory(api.storage, { ledgerId: 'HUGE' });
    const data = ev!.data as {
      removed: string[];
      omitted: { removed: { kept: number; total: number } };
      omittedNote: string;
    };
    expect(data.removed).toEqual(removed.slice(0, data.removed.length));
    expect(data.omitted.removed).toEqual({ kept: data.removed.length, total: 60_000 });
    expect(data.omittedNote).toBe(
      `此条记录过长，列表已截短：removed 共 60000 项，只记前 ${data.removed.length} 项，另有 ${60_000 - data.removed.length} 项未记入此条。每项任务的移除另记在该任务自己的历史中`,
    );
  }, 900_000);
});
