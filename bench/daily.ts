// Issue 3 and 12 speed: the daily supervision run for 10,000 tasks across 300 units on a private Azurite —
// wall time and storage round trips at concurrency 1 (the baseline) and at the setting, compared with the floor (one transaction per 100 writes per
// partition, plus the reads). The day is 2026-03-17 (W−10 of Q1), when every 3★ task is reminded:
// the heaviest kind of morning.
import { startAzurite, type RunningAzurite } from '../test/support/azurite.js';
import {
  DEFAULT_CONCURRENCY,
  listTasks,
  openStorage,
  putLedger,
  reminderEntity,
  UNIT_BUCKETS,
  unitBucket,
  writeTasks,
  type StoredTask,
} from '../functions/storage/index.js';
import { TableClient, type TransactionAction } from '@azure/data-tables';
import { createOutbox } from '../functions/notify/outbox.js';
import { runDaily } from '../functions/timers/dailySupervision.js';
import type { LedgerTask, Reminder } from '../shared/model.js';
import { reminderKey } from '../shared/rules/schedule.js';
import { time, type BenchResult } from './measure.js';

/** A 3★ task's Q1 reminder sent on 2026-03-17, as the scheduler makes it (shared/rules/schedule.ts). */
export function benchReminder(taskId: string, taskNo: Reminder['taskNo'], leadUnit: string): Reminder {
  return {
    taskId,
    taskNo,
    leadUnit,
    stars: 3,
    period: '2026-Q1',
    reason: 'quarterly',
    sendOn: '2026-03-17',
    feedbackDue: '2026-03-26',
    roundupOn: '2026-04-08',
  };
}

export function benchTask(
  i: number,
  units: number,
  deadline = '2026-12-31',
): Omit<StoredTask, 'etag' | 'ledgerId'> {
  const task: LedgerTask & { id: string } = {
    row: i + 4,
    id: `DB${String(i).padStart(5, '0')}`,
    no: String(i + 1),
    parent: null,
    title: `重点任务${i + 1}`,
    measures: '按计划推进',
    leadLeader: '张副县长',
    leadUnit: `县第${i % units}单位`,
    leadUnits: [`县第${i % units}单位`],
    supportUnits: [],
    deadline: { text: deadline, date: deadline, recurrence: null },
    category: 'routine',
    stars: 3,
    suggestedStars: 3,
    closed: false,
    milestones: [],
    progress: null,
    target: null,
  };
  return { task, stars: 3, closed: false, closedOn: null, closeNote: null, removed: false, removedOn: null };
}

/** A fresh prefix with one ledger of `tasks` tasks (task i made by `make`) over `units` units, opened at `concurrency`. */
export async function seeded(
  connectionString: string,
  tag: string,
  tasks: number,
  units: number,
  concurrency: number,
  make: typeof benchTask = benchTask,
) {
  const prefix = `bench${tag}${Date.now().toString(36)}`;
  const storage = await openStorage({ connectionString, prefix, concurrency });
  await writeTasks(
    storage,
    'bench',
    Array.from({ length: tasks }, (_, i) => ({ next: make(i, units), etag: null })),
  );
  await putLedger(storage, {
    ledgerId: 'bench',
    year: 2026,
    syncedAt: new Date().toISOString(),
    by: 'bench',
    tasks,
  });
  return storage;
}

/**
 * Azurite keeps the account in one process's heap: every measurement gets a fresh one (in memory:
 * its disk store re-saves the whole account every 5 s, which Azure does not do), so no run pays for
 * the rows and the garbage of the one before it.
 */
export async function onFreshAzurite<T>(
  fn: (connectionString: string, azurite: RunningAzurite) => Promise<T>,
): Promise<T> {
  const azurite = await startAzurite({ inMemory: true });
  try {
    return await fn(azurite.connectionString, azurite);
  } finally {
    await azurite.stop();
  }
}

/** The settings every storage benchmark runs the morning with: a link secret and the public address. */
export const BENCH_ENV = {
  DUBAN_LINK_SECRET: 'bench-link-secret-0123456789',
  DUBAN_PUBLIC_URL: 'http://localhost:7071',
};

