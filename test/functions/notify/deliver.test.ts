// Delivery on real services: Azurite for the outbox, a loopback SMTP server and a loopback robot /
// gateway receiver. Time is the `now` each run is given, never a sleep.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Channel } from '../../../shared/api.js';
import { createOutbox, Outbox } from '../../../functions/notify/outbox.js';
import {
  deliverDue,
  linkExpiry,
  type DeliverOptions,
  type DeliveryOutcome,
} from '../../../functions/notify/deliver.js';
import { feedbackUrl, signFeedbackToken } from '../../../functions/feedbackLink.js';
import type { ChannelsConfig } from '../../../functions/notify/channels/index.js';
import {
  loopbackNetwork,
  startReceiver,
  startSmtp,
  type RunningReceiver,
  type RunningSmtp,
} from './receivers.js';
import { MORNING, minutesAfter, prompt } from './fixtures.js';
import { startAzurite } from '../../support/azurite.js';

let smtp: RunningSmtp;
let rx: RunningReceiver;
let config: ChannelsConfig;
let outbox: Outbox;
let channels: Map<string, Channel[]>;
let n = 0;

const newOutbox = () =>
  createOutbox({
    connectionString: inject('azuriteConnectionString'),
    tablePrefix: `tnotifydl${Date.now().toString(36)}${n++}`,
  });

beforeAll(async () => {
  smtp = await startSmtp();
  rx = await startReceiver();
  rx.dingtalkSecrets.set('/dingtalk/jyj', 'SECjyj');
  config = {
    smtpUrl: smtp.url,
    mailFrom: 'duban@example.gov.cn',
    timeoutMs: 2000,
    network: loopbackNetwork(rx),
  };
});
afterAll(async () => {
  await smtp.stop();
  await rx.stop();
});
beforeEach(async () => {
  rx.mode = 'ok';
  await rx.up();
  rx.requests.length = 0;
  smtp.mails.length = 0;
  outbox = await newOutbox().init();
  channels = new Map<string, Channel[]>([
    [
      '县财政局',
      [
        { kind: 'email', to: 'czj@county.gov.cn' },
        { kind: 'wecom', url: rx.url('/wecom/czj?key=K') },
      ],
    ],
    ['县教育局', [{ kind: 'dingtalk', url: rx.url('/dingtalk/jyj?access_token=T'), secret: 'SECjyj' }]],
    ['县卫健委', [{ kind: 'webhook', url: rx.url('/sms/wjw'), phone: '13900000000' }]],
    ['县司法局', []],
  ]);
});

const run = (now: Date, extra: Partial<DeliverOptions> = {}) =>
  deliverDue({
    now,
    outbox,
    getUnitChannels: async (u) => channels.get(u) ?? [],
    channelsConfig: config,
    ...extra,
  });
const at = (path: string) => rx.requests.filter((r) => r.path === path);
const unit = (name: string) => ({ unit: name, leadUnit: name });

