// The outbox: one Table Storage entity per prompt to send, keyed by the reminder's idempotency key
// (R17: `ledger|task|period|reason`, computed by shared/rules/schedule.ts reminderKey). Inserting never overwrites, so a second daily run queues
// nothing and never resets an entry that was sent or failed. Every status change is ETag-checked:
// a delivery run first claims entries (status `sending` with a lease), so two runs at once never
// both send the same prompt.
//
// Key design (table `<prefix>Outbox`):
//   PartitionKey = sendOn, the CST date the prompt is due (`2026-03-17`): a day's prompts are one
//                  partition, so a day's enqueue and a unit's claim are transactions (≤100 each).
//   RowKey       = the idempotency key with each `|`-separated part escaped (storage/keys.ts).
//   status       = queued → sending (claimed, until claimedUntil) → sent | retrying (nextAttemptAt) | failed.
// One more entity, PartitionKey `!meta` RowKey `openFrom`, holds a watermark: no entry sent on an
// earlier day is still open (queued, retrying, sending). Delivery reads only
// `PartitionKey ge openFrom and PartitionKey le today and status in (open)`, so a run every five
// minutes touches a day or two of partitions, not the whole history. Enqueueing for an earlier day
// lowers the watermark (after inserting); a run raises it only with the ETag it read before its
// scan, so a lowering in between is never overwritten.
import { randomUUID } from 'node:crypto';
import { TableClient, odata, type TransactionAction, type TableEntityResult } from '@azure/data-tables';
import type { Channel, OutboxStatus } from '../../shared/api.js';
import {
  IsoDateSchema,
  ReminderSchema,
  type Reminder,
  type ReminderReason,
  type Stars,
} from '../../shared/model.js';
import { reminderKey } from '../../shared/rules/schedule.js';
import { encodeKey, decodeKey, MAX_KEY_CHARS } from '../storage/keys.js';
import { assertEntityFits, transactionChunks } from '../storage/large.js';
import { ApiError, storageStatus } from '../errors.js';

/**
 * `cancelled`: not sent because its task was closed or removed meanwhile (R18), with the reason.
 * `stale`: not sent because its feedback due date or its link's expiry had passed (R17), with the reason. The
 * statuses are defined once, in shared/api.ts, for the backend and the pane.
 */
export { OUTBOX_STATUSES, type OutboxStatus } from '../../shared/api.js';

/** What the daily run hands over: the reminder (R15) plus what the unit needs to read and answer it. */
export interface PromptEntry extends Reminder {
  ledgerId: string;
  /** The unit that receives the prompt (the reminder's lead unit). */
  unit: string;
  taskTitle: string;
  /** The unit's signed feedback link; or computed by `EnqueueOptions.feedbackUrl`. */
  feedbackUrl?: string;
  /** UTC instant; defaults to the enqueue time. */
  createdAt?: string;
}

export interface EnqueueOptions {
  /** Receives the keys of the entries this call created (not those already there). */
  created?: string[];
  now?: Date;
  /** Computes the signed feedback link of an entry that has none. */
  feedbackUrl?: (entry: PromptEntry) => string | Promise<string>;
}

/** What happened on one channel for one entry (kept across attempts). */
export interface ChannelRecord {
  id: string;
  kind: Channel['kind'] | 'invalid';
  label: string;
  ok: boolean;
  /** UTC instant of the last try on this channel. */
  at: string;
  /** The receipt when delivered, the error otherwise. */
  detail: string;
  attempts: number;
}

/** One outbox entry as the HTTP layer and the delivery see it. */
export interface OutboxItem {
  key: string;
  sendOn: string;
  ledgerId: string;
  taskId: string;
  taskNo: string | null;
  taskTitle: string;
  unit: string;
  stars: Stars;
  period: string;
  reason: ReminderReason;
  note: string | null;
  feedbackDue: string;
  roundupOn: string;
  feedbackUrl: string;
  createdAt: string;
  status: OutboxStatus;
  /** Delivery attempts made so far. */
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  failedAt: string | null;
  claimedUntil: string | null;
  channels: ChannelRecord[];
  etag: string;
}

export interface OutboxQuery {
  /** sendOn, `YYYY-MM-DD` */
  date?: string;
  status?: OutboxStatus;
  unit?: string;
  /** Page size, 1–1000 (default 100). */
  limit?: number;
  continuationToken?: string;
}

export interface OutboxPage {
  items: OutboxItem[];
  continuationToken: string | null;
}

