// The outbox: one Table Storage entity per prompt to send, keyed by the reminder's idempotency key
// (R17: `ledger|task|period|reason`, computed by shared/rules/schedule.ts reminderKey). Inserting never overwrites, so a second daily run queues
// nothing and never resets an entry that was sent or failed. Every status change is ETag-checked:
// a delivery run first claims entries (status `sending` with a lease), so two runs at once never
// both send the same prompt.
//
// Key design (table `<prefix>Outbox`):
//   PartitionKey = `<sendOn>|<bucket>`: the CST date the prompt is due and one of eight buckets of
//                  units (`2026-03-17|5`, outboxEntries.ts `outboxPartition`). A day's prompts are
//                  eight partitions written side by side (one partition takes about 2,000 entities
//                  a second on Azure); a unit's prompts of a day share one, so its claim and its
//                  outcome are transactions (≤100 each). Rows queued before buckets have the bare
//                  day as PartitionKey; every read takes a day as the range [day, day + '}'), which
//                  holds both, and a prompt's identity is its send date and key, never its bucket.
//   RowKey       = the idempotency key with each `|`-separated part escaped (storage/keys.ts).
//   sendOn       = the send date (a row queued before buckets has it only as its PartitionKey).
//   status       = queued → sending (claimed, until claimedUntil) → sent | retrying (nextAttemptAt) | failed.
// One more entity, PartitionKey `!meta` RowKey `openFrom`, holds a watermark: no entry sent on an
// earlier day is still open (queued, retrying, sending). Delivery reads only
// the day partitions from openFrom to today with status in (open), so a run every five
// minutes touches a day or two of partitions, not the whole history. Enqueueing for an earlier day
// lowers the watermark (after inserting); a run raises it only with the ETag it read before its
// scan, so a lowering in between is never overwritten.
//
// The Outbox table is one of the storage's tables (functions/storage/client.ts): the same client,
// prefix, retry policy, transaction chunking, partition grouping and bound on requests in flight.
import { randomUUID } from 'node:crypto';
import { odata, type TransactionAction } from '@azure/data-tables';
import { Storage, type StorageOptions, type StoredEntity } from '../storage/client.js';
import { storageStatus } from '../errors.js';
import { encodeKey } from '../storage/keys.js';
import {
  FIRST_DAY,
  META_PARTITION,
  dayRange,
  outboxPartition,
  promptId,
  rowSendOn,
  OPEN_STATUSES,
  WATERMARK_ROW,
  isDue,
  outboxRowKey,
  patchEntity,
  promptKey,
  promptRow,
  toItem,
  type EnqueueOptions,
  type DaysRead,
  type DeliveryFacts,
  type OutboxItem,
  type OutboxPage,
  type OutboxPatch,
  type OutboxQuery,
  type OutboxRow,
  type PromptEntry,
  type Watermark,
} from './outboxEntries.js';

export * from './outboxEntries.js';

/**
 * The outbox of a deployment: on a storage already open (`{ storage }`, the daily run's and the
 * hosts'), or on its own connection (`{ connectionString, tablePrefix }`; tablePrefix defaults to
 * DUBAN_TABLE_PREFIX).
 */
export type OutboxOptions =
  | { storage: Storage }
  | {
      /** An Azure Storage connection string (global or Azure China), or Azurite's. */
      connectionString: string;
      /** Table-name prefix (DUBAN_TABLE_PREFIX, default `duban`): the table is `<prefix>Outbox`. */
      tablePrefix?: string;
      concurrency?: StorageOptions['concurrency'];
    };

const sameEntity = (a: { partitionKey?: unknown; rowKey?: unknown }) =>
  `${String(a.partitionKey)}\u0000${String(a.rowKey)}`;

/** `list` in the order of `order` (work done partition by partition side by side ends in any order). */
function inOrder<T>(list: T[], order: Map<string, number>, id: (t: T) => string): T[] {
  return list.sort((a, b) => (order.get(id(a)) ?? 0) - (order.get(id(b)) ?? 0));
}

/** The properties a delivery fact is read from (`DeliveryFacts`), with the keys that name the entry. */
const FACT_COLUMNS = ['PartitionKey', 'RowKey', 'key', 'sendOn', 'status', 'channels', 'lastError'] as const;

/** Rows as entries, by send date, then row key: the order of days and keys, whichever bucket holds each. */
function byDayAndKey(rows: StoredEntity[]): OutboxItem[] {
  return rows
    .map((row) => ({ id: promptId(rowSendOn(row), row.rowKey), row }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ row }) => toItem(row));
}

export class Outbox {
  readonly storage: Storage;

