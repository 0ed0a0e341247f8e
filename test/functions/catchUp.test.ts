// R17: days the daily timer missed are caught up — beyond the old 7-day window too — and
// days beyond the catch-up window are reported (result, log, daily-run event), never dropped silently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_SECRET, startApi, task, type TestApi } from './support/api.js';
import { CATCH_UP_DAYS, runDaily } from '../../functions/timers/dailySupervision.js';
import { subjectHistory } from '../../functions/storage/index.js';
import { runtimeOutbox } from '../../functions/runtime/outbox.js';
import { runtimeEnv } from '../../functions/runtime/index.js';

let api: TestApi;

beforeAll(async () => {
  api = await startApi('catchup');
  const sync = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: 'catch-up',
      year: 2026,
      by: '李文书',
      tasks: [task('Q1', { row: 4, category: 'routine' })],
    },
  });
  expect(sync.status).toBe(200);
});
afterAll(() => api.close());

/** The last completed run as the storage records it (setLastDailyRun never moves it back). */
const lastRun = (on: string) =>
  api.storage
    .table('Config')
    .upsertEntity({ partitionKey: 'daily', rowKey: 'last', on, at: `${on}T00:00:05.000Z` }, 'Replace');

describe('missed days (R17)', () => {
  it('R17: stopped from 1 to 30 March — the run of 31 March queues the 17 March quarterly reminder it missed (13 days back)', async () => {
    await lastRun('2026-03-01');
    const lines: string[] = [];
    const r = await runDaily({
      on: '2026-03-31',
      storage: api.storage,
      now: new Date('2026-03-31T00:00:05Z'),
      log: (l) => lines.push(l),
    });
    expect(r).toMatchObject({ from: '2026-03-02', skipped: null, queued: 1 });
    expect(lines.join('\n')).toContain('补齐漏跑的日子：2026-03-02 至 2026-03-30');
    const page = await runtimeOutbox(runtimeEnv()).listOutbox({ date: '2026-03-17' });
    expect(page.items.map((i) => i.key)).toEqual(['catch-up|Q1|2026-Q1|quarterly']);
  });

  it(`R17: stopped longer than ${CATCH_UP_DAYS} days — the days beyond are reported as skipped in the result, the log, the daily-run event and duban run-daily`, async () => {
    await lastRun('2026-04-01');
    const lines: string[] = [];
    const r = await runDaily({
      on: '2026-09-30',
      storage: api.storage,
      now: new Date('2026-09-30T00:00:05Z'),
      log: (l) => lines.push(l),
    });
    expect(r.from).toBe('2026-07-01');
    expect(r.skipped).toEqual({ from: '2026-04-02', to: '2026-06-30' });
    expect(lines.join('\n')).toContain('警告：2026-04-02 至 2026-06-30 超过 92 天未运行');
    // The Q3 reminder (W−10 of September) is within the window and queued.
    expect(r.queued).toBe(1);
    const office = await subjectHistory(api.storage, { office: true });
    const run = office.filter((h) => h.type === 'daily-run').at(-1);
    expect(run?.data.skipped).toEqual({ from: '2026-04-02', to: '2026-06-30' });

    await lastRun('2026-04-01');
    const out: string[] = [];
    const env = {
      DUBAN_STORAGE: api.storage.options.connectionString,
      DUBAN_TABLE_PREFIX: api.prefix,
      DUBAN_LINK_SECRET: LINK_SECRET,
    };
    const { runDailyCommand } = await import('../../functions/cli/runDaily.js');
    const code = await runDailyCommand(
      ['--on', '2026-09-30'],
      { out: (t) => void out.push(t), err: () => {} },
      { env, now: () => new Date('2026-09-30T01:00:00Z') },
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('警告：2026-04-02 至 2026-06-30 未运行过久');
  });
});
