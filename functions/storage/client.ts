// Opens the backend's tables (@azure/data-tables) from a connection string and offers the few
// primitives every repository uses: paged queries, transactions of at most 100 operations per
// partition, a bound on the requests in flight, and a count of storage round trips (reported by the
// benchmark).
import {
  TableClient,
  odata,
  type TableEntity,
  type TableTransactionResponse,
  type TransactionAction,
  type TableEntityResult,
} from '@azure/data-tables';
import { ApiError, storageStatus } from '../errors.js';
import { DEFAULT_CONCURRENCY, DEFAULT_CONNECTION, MAX_CONCURRENCY, storageConfig } from '../config.js';
import { MAX_KEY_CHARS, decodeKey, shownKeyPart } from './keys.js';
import { entityProblem, transactionChunks } from './large.js';

/** Every table of the backend. Names get the deployment's prefix (`DUBAN_TABLE_PREFIX`, default `duban`). */
export const TABLES = [
  'Tasks',
  'Problems',
  'Events',
  'Cards',
  'Counters',
  'Units',
  'Config',
  'Reminders',
  'Feedback',
  'Candidates',
  'Outbox',
] as const;
export type TableName = (typeof TABLES)[number];

export interface StorageOptions {
  /** An Azure Storage connection string (global or Azure China), or `UseDevelopmentStorage=true` for Azurite. */
  connectionString: string;
  /** Table-name prefix: letters and digits, starting with a letter (tests use a unique one each). */
  prefix?: string;
  /**
   * Storage requests in flight at once, over every caller of this storage (`DUBAN_STORAGE_CONCURRENCY`,
   * default 8; 1 sends one request after another). With one transaction in flight per partition
   * (`submit`), this keeps a deployment within Table Storage's targets: see functions/storage/README.md.
   */
  concurrency?: number;
}

export { DEFAULT_CONNECTION, DEFAULT_CONCURRENCY, MAX_CONCURRENCY };

/** Connection, prefix and concurrency from the environment: `DUBAN_STORAGE`, else `AzureWebJobsStorage`, else Azurite. */
export function storageOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StorageOptions {
  return storageConfig(env);
}

/** What `submit` does with each transaction's outcome (the outbox checks ETags and conflicts per chunk). */
export interface SubmitHooks {
  /** Called with each transaction that went through and its response. */
  done?: (chunk: TransactionAction[], response: TableTransactionResponse) => void | Promise<void>;
  /** Handles a refused transaction; what it throws stops the call. Without it the refusal stops the call. */
  refused?: (chunk: TransactionAction[], error: unknown) => Promise<void>;
}

/** A counting semaphore: at most `size` holders at once, served in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly size: number) {
    this.free = size;
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export type Entity = TableEntity<Record<string, unknown>>;
/** An entity as read: its keys and ETag are always present on what the service returns. */
export type StoredEntity = Record<string, unknown> & { partitionKey: string; rowKey: string; etag: string };
const stored = (e: TableEntityResult<Record<string, unknown>>) => e as StoredEntity;

export class Storage {
  readonly prefix: string;
  /** Storage requests sent since the storage was opened (each transaction counts once). */
  roundTrips = 0;
  /** The same, per table. */
  private readonly tripsByTable = new Map<TableName, number>();
  private readonly clients = new Map<TableName, TableClient>();
  private ready: Promise<void> | undefined;
  /** Bounds the requests in flight over every caller (the setting `concurrency`). */
  private readonly slots: Slots;
  /** One transaction in flight per partition, over every caller (a partition's 2,000 entities/s). */
  private readonly partitions = new Map<string, { slot: Slots; users: number }>();

