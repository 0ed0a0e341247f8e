// Reminders queued and feedback received, per ledger: the facts late reports (R9) and round-ups
// (R19, R21) are computed from.
//   Reminders:  PartitionKey <ledgerId>|<bucket of the lead unit> (keys.ts `unitBucket`), RowKey
//               <reminderKey> (ledger|task|period|reason, R17) → the Reminder. Rows recorded before
//               buckets have <ledgerId> alone; every read takes both (`listReminders`), and a key
//               is one reminder whichever partition holds it.
//   Feedback:   PartitionKey <ledgerId>, RowKey <taskId>|<period>|<UTC instant> → one feedback received
//   Candidates: PartitionKey <ledgerId>, RowKey <color>|<unit>|<reason> → the candidate, since when
import { odata, type TransactionAction } from '@azure/data-tables';
import type { Feedback, Reminder } from '../../shared/model.js';
import type { Candidate } from '../../shared/rules/candidates.js';
import { UNIT_BUCKETS, encodeKey, joinKey, splitKey, unitBucket } from './keys.js';
import type { Storage } from './client.js';
import { capLists, joinText, splitText, storedBytes, MAX_TEXT_BYTES } from './large.js';

/**
 * Records reminders not recorded yet. Creates (cheaper than upserts for the store); if another run
 * recorded some meanwhile (409), the rest are created one by one and the ones already there are kept:
 * the first recording of a key is its identity (R17).
 */
export async function recordReminders(
  storage: Storage,
  ledgerId: string,
  items: { key: string; reminder: Reminder; queuedOn: string }[],
) {
  const entities = items.map(({ key, reminder, queuedOn }) =>
    reminderEntity(ledgerId, key, reminder, queuedOn),
  );
  try {
    await storage.submit(
      'Reminders',
      entities.map((e): TransactionAction => ['create', e]),
    );
  } catch (e) {
    if ((e as { status?: number }).status !== 409) throw e;
    for (const entity of entities) {
      try {
        await storage.table('Reminders').createEntity(entity);
      } catch (e2) {
        if ((e2 as { statusCode?: number }).statusCode !== 409) throw e2;
      }
    }
  }
}

/** A reminder's Reminders row, as the daily run records it (its key is the reminder's identity, R17). */
export function reminderEntity(ledgerId: string, key: string, reminder: Reminder, queuedOn: string) {
  return {
    partitionKey: reminderPartition(ledgerId, reminder.leadUnit),
    rowKey: encodeKey(key),
    sendOn: reminder.sendOn,
    queuedOn,
    ...splitText('json', JSON.stringify(reminder), 'Reminders'),
  };
}

/** The Reminders partition of a ledger's reminders to a unit: `<ledgerId>|<bucket>`. */
export function reminderPartition(ledgerId: string, unit: string): string {
  return `${encodeKey(ledgerId)}|${unitBucket(unit)}`;
}

/**
 * A ledger's reminders, every bucket and the partition before buckets, in key order: one query a
 * partition, side by side (a ledger late in the year holds a reminder for each task and period of
 * the year: its pages come in parallel, not one after another). Each is a partition the service
 * serves as such; an `or` of them would be a scan of the table.
 */
export async function listReminders(storage: Storage, ledgerId: string): Promise<Reminder[]> {
  const base = encodeKey(ledgerId);
  const parts = await Promise.all(
    [base, ...Array.from({ length: UNIT_BUCKETS }, (_, b) => `${base}|${b}`)].map((pk) =>
      storage.listPartition('Reminders', pk),
    ),
  );
  return parts
    .flat()
    .sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0))
    .map((r) => JSON.parse(joinText(r, 'json')) as Reminder);
}

/** RowKeys starting with `prefix` (a range: RowKey order is code-unit order). */
function rowKeyPrefix(prefix: string): string {
  const upper = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return odata`RowKey ge ${prefix} and RowKey lt ${upper}`;
}

/**
 * The reminders recorded for some tasks of a ledger to one unit, read by key range: a card's letter
 * cites a few tasks of thousands. A reminder to the unit is in the unit's bucket, or in the ledger's
 * partition from before buckets: one range query a task in each (three comparisons each, far below
 * the service's fifteen a filter). Reminders to other units in those partitions are left to the caller.
 */
