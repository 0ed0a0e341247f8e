// Timer: delivers the queued prompts every 5 minutes (UTC schedule; the day that counts is CST, R22).
// The handler is a plain function; functions/registry.ts registers it for both hosts.
import type { InvocationContext, Timer } from '@azure/functions';
import { chinaToday } from '../../shared/dates.js';
import {
  deliverDue,
  deliveryPolicyFromEnv,
  type DeliverOptions,
  type DeliveryOutcome,
  type DeliverySummary,
} from '../notify/deliver.js';
import { channelsConfigFromEnv } from '../notify/channels/index.js';
import { runtimeOutbox } from '../runtime/outbox.js';
import { now, runtimeEnv, runtimeStorage, type Env } from '../runtime/index.js';
import {
  appendEvents,
  getUnitContacts,
  dailyRunInProgress,
  listTasks,
  type NewEvent,
} from '../storage/index.js';
import { promptCancellation, type PromptTaskState } from '../../shared/rules/promptDue.js';

export const DELIVERY_TIMER_NAME = 'delivery';
/** Every 5 minutes (NCRONTAB with seconds, UTC). */
export const DELIVERY_SCHEDULE = '0 */5 * * * *';

/**
 * The delivery's collaborators for an environment: the outbox (same storage and prefix as the rest),
 * each unit's channels from the Units table, SMTP settings and the retry policy from the environment.
 * Outcomes are collected for the history and written by `recordOutcomes` after the run.
 */
export async function deliveryDeps(
  env: Env = runtimeEnv(),
): Promise<Omit<DeliverOptions, 'now'> & { outcomes: DeliveryOutcome[] }> {
  const storage = await runtimeStorage(env);
  const outcomes: DeliveryOutcome[] = [];
  const ledgers = new Map<string, Promise<Map<string, PromptTaskState>>>();
  return {
    outbox: runtimeOutbox(env),
    getUnitChannels: async (unit) => (await getUnitContacts(storage, unit))?.channels ?? [],
    channelsConfig: channelsConfigFromEnv(env as NodeJS.ProcessEnv),
    policy: deliveryPolicyFromEnv(env as NodeJS.ProcessEnv),
    onOutcome: (o) => void outcomes.push(o),
    dailyRunInProgress: (at) => dailyRunInProgress(storage, at),
    cancellations: async (items) => {
      // One read of each ledger's tasks per run; shared promptCancellation decides (R18).
      const out = new Map<string, string | null>();
      for (const item of items) {
        let tasks = ledgers.get(item.ledgerId);
        if (!tasks) {
          tasks = listTasks(storage, item.ledgerId, { includeRemoved: true }).then(
            (list) => new Map(list.map((t) => [t.task.id, { closed: t.closed, removed: t.removed }])),
          );
          ledgers.set(item.ledgerId, tasks);
        }
        out.set(item.key, promptCancellation((await tasks).get(item.taskId) ?? null));
      }
      return out;
    },
    outcomes,
  };
}

/** History: a prompt delivered or failed for good is an event of its task (retries are only in the outbox). */
export async function recordOutcomes(outcomes: DeliveryOutcome[], env: Env = runtimeEnv()): Promise<void> {
  const events: NewEvent[] = outcomes
    .filter((o) => o.status !== 'retrying')
    .map((o) => ({
      subject: { ledgerId: o.item.ledgerId, taskId: o.item.taskId },
      type: 'prompt',
      date: chinaToday(new Date(o.at)),
      at: o.at,
      // One event per key and outcome: a retried write is the same row.
      id: `${o.status}|${o.item.key}`,
      data: {
        status: o.status,
        key: o.item.key,
        unit: o.item.unit,
        period: o.item.period,
        reason: o.item.reason,
        attempts: o.item.attempts,
        channels: o.item.channels.map((c) => ({ label: c.label, ok: c.ok, detail: c.detail })),
        error: o.error,
      },
    }));
  if (events.length === 0) return;
  await appendEvents(await runtimeStorage(env), events);
}

/** One delivery run now, with the environment's settings; used by the timer and `duban deliver`. */
export async function runDelivery(
  options: {
    now?: Date;
    env?: Env;
    log?: (line: string) => void;
    /** Each entry's outcome (sent, retrying, failed, cancelled, stale), e.g. to print the reasons. */
    onOutcome?: (outcome: DeliveryOutcome) => void;
  } = {},
): Promise<DeliverySummary> {
  const env = options.env ?? runtimeEnv();
  const { outcomes, ...deps } = await deliveryDeps(env);
  const summary = await deliverDue({ ...deps, now: options.now ?? now(), log: options.log });
  await recordOutcomes(outcomes, env);
  if (options.onOutcome) for (const o of outcomes) options.onOutcome(o);
  return summary;
}

export function describeSummary(s: DeliverySummary): string {
  const interrupted = s.errors.length ? `，${s.errors.length}个单位中断（租约到期后重新处理）` : '';
  const cancelled = s.cancelled ? `，任务已销号或移除而取消${s.cancelled}项` : '';
  const stale = s.stale ? `，已过反馈期限或链接过期而未发${s.stale}项（标为已过期）` : '';
  const waiting = s.deferred ? `（其中${s.deferred}项因机器人每分钟条数上限待下次投递，不计失败）` : '';
  return `督办提示投递：发出${s.messages}条消息（${s.units}个单位），送达${s.sent}项，待重试${s.retrying}项${waiting}，失败${s.failed}项，其他进程处理中${s.skipped}项${cancelled}${stale}${interrupted}`;
}

export async function deliveryTimer(timer: Timer, context: InvocationContext): Promise<void> {
  if (timer.isPastDue) context.warn('督办提示投递：本次触发已延迟（isPastDue）');
  const summary = await runDelivery({ log: (line) => context.warn(line) });
  context.log(describeSummary(summary));
  for (const error of summary.errors) context.error(`督办提示投递中断：${error}`);
}