export async function benchDaily(tasks = 10_000, units = 300): Promise<BenchResult[]> {
  const env = BENCH_ENV;
  /** The first and second run of the day at a concurrency (1 = one request after another: the baseline). */
  const day = (concurrency: number) =>
    onFreshAzurite(async (connectionString, azurite) => {
      const storage = await seeded(connectionString, `c${concurrency}`, tasks, units, concurrency);
      // CPU of each side of a run: Azurite's JavaScript thread, and this process's (all its threads).
      const cpu = async (run: () => Promise<void>) => {
        const az = azurite.cpuMs();
        const own = process.cpuUsage();
        const ms = await time(run);
        const used = process.cpuUsage(own);
        const azEnd = azurite.cpuMs();
        return {
          ms,
          azuriteCpu: az === null || azEnd === null ? null : azEnd - az,
          ownCpu: (used.user + used.system) / 1000,
        };
      };
      let first = { roundTrips: 0, queued: 0 };
      const firstRun = await cpu(async () => {
        first = await runDaily({ on: '2026-03-17', storage, env, concurrency });
      });
      let second = { roundTrips: 0, queued: 0, existing: 0 };
      const secondRun = await cpu(async () => {
        second = await runDaily({ on: '2026-03-17', storage, env, concurrency });
      });
      // What every run of this design does: read the ledger's tasks (R10, and tasks synced since).
      let read = 0;
      const tasksRead = await cpu(async () => {
        read = (await listTasks(storage, 'bench')).length;
      });
      if (read !== tasks) throw new Error(`benchmark: ${read} tasks read of ${tasks}`);
      return { first, firstMs: firstRun.ms, firstRun, second, secondMs: secondRun.ms, secondRun, tasksRead };
    });
  const setting = DEFAULT_CONCURRENCY;
  const seq = await day(1);
  const par = await day(setting);
  const pages = (n: number) => Math.ceil(n / 1000); // a query returns at most 1,000 entities per page
  const batches = (n: number) => Math.ceil(n / 100);
  const perUnit = Math.ceil(tasks / units);
  // Writes: the reminders (one partition), the outbox (one day partition), one reminder event per
  // task in its unit's partition; reads: the tasks, the reminders and the outbox day once each.
  const floor = batches(tasks) * 2 + units * batches(perUnit) + pages(tasks) * 3;
  const big = await onFreshAzurite((connectionString) => benchBigUnit(connectionString, env));
  const floorOf = await onFreshAzurite((connectionString, azurite) =>
    azuriteFloor(connectionString, azurite),
  );
  // Each side's CPU during a run: Azurite serves every request on its one JavaScript thread, so that
  // thread's CPU is a floor under the run's time whatever this process does.
  const cpuRow = (which: string, r: { azuriteCpu: number | null; ownCpu: number }): BenchResult =>
    r.azuriteCpu === null
      ? {
          name: `this process's CPU (all threads) during the ${which} (Azurite's not measured: not Linux)`,
          value: r.ownCpu,
          unit: 'ms',
        }
      : {
          name: `Azurite's CPU (its JavaScript thread) during the ${which} (this process's, all threads: ${Math.round(r.ownCpu)} ms)`,
          value: r.azuriteCpu,
          unit: 'ms',
        };
  return [
    ...big,
    {
      name: `daily run, ${tasks} tasks / ${units} units, first run, concurrency 1 (baseline; queues ${seq.first.queued})`,
      value: seq.firstMs,
      unit: 'ms',
    },
    {
      name: `first run, concurrency ${setting} (DUBAN_STORAGE_CONCURRENCY default; queues ${par.first.queued})`,
      value: par.firstMs,
      unit: 'ms',
      ratio: par.firstMs / seq.firstMs,
      goal: `≤ 4000 ms (${(par.firstMs / 4000).toFixed(2)}× the goal)`,
    },
    cpuRow(`first run at concurrency ${setting}`, par.firstRun),
    ...floorOf,
    {
      name: `storage round trips, first run, concurrency ${setting} / 1`,
      value: par.first.roundTrips,
      unit: `requests (concurrency 1: ${seq.first.roundTrips})`,
      goal: `≤ concurrency 1, floor ≈ ${floor}`,
    },
    {
      name: `second run of the same day, concurrency 1 (queues ${seq.second.queued}, finds ${seq.second.existing})`,
      value: seq.secondMs,
      unit: 'ms',
    },
    {
      name: `second run, concurrency ${setting} (queues ${par.second.queued}, finds ${par.second.existing})`,
      value: par.secondMs,
      unit: 'ms',
      ratio: par.secondMs / seq.secondMs,
      goal: `≤ 500 ms (${(par.secondMs / 500).toFixed(2)}× the goal)`,
    },
    cpuRow(`second run at concurrency ${setting}`, par.secondRun),
    {
      name: `reading the ledger's ${tasks} tasks alone, as every run of this design does (Azurite's CPU ${par.tasksRead.azuriteCpu === null ? 'not measured' : `${Math.round(par.tasksRead.azuriteCpu)} ms`}; this process's, all threads, ${Math.round(par.tasksRead.ownCpu)} ms)`,
      value: par.tasksRead.ms,
      unit: 'ms',
      goal: `${(par.tasksRead.ms / 500).toFixed(2)}× the second run's goal of ≤ 500 ms`,
    },
    {
      name: `storage round trips, second run, concurrency ${setting} / 1`,
      value: par.second.roundTrips,
      unit: `requests (concurrency 1: ${seq.second.roundTrips})`,
    },
  ];
}

