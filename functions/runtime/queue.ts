// Azure Queue Storage for the backend (@azure/storage-queue): the client of a queue in the runtime's
// account, and the dev host's queue trigger, which does what the Functions runtime does for
// `app.storageQueue` (host.json `extensions.queues`): poll, hand each message to the function, delete
// it when the function succeeds, let it reappear when it fails, and after `maxDequeueCount` failed
// attempts move it to `<queue>-poison` — so that a message no run can process is kept, never lost.
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { InvocationContext } from '@azure/functions';
import { queueConfig } from '../config.js';
import type { Env } from './index.js';

/** The Functions runtime's defaults (host.json `extensions.queues`), kept in the repo's host.json. */
export const MAX_DEQUEUE_COUNT = 5;

/**
 * The account of the queues: the runtime's own (`AzureWebJobsStorage`, where `app.storageQueue`
 * listens), else `DUBAN_STORAGE`, else Azurite.
 */
export function queueConnection(env: Env): string {
  return queueConfig(env).connectionString;
}

/** A queue of the account, created when missing. */
export async function openQueue(env: Env, name: string): Promise<QueueClient> {
  const connection = queueConnection(env);
  const service = QueueServiceClient.fromConnectionString(connection, {
    retryOptions: { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
  });
  const queue = service.getQueueClient(name);
  await queue.createIfNotExists();
  return queue;
}

/** A message as the Functions runtime sends it to a queue trigger: JSON, base64 (host.json messageEncoding). */
export function encodeMessage(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
}

/** The payload of a message: JSON when it parses (as the runtime hands it over), else the text. */
export function decodeMessage(text: string): unknown {
  const raw = Buffer.from(text, 'base64').toString('utf8');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export interface QueueTriggerOptions {
  env: Env;
  queueName: string;
  handler: (payload: unknown, context: InvocationContext) => Promise<void>;
  /** Attempts before a message goes to `<queue>-poison` (host.json maxDequeueCount). */
  maxDequeueCount?: number;
  /** Seconds a message stays hidden while a function processes it. */
  visibilityTimeout?: number;
  /** Seconds before a failed message is seen again (host.json visibilityTimeout). */
  retryAfter?: number;
  /** Milliseconds between polls of an empty queue. */
  pollMs?: number;
  /** Messages processed side by side (host.json batchSize). */
  batchSize?: number;
  log: (line: string) => void;
  /** The context handed to the function for one message. */
  context: (id: string) => InvocationContext;
}

export interface QueueTrigger {
  /** Processes what is in the queue now, until it is empty (tests and operators). */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

/** The dev host's queue trigger. Polls on its own unless `poll: false`. */
export async function startQueueTrigger(o: QueueTriggerOptions & { poll?: boolean }): Promise<QueueTrigger> {
  const max = o.maxDequeueCount ?? MAX_DEQUEUE_COUNT;
  const queue = await openQueue(o.env, o.queueName);
  const poison = await openQueue(o.env, `${o.queueName}-poison`);
  let stopped = false;

  const toPoison = async (m: { messageId: string; popReceipt: string; messageText: string }, why: string) => {
    await poison.sendMessage(m.messageText);
    await queue.deleteMessage(m.messageId, m.popReceipt);
    o.log(`队列 ${o.queueName}：消息 ${m.messageId} ${why}，已移入 ${o.queueName}-poison`);
  };

  /** One batch: the number of messages taken (0 when the queue was empty). */
  const batch = async (): Promise<number> => {
    const got = await queue.receiveMessages({
      numberOfMessages: o.batchSize ?? 16,
      visibilityTimeout: o.visibilityTimeout ?? 600,
    });
    await Promise.all(
      got.receivedMessageItems.map(async (m) => {
        // A message whose function kept crashing (never reporting back) is poison too.
        if (m.dequeueCount > max) return toPoison(m, `已处理 ${m.dequeueCount - 1} 次未成功`);
        try {
          await o.handler(decodeMessage(m.messageText), o.context(m.messageId));
          await queue.deleteMessage(m.messageId, m.popReceipt);
        } catch (e) {
          o.log(
            `队列 ${o.queueName}：消息 ${m.messageId} 第 ${m.dequeueCount} 次处理失败：${(e as Error).message}`,
          );
          if (m.dequeueCount >= max) return toPoison(m, `已处理 ${m.dequeueCount} 次未成功`);
          await queue.updateMessage(m.messageId, m.popReceipt, undefined, o.retryAfter ?? 0);
        }
      }),
    );
    return got.receivedMessageItems.length;
  };

  const drain = async () => {
    let n = 0;
    for (let got = await batch(); got > 0; got = await batch()) n += got;
    return n;
  };

  let loop: Promise<void> = Promise.resolve();
  if (o.poll ?? true)
    loop = (async () => {
      while (!stopped) {
        const got = await batch().catch((e: unknown) => {
          o.log(`队列 ${o.queueName}：读取失败：${(e as Error).message}`);
          return 0;
        });
        if (!got) await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
      }
    })();
  return {
    drain,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
