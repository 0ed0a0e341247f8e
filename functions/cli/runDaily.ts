// `duban run-daily [--on YYYY-MM-DD [--backfill]] [--json]`: the daily supervision run once, against
// the configured storage (DUBAN_STORAGE or AzureWebJobsStorage, DUBAN_TABLE_PREFIX). Running it twice
// for the same day queues nothing new (R17). A day before today queues prompts only with --backfill:
// a past day's prompts would otherwise reach real units (delivery marks those past their feedback due
// date stale instead of sending them, R17). Exit 0 when the run completed;
// 1 when storage failed or a ledger or unit could not be done (each named, the others done).
import { chinaToday } from '../../shared/dates.js';
import { openStorage, storageOptionsFromEnv } from '../storage/index.js';
import { runDaily, type DailyRunResult } from '../timers/dailySupervision.js';
import { describeStorage } from './config.js';
import { UsageError } from './errors.js';
import { parse, requireDate, type CommandContext, type Io } from './main.js';

export function describeDailyRun(r: DailyRunResult): string {
  const range = r.from === r.on ? r.on : `${r.from} 至 ${r.on}`;
  const lines = [
    `每日督办 ${range}${r.workingDay ? '' : '（非工作日）'}：台账 ${r.ledgers} 本`,
    `  到期提示 ${r.due} 条：新入队 ${r.queued} 条，此前已入队 ${r.existing} 条`,
    `  亮牌候选：黄牌 ${r.candidates.yellow} 个，橙牌 ${r.candidates.orange} 个（新增 ${r.candidates.new}）`,
    `  整改逾期 ${r.overdueRectifications.length} 个${r.overdueRectifications.map((o) => `\n    ${o.unit}：应于 ${o.rectifyBy} 前整改（牌 ${o.cardId}）`).join('')}`,
    ...(r.unscheduled.length
      ? [
          `  无法提示的未办结任务 ${r.unscheduled.length} 项${r.unscheduled
            .slice(0, 20)
            .map((u) => `\n    ${u.row ? `第${u.row}行 ` : ''}${u.taskNo ?? ''}（${u.taskId}）：${u.reason}`)
            .join('')}`,
        ]
      : []),
    ...(r.skipped ? [`  警告：${r.skipped.from} 至 ${r.skipped.to} 未运行过久，这些日子的提示未补发`] : []),
    ...(r.calendarNotice ? [`  警告：${r.calendarNotice}`] : []),
    `  存储往返 ${r.roundTrips} 次`,
    ...(r.failures.length
      ? [
          `未完成 ${r.failures.length} 处（其余已照常处理）：${r.failures.map((f) => `\n  ${f.message}`).join('')}`,
        ]
      : []),
  ];
  return lines.join('\n');
}

export async function runDailyCommand(
  argv: string[],
  io: Io,
  context: Partial<CommandContext> = {},
): Promise<number> {
  const env = (context.env ?? process.env) as NodeJS.ProcessEnv;
  const today = chinaToday((context.now ?? (() => new Date()))());
  const { values } = parse(argv, { on: { type: 'string' }, backfill: { type: 'boolean' } });
  const on = values.on === undefined ? today : requireDate(values.on, '--on');
  if (values.backfill && on >= today) throw new UsageError(`--backfill 只用于早于今天（${today}）的日期`);
  if (on < today && !values.backfill) {
    throw new UsageError(
      `${on} 早于今天（${today}）。补跑过去的日子会把当天的提示放入发送队列，发给真实的单位；` +
        `如确需补跑，请加 --backfill（已过反馈期限的提示不会发出，会标为已过期）。运行今天：duban run-daily`,
    );
  }
  // A future day would queue prompts days early, judge candidates against deadlines not yet passed and
  // move the last-run mark past today, so the real mornings in between would queue nothing.
  if (on > today)
    throw new UsageError(
      `${on} 晚于今天（${today}）：每日督办不能提前运行（会提前发出提示、按尚未到期的时限提出亮牌候选）。运行今天：duban run-daily`,
    );
  io.err(describeStorage(env));
  if (on < today)
    io.err(
      `补跑 ${on}（今天是 ${today}）：提示按当天的计划入队；已过反馈期限的提示投递时标为已过期，不会发出`,
    );
  const storage = await openStorage(storageOptionsFromEnv(env));
  const result = await runDaily({ on, storage, env, log: (line) => io.err(line) });
  io.out(values.json ? JSON.stringify(result) : describeDailyRun(result));
  // Exit 1 when a ledger or unit failed: the failures are printed above and kept in the history.
  return result.failures.length ? 1 : 0;
}
