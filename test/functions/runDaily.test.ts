// `duban run-daily`: the daily run for operators, against the storage of the environment.
import { describe, expect, inject, it } from 'vitest';
import { main } from '../../functions/cli/main.js';
import { runDailyCommand } from '../../functions/cli/runDaily.js';
import { openStorage } from '../../functions/storage/index.js';
import { io, LINK_SECRET, seedQuarterlyTask, uniquePrefix } from './support/api.js';

describe('duban run-daily', () => {
  it('R15/R17: runs the day once against DUBAN_STORAGE/DUBAN_TABLE_PREFIX and says what it queued; the second run queues nothing', async () => {
    const prefix = uniquePrefix('cli');
    const env = {
      DUBAN_STORAGE: inject('azuriteConnectionString'),
      DUBAN_TABLE_PREFIX: prefix,
      DUBAN_LINK_SECRET: LINK_SECRET,
    };
    const storage = await openStorage({ connectionString: env.DUBAN_STORAGE, prefix });
    await seedQuarterlyTask(storage);
    const first = io();
    // "Today" is pinned to the day run (08:30 Beijing): a run for today needs no --backfill.
    const context = { env, now: () => new Date('2026-03-17T00:30:00Z') };
    expect(await runDailyCommand(['--on', '2026-03-17'], first.io, context)).toBe(0);
    expect(first.o.err).toContain(`表前缀 ${prefix}`);
    expect(first.o.out).toContain('每日督办 2026-03-17');
    expect(first.o.out).toContain('新入队 1 条');
    const second = io();
    expect(await runDailyCommand(['--on', '2026-03-17', '--json'], second.io, context)).toBe(0);
    expect(JSON.parse(second.o.out)).toMatchObject({ due: 1, queued: 0, existing: 1 });
  });

  it('a bad date or an unknown option → exit 2 with a clear message', async () => {
    const bad = io();
    expect(await main(['run-daily', '--on', '2026-02-30'], bad.io)).toBe(2);
    expect(bad.o.err).toContain('不是有效的日期');
    const unknown = io();
    expect(await main(['run-daily', '--at', '2026-02-03'], unknown.io)).toBe(2);
    expect(unknown.o.err).toContain('参数错误');
  });
});