  constructor(options: OutboxOptions) {
    this.storage =
      'storage' in options
        ? options.storage
        : new Storage({
            connectionString: options.connectionString,
            prefix: options.tablePrefix ?? 'duban',
            concurrency: options.concurrency,
          });
  }

  get tableName(): string {
    return `${this.storage.prefix}Outbox`;
  }

  /** Storage requests sent to the Outbox table (each transaction counts once), for the benchmark. */
  get roundTrips(): number {
    return this.storage.roundTripsOf('Outbox');
  }

  /** Creates the tables once per process (a no-op when they exist). */
  async init(): Promise<this> {
    await this.storage.init();
    return this;
  }

  private get table() {
    return this.storage.table('Outbox');
  }

  /**
   * Queues prompts, one per idempotency key (R17). An entry whose key is already in the outbox is
   * left exactly as it is (whatever its status): it counts as `existing`. Writes are transactions
   * of at most 100 creates per day-partition; one query per partition finds the keys already there.
   * The day partitions go side by side.
   */
  async enqueuePrompts(
    entries: PromptEntry[],
    options: EnqueueOptions = {},
  ): Promise<{ queued: number; existing: number }> {
    await this.init();
    const created = options.created ?? [];
    const createdAt = (options.now ?? new Date()).toISOString();
    let existing = 0;
    const fresh = new Map<string, OutboxRow>();
    for (const entry of entries) {
      const { key, rowKey } = promptKey(entry);
      const id = promptId(entry.sendOn, rowKey);
      if (fresh.has(id)) {
        existing++;
        continue;
      }
      const feedbackUrl =
        entry.feedbackUrl ?? (options.feedbackUrl ? await options.feedbackUrl(entry) : undefined);
      fresh.set(id, promptRow(entry, key, feedbackUrl, createdAt));
    }

    const days = [...new Set([...fresh.values()].map((e) => String(e.sendOn)))];
    const there = options.present ?? (await this.present(days));
    const missing = [...fresh].filter(([id]) => !there.has(id)).map(([, e]) => e);
    existing += fresh.size - missing.length;
    let queued = 0;
    const queuedDays = new Set<string>();
    const made = (e: Record<string, unknown>) => {
      queued++;
      queuedDays.add(String(e.sendOn));
      created.push(String(e.key));
    };
    // At most 100 creates and 3 MiB a transaction: a day of prompts for tasks with titles as long as
    // a ledger cell allows (32,767 characters) goes in several.
    await this.storage.submit(
      'Outbox',
      missing.map((e): TransactionAction => ['create', e]),
      {
        done: (chunk) => chunk.forEach((a) => made(a[1])),
        // Another run queued some of these meanwhile: create one by one, keeping what exists.
        refused: async (chunk, err) => {
          if (storageStatus(err) !== 409) throw err;
          for (const [, e] of chunk) {
            try {
              await this.table.createEntity(e);
              made(e);
            } catch (err2) {
              if (storageStatus(err2) !== 409) throw err2;
              existing++;
            }
          }
        },
      },
    );
    // After the inserts, never before: a delivery run that scanned without them cannot raise the mark past them.
    if (options.queuedDays) queuedDays.forEach((d) => options.queuedDays?.add(d));
    const earliest = [...queuedDays].sort()[0];
    if (earliest !== undefined && !options.queuedDays) await this.lowerWatermark(earliest);
    return { queued, existing };
  }

  /**
   * The entries already there on these days (`promptId`s; one query per day, every bucket, side by
   * side), as `present` for `enqueuePrompts`: a caller that queues a day in several calls reads the day once.
   */
  async present(days: string[]): Promise<Set<string>> {
    return (await this.daysRead(days)).ids;
  }

  /**
   * These days read once (every bucket, one query a day, side by side; one ledger's entries when
   * `ledgerId` is given): the entries there
   * (`present`), and what delivery did with each (`deliveryOf`'s facts, by key), so that a caller
   * who queues on these days and then needs their delivery facts reads them once, not twice.
   */
  async daysRead(days: string[], ledgerId?: string): Promise<DaysRead> {
    await this.init();
    const wanted = [...new Set(days)];
    // One ledger's entries, when asked: their RowKeys start with the ledger id as the row key spells
    // it (`outboxRowKey`: each `|`-part escaped) and `|`. A ledger whose id continues that one past a
    // `|` falls in the range too: more entries, never fewer.
    const spelled = ledgerId?.split('|').map(encodeKey).join('|');
    const mine =
      spelled === undefined ? '' : ` and ${odata`RowKey ge ${`${spelled}|`} and RowKey lt ${`${spelled}}`}`}`;
    const rows = (
      await Promise.all(
        wanted.map((day) => this.storage.list('Outbox', dayRange(day, day) + mine, [...FACT_COLUMNS])),
      )
    ).flat();
    const facts = new Map<string, DeliveryFacts>();
    for (const row of rows) {
      const { key, sendOn, status, channels, lastError } = toItem(row);
      facts.set(key, { key, sendOn, status, channels, lastError });
    }
    return {
      days: new Set(wanted),
      ids: new Set(rows.map((row) => promptId(rowSendOn(row), row.rowKey))),
      facts,
    };
  }