/**
 * Issue 14: one unit leading 2,000 overdue tasks (its orange candidate carries 2,000 findings, split
 * over several properties of its row), against a baseline measured in the same run: the same 2,000
 * tasks spread over 20 units and not overdue (no candidate). Each on a fresh table prefix.
 */
export async function benchBigUnit(
  connectionString: string,
  env: Record<string, string>,
  tasks = 2000,
): Promise<BenchResult[]> {
  const run = async (tag: string, units: number, deadline: string) => {
    const prefix = `bench${tag}${Date.now().toString(36)}`;
    const storage = await openStorage({ connectionString, prefix });
    await writeTasks(
      storage,
      'city',
      Array.from({ length: tasks }, (_, i) => ({ next: benchTask(i, units, deadline), etag: null })),
    );
    await putLedger(storage, {
      ledgerId: 'city',
      year: 2026,
      syncedAt: new Date().toISOString(),
      by: 'bench',
      tasks,
    });
    const outbox = createOutbox({ connectionString, tablePrefix: prefix });
    await outbox.init();
    let result = { roundTrips: 0, candidates: { orange: 0 }, failures: [] as unknown[] };
    const ms = await time(async () => {
      result = await runDaily({ on: '2026-03-17', storage, outbox, env });
    });
    if (result.failures.length) throw new Error(`benchmark run failed: ${JSON.stringify(result.failures)}`);
    return { ms, ...result };
  };
  const baseline = await run('spread', 20, '2026-12-31');
  const big = await run('bigunit', 1, '2026-03-01');
  return [
    {
      name: `daily run, ${tasks} tasks / 20 units, none overdue (baseline)`,
      value: baseline.ms,
      unit: 'ms',
    },
    {
      name: `daily run, one unit leading ${tasks} overdue tasks (orange candidates: ${big.candidates.orange})`,
      value: big.ms,
      unit: 'ms',
      ratio: big.ms / baseline.ms,
    },
    {
      name: 'storage round trips, baseline / one unit leading 2,000 overdue tasks',
      value: big.roundTrips,
      unit: `requests (baseline ${baseline.roundTrips})`,
    },
  ];
}

/**
 * What Azurite alone costs for the first run's storage work, at best: 10,000 Reminders rows built by
 * the run's own `reminderEntity` (storage/records.ts), the smallest of the three rows it writes per
 * task (the history row and the prompt are larger), created in 100-entity transactions, four in flight, in one
 * table — in the run's 8 buckets, which keep the round trips within the run's bound, and in 64
 * partitions (less of LokiJS's key check, more round trips) — and the 10,000 read back. The first run
 * creates three such sets (a reminder, its history row and its prompt per task) and reads the
 * ledger's 10,000 tasks. Azurite serves every request on one JavaScript thread (V8's helpers beside
 * it are not counted), so 3 × the write figure + the read is a floor under the first run's time on
 * this machine, whatever the run does.
 */
