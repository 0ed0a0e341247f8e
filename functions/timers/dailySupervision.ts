// The daily supervision run (UTC `0 0 0 * * *` = 08:00 Beijing, R22). It decides nothing itself:
//  - the reminders due (shared reminderSchedule, R15, R18) go to the outbox, one entry per
//    idempotency key (R17: a second run of the same day queues nothing new);
//  - days the timer missed since the last completed run (up to CATCH_UP_DAYS) are caught up, and
//    older ones are reported as skipped, never dropped silently;
//  - yellow/orange candidates are refreshed (shared candidates, R9, R10), new ones recorded;
//  - orange cards past their rectification deadline are flagged, every day until resolved (R11);
//  - everything is appended to the history.
// Every write is idempotent (upserts with deterministic keys, create-if-absent in the outbox), so a
// run interrupted by a storage outage is simply run again: nothing is lost and nothing doubled.
import type { InvocationContext, Timer } from '@azure/functions';
import { chinaToday } from '../../shared/dates.js';
import { eachLimited, listLedgers } from '../storage/index.js';
import { runtimeEnv, runtimeStorage, now as runtimeNow } from '../runtime/index.js';
import { fanOutDaily, fansOut } from './dailyQueue.js';
import {
  addLedger,
  finishDay,
  runLedger,
  startDay,
  CATCH_UP_DAYS,
  type DailyRunOptions,
  type DailyRunResult,
} from './dailyDay.js';

export {
  CATCH_UP_DAYS,
  DAILY_RUN_LEASE_MS,
  type DailyRunFailure,
  type DailyRunOptions,
  type DailyRunResult,
} from './dailyDay.js';
import { lowerWatermark } from './ledgerDay.js';
export { LINK_VALID_DAYS_AFTER_DUE } from './ledgerDay.js';
export { isOutage } from './failures.js';

/**
 * The whole run in this invocation. Ledgers go side by side (their partitions are their own, at most
 * `concurrency` at once); each one's log lines and failures are reported in the ledgers' order, so a
 * run writes and says the same whatever the concurrency.
 */
export async function runDaily(opts: DailyRunOptions): Promise<DailyRunResult> {
  const day = await startDay(opts);
  const ledgers = await listLedgers(opts.storage);
  // The outbox's watermark is lowered once for every ledger, after their inserts.
  const queuedDays = new Set<string>();
  day.ctx.queuedDays = queuedDays;
  let reports;
  try {
    reports = await eachLimited(ledgers, day.ctx.concurrency, (ledger) => runLedger(day, ledger));
  } finally {
    await lowerWatermark(day.outbox, queuedDays);
  }
  for (const report of reports) addLedger(day, report);
  return finishDay(day);
}

/** The timer's handler: today in Beijing, the environment's storage; logs a missed schedule (isPastDue). */
export async function dailySupervision(timer: Timer, context: InvocationContext): Promise<void> {
  const now = runtimeNow();
  const on = chinaToday(now);
  if (timer.isPastDue) context.warn(`每日督办计时器延迟触发（isPastDue），按 ${on} 运行并补齐漏跑的日子`);
  const storage = await runtimeStorage();
  // A city's ledgers: one queue message per ledger, each run by the queue-triggered dailyLedger.
  if (fansOut(runtimeEnv())) {
    const out = await fanOutDaily({
      on,
      storage,
      now,
      log: (l) => context.log(l),
      detail: (l) => context.error(l),
    });
    if (out.skipped)
      context.warn(
        `每日督办：${out.skipped.from} 至 ${out.skipped.to} 的提示未补发（超过 ${CATCH_UP_DAYS} 天未运行）`,
      );
    return;
  }
  const result = await runDaily({
    on,
    storage,
    now,
    log: (l) => context.log(l),
    detail: (l) => context.error(l),
  });
  for (const f of result.failures) context.error(`每日督办：${f.message}`);
  if (result.skipped)
    context.warn(
      `每日督办：${result.skipped.from} 至 ${result.skipped.to} 的提示未补发（超过 ${CATCH_UP_DAYS} 天未运行）`,
    );
  if (result.calendarNotice) context.warn(`每日督办：${result.calendarNotice}`);
  if (result.unscheduled.length)
    context.warn(
      `每日督办：${result.unscheduled.length} 项未办结任务无法提示（无牵头单位或无星级），见 GET /api/reminders`,
    );
  context.log(
    `每日督办 ${on}（${result.from} 起）：到期提示 ${result.due}，新入队 ${result.queued}，候选 黄${result.candidates.yellow}/橙${result.candidates.orange}，整改逾期 ${result.overdueRectifications.length}，无法提示的任务 ${result.unscheduled.length}，存储往返 ${result.roundTrips}`,
  );
}