  async readWatermark(): Promise<Watermark> {
    await this.init();
    const e = await this.storage.get('Outbox', META_PARTITION, WATERMARK_ROW);
    if (!e) return { openFrom: null, etag: null };
    return {
      openFrom: typeof e.openFrom === 'string' && e.openFrom !== '' ? e.openFrom : null,
      etag: e.etag,
    };
  }

  /** Makes sure entries sent on `date` are scanned again: openFrom ≤ date (ETag loop). */
  async lowerWatermark(date: string): Promise<void> {
    for (;;) {
      const mark = await this.readWatermark();
      if (mark.openFrom !== null && mark.openFrom <= date) return;
      if (await this.writeWatermark(date, mark)) return;
    }
  }

  /**
   * Raises the watermark after a delivery run, only if nobody changed it since `read` (the state
   * the run scanned under). Returns whether it was written.
   */
  async advanceWatermark(openFrom: string, read: Watermark): Promise<boolean> {
    if (read.openFrom !== null && read.openFrom >= openFrom) return false;
    return this.writeWatermark(openFrom, read);
  }

  /** Writes the watermark if it is still as `read`; false when another run changed it meanwhile. */
  private async writeWatermark(openFrom: string, read: Watermark): Promise<boolean> {
    const entity = { partitionKey: META_PARTITION, rowKey: WATERMARK_ROW, openFrom };
    try {
      if (read.etag === null) await this.table.createEntity(entity);
      else await this.table.updateEntity(entity, 'Replace', { etag: read.etag });
      return true;
    } catch (e) {
      const status = storageStatus(e);
      if (status !== 409 && status !== 412 && status !== 404) throw e;
      return false;
    }
  }

  /** The entry of `key` in the partition that holds it (`OutboxItem.partition`). */
  async get(partition: string, key: string): Promise<OutboxItem | null> {
    await this.init();
    const e = await this.storage.get('Outbox', partition, outboxRowKey(key));
    return e ? toItem(e) : null;
  }

  /** The entry of a prompt on its send date, in its unit's bucket or (queued before buckets) the bare day. */
  async find(sendOn: string, unit: string, key: string): Promise<OutboxItem | null> {
    return (await this.get(outboxPartition(sendOn, unit), key)) ?? (await this.get(sendOn, key));
  }

  /** A page of the outbox for the HTTP layer, filtered by send date, status and unit. */
  async listOutbox(query: OutboxQuery = {}): Promise<OutboxPage> {
    await this.init();
    const filters: string[] = [];
    filters.push(
      query.date !== undefined ? dayRange(query.date, query.date) : odata`PartitionKey ge ${FIRST_DAY}`,
    );
    if (query.status !== undefined) filters.push(odata`status eq ${query.status}`);
    if (query.unit !== undefined) filters.push(odata`unit eq ${query.unit}`);
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
    const page = await this.storage.page('Outbox', filters.join(' and '), limit, query.continuationToken);
    return { items: page.items.map(toItem), continuationToken: page.next };
  }

  /**
   * What delivery did with a ledger's entries sent on a day in [from, to] (a range of day partitions,
   * filtered by ledger): each entry's key, send date, status, channels and last error, for late
   * reports (R9). Only those properties are read: a morning reads this for every reminder of the year.
   */
  async deliveryOf(ledgerId: string, from: string, to: string): Promise<DeliveryFacts[]> {
    await this.init();
    const filter = `${dayRange(from, to)} and ${odata`ledgerId eq ${ledgerId}`}`;
    const rows = await this.storage.list('Outbox', filter, [...FACT_COLUMNS]);
    return rows.map((row) => {
      const { key, sendOn, status, channels, lastError } = toItem(row);
      return { key, sendOn, status, channels, lastError };
    });
  }

  /** Open entries (queued, retrying, sending) sent on a day in [openFrom, today]. */
  async openEntries(today: string, openFrom: string | null): Promise<OutboxItem[]> {
    await this.init();
    const open = OPEN_STATUSES.map((s) => odata`status eq ${s}`).join(' or ');
    const filter = `${dayRange(openFrom ?? FIRST_DAY, today)} and (${open})`;
    return byDayAndKey(await this.storage.list('Outbox', filter));
  }

