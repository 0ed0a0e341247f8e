// A morning's big partitions cut by unit (functions/storage/README.md, "Buckets"): a ledger's
// Reminders and a day's Outbox each in eight partitions by the lead unit, a unit's rows of a morning
// in one; and rows written before the cut (PartitionKey = the bare ledger id or day) still count as
// the reminders and prompts they are (R17: one key, one reminder, one prompt). Against Azurite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { runtimeOutbox } from '../../functions/runtime/outbox.js';
import { runtimeEnv } from '../../functions/runtime/index.js';
import {
  encodeKey,
  listReminders,
  listTaskReminders,
  lastDailyRun,
  unitBucket,
} from '../../functions/storage/index.js';
import { deliveryOutside, unreadSpans } from '../../functions/supervision.js';
import { prefetched } from '../../functions/storage/index.js';
import type { Outbox } from '../../functions/notify/outbox.js';
import type { Reminder } from '../../shared/model.js';

let api: TestApi;
const LEDGER = 'bucket-2026';
const UNITS = Array.from({ length: 12 }, (_, u) => `县第${u + 1}局`);
const MORNING = '2026-03-17';

beforeAll(async () => {
  api = await startApi('bucket');
  const sync = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: LEDGER,
      year: 2026,
      by: '李文书',
      tasks: UNITS.flatMap((unit, u) =>
        [0, 1].map((k) =>
          task(`B${u * 2 + k + 1}`, {
            row: 4 + u * 2 + k,
            leadUnit: unit,
            leadUnits: [unit],
            category: 'routine',
          }),
        ),
      ),
    },
  });
  expect(sync.status).toBe(200);
});
afterAll(async () => {
  await api.close();
});

const rows = (table: 'Reminders' | 'Outbox') => api.storage.list(table, '');

describe('a morning cut into buckets of units', () => {
  it('R15/R17: each unit’s reminders and prompts of a morning share one partition of its bucket; the morning uses several', async () => {
    const run = await runDaily({ on: MORNING, storage: api.storage, now: new Date('2026-03-17T00:00:05Z') });
    expect(run.queued).toBe(24);
    const reminders = await rows('Reminders');
    const prompts = (await rows('Outbox')).filter((r) => r.partitionKey !== '!meta');
    expect(reminders).toHaveLength(24);
    expect(prompts).toHaveLength(24);
    for (const unit of UNITS) {
      const b = unitBucket(unit);
      const mine = prompts.filter((p) => p.unit === unit);
      expect(mine.map((p) => p.partitionKey)).toEqual([`${MORNING}|${b}`, `${MORNING}|${b}`]);
      expect(mine.map((p) => p.sendOn)).toEqual([MORNING, MORNING]);
      const recorded = reminders.filter((r) => String(r.json).includes(`"leadUnit":"${unit}"`));
      expect(recorded.map((r) => r.partitionKey)).toEqual([
        `${encodeKey(LEDGER)}|${b}`,
        `${encodeKey(LEDGER)}|${b}`,
      ]);
    }
    expect(new Set(prompts.map((p) => p.partitionKey)).size).toBeGreaterThan(3);
  });

  it('R17: reminders and prompts written before the cut (PartitionKey = the ledger id, the day) are found: nothing is recorded or queued twice', async () => {
    // The morning as an earlier version kept it: every row moved back to the partition of its ledger or day.
    for (const table of ['Reminders', 'Outbox'] as const) {
      for (const row of await rows(table)) {
        if (row.partitionKey === '!meta') continue;
        const { etag: _etag, sendOn: _sendOn, ...rest } = row;
        const legacy = table === 'Reminders' ? encodeKey(LEDGER) : MORNING;
        await api.storage.table(table).createEntity({ ...rest, partitionKey: legacy });
        await api.storage.table(table).deleteEntity(row.partitionKey, row.rowKey);
      }
    }
    expect(new Set((await rows('Outbox')).map((r) => r.partitionKey))).toEqual(new Set(['!meta', MORNING]));
    // A run stopped between recording B2's reminder and queuing it, before buckets.
    const b2 = (await rows('Outbox')).find((r) => r.taskId === 'B2')!;
    await api.storage.table('Outbox').deleteEntity(b2.partitionKey, b2.rowKey);
    // The morning was not completed, so the next run checks every reminder of it against the outbox.
    await api.storage
      .table('Config')
      .upsertEntity(
        { partitionKey: 'daily', rowKey: 'last', on: '2026-03-16', at: '2026-03-16T00:00:05.000Z' },
        'Replace',
      );
    expect(await lastDailyRun(api.storage)).toBe('2026-03-16');

    const again = await runDaily({
      on: MORNING,
      storage: api.storage,
      now: new Date('2026-03-17T03:00:00Z'),
    });
    expect(again).toMatchObject({ queued: 1, existing: 23 });
    expect(await rows('Reminders')).toHaveLength(24);
    const prompts = (await rows('Outbox')).filter((r) => r.partitionKey !== '!meta');
    expect(prompts).toHaveLength(24);
    // The one queued now goes to its unit's bucket; the others stay where they were.
    expect(prompts.find((r) => r.taskId === 'B2')!.partitionKey).toBe(`${MORNING}|${unitBucket(UNITS[0]!)}`);
    expect(prompts.filter((r) => r.partitionKey === MORNING)).toHaveLength(23);
    expect(await listReminders(api.storage, LEDGER)).toHaveLength(24);
    // A letter's facts read the tasks' reminders to the unit from the partition they were written to.
    expect(
      (await listTaskReminders(api.storage, LEDGER, UNITS[0]!, ['B1', 'B2', 'B3']))
        .filter((r) => r.leadUnit === UNITS[0])
        .map((r) => r.taskId)
        .sort(),
    ).toEqual(['B1', 'B2']);
    // And a run of the same day once more finds everything.
    expect(
      await runDaily({ on: MORNING, storage: api.storage, now: new Date('2026-03-17T04:00:00Z') }),
    ).toMatchObject({ queued: 0, existing: 24 });

    // Listed, and delivered state written on its own row (the bare day), as every prompt is.
    const outbox = runtimeOutbox(runtimeEnv());
    const listed = (await outbox.listOutbox({ date: MORNING, limit: 1000 })).items;
    expect(listed).toHaveLength(24);
    const first = listed.find((i) => i.taskId === 'B1')!;
    expect(first).toMatchObject({ sendOn: MORNING, partition: MORNING, status: 'queued' });
    expect(await outbox.settle([{ item: first, patch: { status: 'sent', attempts: 1 } }])).toEqual([]);
    expect(await outbox.find(MORNING, first.unit, first.key)).toMatchObject({
      status: 'sent',
      partition: MORNING,
    });
  });
});