/** The fields a delivery run changes on an entry (merged, ETag-checked). */
export interface OutboxPatch {
  status: OutboxStatus;
  attempts?: number;
  nextAttemptAt?: string | null;
  lastAttemptAt?: string | null;
  lastError?: string | null;
  sentAt?: string | null;
  failedAt?: string | null;
  claimedUntil?: string | null;
  claimedBy?: string | null;
  channels?: ChannelRecord[];
}

export interface OutboxOptions {
  /** An Azure Storage connection string (global or Azure China), or Azurite's. */
  connectionString: string;
  /** Table-name prefix (DUBAN_TABLE_PREFIX, default `duban`): the table is `<prefix>Outbox`. */
  tablePrefix?: string;
}

const EPOCH = '1970-01-01T00:00:00.000Z';
const OPEN_STATUSES: OutboxStatus[] = ['queued', 'retrying', 'sending'];
/** Sorts before every date, so date-range filters never meet it. */
const META_PARTITION = '!meta';
const WATERMARK_ROW = 'openFrom';
/** Every day partition sorts at or after this. */
const FIRST_DAY = '0000-00-00';

export interface Watermark {
  /** No entry with an earlier sendOn is open; null: none recorded yet (scan from the beginning). */
  openFrom: string | null;
  etag: string | null;
}

/** An open entry may be taken at `now`: queued, retrying whose time has come, or a lapsed lease. */
export function isDue(item: OutboxItem, now: Date): boolean {
  const iso = now.toISOString();
  if (item.status === 'queued') return true;
  if (item.status === 'retrying') return (item.nextAttemptAt ?? EPOCH) <= iso;
  if (item.status === 'sending') return (item.claimedUntil ?? EPOCH) <= iso;
  return false;
}

type Row = TableEntityResult<Record<string, unknown>>;

/** RowKey of an idempotency key: each `|`-part escaped, the separators kept readable. */
export function outboxRowKey(key: string): string {
  const rowKey = key.split('|').map(encodeKey).join('|');
  if (rowKey.length > MAX_KEY_CHARS) {
    throw new Error(`提示的幂等键过长（${rowKey.length} 字符，上限 ${MAX_KEY_CHARS}）：${key.slice(0, 80)}…`);
  }
  return rowKey;
}

export function keyFromRowKey(rowKey: string): string {
  return rowKey.split('|').map(decodeKey).join('|');
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function parseChannels(v: unknown): ChannelRecord[] {
  if (typeof v !== 'string' || v === '') return [];
  try {
    const parsed = JSON.parse(v) as unknown;
    return Array.isArray(parsed) ? (parsed as ChannelRecord[]) : [];
  } catch {
    return [];
  }
}

function toItem(e: Row): OutboxItem {
  return {
    key: typeof e.key === 'string' ? e.key : keyFromRowKey(e.rowKey ?? ''),
    sendOn: e.partitionKey ?? '',
    ledgerId: String(e.ledgerId ?? ''),
    taskId: String(e.taskId ?? ''),
    taskNo: str(e.taskNo),
    taskTitle: String(e.taskTitle ?? ''),
    unit: String(e.unit ?? ''),
    stars: Number(e.stars) as Stars,
    period: String(e.period ?? ''),
    reason: String(e.reason ?? '') as ReminderReason,
    note: str(e.note),
    feedbackDue: String(e.feedbackDue ?? ''),
    roundupOn: String(e.roundupOn ?? ''),
    feedbackUrl: String(e.feedbackUrl ?? ''),
    createdAt: String(e.createdAt ?? ''),
    status: String(e.status ?? 'queued') as OutboxStatus,
    attempts: Number(e.attempts ?? 0),
    nextAttemptAt: str(e.nextAttemptAt),
    lastAttemptAt: str(e.lastAttemptAt),
    lastError: str(e.lastError),
    sentAt: str(e.sentAt),
    failedAt: str(e.failedAt),
    claimedUntil: str(e.claimedUntil),
    channels: parseChannels(e.channels),
    etag: e.etag,
  };
}

/** Table Storage has no null: cleared fields are stored as ''. */
function patchEntity(
  item: Pick<OutboxItem, 'sendOn' | 'key'>,
  patch: OutboxPatch,
): Record<string, unknown> & {
  partitionKey: string;
  rowKey: string;
} {
  const e: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
    partitionKey: item.sendOn,
    rowKey: outboxRowKey(item.key),
    status: patch.status,
  };
  const set = (name: keyof OutboxPatch, value: unknown) => {
    if (value !== undefined) e[name] = value === null ? '' : value;
  };
  set('attempts', patch.attempts);
  set('nextAttemptAt', patch.nextAttemptAt);
  set('lastAttemptAt', patch.lastAttemptAt);
  set('lastError', patch.lastError);
  set('sentAt', patch.sentAt);
  set('failedAt', patch.failedAt);
  set('claimedUntil', patch.claimedUntil);
  set('claimedBy', patch.claimedBy);
  if (patch.channels !== undefined) e.channels = JSON.stringify(patch.channels);
  return e;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function byPartition<T>(list: T[], pk: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of list) {
    const k = pk(t);
    const l = m.get(k);
    if (l) l.push(t);
    else m.set(k, [t]);
  }
  return m;
}