  constructor(readonly options: StorageOptions) {
    this.prefix = options.prefix ?? 'duban';
    if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(this.prefix)) {
      throw new Error(`DUBAN_TABLE_PREFIX 只能包含字母和数字，并以字母开头: ${this.prefix}`);
    }
    const size = options.concurrency ?? DEFAULT_CONCURRENCY;
    // The environment's value is checked by the configuration; a caller's own must keep the same bounds.
    if (!Number.isInteger(size) || size < 1 || size > MAX_CONCURRENCY)
      throw new RangeError(`同时进行的存储请求数应为 1 到 ${MAX_CONCURRENCY} 之间的整数，当前为 ${size}`);
    this.slots = new Slots(size);
    const insecure = /usedevelopmentstorage=true|protocol=http;|endpoint=http:/i.test(
      options.connectionString,
    );
    for (const name of TABLES) {
      const client = TableClient.fromConnectionString(options.connectionString, this.prefix + name, {
        allowInsecureConnection: insecure,
        retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
        additionalPolicies: [
          {
            position: 'perCall',
            policy: {
              name: 'dubanRoundTrips',
              // Per call, outside the retry policy: a request holds its slot through its retries.
              sendRequest: async (req, next) => {
                await this.slots.acquire();
                this.roundTrips++;
                this.tripsByTable.set(name, (this.tripsByTable.get(name) ?? 0) + 1);
                try {
                  return await next(req);
                } finally {
                  this.slots.release();
                }
              },
            },
          },
        ],
      });
      this.clients.set(name, client);
    }
  }

  /** Requests in flight at most (the setting). */
  get concurrency(): number {
    return this.slots.size;
  }

  /** Storage requests sent to one table since the storage was opened. */
  roundTripsOf(name: TableName): number {
    return this.tripsByTable.get(name) ?? 0;
  }

  table(name: TableName): TableClient {
    const c = this.clients.get(name);
    if (!c) throw new Error(`unknown table ${name}`);
    return c;
  }

  /** Creates the tables once per process (createTable is a no-op when the table exists). */
  async init(): Promise<this> {
    this.ready ??= Promise.all(TABLES.map((t) => this.table(t).createTable())).then(
      () => undefined,
      (e: unknown) => {
        this.ready = undefined;
        throw unavailable(e);
      },
    );
    await this.ready;
    return this;
  }

  /** Every entity matching an OData filter, following continuation tokens; `select` names the properties read. */
  async list(name: TableName, filter?: string, select?: string[]): Promise<StoredEntity[]> {
    const out: StoredEntity[] = [];
    const iter = this.table(name).listEntities<Record<string, unknown>>(
      filter || select
        ? { queryOptions: { ...(filter ? { filter } : {}), ...(select ? { select } : {}) } }
        : {},
    );
    for await (const e of iter) out.push(stored(e));
    return out;
  }

  /** Every entity of one partition. */
  listPartition(name: TableName, partitionKey: string): Promise<StoredEntity[]> {
    return this.list(name, odata`PartitionKey eq ${partitionKey}`);
  }

  /** One page of a partition in RowKey order, resuming from an opaque continuation token. */
  async page(
    name: TableName,
    filter: string,
    limit: number,
    continuationToken?: string,
  ): Promise<{ items: StoredEntity[]; next: string | null }> {
    // The service may end a response early — at a partition boundary (a day of the outbox is nine
    // partitions), after 5 s, at 1,000 entities — even with no entity in it: the page is filled from
    // the following responses until it holds `limit` entities or the query is done.
    const items: StoredEntity[] = [];
    let token = continuationToken;
    do {
      const pages = this.table(name)
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: limit - items.length, continuationToken: token });
      const next = await pages.next();
      if (next.done) return { items, next: null };
      items.push(...next.value.map(stored));
      token = next.value.continuationToken ?? undefined;
    } while (token && items.length < limit);
    return { items, next: token ?? null };
  }

  async get(name: TableName, partitionKey: string, rowKey: string): Promise<StoredEntity | null> {
    try {
      return stored(await this.table(name).getEntity<Record<string, unknown>>(partitionKey, rowKey));
    } catch (e) {
      if (storageStatus(e) === 404) return null;
      throw unavailable(e);
    }
  }

  /**
   * Submits actions as transactions: grouped by partition, at most 100 operations and 3 MiB per
   * transaction (the service's limits are 100 and 4 MiB). Every entity is checked against the
   * service's size limits first: one that would be refused is a Chinese 413 naming the table, and
   * nothing of the call is written. The first failure stops further transactions and is thrown once
   * the running ones end (or goes to `hooks.refused`, which may recover). Upserts are idempotent, so a
   * retried batch after a failure neither loses nor doubles rows.
   */
  async submit(name: TableName, actions: TransactionAction[], hooks: SubmitHooks = {}): Promise<void> {
    const byPartition = new Map<string, TransactionAction[]>();
    for (const a of actions) {
      const pk = String(a[1].partitionKey);
      // The last guard (handlers check the ids they are given first, naming the row): a key the
      // service would refuse is a 400 in Chinese, not a storage error.
      for (const key of [pk, String(a[1].rowKey)]) {
        if (key.length > MAX_KEY_CHARS)
          throw new ApiError(
            400,
            'key_too_long',
            `编号或名称过长：存储键编码后 ${key.length} 字符，超过 ${MAX_KEY_CHARS} 字符的上限（${shownKeyPart(decodeKey(key))}），请缩短台账编号、督办编号或单位名称，或少用 / \\ # ? % ! | ' 等符号`,
          );
      }
      if (a[0] !== 'delete') {
        const problem = entityProblem(name, a[1]);
        if (problem) throw new ApiError(413, 'entity_too_large', problem);
      }
      const list = byPartition.get(pk) ?? [];
      list.push(a);
      byPartition.set(pk, list);
    }
    const client = this.table(name);
    // Chunks of one partition go in order, one transaction in flight per partition over every caller
    // of this storage (≤ 100 entities a round trip: a partition's 2,000 entities/s); different
    // partitions go side by side, as many as the storage's concurrency lets through.
    const partitions = [...byPartition.values()];
    let next = 0;
    let failure: unknown;
    const worker = async () => {
      while (failure === undefined && next < partitions.length) {
        const list = partitions[next++] as TransactionAction[];
        for (const chunk of transactionChunks(list)) {
          if (failure !== undefined) break;
          const pk = `${name}\u0000${String(chunk[0]?.[1].partitionKey)}`;
          const lock = this.partitions.get(pk) ?? { slot: new Slots(1), users: 0 };
          this.partitions.set(pk, lock);
          lock.users++;
          await lock.slot.acquire();
          try {
            const response = await client.submitTransaction(chunk).catch(async (e: unknown) => {
              if (!hooks.refused) throw e;
              await hooks.refused(chunk, e);
              return null;
            });
            if (response) await hooks.done?.(chunk, response);
          } catch (e) {
            failure ??= e;
          } finally {
            lock.slot.release();
            if (--lock.users === 0) this.partitions.delete(pk);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, partitions.length) }, worker));
    if (failure !== undefined) throw transactionError(failure);
  }
}