async function azuriteFloor(connectionString: string, azurite: RunningAzurite): Promise<BenchResult[]> {
  const entities = 10_000;
  const taskOf = (i: number) => `DB${String(i).padStart(5, '0')}`;
  const unitOf = (i: number) => `县第${i % 300}单位`;
  const measured = async (work: () => Promise<void>) => {
    const before = azurite.cpuMs();
    const ms = await time(work);
    const after = azurite.cpuMs();
    return { ms, cpu: before === null || after === null ? null : after - before };
  };
  const run = async (partitions: number) => {
    const table = TableClient.fromConnectionString(connectionString, `floor${partitions}`, {
      allowInsecureConnection: true,
    });
    await table.createTable();
    const chunks: TransactionAction[][] = [];
    // In 8 partitions a row goes to its unit's bucket, as the run puts it; in 64, to i mod 64.
    const partitionOf = (i: number) => (partitions === UNIT_BUCKETS ? unitBucket(unitOf(i)) : i % partitions);
    for (let p = 0; p < partitions; p++) {
      const rows: TransactionAction[] = [];
      for (let i = 0; i < entities; i++) {
        if (partitionOf(i) !== p) continue;
        const reminder = benchReminder(taskOf(i), String(i + 1), unitOf(i));
        const row = reminderEntity('bench', reminderKey('bench', reminder), reminder, '2026-03-17');
        // In 64 partitions only the partition differs from the run's row.
        rows.push(['create', partitions === UNIT_BUCKETS ? row : { ...row, partitionKey: `bench|${p}` }]);
      }
      for (let i = 0; i < rows.length; i += 100) chunks.push(rows.slice(i, i + 100));
    }
    let next = 0;
    const write = await measured(async () => {
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < chunks.length) await table.submitTransaction(chunks[next++] as TransactionAction[]);
        }),
      );
    });
    let read = 0;
    const readBack = await measured(async () => {
      for await (const _ of table.listEntities()) read++;
    });
    if (read !== entities) throw new Error(`floor: ${read} entities read back of ${entities}`);
    return { write, read: readBack, transactions: chunks.length };
  };
  const cpu = (m: { cpu: number | null }) =>
    m.cpu === null ? 'its CPU not measured' : `its CPU ${Math.round(m.cpu)} ms`;
  const results: BenchResult[] = [];
  for (const partitions of [UNIT_BUCKETS, 64]) {
    const r = await run(partitions);
    const floor = 3 * (r.write.cpu ?? r.write.ms) + (r.read.cpu ?? r.read.ms);
    results.push(
      {
        name: `Azurite alone: ${entities} Reminders rows created in ${partitions} partitions (${r.transactions} transactions; ${cpu(r.write)}), and read back (${cpu(r.read)})`,
        value: r.write.ms,
        unit: 'ms',
      },
      {
        name: `floor under the first run on Azurite in ${partitions} partitions: 3 × the writes + the read (${r.write.cpu === null ? 'time' : 'its CPU'})`,
        value: floor,
        unit: 'ms',
        // The verdict from the run's own partitioning; 64 partitions would cost more round trips than
        // the run's bound, and is shown as the ratio alone.
        goal:
          partitions !== UNIT_BUCKETS
            ? `${(floor / 4000).toFixed(2)}× the first run's goal of ≤ 4000 ms (with more round trips than the run's bound)`
            : floor >= 4000
              ? `${(floor / 4000).toFixed(2)}× the first run's goal of ≤ 4000 ms: out of reach on Azurite here`
              : `${(floor / 4000).toFixed(2)}× the first run's goal of ≤ 4000 ms: leaves ${Math.round(4000 - floor)} ms for the rest of the run`,
      },
    );
  }
  return results;
}
