// The morning run side by side (ledgers, groups of units, day partitions at once) against the same
// run one request after another (concurrency 1): the same outbox, the same reminders, the same
// history, the same candidates, no more storage round trips; and the same idempotence when the
// timer fires twice at once.
import { describe, expect, inject, it } from 'vitest';
import { openStorage, setLastDailyRun, type Storage } from '../../functions/storage/index.js';
import { runDaily, type DailyRunResult } from '../../functions/timers/dailySupervision.js';
import { LINK_SECRET, uniquePrefix } from './support/api.js';
import { seedLedgers, writtenRows } from './support/daily.js';

const ON = '2026-03-17';
const NOW = new Date('2026-03-17T00:00:05Z');
const env = { DUBAN_LINK_SECRET: LINK_SECRET, DUBAN_PUBLIC_URL: 'http://localhost:7071' };
const LEDGERS = ['县直台账', '乡镇台账', '开发区台账'];
const UNITS = Array.from({ length: 12 }, (_, i) => `县第${i + 1}单位`);

/** Three ledgers of 140 tasks over 12 units: quarterly 3★ reminders due, some tasks past their deadline. */
async function seed(storage: Storage): Promise<void> {
  await seedLedgers(storage, {
    ledgers: LEDGERS,
    tasks: 140,
    idPrefix: 'T',
    unitOf: (i, l) => UNITS[(i * 7 + l) % UNITS.length]!,
    late: (i) => i % 9 === 0,
    syncedAt: NOW.toISOString(),
  });
  // The last completed run was a week ago: the run catches up on six days as well.
  await setLastDailyRun(storage, '2026-03-10', '2026-03-10T00:00:05.000Z');
}

/** One daily-run row per firing: the rows compared as a set of distinct rows. */
const dedup = (w: Record<string, string[]>) => ({ ...w, Events: [...new Set(w.Events)] });

const withoutTrips = ({ roundTrips: _r, ...rest }: DailyRunResult) => rest;

async function fresh(tag: string, concurrency: number): Promise<Storage> {
  const storage = await openStorage({
    connectionString: inject('azuriteConnectionString'),
    prefix: uniquePrefix(tag),
    concurrency,
  });
  await seed(storage);
  return storage;
}

describe('the morning run side by side (R15, R17)', () => {
  it('R17: concurrency 1 and concurrency 8 write the same outbox, reminders, history and candidates, in no more round trips', async () => {
    const one = await fresh('seq', 1);
    const eight = await fresh('par', 8);
    const a = await runDaily({ on: ON, storage: one, env, now: NOW, concurrency: 1 });
    const b = await runDaily({ on: ON, storage: eight, env, now: NOW });
    expect(a.queued).toBeGreaterThan(300);
    expect(a.from).toBe('2026-03-11');
    expect(a.candidates.orange).toBeGreaterThan(0);
    expect(withoutTrips(b)).toEqual(withoutTrips(a));
    expect(b.roundTrips).toBeLessThanOrEqual(a.roundTrips);
    const [wa, wb] = [await writtenRows(one), await writtenRows(eight)];
    expect(wa.Outbox).toHaveLength(a.queued + 1); // the entries and the watermark
    expect(JSON.stringify(wb)).toBe(JSON.stringify(wa));

    // The second run of the day, side by side: nothing new, nothing rewritten differently.
    const again = await runDaily({ on: ON, storage: eight, env, now: NOW });
    expect(again.queued).toBe(0);
    expect(again.existing).toBe(a.queued);
    expect(JSON.stringify(dedup(await writtenRows(eight)))).toBe(JSON.stringify(dedup(wa)));
  }, 180_000);

  it('R17: the timer firing twice at once, side by side, queues each reminder once and writes each history row once', async () => {
    const one = await fresh('seq2', 1);
    const eight = await fresh('twice', 8);
    const a = await runDaily({ on: ON, storage: one, env, now: NOW, concurrency: 1 });
    const [x, y] = await Promise.all([
      runDaily({ on: ON, storage: eight, env, now: NOW }),
      runDaily({ on: ON, storage: eight, env, now: NOW }),
    ]);
    expect(x.failures).toEqual([]);
    expect(y.failures).toEqual([]);
    expect(x.queued + y.queued).toBe(a.queued);
    const wa = await writtenRows(one);
    const wb = await writtenRows(eight);
    // Two daily-run rows (one per firing) — everything else exactly as one sequential run wrote it.
    expect(wb.Events!.filter((e) => (JSON.parse(e) as { type?: string }).type === 'daily-run')).toHaveLength(
      2,
    );
    expect(JSON.stringify(dedup(wb))).toBe(JSON.stringify(dedup(wa)));
  }, 180_000);
});