/** A failed storage call as an ApiError: 412 for an ETag mismatch, 409 for a conflict, 503 otherwise. */
export function transactionError(e: unknown): Error {
  if (e instanceof ApiError) return e;
  const status = storageStatus(e);
  if (status === 412) {
    return new ApiError(412, 'precondition_failed', '数据已被他人修改（ETag 不匹配），请刷新后再提交');
  }
  if (status === 409) return new ApiError(409, 'conflict', '数据冲突：该记录已存在或正被他人修改，请重试');
  // The service's own size refusals (a row the checks above let through): Chinese for the operator,
  // the service's text for the log.
  const text = `${(e as { code?: unknown } | null)?.code ?? ''} ${(e as Error | null)?.message ?? ''}`;
  if ((status === 400 || status === 413) && /TooLarge|exceeds the maximum|TooManyProperties/i.test(text))
    return new ApiError(
      413,
      'entity_too_large',
      '数据过大，存储拒绝写入（超过单条记录或单次提交的大小上限）',
      text,
    );
  return unavailable(e);
}

export function unavailable(e: unknown): Error {
  if (e instanceof ApiError) return e;
  const status = storageStatus(e);
  if (status !== undefined && status < 500 && status !== 408) return e as Error;
  return new ApiError(503, 'storage_unavailable', '存储服务暂不可用，请稍后重试', (e as Error).message);
}

/** Opens (and creates the tables of) the storage configured in the environment. */
export async function openStorage(options: StorageOptions = storageOptionsFromEnv()): Promise<Storage> {
  return new Storage(options).init();
}
