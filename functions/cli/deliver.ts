// `duban deliver [--now ISO] [--requeue DATE [--unit U]] [--json]`: one delivery run against the
// configured storage, for operators and tests. --requeue first puts the failed prompts of that send
// date (of one unit with --unit) back in the queue, e.g. after the unit's channels were fixed (R17). Exit 0 when the run completed (failed prompts are in the outbox, visible); 1 when it could
// not run or a unit's delivery was interrupted (storage unavailable).
import { parse, type CommandContext, type Io } from './main.js';
import { UsageError } from './errors.js';
import { describeStorage } from './config.js';
import { describeSummary, runDelivery } from '../timers/delivery.js';
import type { DeliveryOutcome } from '../notify/deliver.js';
import { IsoDateSchema } from '../../shared/model.js';
import { runtimeOutbox } from '../runtime/outbox.js';
import { now, runtimeEnv, runtimeStorage } from '../runtime/index.js';
import { requeueFailedPrompts } from '../services/outbox.js';

const OUTCOME_NAME: Record<DeliveryOutcome['status'], string> = {
  sent: '已送达',
  retrying: '待重试',
  failed: '失败',
  cancelled: '已取消',
  stale: '已过期未发',
};

/** One line per prompt not delivered, with its reason: the admin sees what to fix, not only a count. */
export function describeOutcome(o: DeliveryOutcome): string {
  const task = o.item.taskNo ? `序号${o.item.taskNo}` : o.item.taskId;
  return `  ${OUTCOME_NAME[o.status]} ${o.item.unit} ${task}（${o.item.period}，${o.item.sendOn} 发送）：${o.error ?? ''}`;
}

export async function deliverCommand(
  argv: string[],
  io: Io,
  context: Partial<CommandContext> = {},
): Promise<number> {
  const { values } = parse(argv, {
    now: { type: 'string' },
    requeue: { type: 'string' },
    unit: { type: 'string' },
  });
  if (values.unit !== undefined && values.requeue === undefined)
    throw new UsageError('--unit 只能与 --requeue 一起使用');
  const requeueDate = values.requeue === undefined ? undefined : String(values.requeue);
  if (requeueDate !== undefined && !IsoDateSchema.safeParse(requeueDate).success)
    throw new UsageError(`--requeue 需要日期 YYYY-MM-DD（收到的是 ${JSON.stringify(values.requeue)}）`);
  let at: Date | undefined;
  if (values.now !== undefined) {
    at = new Date(String(values.now));
    if (typeof values.now !== 'string' || Number.isNaN(at.getTime())) {
      throw new UsageError(
        `--now 需要时间 ISO 8601，如 2026-03-17T00:05:00Z（收到的是 ${JSON.stringify(values.now)}）`,
      );
    }
  }
  io.err(describeStorage(context.env ?? runtimeEnv()));
  if (requeueDate !== undefined) {
    const unit = values.unit === undefined ? undefined : String(values.unit).trim();
    const env = runtimeEnv();
    const requeued = await requeueFailedPrompts(
      runtimeOutbox(env),
      await runtimeStorage(env),
      { date: requeueDate, unit, by: 'duban deliver' },
      at ?? now(),
    );
    io.err(`${requeueDate}${unit ? ` ${unit}` : ''} 的失败提示重新入队 ${requeued} 项`);
  }
  const notDelivered: DeliveryOutcome[] = [];
  const summary = await runDelivery({
    now: at,
    log: (line) => io.err(line),
    onOutcome: (o) => {
      if (o.status !== 'sent') notDelivered.push(o);
    },
  });
  io.out(values.json ? JSON.stringify(summary) : describeSummary(summary));
  if (!values.json && notDelivered.length) {
    io.out(`未送达 ${notDelivered.length} 项：`);
    for (const o of notDelivered.slice(0, 200)) io.out(describeOutcome(o));
    if (notDelivered.length > 200) io.out(`  ……另有 ${notDelivered.length - 200} 项，见 GET /api/outbox`);
  }
  for (const error of summary.errors) io.err(`投递中断：${error}`);
  return summary.errors.length ? 1 : 0;
}
