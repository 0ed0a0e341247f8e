// The morning run fanned out with Azure's own machinery, for a deployment whose run would come near
// one invocation's limits (a city's ledgers in one storage account): the timer hands out one queue
// message per ledger (`DUBAN_DAILY_FANOUT=queue`), a queue-triggered function runs each ledger's
// part — retried by the runtime, and after host.json's maxDequeueCount moved to `duban-daily-poison`
// — and the message that finishes the last ledger ends the day (overdue flags, the daily-run event,
// the last completed day). Every step is idempotent as in one invocation: a message delivered twice
// finds its reminders recorded, its prompts queued and its report already kept.
import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import {
  claimDayEnd,
  getDayPlan,
  ledgersDone,
  listLedgers,
  putDayPlan,
  putLedgerDone,
  releaseDayEnd,
  type Storage,
} from '../storage/index.js';
import { dailyConfig } from '../config.js';
import { encodeMessage, openQueue } from '../runtime/queue.js';
import { runtimeEnv, runtimeStorage, type Env } from '../runtime/index.js';
import {
  addLedger,
  finishDay,
  runLedger,
  startDay,
  type DailyRunOptions,
  type DailyRunResult,
  type LedgerReport,
} from './dailyDay.js';

/** The queue of the ledgers' messages (its poison queue is `duban-daily-poison`). */
export const DAILY_QUEUE = 'duban-daily';

/** Whether the timer fans the run out (`DUBAN_DAILY_FANOUT=queue`) or runs it in its own invocation. */
export function fansOut(env: Env): boolean {
  return dailyConfig(env).fanOut;
}

export const LedgerMessageSchema = z.object({
  on: IsoDateSchema,
  from: IsoDateSchema,
  ledgerId: z.string().min(1),
  /** The timer's instant: the rows are written as at this moment, whenever the message is processed. */
  at: z.iso.datetime(),
});
export type LedgerMessage = z.infer<typeof LedgerMessageSchema>;

/**
 * The timer's part: starts the day (delivery held, catch-up window), records the plan, sends one
 * message per ledger. With no ledger the day ends at once.
 */
export async function fanOutDaily(
  opts: DailyRunOptions & { queueName?: string },
): Promise<{ from: string; ledgers: number; skipped: DailyRunResult['skipped'] }> {
  const env = opts.env ?? runtimeEnv();
  const day = await startDay(opts);
  const ledgers = await listLedgers(opts.storage);
  const at = day.ctx.now.toISOString();
  await putDayPlan(opts.storage, {
    on: opts.on,
    from: day.result.from,
    skipped: day.result.skipped,
    ledgers: ledgers.map((l) => l.ledgerId),
    at,
  });
  if (!ledgers.length) await finishDay(day);
  const queue = await openQueue(env, opts.queueName ?? DAILY_QUEUE);
  for (const l of ledgers) {
    const message: LedgerMessage = { on: opts.on, from: day.result.from, ledgerId: l.ledgerId, at };
    await queue.sendMessage(encodeMessage(message));
  }
  opts.log?.(
    `每日督办 ${opts.on}：已为 ${ledgers.length} 本台账各发出一条队列消息（${opts.queueName ?? DAILY_QUEUE}）`,
  );
  return { from: day.result.from, ledgers: ledgers.length, skipped: day.result.skipped };
}

/**
 * A ledger's message: its part of the day, its report kept once, and — when it is the last ledger of
 * the plan — the end of the day. A storage outage throws, so the runtime retries the message.
 */
export async function runLedgerMessage(
  payload: unknown,
  opts: { storage: Storage; env?: Env; log?: (line: string) => void; detail?: (line: string) => void },
): Promise<{ ended: DailyRunResult | null }> {
  const parsed = LedgerMessageSchema.safeParse(payload);
  if (!parsed.success)
    throw new Error(
      `每日督办队列消息无效：${parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；')}`,
    );
  const { on, from, ledgerId, at } = parsed.data;
  const { storage } = opts;
  const base: DailyRunOptions = {
    on,
    storage,
    env: opts.env,
    now: new Date(at),
    log: opts.log,
    detail: opts.detail,
  };
  const day = await startDay(base, { from });
  const ledger = (await listLedgers(storage)).find((l) => l.ledgerId === ledgerId);
  // A ledger removed since the timer ran has nothing to do today; its report says so (no outcome).
  const report: LedgerReport = ledger
    ? await runLedger(day, ledger)
    : { ledgerId, outcome: null, lines: [`台账 ${ledgerId}: 已不存在，跳过`], failed: [] };
  await putLedgerDone(storage, on, ledgerId, report);
  return { ended: await endDayIfDone(storage, base) };
}

/** Ends the day when every ledger of its plan has reported, once (the first message to see it). */
async function endDayIfDone(storage: Storage, base: DailyRunOptions): Promise<DailyRunResult | null> {
  const plan = await getDayPlan(storage, base.on);
  if (!plan) return null;
  const done = await ledgersDone(storage, base.on);
  if (plan.ledgers.some((id) => !done.has(id))) return null;
  // Stamped with the run's clock (the message's instant), as every row of the run is.
  if (!(await claimDayEnd(storage, base.on, (base.now ?? new Date()).toISOString()))) return null;
  try {
    const day = await startDay(base, { from: plan.from });
    day.result.skipped = plan.skipped;
    for (const id of plan.ledgers) addLedger(day, done.get(id) as LedgerReport);
    return await finishDay(day);
  } catch (e) {
    await releaseDayEnd(storage, base.on);
    throw e;
  }
}

/** The queue-triggered function (`app.storageQueue`, and the dev host's queue trigger). */
export async function dailyLedger(payload: unknown, context: InvocationContext): Promise<void> {
  const storage = await runtimeStorage();
  const { ended } = await runLedgerMessage(payload, {
    storage,
    log: (l) => context.log(l),
    detail: (l) => context.error(l),
  });
  if (ended)
    context.log(
      `每日督办 ${ended.on}（${ended.from} 起，${ended.ledgers} 本台账）：到期提示 ${ended.due}，新入队 ${ended.queued}，候选 黄${ended.candidates.yellow}/橙${ended.candidates.orange}，整改逾期 ${ended.overdueRectifications.length}`,
    );
}
