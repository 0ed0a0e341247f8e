// One delivery run's use of the channels at volume (R17): a bounded number of sends of each kind in
// flight at once, one pooled SMTP connection set for the run, and each WeCom/DingTalk robot held to its
// rate (about 20 messages a minute). A message in several parts takes a slot per part; parts beyond
// the robot's limit wait for its next window while the run may still wait (its deadline), and are
// otherwise left for the next run — never dropped: the caller learns which items went out and which
// wait, with the reason and the time the robot takes messages again.
import type { Channel } from '../../../shared/api.js';
import { markdownUrl, type PromptItem, type PromptMessage } from '../message.js';
import { concurrencyLimit, RateLimiter, type DeliveryClock } from '../rateLimit.js';
import { describeError, RobotBusyError, type ChannelsConfig } from './config.js';
import { openMailer } from './email.js';
import { dingtalkParts, sendDingtalkPart } from './dingtalk.js';
import { sendWebhook } from './webhook.js';
import { sendWecomPart, wecomParts } from './wecom.js';
import { CHANNEL_NAMES } from './index.js';

/** Sends of one kind in flight at once. */
export type ChannelConcurrency = Record<Channel['kind'], number>;

export const DEFAULT_CHANNEL_CONCURRENCY: ChannelConcurrency = {
  email: 4,
  wecom: 8,
  dingtalk: 8,
  webhook: 8,
};

/** What one send through one channel achieved. */
export interface ChannelSend {
  /** Items that reached the channel (all of them unless some parts wait or failed). */
  delivered: PromptItem[];
  /** The receipt for the delivered items, e.g. 已分3条发送. */
  receipt: string;
  /** Items not delivered, and why; `until` is set when they wait for a robot's next window. */
  pending: { items: PromptItem[]; error: string; until: number | null } | null;
}

export interface ChannelSession {
  send(channel: Channel, id: string, message: PromptMessage): Promise<ChannelSend>;
  close(): void;
}

/**
 * The items a markdown part delivers: those listed in it ("N. **…**") whose feedback link is in it too.
 * An item reached the unit only with its link: one listed without it is not counted delivered.
 */
function itemsOfPart(part: string, message: PromptMessage): PromptItem[] {
  const out: PromptItem[] = [];
  for (const m of part.matchAll(/^(\d+)\. \*\*/gm)) {
    const item = message.items[Number(m[1]) - 1];
    if (item && part.includes(`[填写反馈](${markdownUrl(item.feedbackUrl)})`)) out.push(item);
  }
  return out;
}

/** 2026-03-17T00:06:00Z → 08:06:00 (Beijing time, as the office reads it; R22). */
function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(11, 19);
}

export function openChannelSession(options: {
  config: ChannelsConfig;
  concurrency: ChannelConcurrency;
  robots: RateLimiter;
  clock: DeliveryClock;
  /** The last instant (ms) this run waits for a robot's window; later parts are left to the next run. */
  waitUntil: number;
}): ChannelSession {
  const { config, robots, clock, waitUntil } = options;
  const limits = Object.fromEntries(
    Object.entries(options.concurrency).map(([kind, n]) => [kind, concurrencyLimit(Math.max(1, n))]),
  ) as Record<Channel['kind'], ReturnType<typeof concurrencyLimit>>;
  const mailer = openMailer(config, Math.max(1, options.concurrency.email));

  async function robotParts(
    channel: Extract<Channel, { kind: 'wecom' | 'dingtalk' }>,
    id: string,
    message: PromptMessage,
  ): Promise<ChannelSend> {
    const parts = channel.kind === 'wecom' ? wecomParts(message) : dingtalkParts(message);
    const name = `${CHANNEL_NAMES[channel.kind]}机器人`;
    const delivered: PromptItem[] = [];
    // Whatever the accepted parts did not deliver stays pending: nothing is dropped between parts.
    const rest = () => message.items.filter((item) => !delivered.includes(item));
    const receipt = (sent: number) =>
      parts.length === 1
        ? '已发送'
        : sent === parts.length
          ? `已分${sent}条发送`
          : `已发送第1–${sent}条（共${parts.length}条）`;
    for (let i = 0; i < parts.length; i++) {
      const slot = await robots.take(id, waitUntil);
      const of = parts.length > 1 ? `第${i + 1}/${parts.length}条起` : '本条提示';
      if (slot !== true) {
        const error = `${name}每分钟最多${robots.rate.limit}条，已达上限：${of}待下次投递（该机器人 ${beijingTime(slot)} 起可再发送）`;
        return { delivered, receipt: receipt(i), pending: { items: rest(), error, until: slot } };
      }
      try {
        // The wait for the robot's window above holds no slot of the kind: other robots go on.
        await limits[channel.kind](() =>
          channel.kind === 'wecom'
            ? sendWecomPart(channel.url, parts[i]!, config)
            : sendDingtalkPart(channel, message.title, parts[i]!, config),
        );
      } catch (e) {
        if (e instanceof RobotBusyError) {
          const until = clock.now() + robots.rate.windowMs;
          const error = `${describeError(e)}：${of}待下次投递（${beijingTime(until)} 起再试）`;
          return { delivered, receipt: receipt(i), pending: { items: rest(), error, until } };
        }
        // The parts already accepted are delivered; only the rest is retried (never sent twice).
        return {
          delivered,
          receipt: receipt(i),
          pending: { items: rest(), error: describeError(e), until: null },
        };
      }
      delivered.push(...itemsOfPart(parts[i]!, message));
    }
    // Every part accepted: the whole message reached the robot.
    return { delivered: message.items, receipt: receipt(parts.length), pending: null };
  }

  return {
    send: async (channel, id, message) => {
      if (channel.kind === 'wecom' || channel.kind === 'dingtalk') return robotParts(channel, id, message);
      return limits[channel.kind](async (): Promise<ChannelSend> => {
        try {
          const receipt =
            channel.kind === 'email'
              ? await mailer.send(channel.to, message)
              : await sendWebhook(channel, message, config);
          return { delivered: message.items, receipt, pending: null };
        } catch (e) {
          return {
            delivered: [],
            receipt: '',
            pending: { items: message.items, error: describeError(e), until: null },
          };
        }
      });
    },
    close: () => mailer.close(),
  };
}
