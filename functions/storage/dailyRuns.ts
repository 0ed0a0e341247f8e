// A morning run fanned out one queue message per ledger (functions/timers/dailyQueue.ts) keeps its
// progress in the Config table, so that whichever ledger finishes last ends the day, once:
//   Config  daily-plan        / <on>        → the run's start: from, skipped, the ledgers handed out
//   Config  daily-done|<on>   / <ledgerId>  → a ledger's report, written once (the first one stays)
//   Config  daily-end         / <on>        → claimed by the one message that ends the day
import { encodeKey } from './keys.js';
import { joinText, splitText } from './large.js';
import { unavailable, type Storage } from './client.js';
import { storageStatus } from '../errors.js';

export interface DayPlan {
  on: string;
  from: string;
  skipped: { from: string; to: string } | null;
  /** The ledgers handed out, in the order the run reports them. */
  ledgers: string[];
  /** The timer's instant: every ledger's rows are written as at this moment. */
  at: string;
}

export async function putDayPlan(storage: Storage, plan: DayPlan): Promise<void> {
  await storage
    .table('Config')
    .upsertEntity(
      { partitionKey: 'daily-plan', rowKey: plan.on, ...splitText('json', JSON.stringify(plan), 'Config') },
      'Replace',
    );
}

export async function getDayPlan(storage: Storage, on: string): Promise<DayPlan | null> {
  const row = await storage.get('Config', 'daily-plan', on);
  return row ? (JSON.parse(joinText(row, 'json')) as DayPlan) : null;
}

/** Creates a row unless it exists; true when this call created it. */
async function createOnce(
  storage: Storage,
  entity: Record<string, unknown> & { partitionKey: string; rowKey: string },
) {
  try {
    await storage.table('Config').createEntity(entity);
    return true;
  } catch (e) {
    if (storageStatus(e) === 409) return false;
    throw unavailable(e);
  }
}

/** Records a ledger's report for the day; a report already there (a message delivered twice) stays. */
export function putLedgerDone(
  storage: Storage,
  on: string,
  ledgerId: string,
  report: unknown,
): Promise<boolean> {
  return createOnce(storage, {
    partitionKey: `daily-done|${on}`,
    rowKey: encodeKey(ledgerId),
    ...splitText('json', JSON.stringify(report), 'Config'),
  });
}

/** The reports recorded for the day, by ledger id. */
export async function ledgersDone(storage: Storage, on: string): Promise<Map<string, unknown>> {
  const rows = await storage.listPartition('Config', `daily-done|${on}`);
  return new Map(
    rows.map((r) => [String(JSON.parse(joinText(r, 'json')).ledgerId), JSON.parse(joinText(r, 'json'))]),
  );
}

/** Claims the end of the day for one message; false when another already has it. */
export function claimDayEnd(storage: Storage, on: string, at: string): Promise<boolean> {
  return createOnce(storage, { partitionKey: 'daily-end', rowKey: on, at });
}

/** Gives the claim back (the end failed: the message is retried and ends the day then). */
export async function releaseDayEnd(storage: Storage, on: string): Promise<void> {
  await storage
    .table('Config')
    .deleteEntity('daily-end', on)
    .catch(() => undefined);
}
