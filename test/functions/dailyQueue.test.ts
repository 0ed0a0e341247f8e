// The morning run fanned out one queue message per ledger (DUBAN_DAILY_FANOUT=queue), on Azurite's
// Table and Queue services: the timer hands out the messages, the dev host's queue trigger runs each
// ledger as the Functions runtime would, the day ends once with the same rows as one invocation; a
// message delivered twice changes nothing; a message that keeps failing ends in the poison queue.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QueueServiceClient } from '@azure/storage-queue';
import { startAzurite, type RunningAzurite } from '../support/azurite.js';
import { lastDailyRun, openStorage, type Storage } from '../../functions/storage/index.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { DAILY_QUEUE, fanOutDaily } from '../../functions/timers/dailyQueue.js';
import { decodeMessage, encodeMessage, MAX_DEQUEUE_COUNT } from '../../functions/runtime/queue.js';
import { startDevHost, type DevHost } from '../../functions/devhost.js';
import { LINK_SECRET, uniquePrefix } from './support/api.js';
import { seedLedgers, writtenRows } from './support/daily.js';

const ON = '2026-03-17';
const NOW = new Date('2026-03-17T00:00:05Z');
const LEDGERS = ['县直台账', '乡镇台账', '开发区台账'];
const UNITS = Array.from({ length: 6 }, (_, i) => `县第${i + 1}单位`);
let azurite: RunningAzurite;
let host: DevHost;
const fanned = uniquePrefix('fan');
const single = uniquePrefix('one');
const lines: string[] = [];
const env = () => ({
  DUBAN_STORAGE: azurite.connectionString,
  AzureWebJobsStorage: azurite.connectionString,
  DUBAN_TABLE_PREFIX: fanned,
  DUBAN_DAILY_FANOUT: 'queue',
  DUBAN_LINK_SECRET: LINK_SECRET,
  DUBAN_PUBLIC_URL: 'http://localhost:7071',
});

async function seed(storage: Storage): Promise<void> {
  await seedLedgers(storage, {
    ledgers: LEDGERS,
    tasks: 60,
    idPrefix: 'Q',
    unitOf: (i, l) => UNITS[(i + l) % UNITS.length]!,
    late: (i) => i % 7 === 0,
    syncedAt: NOW.toISOString(),
  });
}

/** Every row the run writes, the same row once (one daily-run row per firing compares as one). */
async function written(storage: Storage): Promise<string> {
  const rows = await writtenRows(storage);
  return JSON.stringify(Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, [...new Set(r)]])));
}

const queues = () => QueueServiceClient.fromConnectionString(azurite.connectionString);

let fannedStorage: Storage;
let singleStorage: Storage;

beforeAll(async () => {
  azurite = await startAzurite({ queue: true });
  fannedStorage = await openStorage({ connectionString: azurite.connectionString, prefix: fanned });
  singleStorage = await openStorage({ connectionString: azurite.connectionString, prefix: single });
  await seed(fannedStorage);
  await seed(singleStorage);
  // The host that drains the queue when a test says so (no polling): the double delivery and the poison queue.
  host = await startDevHost({
    port: 0,
    env: env(),
    timers: false,
    queues: 'drain',
    log: (l) => lines.push(l),
  });
}, 120_000);

afterAll(async () => {
  await host?.close();
  await azurite?.stop();
});

describe('the morning run, one queue message per ledger (R17, R22)', () => {
  it('R22: the timer hands out one message per ledger; the queue trigger runs each; the day ends once, as one invocation would have written it', async () => {
    const out = await fanOutDaily({ on: ON, storage: fannedStorage, env: env(), now: NOW });
    expect(out.ledgers).toBe(3);
    const peeked = await queues().getQueueClient(DAILY_QUEUE).peekMessages({ numberOfMessages: 32 });
    const messages = peeked.peekedMessageItems.map(
      (m) => decodeMessage(m.messageText) as { ledgerId: string },
    );
    expect(messages.map((m) => m.ledgerId).sort()).toEqual([...LEDGERS].sort());
    expect(messages[0]).toMatchObject({ on: ON, from: ON, at: NOW.toISOString() });
    // The day is not over until every ledger is done.
    expect(await lastDailyRun(fannedStorage)).toBeNull();

    // The dev host polls the queue as the Functions runtime does: the day ends once all three are done.
    const polling = await startDevHost({ port: 0, env: env(), timers: false, queues: true, log: () => {} });
    try {
      await vi.waitFor(async () => expect(await lastDailyRun(fannedStorage)).toBe(ON), {
        timeout: 150_000,
        interval: 200,
      });
    } finally {
      await polling.close();
    }
    expect(await lastDailyRun(fannedStorage)).toBe(ON);

    const one = await runDaily({ on: ON, storage: singleStorage, env: env(), now: NOW });
    expect(one.queued).toBe(180);
    const [a, b] = [await written(fannedStorage), await written(singleStorage)];
    expect(a.replaceAll(fanned, '')).toBe(b.replaceAll(single, ''));
    const daily = (await fannedStorage.list('Events')).filter((e) => e.type === 'daily-run');
    expect(daily).toHaveLength(1);
    expect(JSON.parse(String(daily[0]!.data))).toMatchObject({
      ledgers: 3,
      due: 180,
      queued: 180,
      failures: [],
    });
  }, 200_000);

  it('R17: the same message delivered twice changes nothing (no prompt, reminder or history row doubled; the day ends once)', async () => {
    const queue = queues().getQueueClient(DAILY_QUEUE);
    const message = { on: ON, from: ON, ledgerId: LEDGERS[0], at: NOW.toISOString() };
    // The ledger's day done once (a no-op if the fan-out test already did it), then the same message twice.
    await queue.sendMessage(encodeMessage(message));
    expect(await host.drainQueues()).toBe(1);
    const before = await written(fannedStorage);
    const dayEnds = async () =>
      (await fannedStorage.list('Events')).filter((e) => e.type === 'daily-run').length;
    const endsBefore = await dayEnds();
    await queue.sendMessage(encodeMessage(message));
    await queue.sendMessage(encodeMessage(message));
    expect(await host.drainQueues()).toBe(2);
    expect(await written(fannedStorage)).toBe(before);
    expect(await dayEnds()).toBe(endsBefore);
    expect(endsBefore).toBeLessThanOrEqual(1);
  }, 120_000);

  it(`R17: a message that fails ${MAX_DEQUEUE_COUNT} times is moved to ${DAILY_QUEUE}-poison, kept as it was, with each failure logged`, async () => {
    const queue = queues().getQueueClient(DAILY_QUEUE);
    const bad = encodeMessage({ on: '2026-02-30', from: ON, ledgerId: LEDGERS[0], at: NOW.toISOString() });
    await queue.sendMessage(bad);
    lines.length = 0;
    await host.drainQueues();
    const poison = await queues()
      .getQueueClient(`${DAILY_QUEUE}-poison`)
      .peekMessages({ numberOfMessages: 32 });
    expect(poison.peekedMessageItems.map((m) => m.messageText)).toEqual([bad]);
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);
    const failures = lines.filter((l) => l.includes('处理失败'));
    expect(failures).toHaveLength(MAX_DEQUEUE_COUNT);
    expect(failures[0]).toContain('每日督办队列消息无效');
    expect(lines.some((l) => l.includes(`已移入 ${DAILY_QUEUE}-poison`))).toBe(true);
  }, 120_000);
});