export class Outbox {
  readonly tableName: string;
  /** Storage requests sent (each transaction counts once), for the benchmark. */
  roundTrips = 0;
  private readonly client: TableClient;
  private ready: Promise<void> | undefined;

  constructor(options: OutboxOptions) {
    const prefix = options.tablePrefix ?? process.env.DUBAN_TABLE_PREFIX ?? 'duban';
    if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(prefix)) {
      throw new Error(`DUBAN_TABLE_PREFIX 只能包含字母和数字，并以字母开头: ${prefix}`);
    }
    this.tableName = `${prefix}Outbox`;
    const insecure = /usedevelopmentstorage=true|protocol=http;|endpoint=http:/i.test(
      options.connectionString,
    );
    this.client = TableClient.fromConnectionString(options.connectionString, this.tableName, {
      allowInsecureConnection: insecure,
      retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
      additionalPolicies: [
        {
          position: 'perCall',
          policy: {
            name: 'dubanOutboxRoundTrips',
            sendRequest: (req, next) => {
              this.roundTrips++;
              return next(req);
            },
          },
        },
      ],
    });
  }

  /** Creates the table once per process (a no-op when it exists). */
  async init(): Promise<this> {
    this.ready ??= this.client.createTable().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    await this.ready;
    return this;
  }

  /**
   * Queues prompts, one per idempotency key (R17). An entry whose key is already in the outbox is
   * left exactly as it is (whatever its status): it counts as `existing`. Writes are transactions
   * of at most 100 creates per day-partition; one query per partition finds the keys already there.
   */
  async enqueuePrompts(
    entries: PromptEntry[],
    options: EnqueueOptions = {},
  ): Promise<{ queued: number; existing: number }> {
    await this.init();
    const created = options.created ?? [];
    const createdAt = (options.now ?? new Date()).toISOString();
    let existing = 0;
    const fresh = new Map<string, Record<string, unknown> & { partitionKey: string; rowKey: string }>();
    for (const entry of entries) {
      const parsedDate = IsoDateSchema.safeParse(entry.sendOn);
      if (!parsedDate.success) throw new Error(`提示的发送日期无效：${entry.sendOn}（任务 ${entry.taskId}）`);
      const parsed = ReminderSchema.safeParse(entry);
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；');
        throw new Error(`提示数据无效（任务 ${entry.taskId}）：${why}`);
      }
      if (!entry.unit.trim()) throw new Error(`提示缺少接收单位（任务 ${entry.taskId}）`);
      if (!entry.ledgerId.trim()) throw new Error(`提示缺少台账编号（任务 ${entry.taskId}）`);
      // The idempotency key is the rules' (R17), never re-derived here.
      const key = reminderKey(entry.ledgerId, entry);
      const rowKey = outboxRowKey(key);
      const id = `${entry.sendOn}\u0000${rowKey}`;
      if (fresh.has(id)) {
        existing++;
        continue;
      }
      const feedbackUrl =
        entry.feedbackUrl ?? (options.feedbackUrl ? await options.feedbackUrl(entry) : undefined);
      if (!feedbackUrl) throw new Error(`提示缺少反馈链接（任务 ${entry.taskId}，单位 ${entry.unit}）`);
      const entity = {
        partitionKey: entry.sendOn,
        rowKey,
        key,
        ledgerId: entry.ledgerId,
        taskId: entry.taskId,
        taskNo: entry.taskNo ?? '',
        taskTitle: entry.taskTitle,
        unit: entry.unit,
        stars: entry.stars,
        period: entry.period,
        reason: entry.reason,
        note: entry.note ?? '',
        feedbackDue: entry.feedbackDue,
        roundupOn: entry.roundupOn,
        feedbackUrl,
        createdAt: entry.createdAt ?? createdAt,
        status: 'queued',
        attempts: 0,
        nextAttemptAt: '',
        lastAttemptAt: '',
        lastError: '',
        sentAt: '',
        failedAt: '',
        claimedUntil: '',
        claimedBy: '',
        channels: '[]',
      };
      // A row the service would refuse is refused here, in Chinese, naming the task and unit.
      try {
        assertEntityFits('Outbox', entity);
      } catch (e) {
        throw new ApiError(
          413,
          'entity_too_large',
          `${(e as Error).message}（任务 ${entry.taskId}，单位 ${entry.unit}）`,
        );
      }
      fresh.set(id, entity);
    }

    let queued = 0;
    let earliest: string | null = null;
    for (const [partitionKey, list] of byPartition([...fresh.values()], (e) => e.partitionKey)) {
      const before = queued;
      const present = new Set<string>();
      const iter = this.client.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] },
      });
      for await (const e of iter) if (e.rowKey) present.add(e.rowKey);
      const missing = list.filter((e) => !present.has(e.rowKey));
      existing += list.length - missing.length;
      // At most 100 creates and 3 MiB a transaction: a day of prompts for tasks with titles as long as
      // a ledger cell allows (32,767 characters) goes in several.
      const creates = missing.map((e) => ['create', e] as const satisfies TransactionAction);
      for (const chunk of transactionChunks(creates).map((c) => c.map((a) => a[1]))) {
        try {
          await this.client.submitTransaction(chunk.map((e): TransactionAction => ['create', e]));
          queued += chunk.length;
          created.push(...chunk.map((e) => String(e.key)));
        } catch (err) {
          if (storageStatus(err) !== 409) throw err;
          // Another run queued some of these meanwhile: create one by one, keeping what exists.
          for (const e of chunk) {
            try {
              await this.client.createEntity(e);
              queued++;
              created.push(String(e.key));
            } catch (err2) {
              if (storageStatus(err2) !== 409) throw err2;
              existing++;
            }
          }
        }
      }
      if (queued > before && (earliest === null || partitionKey < earliest)) earliest = partitionKey;
    }
    // After the inserts, never before: a delivery run that scanned without them cannot raise the mark past them.
    if (earliest !== null) await this.lowerWatermark(earliest);
    return { queued, existing };
  }

  async readWatermark(): Promise<Watermark> {
    await this.init();
    try {
      const e = await this.client.getEntity<Record<string, unknown>>(META_PARTITION, WATERMARK_ROW);
      return { openFrom: str(e.openFrom), etag: e.etag };
    } catch (e) {
      if (storageStatus(e) === 404) return { openFrom: null, etag: null };
      throw e;
    }
  }

  /** Makes sure entries sent on `date` are scanned again: openFrom ≤ date (ETag loop). */
  async lowerWatermark(date: string): Promise<void> {
    for (;;) {
      const mark = await this.readWatermark();
      if (mark.openFrom !== null && mark.openFrom <= date) return;
      const entity = { partitionKey: META_PARTITION, rowKey: WATERMARK_ROW, openFrom: date };
      try {
        if (mark.etag === null) await this.client.createEntity(entity);
        else await this.client.updateEntity(entity, 'Replace', { etag: mark.etag });
        return;
      } catch (e) {
        const status = storageStatus(e);
        if (status !== 409 && status !== 412 && status !== 404) throw e;
      }
    }
  }

  /**
   * Raises the watermark after a delivery run, only if nobody changed it since `read` (the state
   * the run scanned under). Returns whether it was written.
   */
  async advanceWatermark(openFrom: string, read: Watermark): Promise<boolean> {
    if (read.openFrom !== null && read.openFrom >= openFrom) return false;
    const entity = { partitionKey: META_PARTITION, rowKey: WATERMARK_ROW, openFrom };
    try {
      if (read.etag === null) await this.client.createEntity(entity);
      else await this.client.updateEntity(entity, 'Replace', { etag: read.etag });
      return true;
    } catch (e) {
      const status = storageStatus(e);
      if (status !== 409 && status !== 412 && status !== 404) throw e;
      return false;
    }
  }

  async get(sendOn: string, key: string): Promise<OutboxItem | null> {
    await this.init();
    try {
      return toItem(await this.client.getEntity<Record<string, unknown>>(sendOn, outboxRowKey(key)));
    } catch (e) {
      if (storageStatus(e) === 404) return null;
      throw e;
    }
  }

  /** A page of the outbox for the HTTP layer, filtered by send date, status and unit. */
  async listOutbox(query: OutboxQuery = {}): Promise<OutboxPage> {
    await this.init();
    const filters: string[] = [];
    filters.push(
      query.date !== undefined ? odata`PartitionKey eq ${query.date}` : odata`PartitionKey ge ${FIRST_DAY}`,
    );
    if (query.status !== undefined) filters.push(odata`status eq ${query.status}`);
    if (query.unit !== undefined) filters.push(odata`unit eq ${query.unit}`);
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
    const pages = this.client
      .listEntities<Record<string, unknown>>(
        filters.length ? { queryOptions: { filter: filters.join(' and ') } } : {},
      )
      .byPage({ maxPageSize: limit, continuationToken: query.continuationToken });
    const first = await pages.next();
    if (first.done) return { items: [], continuationToken: null };
    return { items: first.value.map(toItem), continuationToken: first.value.continuationToken ?? null };
  }

  /**
   * A ledger's entries sent on a day in [from, to] (a range of day partitions, filtered by ledger):
   * what became of its recorded reminders, for late reports (R9).
   */
  async ledgerEntries(ledgerId: string, from: string, to: string): Promise<OutboxItem[]> {
    await this.init();
    const filter = odata`PartitionKey ge ${from} and PartitionKey le ${to} and ledgerId eq ${ledgerId}`;
    const out: OutboxItem[] = [];
    for await (const e of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push(toItem(e));
    }
    return out;
  }

  /** Open entries (queued, retrying, sending) sent on a day in [openFrom, today]. */
  async openEntries(today: string, openFrom: string | null): Promise<OutboxItem[]> {
    await this.init();
    const open = OPEN_STATUSES.map((s) => odata`status eq ${s}`).join(' or ');
    const filter = `${odata`PartitionKey ge ${openFrom ?? FIRST_DAY} and PartitionKey le ${today}`} and (${open})`;
    const out: OutboxItem[] = [];
    for await (const e of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push(toItem(e));
    }
    return out;
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
    const claimed: OutboxItem[] = [];
    for (const list of byPartition(items, (i) => i.sendOn).values()) {
      for (const chunk of chunks(list, 100)) {
        const patch: OutboxPatch = {
          status: 'sending',
          claimedUntil: leaseUntil.toISOString(),
          claimedBy: runId,
        };
        try {
          const res = await this.client.submitTransaction(
            chunk.map((i): TransactionAction => ['update', patchEntity(i, patch), 'Merge', { etag: i.etag }]),
          );
          for (const i of chunk) {
            const etag = res.getResponseForEntity(outboxRowKey(i.key))?.etag;
            const fresh = etag ? { ...i, etag } : await this.get(i.sendOn, i.key);
            if (fresh)
              claimed.push({ ...fresh, status: 'sending', claimedUntil: patch.claimedUntil ?? null });
          }
        } catch (e) {
          const status = storageStatus(e);
          if (status !== 412 && status !== 409 && status !== 404) throw e;
        }
      }
    }
    return claimed;
  }

  /**
   * Writes the outcome of a run, ETag-checked against the claim. Returns the keys whose update was
   * refused because the entry changed meanwhile (the lease lapsed and another run took it).
   */
  async settle(updates: { item: OutboxItem; patch: OutboxPatch }[]): Promise<string[]> {
    await this.init();
    const lost: string[] = [];
    for (const list of byPartition(updates, (u) => u.item.sendOn).values()) {
      for (const chunk of chunks(list, 100)) {
        try {
          await this.client.submitTransaction(
            chunk.map((u): TransactionAction => [
              'update',
              patchEntity(u.item, { ...u.patch, claimedBy: null }),
              'Merge',
              { etag: u.item.etag },
            ]),
          );
        } catch (e) {
          const status = storageStatus(e);
          if (status !== 412 && status !== 404) throw e;
          // One stale entry fails the whole transaction: write the others one by one.
          for (const u of chunk) {
            try {
              await this.client.updateEntity(patchEntity(u.item, { ...u.patch, claimedBy: null }), 'Merge', {
                etag: u.item.etag,
              });
            } catch (e2) {
              const s2 = storageStatus(e2);
              if (s2 !== 412 && s2 !== 404) throw e2;
              lost.push(u.item.key);
            }
          }
        }
      }
    }
    return lost;
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

/** The outbox of a deployment: `{ connectionString, tablePrefix }` (tablePrefix defaults to DUBAN_TABLE_PREFIX). */
export function createOutbox(options: OutboxOptions): Outbox {
  return new Outbox(options);
}

/** A fresh id for a delivery run (stored as `claimedBy` while it holds entries). */
export function newRunId(): string {
  return randomUUID();
}