describe('deliverDue', () => {
  it('R17: groups per unit per day — 3 tasks of one unit are one message on each of its channels', async () => {
    await outbox.enqueuePrompts([
      prompt(1),
      prompt(2),
      prompt(3, { stars: 4, period: '2026-03', reason: 'monthly', feedbackDue: '2026-03-27' }),
      prompt(4, unit('县教育局')),
      prompt(5, unit('县教育局')),
    ]);
    const summary = await run(MORNING);
    expect(summary).toMatchObject({ messages: 3, sent: 5, retrying: 0, failed: 0, skipped: 0, units: 2 });

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['czj@county.gov.cn']);
    expect(mail.parsed.subject).toBe('【督办提示】县财政局：3项重点工作请于3月26日前反馈');
    for (const k of [1, 2, 3])
      expect(mail.parsed.text).toContain(`https://duban.example.gov.cn/feedback/${k}?sig=abc${k}`);
    expect(mail.parsed.text).toContain('2026年3月 · 月度提示 · 请于3月27日前反馈');

    const wecom = at('/wecom/czj');
    expect(wecom).toHaveLength(1);
    expect((wecom[0]!.body as { markdown: { content: string } }).markdown.content).toContain('3项重点工作');

    const ding = at('/dingtalk/jyj');
    expect(ding).toHaveLength(1);
    expect(ding[0]!.signatureOk).toBe(true);
    expect((ding[0]!.body as { markdown: { title: string } }).markdown.title).toBe(
      '【督办提示】县教育局：2项重点工作请于3月26日前反馈',
    );

    const items = (await outbox.listOutbox({ date: '2026-03-17' })).items;
    expect(
      items.every((i) => i.status === 'sent' && i.attempts === 1 && i.sentAt === MORNING.toISOString()),
    ).toBe(true);
    const czj = items.find((i) => i.taskId === 'T-0001')!;
    expect(czj.channels.map((c) => [c.label, c.ok])).toEqual([
      ['邮件 czj@county.gov.cn', true],
      ['企业微信 127.0.0.1:' + rx.port, true],
    ]);
  });

  it('R17: delivering twice (a timer firing twice) sends nothing more, and re-queueing sent prompts queues nothing', async () => {
    const day = [prompt(1), prompt(2), prompt(3, unit('县卫健委'))];
    await outbox.enqueuePrompts(day);
    expect(await run(MORNING)).toMatchObject({ messages: 3, sent: 3 });
    expect(await run(minutesAfter(MORNING, 5))).toMatchObject({
      messages: 0,
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(await outbox.enqueuePrompts(day)).toEqual({ queued: 0, existing: 3 });
    expect(await run(minutesAfter(MORNING, 10))).toMatchObject({ messages: 0, sent: 0 });
    expect(smtp.mails).toHaveLength(1);
    expect(at('/wecom/czj')).toHaveLength(1);
    expect(at('/sms/wjw')).toHaveLength(1);
  });

  it('R17: two delivery runs at the same moment send each message once (both see every entry due; the claim decides)', async () => {
    await outbox.enqueuePrompts([
      prompt(1),
      prompt(2),
      prompt(3, unit('县教育局')),
      prompt(4, unit('县卫健委')),
    ]);
    // Two processes: each lists the due entries, and neither claims before both have listed.
    let arrived = 0;
    let release: () => void = () => {};
    const bothListed = new Promise<void>((r) => (release = r));
    class GatedOutbox extends Outbox {
      override async openEntries(today: string, openFrom: string | null) {
        const due = await super.openEntries(today, openFrom);
        if (++arrived === 2) release();
        await bothListed;
        return due;
      }
    }
    const options = {
      connectionString: inject('azuriteConnectionString'),
      tablePrefix: outbox.tableName.replace(/Outbox$/, ''),
    };
    const deliverWith = (ob: Outbox) =>
      deliverDue({
        now: MORNING,
        outbox: ob,
        getUnitChannels: async (u) => channels.get(u) ?? [],
        channelsConfig: config,
      });
    const [a, b] = await Promise.all([
      deliverWith(new GatedOutbox(options)),
      deliverWith(new GatedOutbox(options)),
    ]);
    expect(a.sent + b.sent).toBe(4);
    expect(a.skipped + b.skipped).toBe(4);
    expect(a.messages + b.messages).toBe(4);
    expect(smtp.mails).toHaveLength(1);
    expect(at('/wecom/czj')).toHaveLength(1);
    expect(at('/dingtalk/jyj')).toHaveLength(1);
    expect(at('/sms/wjw')).toHaveLength(1);
    expect((await outbox.listOutbox({ status: 'sent' })).items).toHaveLength(4);
  });

  it('R17: a channel down then up — retried with backoff, delivered exactly once; the channel that worked is not sent to again', async () => {
    await outbox.enqueuePrompts([prompt(1), prompt(2)]);
    await rx.down();
    const first = await run(MORNING);
    expect(first).toMatchObject({ messages: 1, sent: 0, retrying: 2 });
    const waiting = (await outbox.listOutbox({})).items;
    for (const i of waiting) {
      expect(i.status).toBe('retrying');
      expect(i.attempts).toBe(1);
      expect(i.nextAttemptAt).toBe(minutesAfter(MORNING, 5).toISOString());
      expect(i.lastError).toMatch(/^企业微信 127\.0\.0\.1:\d+：企业微信机器人无法连接/);
    }
    // Not due yet: nothing happens.
    expect(await run(minutesAfter(MORNING, 4))).toMatchObject({ messages: 0, retrying: 0, sent: 0 });

    await rx.up();
    expect(await run(minutesAfter(MORNING, 5))).toMatchObject({ messages: 1, sent: 2, retrying: 0 });
    expect(await run(minutesAfter(MORNING, 30))).toMatchObject({ messages: 0, sent: 0 });
    expect(at('/wecom/czj')).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    const done = (await outbox.listOutbox({})).items;
    expect(done.every((i) => i.status === 'sent' && i.attempts === 2 && i.lastError === null)).toBe(true);
    expect(done[0]!.channels.map((c) => [c.kind, c.ok, c.attempts])).toEqual([
      ['email', true, 1],
      ['wecom', true, 2],
    ]);
  });

  it('R17: a channel that stays down is visibly failed after 5 attempts (backoff 5, 10, 20, 40 minutes) with the error', async () => {
    await outbox.enqueuePrompts([prompt(1, unit('县卫健委'))]);
    rx.mode = 'http500';
    const outcomes: DeliveryOutcome[] = [];
    let now = MORNING;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const s = await run(now, { onOutcome: (o) => void outcomes.push(o) });
      expect(s.messages).toBe(0);
      const [item] = (await outbox.listOutbox({})).items;
      expect(item!.attempts).toBe(attempt);
      if (attempt < 5) {
        expect(s.retrying).toBe(1);
        const next = new Date(item!.nextAttemptAt!);
        waits.push((next.getTime() - now.getTime()) / 60_000);
        expect(await run(minutesAfter(next, -1))).toMatchObject({ messages: 0, retrying: 0, failed: 0 });
        now = next;
      } else {
        expect(s.failed).toBe(1);
      }
    }
    expect(waits).toEqual([5, 10, 20, 40]);
    const failed = (await outbox.listOutbox({ status: 'failed' })).items;
    expect(failed).toHaveLength(1);
    expect(failed[0]!.lastError).toMatch(
      /^已尝试5次仍未送达：短信网关 127\.0\.0\.1:\d+ 13900000000：短信网关返回 HTTP 500/,
    );
    expect(failed[0]!.failedAt).toBe(now.toISOString());
    expect(at('/sms/wjw')).toHaveLength(5);
    expect(outcomes.map((o) => o.status)).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'failed']);
    // Failed stays failed: later runs leave it alone.
    expect(await run(minutesAfter(now, 600))).toMatchObject({ messages: 0, failed: 0 });
    expect(at('/sms/wjw')).toHaveLength(5);
  });

  it('R17: a unit without any channel gets its prompts marked failed with a clear reason, never dropped', async () => {
    await outbox.enqueuePrompts([prompt(1, unit('县司法局')), prompt(2, unit('县未登记单位'))]);
    expect(await run(MORNING)).toMatchObject({ messages: 0, failed: 2 });
    const failed = (await outbox.listOutbox({ status: 'failed' })).items;
    expect(failed.map((i) => i.lastError).sort()).toEqual([
      '单位“县司法局”未配置任何提示渠道（邮件、企业微信、钉钉或短信网关），提示未发出；请在单位设置中添加渠道后重新发送',
      '单位“县未登记单位”未配置任何提示渠道（邮件、企业微信、钉钉或短信网关），提示未发出；请在单位设置中添加渠道后重新发送',
    ]);
    // The office adds a channel and puts the prompts back: they go out.
    channels.set('县司法局', [{ kind: 'email', to: 'sfj@county.gov.cn' }]);
    expect(await outbox.requeueFailed({ date: '2026-03-17', unit: '县司法局' })).toBe(1);
    expect(await run(minutesAfter(MORNING, 5))).toMatchObject({ messages: 1, sent: 1, failed: 0 });
    expect(smtp.mails.map((m) => m.to)).toEqual([['sfj@county.gov.cn']]);
    expect((await outbox.listOutbox({ status: 'failed' })).items.map((i) => i.unit)).toEqual([
      '县未登记单位',
    ]);
  });

  it('R17: a lookup of the unit channels that fails is retried, not lost', async () => {
    await outbox.enqueuePrompts([prompt(1)]);
    const s = await run(MORNING, {
      getUnitChannels: async () => {
        throw new Error('存储服务暂不可用');
      },
    });
    expect(s).toMatchObject({ retrying: 1, messages: 0 });
    expect((await outbox.listOutbox({})).items[0]!.lastError).toBe(
      '无法读取单位“县财政局”的提示渠道：存储服务暂不可用',
    );
    expect(await run(minutesAfter(MORNING, 5))).toMatchObject({ sent: 1, messages: 2 });
  });

  it('R17: entries held by a run that crashed are taken again when its lease lapses, not before', async () => {
    await outbox.enqueuePrompts([prompt(1, unit('县卫健委'))]);
    const due = await outbox.dueEntries(MORNING, '2026-03-17');
    expect(await outbox.claim(due, minutesAfter(MORNING, 10), 'crashed-run')).toHaveLength(1);
    expect(await run(minutesAfter(MORNING, 5))).toMatchObject({ messages: 0, sent: 0 });
    expect(await run(minutesAfter(MORNING, 11))).toMatchObject({ messages: 1, sent: 1 });
    expect(at('/sms/wjw')).toHaveLength(1);
  });

  it('R22: sends on the CST day — a prompt for 18 March goes out after 16:00 UTC on 17 March, not before', async () => {
    await outbox.enqueuePrompts([prompt(1, { ...unit('县卫健委'), sendOn: '2026-03-18' })]);
    expect(await run(new Date('2026-03-17T15:59:00Z'))).toMatchObject({ messages: 0 });
    expect(await run(new Date('2026-03-17T16:00:00Z'))).toMatchObject({ messages: 1, sent: 1 });
  });

  it('R17: prompts of one unit on two days are two messages (per unit per day)', async () => {
    await outbox.enqueuePrompts([
      prompt(1, unit('县卫健委')),
      prompt(2, { ...unit('县卫健委'), sendOn: '2026-03-16', feedbackDue: '2026-03-25' }),
    ]);
    expect(await run(MORNING)).toMatchObject({ messages: 2, sent: 2 });
    const texts = at('/sms/wjw').map((r) => (r.body as { title: string }).title);
    expect(texts.sort()).toEqual([
      '【督办提示】县卫健委：1项重点工作请于3月25日前反馈',
      '【督办提示】县卫健委：1项重点工作请于3月26日前反馈',
    ]);
  });

  it('R17: a prompt queued late for an earlier day (the daily run caught up) is still delivered', async () => {
    await outbox.enqueuePrompts([prompt(1, unit('县卫健委'))]);
    expect(await run(MORNING)).toMatchObject({ sent: 1 });
    expect((await outbox.readWatermark()).openFrom).toBe('2026-03-17');
    await outbox.enqueuePrompts([
      prompt(2, { ...unit('县卫健委'), sendOn: '2026-03-10', feedbackDue: '2026-03-19' }),
    ]);
    expect((await outbox.readWatermark()).openFrom).toBe('2026-03-10');
    expect(await run(minutesAfter(MORNING, 5))).toMatchObject({ messages: 1, sent: 1 });
    expect((await outbox.readWatermark()).openFrom).toBe('2026-03-17');
  });

  it('R17: an entry still retrying holds the watermark on its day, so the next day it is retried', async () => {
    await outbox.enqueuePrompts([prompt(1, { ...unit('县卫健委'), sendOn: '2026-03-16' })]);
    rx.mode = 'http500';
    expect(await run(MORNING)).toMatchObject({ retrying: 1 });
    expect((await outbox.readWatermark()).openFrom).toBe('2026-03-16');
    rx.mode = 'ok';
    expect(await run(new Date('2026-03-18T00:00:00Z'))).toMatchObject({ sent: 1, messages: 1 });
    expect((await outbox.readWatermark()).openFrom).toBe('2026-03-18');
  });

  it('R17: a prompt queued for an earlier day while a run is scanning is not skipped by the watermark', async () => {
    await outbox.enqueuePrompts([prompt(1, unit('县卫健委'))]);
    expect(await run(MORNING)).toMatchObject({ sent: 1 });
    const options = {
      connectionString: inject('azuriteConnectionString'),
      tablePrefix: outbox.tableName.replace(/Outbox$/, ''),
    };
    const other = new Outbox(options);
    // The daily run of another process queues a prompt for 16 March right after this run's scan.
    class RacingOutbox extends Outbox {
      override async openEntries(today: string, openFrom: string | null) {
        const open = await super.openEntries(today, openFrom);
        await other.enqueuePrompts([prompt(2, { ...unit('县卫健委'), sendOn: '2026-03-16' })]);
        return open;
      }
    }
    await outbox.enqueuePrompts([prompt(3, { ...unit('县卫健委'), sendOn: '2026-03-18' })]);
    const racing = new RacingOutbox(options);
    const day18 = new Date('2026-03-18T00:05:00Z');
    expect(
      await deliverDue({
        now: day18,
        outbox: racing,
        getUnitChannels: async (u) => channels.get(u) ?? [],
        channelsConfig: config,
      }),
    ).toMatchObject({ sent: 1 });
    expect((await outbox.readWatermark()).openFrom).toBe('2026-03-16');
    expect(await run(minutesAfter(day18, 5))).toMatchObject({ sent: 1, messages: 1 });
    expect(at('/sms/wjw').map((r) => (r.body as { items: { no: string }[] }).items[0]!.no)).toEqual([
      '1',
      '3',
      '2',
    ]);
  });

  it('R17: a malformed channel stored for a unit fails visibly instead of passing for sent; the valid one delivers', async () => {
    channels.set('县应急局', [
      { kind: 'fax', number: '0571-1234' } as unknown as Channel,
      { kind: 'webhook', url: rx.url('/sms/yjj') },
    ]);
    await outbox.enqueuePrompts([prompt(1, unit('县应急局'))]);
    // Another attempt cannot cure a malformed channel: failed at once, with what did arrive.
    expect(await run(MORNING)).toMatchObject({ messages: 1, failed: 1 });
    const [entry] = (await outbox.listOutbox({})).items;
    expect(entry!.lastError).toMatch(
      /^无效渠道 fax：渠道配置无效（.+），请在单位设置中修改（已送达：短信网关 127\.0\.0\.1:\d+）$/,
    );
    expect(at('/sms/yjj')).toHaveLength(1);
  });

  it('R17: a prompt run on a day after its feedback due date is never sent — marked stale with the reason, visible in the outbox', async () => {
    // A past day's run (the README's `--on 2026-03-17` on 30 November): asks to answer by 26 March.
    await outbox.enqueuePrompts([prompt(1), prompt(2, unit('县卫健委'))]);
    const outcomes: DeliveryOutcome[] = [];
    const late = new Date('2026-11-30T01:00:00Z');
    const summary = await run(late, { onOutcome: (o) => void outcomes.push(o) });
    expect(summary).toMatchObject({ messages: 0, sent: 0, failed: 0, stale: 2 });
    expect(smtp.mails).toHaveLength(0);
    expect(rx.requests).toHaveLength(0);
    const items = (await outbox.listOutbox({ date: '2026-03-17' })).items;
    expect(items.map((i) => i.status)).toEqual(['stale', 'stale']);
    for (const i of items)
      expect(i.lastError).toBe(
        '已过反馈期限（2026-03-26），提示未发出：单位已无法按期反馈，请核实后另行联系',
      );
    expect((await outbox.listOutbox({ status: 'stale' })).items).toHaveLength(2);
    expect(outcomes.map((o) => o.status)).toEqual(['stale', 'stale']);
    // Stale is final: later runs send nothing either.
    expect(await run(minutesAfter(late, 5))).toMatchObject({ messages: 0, sent: 0, stale: 0 });
    expect(smtp.mails).toHaveLength(0);
  });

  it('R17: on its feedback due date a prompt is still sent; the day after it is stale', async () => {
    await outbox.enqueuePrompts([
      prompt(1, { ...unit('县卫健委'), sendOn: '2026-03-20', feedbackDue: '2026-03-26' }),
      prompt(2, { ...unit('县卫健委'), sendOn: '2026-03-20', feedbackDue: '2026-03-25' }),
    ]);
    // 26 March, 09:00 Beijing.
    expect(await run(new Date('2026-03-26T01:00:00Z'))).toMatchObject({ sent: 1, stale: 1 });
    const sms = at('/sms/wjw');
    expect(sms).toHaveLength(1);
    expect(JSON.stringify(sms[0]!.body)).toContain('重点工作第1项');
    expect(JSON.stringify(sms[0]!.body)).not.toContain('重点工作第2项');
    const items = (await outbox.listOutbox({ date: '2026-03-20' })).items;
    expect(items.find((i) => i.taskId === 'T-0001')?.status).toBe('sent');
    expect(items.find((i) => i.taskId === 'T-0002')).toMatchObject({
      status: 'stale',
      lastError: expect.stringContaining('2026-03-25'),
    });
  });

  it('R17: a prompt whose feedback link has expired is not sent, even before its feedback due date', async () => {
    const env = {
      DUBAN_LINK_SECRET: 'a-link-secret-of-the-test-0123',
      DUBAN_PUBLIC_URL: 'https://duban.example.gov.cn',
    };
    const link = (expires: string) =>
      feedbackUrl(
        signFeedbackToken({ ledgerId: 'L', unit: '县卫健委', taskId: 'T', period: '2026-Q1', expires }, env),
        env,
      );
    await outbox.enqueuePrompts([
      prompt(1, { ...unit('县卫健委'), feedbackUrl: link('2026-03-16') }),
      prompt(2, { ...unit('县卫健委'), feedbackUrl: link('2026-04-30') }),
    ]);
    expect(linkExpiry(link('2026-03-16'))).toBe('2026-03-16');
    expect(await run(MORNING)).toMatchObject({ sent: 1, stale: 1 });
    const items = (await outbox.listOutbox({ date: '2026-03-17' })).items;
    expect(items.find((i) => i.taskId === 'T-0001')).toMatchObject({
      status: 'stale',
      lastError: '反馈链接已于 2026-03-16 过期，提示未发出：请核实后另行联系',
    });
    expect(items.find((i) => i.taskId === 'T-0002')?.status).toBe('sent');
  });

  it('R17: a prompt still retrying when its feedback due date passes stops there — stale, not sent late', async () => {
    await outbox.enqueuePrompts([prompt(1, { ...unit('县卫健委'), feedbackDue: '2026-03-17' })]);
    rx.mode = 'http500';
    expect(await run(MORNING)).toMatchObject({ retrying: 1 });
    rx.mode = 'ok';
    const before = at('/sms/wjw').length;
    // The next attempt falls on 18 March (CST): the unit can no longer answer by the 17th.
    expect(await run(new Date('2026-03-17T16:30:00Z'))).toMatchObject({ sent: 0, stale: 1 });
    expect(at('/sms/wjw')).toHaveLength(before);
  });
});

