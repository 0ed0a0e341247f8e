// Ledgers for the tests of a morning over several ledgers (side by side, fanned out), and what the
// run wrote as those tests compare it.
import { putLedger, writeTasks, type Storage, type TableName } from '../../../functions/storage/index.js';
import { openTask, task } from './api.js';

/** `tasks` open tasks in each ledger, their lead units and late ones (deadline 1 March 2026) as given. */
export async function seedLedgers(
  storage: Storage,
  opts: {
    ledgers: string[];
    tasks: number;
    idPrefix: string;
    unitOf: (i: number, ledger: number) => string;
    late: (i: number) => boolean;
    syncedAt: string;
  },
): Promise<void> {
  for (const [l, ledgerId] of opts.ledgers.entries()) {
    await writeTasks(
      storage,
      ledgerId,
      Array.from({ length: opts.tasks }, (_, i) => {
        const deadline = opts.late(i) ? '2026-03-01' : '2026-12-31';
        return openTask(
          task(`${opts.idPrefix}${l}-${i}`, {
            row: i + 4,
            leadUnit: opts.unitOf(i, l),
            deadline: { text: deadline, date: deadline, recurrence: null },
          }),
        );
      }),
    );
    await putLedger(storage, {
      ledgerId,
      year: 2026,
      syncedAt: opts.syncedAt,
      by: '测试',
      tasks: opts.tasks,
    });
  }
}

/**
 * Every row of the tables a morning writes, as sorted JSON without ETags or timestamps. The office's
 * daily-run row has a fresh id each firing: it is kept by type and date only (its counts are compared
 * through the run's result).
 */
export async function writtenRows(storage: Storage): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of ['Outbox', 'Reminders', 'Events', 'Candidates'] satisfies TableName[]) {
    out[t] = (await storage.list(t))
      .map(({ etag: _e, timestamp: _t, ...r }) =>
        JSON.stringify(r.type === 'daily-run' ? { type: r.type, date: r.date } : r),
      )
      .sort();
  }
  return out;
}
