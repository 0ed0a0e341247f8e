// Delivery at volume (R17): a robot takes about 20 messages a minute, so a long prompt in several
// parts, or many units sharing one group robot, must wait for the robot's next window — never be
// dropped, never be sent twice, and say why it waits. Real outbox (Azurite) and a real loopback robot;
// the rate limiter's time is an injected clock, so nothing here sleeps.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Channel } from '../../../shared/api.js';
import { createOutbox, type Outbox } from '../../../functions/notify/outbox.js';
import { deliverDue, type DeliverOptions } from '../../../functions/notify/deliver.js';
import { deliveryPolicyFromEnv } from '../../../functions/notify/deliveryRules.js';
import { concurrencyLimit, manualClock, RateLimiter } from '../../../functions/notify/rateLimit.js';
import type { ChannelsConfig } from '../../../functions/notify/channels/index.js';
import { loopbackNetwork, startReceiver, type RunningReceiver } from './receivers.js';
import { MORNING, prompt } from './fixtures.js';

let rx: RunningReceiver;
let config: ChannelsConfig;
let outbox: Outbox;
let n = 0;

beforeAll(async () => {
  rx = await startReceiver();
  config = { timeoutMs: 2000, network: loopbackNetwork(rx) };
});
afterAll(async () => rx.stop());
beforeEach(async () => {
  rx.mode = 'ok';
  rx.requests.length = 0;
  outbox = await createOutbox({
    connectionString: inject('azuriteConnectionString'),
    tablePrefix: `tnotifyvol${Date.now().toString(36)}${n++}`,
  }).init();
});

/** 40 tasks of one unit: its WeCom message is over 4,096 bytes, so it goes out in 3 parts. */
const forty = () => Array.from({ length: 40 }, (_, i) => prompt(i + 1));
const wecom = (path = '/wecom/czj?key=K'): Channel[] => [{ kind: 'wecom', url: rx.url(path) }];
const posted = () => rx.requests.map((r) => (r.body as { markdown: { content: string } }).markdown.content);
/** Task numbers a robot message lists ("**〔7〕…"), in the order received. */
const tasksIn = (content: string) => [...content.matchAll(/\*\*〔(\d+)〕/g)].map((m) => Number(m[1]));

function run(at: Date, extra: Partial<DeliverOptions> = {}) {
  return deliverDue({
    now: at,
    outbox,
    getUnitChannels: async () => wecom(),
    channelsConfig: config,
    ...extra,
  });
}