export async function listTaskReminders(
  storage: Storage,
  ledgerId: string,
  unit: string,
  taskIds: readonly string[],
): Promise<Reminder[]> {
  const partitions = [encodeKey(ledgerId), reminderPartition(ledgerId, unit)];
  const rows = await Promise.all(
    partitions.flatMap((pk) =>
      [...new Set(taskIds)].map((id) =>
        storage.list(
          'Reminders',
          `${odata`PartitionKey eq ${pk}`} and ${rowKeyPrefix(encodeKey(`${ledgerId}|${id}|`))}`,
        ),
      ),
    ),
  );
  // A task id that is a prefix of another's (A and A|B) reads both: only the asked ones are kept.
  const wanted = new Set(taskIds);
  return rows
    .flat()
    .map((r) => JSON.parse(joinText(r, 'json')) as Reminder)
    .filter((r) => wanted.has(r.taskId));
}

export async function recordFeedback(
  storage: Storage,
  ledgerId: string,
  f: Feedback,
  at: string,
): Promise<string> {
  let instant = at;
  for (let attempt = 0; ; attempt++) {
    try {
      await storage.table('Feedback').createEntity({
        partitionKey: encodeKey(ledgerId),
        rowKey: joinKey(f.taskId, f.period, instant),
        ...splitText('json', JSON.stringify(f), 'Feedback'),
        at: instant,
      });
      return instant;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 409 || attempt >= 50) throw e;
      instant = new Date(Date.parse(instant) + 1).toISOString();
    }
  }
}

export async function listFeedback(storage: Storage, ledgerId: string): Promise<Feedback[]> {
  const rows = await storage.listPartition('Feedback', encodeKey(ledgerId));
  return rows.map((r) => JSON.parse(joinText(r, 'json')) as Feedback);
}

/** The feedback received on some tasks of a ledger, read by key range (`<taskId>|…`). */
export async function listTaskFeedback(
  storage: Storage,
  ledgerId: string,
  taskIds: readonly string[],
): Promise<Feedback[]> {
  const pk = encodeKey(ledgerId);
  const rows = await Promise.all(
    [...new Set(taskIds)].map((id) =>
      storage.list('Feedback', `${odata`PartitionKey eq ${pk}`} and ${rowKeyPrefix(`${encodeKey(id)}|`)}`),
    ),
  );
  return rows.flat().map((r) => JSON.parse(joinText(r, 'json')) as Feedback);
}

// ---- Feedback as received, for GET /api/feedback (the add-in writes it back into the ledger, R19).

/** One feedback as received: the unit's answer and the UTC instant it arrived (`at`). */
export interface ReceivedFeedback extends Feedback {
  /** Stable identity of this feedback: `<taskId>|<period>|<at>` (its RowKey, decoded). */
  id: string;
  at: string;
}

/**
 * One page of a ledger's feedback received at or after `since` (a UTC ISO instant, as stored), in
 * RowKey order (task, period, instant), resuming from an opaque continuation token.
 */
export async function receivedFeedbackPage(
  storage: Storage,
  ledgerId: string,
  since: string | null,
  limit: number,
  continuation?: string,
): Promise<{ items: ReceivedFeedback[]; next: string | null }> {
  const pk = encodeKey(ledgerId);
  const filter = since ? odata`PartitionKey eq ${pk} and at ge ${since}` : odata`PartitionKey eq ${pk}`;
  const { items, next } = await storage.page('Feedback', filter, limit, continuation);
  return {
    items: items.map((r) => {
      const f = JSON.parse(joinText(r, 'json')) as Feedback;
      const at = String(r.at);
      return { ...f, id: `${f.taskId}|${f.period}|${at}`, at };
    }),
    next,
  };
}

export interface StoredCandidate extends Candidate {
  since: string;
}

/** The largest candidate (storedBytes of its JSON) a snapshot row keeps whole. */
export const MAX_CANDIDATE_BYTES = MAX_TEXT_BYTES - 10_000;

/**
 * A candidate as its snapshot row keeps it: whole when it fits one row (split over properties);
 * else its longest lists are cut (the task ids last), visibly — `omitted` says per list how many are
 * kept of how many, and a last line of `details` says where the full list is: GET /api/candidates,
 * which computes the candidates from the tasks, never from this snapshot.
 */
