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
  const azurite = await startAzurite();
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
    const requests = rx.requests.length + smtp.mails.length;
    if (summary.sent !== prompts)
      throw new Error(`benchmark delivery incomplete: ${JSON.stringify(summary)}`);
    return [
      {
        name: `delivery of ${prompts} prompts for ${units} units (${summary.messages} unit messages, ${requests} requests: ${smtp.mails.length} mails, ${rx.requests.length} robot/gateway posts)`,
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
    ];
  } finally {
    await rx.stop();
    await smtp.stop();
    await azurite.stop();
  }
}