describe('deliverDue when storage goes away (R17)', () => {
  it('R17: Azurite down at the start of a run — the run fails loudly, nothing is sent; back up — delivered once', async () => {
    const azurite = await startAzurite();
    try {
      const ob = await createOutbox({
        connectionString: azurite.connectionString,
        tablePrefix: 'tnotifyfault',
      }).init();
      await ob.enqueuePrompts([prompt(1, unit('县卫健委')), prompt(2, unit('县卫健委'))]);
      await azurite.stop();
      const deliver = (now: Date) =>
        deliverDue({
          now,
          outbox: ob,
          getUnitChannels: async (u) => channels.get(u) ?? [],
          channelsConfig: config,
        });
      await expect(deliver(MORNING)).rejects.toThrow();
      expect(at('/sms/wjw')).toHaveLength(0);
      const again = await startAzurite({ port: azurite.port, location: azurite.location });
      try {
        expect(await deliver(minutesAfter(MORNING, 5))).toMatchObject({ messages: 1, sent: 2 });
        expect(await deliver(minutesAfter(MORNING, 10))).toMatchObject({ messages: 0, sent: 0 });
        expect(at('/sms/wjw')).toHaveLength(1);
        expect((at('/sms/wjw')[0]!.body as { items: unknown[] }).items).toHaveLength(2);
      } finally {
        await again.stop();
      }
    } finally {
      await azurite.stop();
    }
  }, 120_000);

  it('R17: storage lost between sending and recording — the run reports it; after the lease the prompt is sent again (at-least-once, never lost)', async () => {
    const azurite = await startAzurite();
    try {
      const ob = await createOutbox({
        connectionString: azurite.connectionString,
        tablePrefix: 'tnotifymid',
      }).init();
      await ob.enqueuePrompts([prompt(1, unit('县卫健委')), prompt(2, unit('县教育局'))]);
      let stopDuringRun = true;
      const lines: string[] = [];
      const deliver = (now: Date) =>
        deliverDue({
          now,
          outbox: ob,
          policy: { concurrency: 1 },
          log: (l) => void lines.push(l),
          getUnitChannels: async (u) => {
            // The storage goes away after the claim of the first unit, while its prompt is being sent.
            if (stopDuringRun) {
              stopDuringRun = false;
              await azurite.stop();
            }
            return channels.get(u) ?? [];
          },
          channelsConfig: config,
        });
      const first = await deliver(MORNING);
      // 县卫健委 (first in key order) was claimed and sent, then its outcome could not be written;
      // 县教育局 could not even be claimed.
      expect(first.errors).toHaveLength(2);
      expect(first.errors[0]).toMatch(/^县卫健委（2026-03-17）：.*存储服务暂不可用/);
      expect(first.errors[1]).toMatch(/^县教育局（2026-03-17）：.*存储服务暂不可用/);
      expect(lines.join('\n')).toContain('租约到期后将重新处理');
      expect(at('/sms/wjw')).toHaveLength(1);
      expect(at('/dingtalk/jyj')).toHaveLength(0);

      const again = await startAzurite({ port: azurite.port, location: azurite.location });
      try {
        // 县教育局 was never claimed: delivered at once. 县卫健委 is held until its lease lapses.
        expect(await deliver(minutesAfter(MORNING, 5))).toMatchObject({ sent: 1, messages: 1, errors: [] });
        expect(at('/dingtalk/jyj')).toHaveLength(1);
        expect((await ob.listOutbox({ status: 'sending' })).items.map((i) => i.unit)).toEqual(['县卫健委']);
        // After the lease: sent again — the one case of a second message, in exchange for never losing one.
        expect(await deliver(minutesAfter(MORNING, 11))).toMatchObject({ sent: 1, messages: 1, errors: [] });
        expect(at('/sms/wjw')).toHaveLength(2);
        expect((await ob.listOutbox({ status: 'sent' })).items).toHaveLength(2);
      } finally {
        await again.stop();
      }
    } finally {
      await azurite.stop();
    }
  }, 120_000);
});
