// Issue 12, delivery at volume: 10,000 prompts of one morning for 300 units, delivered from the outbox
// on Azurite to loopback receivers (the tests' SMTP server and robot/gateway receiver). Each unit has
// an email channel and one robot or gateway (WeCom, DingTalk or the SMS gateway, in turn), so a
// unit's ~33 tasks go out as one email plus a robot message in several parts (4,096 bytes each on
// WeCom). Then the robots' rate limit: the same morning with the 300 units sharing 5 group robots,
// on an injected clock (no sleeping): no robot may take more than its limit in any minute, every part
// beyond it waits (for the next minute, or the next run five minutes on), and none is dropped.
import { createOutbox, type Outbox } from '../functions/notify/outbox.js';
import { deliverDue, type DeliverOptions } from '../functions/notify/deliver.js';
import type { Channel } from '../shared/api.js';
import { startAzurite } from '../test/support/azurite.js';
import { loopbackNetwork, startReceiver, startSmtp } from '../test/functions/notify/receivers.js';
import { prompt } from '../test/functions/notify/fixtures.js';
import { manualClock, RateLimiter, ROBOT_RATE_LIMIT } from '../functions/notify/rateLimit.js';
import { time, type BenchResult } from './measure.js';

const MORNING = new Date('2026-03-17T00:05:00.000Z');
const unitName = (u: number) => `县第${u + 1}单位`;

async function fill(outbox: Outbox, prompts: number, units: number): Promise<void> {
  const entries = Array.from({ length: prompts }, (_, i) =>
    prompt(i + 1, { unit: unitName(i % units), leadUnit: unitName(i % units) }),
  );
  await outbox.enqueuePrompts(entries);
}

export async function benchDelivery(prompts = 10_000, units = 300): Promise<BenchResult[]> {
  // The channel policy lets robots post to loopback receivers only in a test process.
  process.env.NODE_ENV = 'test';
  const azurite = await startAzurite({ inMemory: true });
  const smtp = await startSmtp();
  const rx = await startReceiver();
  try {
    const channelsConfig = { smtpUrl: smtp.url, timeoutMs: 10_000, network: loopbackNetwork(rx) };
    const robot = (u: number): Channel =>
      u % 3 === 0
        ? { kind: 'wecom', url: rx.url(`/wecom/${u}?key=K`) }
        : u % 3 === 1
          ? { kind: 'dingtalk', url: rx.url(`/dingtalk/${u}?access_token=T`) }
          : { kind: 'webhook', url: rx.url(`/sms/${u}`), phone: '13900000000' };
    const channels = new Map<string, Channel[]>(
      Array.from({ length: units }, (_, u) => [
        unitName(u),
        [{ kind: 'email', to: `unit${u}@county.gov.cn` }, robot(u)],
      ]),
    );
    const outbox = createOutbox({
      connectionString: azurite.connectionString,
      tablePrefix: `benchdl${Date.now().toString(36)}`,
    });
    await outbox.init();
    await fill(outbox, prompts, units);
    let summary = { messages: 0, sent: 0, retrying: 0, failed: 0 };
    const options: DeliverOptions = {
      now: MORNING,
      outbox,
      getUnitChannels: async (u) => channels.get(u) ?? [],
      channelsConfig,
    };
    const ms = await time(async () => (summary = await deliverDue(options)));
    const mails = smtp.mails.length;
    const posts = rx.requests.length;
    const requests = posts + mails;
    if (summary.sent !== prompts)
      throw new Error(`benchmark delivery incomplete: ${JSON.stringify(summary)}`);
    const shared = await sharedRobots(azurite.connectionString, channelsConfig, rx, prompts, units);
    return [
      {
        name: `delivery of ${prompts} prompts for ${units} units (${summary.messages} unit messages, ${requests} requests: ${mails} mails, ${posts} robot/gateway posts)`,
        value: ms,
        unit: 'ms',
      },
      {
        name: 'unit messages a second (one unit, one channel)',
        value: Math.round((summary.messages / ms) * 1000),
        unit: 'messages/s',
      },
      {
        name: 'requests a second (each part of a robot message, each mail)',
        value: Math.round((requests / ms) * 1000),
        unit: 'requests/s',
      },
      ...shared,
    ];
  } finally {
    await rx.stop();
    await smtp.stop();
    await azurite.stop();
  }
}

/**
 * The same morning with the units sharing 5 group robots, delivered by the timer every 5 minutes on a
 * manual clock: how many runs it takes, the most any robot took in one minute, and that every prompt
 * was sent exactly once.
 */
async function sharedRobots(
  connectionString: string,
  channelsConfig: DeliverOptions['channelsConfig'],
  rx: Awaited<ReturnType<typeof startReceiver>>,
  prompts: number,
  units: number,
  robotCount = 5,
): Promise<BenchResult[]> {
  const outbox = createOutbox({ connectionString, tablePrefix: `benchrl${Date.now().toString(36)}` });
  await outbox.init();
  await fill(outbox, prompts, units);
  const clock = manualClock(MORNING.getTime());
  rx.clock = clock.now;
  const robots = new RateLimiter(ROBOT_RATE_LIMIT, clock);
  const start = rx.requests.length;
  const arrivals = new Map<string, number[]>();
  const channel = (u: number): Channel[] => [
    { kind: 'wecom', url: rx.url(`/wecom/robot${u % robotCount}?key=K`) },
  ];
  let runs = 0;
  let sent = 0;
  let deferred = 0;
  let waitingMax = 0;
  while (sent < prompts && runs < 100) {
    runs++;
    const before = rx.requests.length;
    const summary = await deliverDue({
      now: new Date(clock.now()),
      outbox,
      getUnitChannels: async (u) => channel(Number(/\d+/.exec(u)![0]) - 1),
      channelsConfig,
      clock,
      robots,
    });
    // Each post as it arrived, on the runs' clock (the robot's own view of its minute): a run that
    // waits for a robot's next minute moves that clock on, so a run's posts are not all one instant.
    for (const r of rx.requests.slice(before)) {
      const list = arrivals.get(r.path) ?? [];
      list.push(r.at);
      arrivals.set(r.path, list);
    }
    sent += summary.sent;
    deferred += summary.deferred;
    waitingMax = Math.max(waitingMax, summary.deferred);
    clock.set(MORNING.getTime() + runs * 5 * 60_000); // the timer's next run
  }
  let busiest = 0;
  for (const times of arrivals.values())
    for (const t of times) busiest = Math.max(busiest, times.filter((u) => u > t - 60_000 && u <= t).length);
  const posts = rx.requests.length - start;
  return [
    {
      name: `${units} units sharing ${robotCount} WeCom robots (${posts} posts): delivery runs, 5 minutes apart, until all ${prompts} prompts were sent (each once: ${sent})`,
      value: runs,
      unit: 'runs',
    },
    {
      name: 'most messages one robot took in any minute',
      value: busiest,
      unit: 'messages',
      goal: `≤ ${ROBOT_RATE_LIMIT.limit}`,
    },
    {
      name: 'prompts that waited for a robot’s window (summed over the runs; none dropped, none failed)',
      value: deferred,
      unit: `prompt-waits (most in one run ${waitingMax})`,
    },
  ];
}
