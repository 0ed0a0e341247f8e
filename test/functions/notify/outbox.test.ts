// The outbox on a real Azurite: one entry per idempotency key (R17), illegal key characters,
// transactions of at most 100 per partition, and the query the HTTP layer pages through.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createOutbox, outboxRowKey, keyFromRowKey, type Outbox } from '../../../functions/notify/outbox.js';
import { unitBucket as outboxBucket } from '../../../functions/storage/keys.js';
import { reminderKey } from '../../../shared/rules/schedule.js';
import { LEDGER, prompt } from './fixtures.js';

let outbox: Outbox;
let n = 0;
const fresh = () =>
  createOutbox({
    connectionString: inject('azuriteConnectionString'),
    tablePrefix: `tnotifyob${Date.now().toString(36)}${n++}`,
  });

beforeAll(async () => {
  outbox = await fresh().init();
});

describe('enqueuePrompts', () => {
  it('R17: enqueueing the same reminders twice keeps one entry per ledger|task|period|reason', async () => {
    const ob = await fresh().init();
    const day = [prompt(1), prompt(2), prompt(3)];
    expect(await ob.enqueuePrompts(day)).toEqual({ queued: 3, existing: 0 });
    expect(await ob.enqueuePrompts(day)).toEqual({ queued: 0, existing: 3 });
    // The same reminder listed twice in one call counts once.
    expect(await ob.enqueuePrompts([prompt(4), prompt(4)])).toEqual({ queued: 1, existing: 1 });
    const page = await ob.listOutbox({ date: '2026-03-17' });
    expect(page.items).toHaveLength(4);
    const first = page.items.find((i) => i.taskId === 'T-0001')!;
    expect(first.key).toBe(reminderKey(LEDGER, prompt(1)));
    expect(first).toMatchObject({
      status: 'queued',
      attempts: 0,
      unit: '县财政局',
      taskNo: '1',
      period: '2026-Q1',
      reason: 'quarterly',
    });
  });

  it('R17: a second daily run never resets an entry that was already sent or failed', async () => {
    const ob = await fresh().init();
    await ob.enqueuePrompts([prompt(1), prompt(2)]);
    const items = (await ob.listOutbox({ date: '2026-03-17' })).items;
    const one = items.find((i) => i.taskId === 'T-0001')!;
    const two = items.find((i) => i.taskId === 'T-0002')!;
    await ob.settle([
      { item: one, patch: { status: 'sent', attempts: 1, sentAt: '2026-03-17T00:05:00.000Z' } },
      { item: two, patch: { status: 'failed', attempts: 5, lastError: '企业微信 x：请求超时' } },
    ]);
    expect(await ob.enqueuePrompts([prompt(1), prompt(2), prompt(3)])).toEqual({ queued: 1, existing: 2 });
    expect(await ob.find('2026-03-17', one.unit, one.key)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await ob.find('2026-03-17', two.unit, two.key)).toMatchObject({
      status: 'failed',
      attempts: 5,
      lastError: '企业微信 x：请求超时',
    });
  });

  it('R17: two daily runs enqueueing at the same moment queue each reminder once', async () => {
    const ob = await fresh().init();
    const day = Array.from({ length: 30 }, (_, i) => prompt(i + 1));
    const [a, b] = await Promise.all([ob.enqueuePrompts(day), ob.enqueuePrompts(day)]);
    expect(a.queued + b.queued).toBe(30);
    expect(a.existing + b.existing).toBe(30);
    expect((await ob.listOutbox({ date: '2026-03-17', limit: 1000 })).items).toHaveLength(30);
  });

  it('stores ids with characters Table Storage forbids in keys (/ \\ # ? and control characters)', async () => {
    const ob = await fresh().init();
    const odd = prompt(1, { taskId: 'A/B\\C#D?E\u0001F|G%H', ledgerId: '台账#1/2026' });
    await ob.enqueuePrompts([odd]);
    const key = reminderKey('台账#1/2026', odd);
    const rowKey = outboxRowKey(key);
    // eslint-disable-next-line no-control-regex -- the point is that none is left
    expect(rowKey).not.toMatch(/[/\\#?\u0000-\u001f]/);
    expect(keyFromRowKey(rowKey)).toBe(key);
    const got = await ob.find('2026-03-17', odd.unit, key);
    expect(got).toMatchObject({ taskId: 'A/B\\C#D?E\u0001F|G%H', ledgerId: '台账#1/2026', key });
  });

  it('writes a day of 250 prompts as transactions of at most 100 a partition (one query, the transactions, the watermark read and set)', async () => {
    const ob = await fresh().init();
    let before = ob.roundTrips;
    const day = Array.from({ length: 250 }, (_, i) => prompt(i + 1, { unit: `单位${i % 7}` }));
    expect(await ob.enqueuePrompts(day)).toEqual({ queued: 250, existing: 0 });
    const perBucket = new Map<number, number>();
    for (const p of day) perBucket.set(outboxBucket(p.unit), (perBucket.get(outboxBucket(p.unit)) ?? 0) + 1);
    const transactions = [...perBucket.values()].reduce((n, k) => n + Math.ceil(k / 100), 0);
    expect(perBucket.size).toBeGreaterThan(1);
    expect(ob.roundTrips - before).toBe(1 + transactions + 2);
    // The second run of the day: one query, nothing written.
    before = ob.roundTrips;
    expect(await ob.enqueuePrompts(day)).toEqual({ queued: 0, existing: 250 });
    expect(ob.roundTrips - before).toBe(1);
    expect((await ob.listOutbox({ date: '2026-03-17', limit: 1000 })).items).toHaveLength(250);
  });

  it('computes the signed link when the caller passes a function, and refuses a prompt without one', async () => {
    const ob = await fresh().init();
    const { feedbackUrl: _drop, ...bare } = prompt(9);
    await ob.enqueuePrompts([bare], {
      feedbackUrl: (e) => `https://x.example/f/${encodeURIComponent(e.taskId)}?sig=s`,
    });
    expect((await ob.listOutbox({})).items[0]!.feedbackUrl).toBe('https://x.example/f/T-0009?sig=s');
    await expect(ob.enqueuePrompts([{ ...bare, taskId: 'T-10' }])).rejects.toThrow(/缺少反馈链接/);
    await expect(ob.enqueuePrompts([prompt(11, { sendOn: '2026-02-30' })])).rejects.toThrow(/发送日期无效/);
    await expect(ob.enqueuePrompts([prompt(12, { feedbackDue: '3月26日' })])).rejects.toThrow(
      /提示数据无效（任务 T-0012）：feedbackDue：日期格式应为 YYYY-MM-DD/,
    );
    await expect(ob.enqueuePrompts([prompt(13, { unit: ' ' })])).rejects.toThrow(
      /提示缺少接收单位（任务 T-0013）/,
    );
    // Nothing of a refused batch was written.
    expect((await ob.listOutbox({})).items.map((i) => i.taskId)).toEqual(['T-0009']);
  });
});

describe('listOutbox', () => {
  it('filters by date, status and unit and pages with a continuation token', async () => {
    await outbox.enqueuePrompts([
      ...Array.from({ length: 5 }, (_, i) => prompt(i + 1)),
      ...Array.from({ length: 3 }, (_, i) => prompt(i + 10, { unit: '县教育局', leadUnit: '县教育局' })),
      prompt(20, { sendOn: '2026-03-18' }),
    ]);
    expect((await outbox.listOutbox({ date: '2026-03-17' })).items).toHaveLength(8);
    expect((await outbox.listOutbox({ date: '2026-03-18' })).items).toHaveLength(1);
    expect((await outbox.listOutbox({ unit: '县教育局' })).items.map((i) => i.taskNo).sort()).toEqual([
      '10',
      '11',
      '12',
    ]);
    expect((await outbox.listOutbox({ status: 'sent' })).items).toHaveLength(0);
    expect((await outbox.listOutbox({ status: 'queued' })).items).toHaveLength(9);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await outbox.listOutbox({ limit: 4, continuationToken: token });
      seen.push(...page.items.map((i) => i.key));
      token = page.continuationToken ?? undefined;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(9);
  });
});

describe('claim', () => {
  it('R17: two runs claiming the same listed entries — the first holds them, the second gets none (ETag)', async () => {
    const ob = await fresh().init();
    await ob.enqueuePrompts([prompt(1), prompt(2)]);
    const now = new Date('2026-03-17T00:05:00Z');
    const listedA = await ob.dueEntries(now, '2026-03-17');
    const listedB = await ob.dueEntries(now, '2026-03-17');
    const lease = new Date('2026-03-17T00:15:00Z');
    expect(await ob.claim(listedA, lease, 'run-a')).toHaveLength(2);
    expect(await ob.claim(listedB, lease, 'run-b')).toHaveLength(0);
    const items = (await ob.listOutbox({})).items;
    expect(items.map((i) => [i.status, i.claimedUntil])).toEqual([
      ['sending', lease.toISOString()],
      ['sending', lease.toISOString()],
    ]);
    // Held until the lease ends.
    expect(await ob.dueEntries(new Date('2026-03-17T00:14:59Z'), '2026-03-17')).toHaveLength(0);
    expect(await ob.dueEntries(lease, '2026-03-17')).toHaveLength(2);
  });

  it('R17: a stale outcome (the lease lapsed and another run took over) is refused, not written over', async () => {
    const ob = await fresh().init();
    await ob.enqueuePrompts([prompt(1)]);
    const [mine] = await ob.claim(
      await ob.dueEntries(new Date('2026-03-17T00:05:00Z'), '2026-03-17'),
      new Date('2026-03-17T00:15:00Z'),
      'a',
    );
    const [theirs] = await ob.claim(
      await ob.dueEntries(new Date('2026-03-17T00:20:00Z'), '2026-03-17'),
      new Date('2026-03-17T00:30:00Z'),
      'b',
    );
    expect(theirs).toBeDefined();
    expect(
      await ob.settle([
        {
          item: mine!,
          patch: { status: 'retrying', attempts: 1, nextAttemptAt: '2026-03-17T00:10:00.000Z' },
        },
      ]),
    ).toEqual([mine!.key]);
    expect(await ob.settle([{ item: theirs!, patch: { status: 'sent', attempts: 1 } }])).toEqual([]);
    expect((await ob.find('2026-03-17', mine!.unit, mine!.key))!.status).toBe('sent');
  });
});
