// `duban deliver [--now ISO] [--json]`: one delivery run against the configured storage, for operators
// and tests. Exit 0 when the run completed (failed prompts are in the outbox, visible); 1 when it could
// not run or a unit's delivery was interrupted (storage unavailable).
import { parse, type Io } from './main.js';
import { UsageError } from './errors.js';
import { describeSummary, runDelivery } from '../timers/delivery.js';

export async function deliverCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { now: { type: 'string' } });
  let at: Date | undefined;
  if (values.now !== undefined) {
    at = new Date(String(values.now));
    if (typeof values.now !== 'string' || Number.isNaN(at.getTime())) {
      throw new UsageError(
        `--now 需要时间 ISO 8601，如 2026-03-17T00:05:00Z (got ${JSON.stringify(values.now)})`,
      );
    }
  }
  const summary = await runDelivery({ now: at, log: (line) => io.err(line) });
  io.out(values.json ? JSON.stringify(summary) : describeSummary(summary));
  for (const error of summary.errors) io.err(`投递中断：${error}`);
  return summary.errors.length ? 1 : 0;
}