describe('robots at their rate (R17)', () => {
  it('R17: parts beyond the robot’s limit wait for the next run, are never dropped nor sent twice, and say why', async () => {
    await outbox.enqueuePrompts(forty());
    const clock = manualClock(MORNING.getTime());
    const policy = { robotRate: { limit: 2, windowMs: 60_000 }, rateWaitMs: 0 };
    const first = await run(MORNING, { clock, policy });
    // Two parts went out; the third waits for the robot's next minute.
    expect(rx.requests).toHaveLength(2);
    expect(first.deferred).toBeGreaterThan(0);
    expect(first.sent + first.deferred).toBe(40);
    expect(first.failed).toBe(0);
    const waiting = (await outbox.listOutbox({ status: 'retrying' })).items;
    expect(waiting).toHaveLength(first.deferred);
    for (const w of waiting) {
      expect(w.attempts).toBe(0); // waiting for a window is not a failed attempt
      expect(w.nextAttemptAt).toBe(new Date(MORNING.getTime() + 60_000).toISOString());
      expect(w.lastError).toContain('企业微信机器人每分钟最多2条，已达上限：第3/3条起待下次投递');
      expect(w.lastError).toContain('08:06:00 起可再发送');
    }
    // Before the window: nothing is due. At it: the rest goes out, as one message of its own.
    expect((await run(new Date(MORNING.getTime() + 30_000), { clock, policy })).messages).toBe(0);
    clock.set(MORNING.getTime() + 60_000);
    const second = await run(new Date(MORNING.getTime() + 60_000), { clock, policy });
    expect(second).toMatchObject({ sent: first.deferred, deferred: 0, failed: 0 });
    expect(rx.requests).toHaveLength(3);
    const delivered = posted().flatMap(tasksIn);
    expect(delivered.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(posted()[2]).toContain(`【督办提示】县财政局：${first.deferred}项重点工作`);
    const all = (await outbox.listOutbox({})).items;
    expect(all.every((i) => i.status === 'sent' && i.attempts === 1)).toBe(true);
  });

  it('R17: within its wait, a run waits for the robot’s next window (on its clock) and sends every part', async () => {
    await outbox.enqueuePrompts(forty());
    const clock = manualClock(MORNING.getTime());
    const summary = await run(MORNING, {
      clock,
      policy: { robotRate: { limit: 2, windowMs: 60_000 }, rateWaitMs: 120_000 },
    });
    expect(summary).toMatchObject({ sent: 40, deferred: 0, messages: 1 });
    expect(rx.requests).toHaveLength(3);
    // The third part waited one window: the clock moved by a minute, and nobody slept.
    expect(clock.now()).toBe(MORNING.getTime() + 60_000);
  });

  it('R17: units sharing one robot never exceed 20 messages in any minute; the rest wait for later runs', async () => {
    // 45 units of one task each, all on the same group robot: 45 messages, 20 a minute.
    await outbox.enqueuePrompts(
      Array.from({ length: 45 }, (_, i) =>
        prompt(i + 1, { unit: `县第${i + 1}单位`, leadUnit: `县第${i + 1}单位` }),
      ),
    );
    const clock = manualClock(MORNING.getTime());
    const robots = new RateLimiter({ limit: 20, windowMs: 60_000 }, clock);
    const times: number[] = [];
    const deliver = (at: number) =>
      deliverDue({
        now: new Date(at),
        outbox,
        getUnitChannels: async () => wecom('/wecom/shared?key=K'),
        channelsConfig: config,
        clock,
        robots,
        policy: { rateWaitMs: 0 },
        onOutcome: (o) => void (o.status === 'sent' && times.push(clock.now())),
      });
    const first = await deliver(MORNING.getTime());
    expect(first).toMatchObject({ messages: 20, sent: 20, deferred: 25, failed: 0 });
    clock.set(MORNING.getTime() + 5 * 60_000); // the timer's next run
    const second = await deliver(clock.now());
    expect(second).toMatchObject({ messages: 20, sent: 20, deferred: 5 });
    clock.set(MORNING.getTime() + 10 * 60_000);
    expect(await deliver(clock.now())).toMatchObject({ messages: 5, sent: 5, deferred: 0 });
    expect(rx.requests).toHaveLength(45);
    for (const t of times)
      expect(times.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(20);
    expect((await outbox.listOutbox({ status: 'sent' })).items).toHaveLength(45);
  });

  it('R17: a robot answering “too many messages” (errcode 45009) is waited for, not counted as a failed attempt', async () => {
    await outbox.enqueuePrompts([prompt(1), prompt(2)]);
    rx.mode = 'busy';
    const clock = manualClock(MORNING.getTime());
    const summary = await run(MORNING, { clock });
    expect(summary).toMatchObject({ sent: 0, failed: 0, deferred: 2, retrying: 2 });
    const waiting = (await outbox.listOutbox({})).items;
    for (const w of waiting) {
      expect(w.attempts).toBe(0);
      expect(w.lastError).toContain('errcode 45009 发送过于频繁');
      expect(w.nextAttemptAt).toBe(new Date(MORNING.getTime() + 60_000).toISOString());
    }
    rx.mode = 'ok';
    const later = new Date(MORNING.getTime() + 60_000);
    clock.set(later.getTime());
    expect(await run(later, { clock })).toMatchObject({ sent: 2, failed: 0 });
  });

  it('R17: the rate and the units in parallel are settings (DUBAN_ROBOT_RATE_PER_MINUTE, DUBAN_DELIVERY_CONCURRENCY)', () => {
    const policy = deliveryPolicyFromEnv({
      DUBAN_ROBOT_RATE_PER_MINUTE: '10',
      DUBAN_DELIVERY_CONCURRENCY: '32',
    });
    expect(policy.robotRate).toEqual({ limit: 10, windowMs: 60_000 });
    expect(policy.concurrency).toBe(32);
    expect(deliveryPolicyFromEnv({}).robotRate).toEqual({ limit: 20, windowMs: 60_000 });
  });
});

describe('an item counts as delivered only with its link (R17)', () => {
  /** Task numbers whose feedback link a robot message carried. */
  const linksIn = (contents: string[]) =>
    new Set(contents.flatMap((c) => [...c.matchAll(/feedback\/(\d+)\?/g)].map((m) => Number(m[1]))));
  const sentWithoutLink = async () => {
    const links = linksIn(posted());
    return (await outbox.listOutbox({})).items
      .filter((i) => i.status === 'sent' && !links.has(Number(i.taskNo)))
      .map((i) => i.taskNo);
  };

  it('R17: titles with a line break (Alt+Enter in the cell) keep each item whole in one part; an item waiting for the robot is never recorded sent', async () => {
    await outbox.enqueuePrompts(
      Array.from({ length: 30 }, (_, i) =>
        prompt(i + 1, {
          taskTitle: `重点工作第${i + 1}项：推进县域财政收入稳定增长\n完成全年目标任务并按月报送进度`,
        }),
      ),
    );
    const summary = await run(MORNING, {
      clock: manualClock(MORNING.getTime()),
      policy: { ...deliveryPolicyFromEnv({}), robotRate: { limit: 1, windowMs: 60_000 }, rateWaitMs: 0 },
    });
    expect(summary.deferred).toBeGreaterThan(0);
    expect(await sentWithoutLink()).toEqual([]);
    // The heading is one line: the cell's line break is a space in the robot's message.
    expect(posted()[0]).toContain('推进县域财政收入稳定增长 完成全年目标任务');
  });

  it('R17: a title of 3,000 characters is shortened in the robot’s message, so its link still goes out with it', async () => {
    await outbox.enqueuePrompts([
      prompt(1, { taskTitle: '推进'.repeat(1500) }),
      prompt(2, { taskTitle: '短标题' }),
    ]);
    const summary = await run(MORNING, { clock: manualClock(MORNING.getTime()) });
    expect(summary.sent).toBe(2);
    expect(await sentWithoutLink()).toEqual([]);
    expect(posted().join('\n')).toContain('…**');
  });
});

describe('the limits themselves', () => {
  it('R17: a sliding window: the 21st message in a minute waits until the first leaves the window', () => {
    const clock = manualClock(0);
    const limiter = new RateLimiter({ limit: 20, windowMs: 60_000 }, clock);
    for (let i = 0; i < 20; i++) {
      expect(limiter.tryTake('robot')).toBe(true);
      clock.set(i * 1000);
    }
    expect(limiter.tryTake('robot')).toBe(60_000); // the first send (at 0) leaves the window at 60 s
    expect(limiter.tryTake('another robot')).toBe(true);
    clock.set(60_000);
    expect(limiter.tryTake('robot')).toBe(true);
  });

  it('R17: at most n sends of a kind in flight; the rest run in order as slots free', async () => {
    const limit = concurrencyLimit(3);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limit(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setImmediate(r));
          order.push(i);
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