describe('delivery facts read once', () => {
  it('R9: the days a morning read already are not read again for late reports; every other day of the span is', () => {
    expect(unreadSpans('2026-01-05', '2026-03-17', new Set(['2026-03-17']))).toEqual([
      ['2026-01-05', '2026-03-16'],
    ]);
    expect(unreadSpans('2026-03-17', '2026-03-17', new Set(['2026-03-17']))).toEqual([]);
    expect(
      unreadSpans('2026-03-01', '2026-03-10', new Set(['2026-03-03', '2026-03-04', '2026-03-12'])),
    ).toEqual([
      ['2026-03-01', '2026-03-02'],
      ['2026-03-05', '2026-03-10'],
    ]);
    expect(unreadSpans('2026-02-27', '2026-03-02', new Set())).toEqual([['2026-02-27', '2026-03-02']]);
    expect(unreadSpans('2026-02-27', '2026-03-02', new Set(['2026-02-28']))).toEqual([
      ['2026-02-27', '2026-02-27'],
      ['2026-03-01', '2026-03-02'],
    ]);
  });

  it('R9: the facts of the days a morning does not write are read while it writes, once, and the late reports read none of those days again', async () => {
    const asked: [string, string, string][] = [];
    const fake = {
      deliveryOf: async (ledgerId: string, from: string, to: string) => {
        asked.push([ledgerId, from, to]);
        return [
          {
            key: `${ledgerId}|T1|2026-01|monthly`,
            sendOn: '2026-01-05',
            status: 'sent',
            channels: [],
            lastError: null,
          },
        ];
      },
    } as unknown as Outbox;
    const sent = (sendOn: string) => ({ sendOn }) as Reminder;
    const known = await deliveryOutside(
      fake,
      LEDGER,
      [sent('2026-03-17'), sent('2026-01-05'), sent('2026-02-02')],
      new Set(['2026-03-17']),
    );
    // January 5 to the day before the morning's own day, in pieces of at most a month read side by side.
    expect(asked).toEqual([
      [LEDGER, '2026-01-05', '2026-02-04'],
      [LEDGER, '2026-02-05', '2026-03-07'],
      [LEDGER, '2026-03-08', '2026-03-16'],
    ]);
    expect(known.days.has('2026-01-05') && known.days.has('2026-02-14') && known.days.has('2026-03-16')).toBe(
      true,
    );
    expect(known.days.has('2026-03-17')).toBe(false);
    expect(known.facts.get(`${LEDGER}|T1|2026-01|monthly`)?.status).toBe('sent');
    // With the morning's own day read too, nothing of the span is left to read.
    expect(unreadSpans('2026-01-05', '2026-03-17', new Set([...known.days, '2026-03-17']))).toEqual([]);
    // A ledger with no reminder but those of the days written reads nothing more.
    asked.length = 0;
    expect(
      (await deliveryOutside(fake, LEDGER, [sent('2026-03-17')], new Set(['2026-03-17']))).days.size,
    ).toBe(0);
    expect(asked).toEqual([]);
  });

  it('R9/R10: the feedback a morning reads ahead for its candidates is read again after a failed read, for the units written one by one after it, whether or not the failure was handed out', async () => {
    const reads: Promise<string[]>[] = [];
    const reader = (fail: (n: number) => boolean) => () => {
      const n = reads.length + 1;
      const p = fail(n) ? Promise.reject(new Error('存储暂时不可用')) : Promise.resolve([`第${n}次读取`]);
      reads.push(p);
      return p;
    };
    // The failed read handed out: its caller sees the failure, the next caller a fresh read.
    const handed = prefetched(reader((n) => n === 1));
    await expect(handed()).rejects.toThrow('存储暂时不可用');
    await expect(handed()).resolves.toEqual(['第2次读取']);
    // A read that succeeded is handed out as it is, never read again.
    await expect(handed()).resolves.toEqual(['第2次读取']);
    expect(reads).toHaveLength(2);
    // The failed read never handed out (the whole-ledger attempt failed before its candidates): the
    // first unit gets a fresh read, not the old failure.
    reads.length = 0;
    const unseen = prefetched(reader((n) => n === 1));
    await reads[0]!.catch(() => {});
    await expect(unseen()).resolves.toEqual(['第2次读取']);
  });
});
