// A city on one deployment (issue 12): 10 ledgers, 100,000 tasks, 3,000 units in one storage account
// (`npm run bench -- city`; not in the default run: seeding takes minutes on Azurite). The morning run
// in one invocation at the storage's concurrency — wall time, peak memory, round trips — against the
// Consumption plan's limits (10 minutes, 1.5 GB), and the same day fanned out one queue message per
// ledger (the dev host's queue trigger on Azurite's Queue service): the longest ledger's share.
import { startAzurite } from '../test/support/azurite.js';
import { openStorage, putLedger, writeTasks, type Storage } from '../functions/storage/index.js';
import { runDaily } from '../functions/timers/dailySupervision.js';
import { fanOutDaily, runLedgerMessage } from '../functions/timers/dailyQueue.js';
import { decodeMessage, openQueue } from '../functions/runtime/queue.js';
import { peakRss, time, type BenchResult } from './measure.js';
import { BENCH_ENV, benchTask } from './daily.js';

const LEDGERS = Number(process.env.DUBAN_BENCH_CITY_LEDGERS ?? 10);
const TASKS = Number(process.env.DUBAN_BENCH_CITY_TASKS ?? 100_000);
const UNITS = 3_000;
const env = BENCH_ENV;

async function seedCity(storage: Storage): Promise<void> {
  const per = Math.ceil(TASKS / LEDGERS);
  for (let l = 0; l < LEDGERS; l++) {
    const ledgerId = `县${l + 1}台账`;
    // Each county's ledger leads its own 300 of the city's 3,000 units.
    const rows = Array.from({ length: per }, (_, i) => {
      const t = benchTask(i, UNITS / LEDGERS);
      const unit = `第${l + 1}县第${i % (UNITS / LEDGERS)}单位`;
      return { next: { ...t, task: { ...t.task, leadUnit: unit, leadUnits: [unit] } }, etag: null };
    });
    await writeTasks(storage, ledgerId, rows);
    await putLedger(storage, {
      ledgerId,
      year: 2026,
      syncedAt: new Date().toISOString(),
      by: 'bench',
      tasks: per,
    });
  }
}

export async function benchCity(): Promise<BenchResult[]> {
  const azurite = await startAzurite({ queue: true, inMemory: true });
  try {
    const one = await openStorage({
      connectionString: azurite.connectionString,
      prefix: `city${Date.now().toString(36)}`,
    });
    const fan = await openStorage({
      connectionString: azurite.connectionString,
      prefix: `fan${Date.now().toString(36)}`,
    });
    const seedMs = await time(() => Promise.all([seedCity(one), seedCity(fan)]));
    let run = { roundTrips: 0, queued: 0, failures: [] as unknown[] };
    let ms = 0;
    const rss = await peakRss(async () => {
      ms = await time(async () => {
        run = await runDaily({ on: '2026-03-17', storage: one, env });
      });
    });
    // Fanned out: the timer's part, then each ledger's message as the queue trigger runs it.
    const queueEnv = { ...env, AzureWebJobsStorage: azurite.connectionString };
    const fanOutMs = await time(() =>
      fanOutDaily({ on: '2026-03-17', storage: fan, env: queueEnv, queueName: 'bench-city' }),
    );
    const queue = await openQueue(queueEnv, 'bench-city');
    const perLedger: number[] = [];
    // The ledgers' invocations one after another in this process: its peak bounds one invocation's
    // memory from above (what the one-invocation run left behind is garbage by then, maybe not yet collected).
    const fanRss = await peakRss(async () => {
      for (;;) {
        const got = (await queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 600 }))
          .receivedMessageItems;
        if (!got.length) break;
        const m = got[0]!;
        perLedger.push(
          await time(() => runLedgerMessage(decodeMessage(m.messageText), { storage: fan, env: queueEnv })),
        );
        await queue.deleteMessage(m.messageId, m.popReceipt);
      }
    });
    const longest = Math.max(...perLedger);
    return [
      {
        name: `seeding ${LEDGERS} ledgers / ${TASKS} tasks twice (not a figure of the run)`,
        value: seedMs,
        unit: 'ms',
      },
      {
        name: `morning run in one invocation, ${LEDGERS} ledgers / ${TASKS} tasks / ${UNITS} units (queues ${run.queued}, failures ${run.failures.length})`,
        value: ms,
        unit: 'ms',
        goal: `≤ 600000 ms, the Consumption plan's limit (${(ms / 600_000).toFixed(2)}× it)`,
      },
      {
        name: 'peak memory of that run (whole bench process)',
        value: rss,
        unit: 'MB',
        goal: `≤ 1536 MB (${(rss / 1536).toFixed(2)}× it)`,
      },
      { name: 'storage round trips of that run', value: run.roundTrips, unit: 'requests' },
      {
        name: `fanned out: the timer's part (plan + ${LEDGERS} queue messages)`,
        value: fanOutMs,
        unit: 'ms',
      },
      {
        name: `fanned out: the longest ledger's invocation (${perLedger.length} messages)`,
        value: longest,
        unit: 'ms',
        ratio: longest / ms,
        goal: `≤ 600000 ms (${(longest / 600_000).toFixed(2)}× it)`,
      },
      {
        name: 'peak memory while the ledgers ran one invocation after another (an upper bound of one)',
        value: fanRss,
        unit: 'MB',
        goal: `≤ 1536 MB (${(fanRss / 1536).toFixed(2)}× it)`,
      },
    ];
  } finally {
    await azurite.stop();
  }
}