export function candidateForRow(c: Candidate, ledgerId: string): Candidate & { omitted?: unknown } {
  if (storedBytes(JSON.stringify(c)) <= MAX_CANDIDATE_BYTES) return c;
  const { value, omitted } = capLists(c, MAX_CANDIDATE_BYTES - 8_000, ['taskIds']);
  const where = `完整清单见 GET /api/candidates?ledgerId=${ledgerId}（加载项「亮牌候选」）`;
  const said = Object.entries(omitted)
    .map(
      ([k, o]) =>
        `${k === 'details' ? '情况' : k === 'taskIds' ? '任务' : k} 共 ${o.total} 条，此处只存前 ${o.kept} 条`,
    )
    .join('；');
  const line = `……另有未存入候选快照的内容（${said}），${where}`;
  return {
    ...value,
    ...(Array.isArray(value.details) ? { details: [...value.details, line] } : {}),
    omitted,
  };
}

/**
 * Replaces the ledger's candidate snapshot (or, with `onlyUnit`, that unit's part of it).
 * `beforeCommit` gets the candidates that are new since the last snapshot and runs before the
 * snapshot is written, so a run interrupted in between finds the same new candidates when it runs
 * again (and records them, idempotently, again).
 */
export async function refreshCandidates(
  storage: Storage,
  ledgerId: string,
  current: Candidate[],
  on: string,
  beforeCommit: (fresh: StoredCandidate[]) => Promise<void> = async () => {},
  onlyUnit?: string,
): Promise<StoredCandidate[]> {
  const pk = encodeKey(ledgerId);
  const old = new Map(
    (await storage.listPartition('Candidates', pk))
      .filter((r) => onlyUnit === undefined || splitKey(r.rowKey)[1] === onlyUnit)
      .map((r) => [r.rowKey, String(r.since)]),
  );
  const fresh: StoredCandidate[] = [];
  const keep = new Set<string>();
  const actions: TransactionAction[] = [];
  for (const c of current) {
    if (onlyUnit !== undefined && c.unit !== onlyUnit) continue;
    const rowKey = joinKey(c.color, c.unit, c.reason);
    keep.add(rowKey);
    const since = old.get(rowKey) ?? on;
    if (!old.has(rowKey)) fresh.push({ ...c, since });
    const json = JSON.stringify(candidateForRow(c, ledgerId));
    actions.push([
      'upsert',
      { partitionKey: pk, rowKey, since, ...splitText('json', json, 'Candidates') },
      'Replace',
    ]);
  }
  for (const rowKey of old.keys())
    if (!keep.has(rowKey)) actions.push(['delete', { partitionKey: pk, rowKey }]);
  await beforeCommit(fresh);
  await storage.submit('Candidates', actions);
  return fresh;
}

export async function listCandidates(storage: Storage, ledgerId: string): Promise<StoredCandidate[]> {
  const rows = await storage.listPartition('Candidates', encodeKey(ledgerId));
  return rows.map((r) => ({ ...(JSON.parse(joinText(r, 'json')) as Candidate), since: String(r.since) }));
}

/** The last date the daily run completed (Config 'daily'/'last'), for catching up on missed days. */
export async function lastDailyRun(storage: Storage): Promise<string | null> {
  const e = await storage.get('Config', 'daily', 'last');
  return typeof e?.on === 'string' ? e.on : null;
}

export async function setLastDailyRun(storage: Storage, on: string, at: string): Promise<void> {
  const prev = await lastDailyRun(storage);
  if (prev && prev > on) return;
  await storage.table('Config').upsertEntity({ partitionKey: 'daily', rowKey: 'last', on, at }, 'Replace');
}

/**
 * The daily run's lease (Config 'daily'/'running'): set when a run starts, cleared when it completes.
 * Delivery holds the day's prompts while it is held, so a unit's prompts of the day go out together;
 * a run that dies holds them only until `until`.
 */
export async function setDailyRunning(storage: Storage, on: string, until: Date | null): Promise<void> {
  await storage
    .table('Config')
    .upsertEntity(
      { partitionKey: 'daily', rowKey: 'running', on, until: until ? until.toISOString() : '' },
      'Replace',
    );
}

/** The day of a daily run in progress at `now` (its lease not lapsed), or null. */
export async function dailyRunInProgress(storage: Storage, now: Date): Promise<string | null> {
  const e = await storage.get('Config', 'daily', 'running');
  if (!e || typeof e.until !== 'string' || !e.until || e.until <= now.toISOString()) return null;
  return typeof e.on === 'string' ? e.on : null;
}