  /** Entries a delivery run may take at `now`: sendOn ≤ today (CST), queued, retrying and due, or a lapsed lease. */
  async dueEntries(now: Date, today: string): Promise<OutboxItem[]> {
    const mark = await this.readWatermark();
    return (await this.openEntries(today, mark.openFrom)).filter((i) => isDue(i, now));
  }

  /**
   * Claims entries for one delivery run: status `sending` until `leaseUntil`, ETag-checked, in one
   * transaction per 100 entries of a partition. A transaction whose ETags no longer match (another
   * run took the entries) claims nothing; those entries are left to that run.
   */
  async claim(items: OutboxItem[], leaseUntil: Date, runId: string): Promise<OutboxItem[]> {
    await this.init();
    const patch: OutboxPatch = {
      status: 'sending',
      claimedUntil: leaseUntil.toISOString(),
      claimedBy: runId,
    };
    const byId = new Map(items.map((i) => [sameEntity(patchEntity(i, patch)), i]));
    const claimed: OutboxItem[] = [];
    await this.storage.submit(
      'Outbox',
      items.map((i): TransactionAction => ['update', patchEntity(i, patch), 'Merge', { etag: i.etag }]),
      {
        done: async (chunk, res) => {
          for (const [, e] of chunk) {
            const i = byId.get(sameEntity(e));
            if (!i) continue;
            const etag = res.getResponseForEntity(String(e.rowKey))?.etag;
            const fresh = etag ? { ...i, etag } : await this.get(i.partition, i.key);
            if (fresh)
              claimed.push({ ...fresh, status: 'sending', claimedUntil: patch.claimedUntil ?? null });
          }
        },
        refused: async (_chunk, e) => {
          const status = storageStatus(e);
          if (status !== 412 && status !== 409 && status !== 404) throw e;
        },
      },
    );
    const order = new Map([...byId.keys()].map((id, n) => [id, n]));
    return inOrder(claimed, order, (i) => sameEntity(patchEntity(i, patch)));
  }

  /**
   * Writes the outcome of a run, ETag-checked against the claim. Returns the keys whose update was
   * refused because the entry changed meanwhile (the lease lapsed and another run took it).
   */
  async settle(updates: { item: OutboxItem; patch: OutboxPatch }[]): Promise<string[]> {
    await this.init();
    const lost: string[] = [];
    const row = (u: { item: OutboxItem; patch: OutboxPatch }) =>
      patchEntity(u.item, { ...u.patch, claimedBy: null });
    const byId = new Map(updates.map((u) => [sameEntity(row(u)), u]));
    await this.storage.submit(
      'Outbox',
      updates.map((u): TransactionAction => ['update', row(u), 'Merge', { etag: u.item.etag }]),
      {
        refused: async (chunk, e) => {
          const status = storageStatus(e);
          if (status !== 412 && status !== 404) throw e;
          // One stale entry fails the whole transaction: write the others one by one.
          for (const [, entity] of chunk) {
            const u = byId.get(sameEntity(entity));
            if (!u) continue;
            try {
              await this.table.updateEntity(row(u), 'Merge', { etag: u.item.etag });
            } catch (e2) {
              const s2 = storageStatus(e2);
              if (s2 !== 412 && s2 !== 404) throw e2;
              lost.push(u.item.key);
            }
          }
        },
      },
    );
    const order = new Map(updates.map((u, n) => [u.item.key, n]));
    return inOrder(lost, order, (k) => k);
  }

  /**
   * Puts failed entries back in the queue (an operator's decision after fixing a unit's channels):
   * attempts start again; channels that already delivered are not sent to again.
   */
  async requeueFailed(filter: { date: string; unit?: string }): Promise<number> {
    await this.init();
    let n = 0;
    let token: string | undefined;
    do {
      const page = await this.listOutbox({
        ...filter,
        status: 'failed',
        limit: 1000,
        continuationToken: token,
      });
      const lost = await this.settle(
        page.items.map((item) => ({
          item,
          patch: { status: 'queued' as const, attempts: 0, nextAttemptAt: null, failedAt: null },
        })),
      );
      n += page.items.length - lost.length;
      token = page.continuationToken ?? undefined;
    } while (token);
    if (n > 0) await this.lowerWatermark(filter.date);
    return n;
  }
}

/** The outbox of a deployment: `{ storage }`, or `{ connectionString, tablePrefix }` (tablePrefix defaults to DUBAN_TABLE_PREFIX). */
export function createOutbox(options: OutboxOptions): Outbox {
  return new Outbox(options);
}

/** A fresh id for a delivery run (stored as `claimedBy` while it holds entries). */
export function newRunId(): string {
  return randomUUID();
}
