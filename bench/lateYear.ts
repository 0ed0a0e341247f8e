// Issue 12, a morning late in the year: every morning reads the ledger's reminders of the year and
// their delivery facts (R17's identities, R9's late reports), so a November morning reads more than a
// March one. Measured on one ledger with the mix of stars an office keeps (six in ten 3★, three 4★,
// one 5★), on 2026-11-30 (a Monday: every 5★ task is reminded), against a baseline measured in the same
// run: the same morning of the same ledger with no reminder behind it. The year behind it (1 January
// to 29 November) is written straight into Reminders and Outbox, as the mornings before would have
// left it, without their history rows (the morning reads none of them).
import {
  DEFAULT_CONCURRENCY,
  listTasks,
  loadSettings,
  recordReminders,
  setLastDailyRun,
  type Storage,
} from '../functions/storage/index.js';
import { createOutbox } from '../functions/notify/outbox.js';
import { remindersBetween } from '../functions/supervision.js';
import { runDaily } from '../functions/timers/dailySupervision.js';
import { makeCalendar } from '../shared/calendar.js';
import { reminderKey } from '../shared/rules/schedule.js';
import { BENCH_ENV, benchTask, onFreshAzurite, seeded } from './daily.js';
import { peakRss, time, type BenchResult } from './measure.js';

const MORNING = '2026-11-30';
const EVE = '2026-11-29';

/** Task i of the mix: 5★ one in ten, 4★ three in ten, 3★ the rest. */
function mixedTask(i: number, units: number) {
  const t = benchTask(i, units);
  const stars = i % 10 === 9 ? 5 : i % 10 >= 6 ? 4 : 3;
  const category = stars === 5 ? 'major' : stars === 4 ? 'indicator' : 'routine';
  return { ...t, stars, task: { ...t.task, stars, suggestedStars: stars, category } } as typeof t;
}

/** The year up to the eve of the morning: each reminder recorded and queued on its day. */
async function yearBehind(storage: Storage): Promise<number> {
  const settings = await loadSettings(storage);
  const tasks = await listTasks(storage, 'bench');
  const { reminders } = remindersBetween(tasks, '2026-01-01', EVE, makeCalendar(settings), settings);
  const outbox = createOutbox({ storage });
  for (let i = 0; i < reminders.length; i += 10_000) {
    const part = reminders.slice(i, i + 10_000);
    await recordReminders(
      storage,
      'bench',
      part.map((r) => ({ key: reminderKey('bench', r), reminder: r, queuedOn: r.sendOn })),
    );
    await outbox.enqueuePrompts(
      part.map((r) => ({
        ...r,
        ledgerId: 'bench',
        unit: r.leadUnit,
        taskTitle: `重点任务${r.taskNo}`,
        feedbackUrl: 'http://localhost:7071/api/f/bench',
      })),
      { present: new Set() },
    );
  }
  await setLastDailyRun(storage, EVE, new Date().toISOString());
  return reminders.length;
}

export async function benchLateYear(tasks = 2_000, units = 100): Promise<BenchResult[]> {
  const env = BENCH_ENV;
  // Each on an Azurite of its own, started fresh (in memory), so neither pays for the other's rows.
  const morning = (withYear: boolean) =>
    onFreshAzurite(async (connectionString) => {
      const tag = withYear ? 'late' : 'none';
      const storage = await seeded(connectionString, tag, tasks, units, DEFAULT_CONCURRENCY, mixedTask);
      const behind = withYear ? await yearBehind(storage) : 0;
      let result = { roundTrips: 0, queued: 0, failures: [] as unknown[] };
      let ms = 0;
      const rss = await peakRss(async () => {
        ms = await time(async () => {
          result = await runDaily({ on: MORNING, storage, env });
        });
      });
      if (result.failures.length) throw new Error(`benchmark run failed: ${JSON.stringify(result.failures)}`);
      return { ms, behind, rss, ...result };
    });
  const none = await morning(false);
  const late = await morning(true);
  return [
    {
      name: `${MORNING}, ${tasks} tasks (3★/4★/5★ 6:3:1) / ${units} units, no reminder behind it (baseline; queues ${none.queued})`,
      value: none.ms,
      unit: 'ms',
    },
    {
      name: `the same morning with the year behind it (${late.behind} reminders and prompts since 1 January; queues ${late.queued})`,
      value: late.ms,
      unit: 'ms',
      ratio: late.ms / none.ms,
    },
    {
      name: 'storage round trips, the morning with the year behind it / with none',
      value: late.roundTrips,
      unit: `requests (none behind it: ${none.roundTrips})`,
    },
    {
      name: 'peak memory of the bench process during the morning with the year behind it / with none',
      value: late.rss,
      unit: `MB (none behind it: ${none.rss} MB)`,
    },
  ];
}
