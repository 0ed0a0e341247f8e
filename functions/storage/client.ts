// Opens the backend's tables (@azure/data-tables) from a connection string and offers the few
// primitives every repository uses: paged queries, transactions of at most 100 operations per
// partition, and a count of storage round trips (reported by the benchmark).
import {
  TableClient,
  odata,
  type TableEntity,
  type TransactionAction,
  type TableEntityResult,
} from '@azure/data-tables';
import { ApiError, storageStatus } from '../errors.js';
import { storageConfig } from '../config.js';
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
] as const;
export type TableName = (typeof TABLES)[number];

export interface StorageOptions {
  /** An Azure Storage connection string (global or Azure China), or `UseDevelopmentStorage=true` for Azurite. */
  connectionString: string;
  /** Table-name prefix: letters and digits, starting with a letter (tests use a unique one each). */
  prefix?: string;
}

export { DEFAULT_CONNECTION } from '../config.js';

/** Connection and prefix from the environment: `DUBAN_STORAGE`, else `AzureWebJobsStorage`, else Azurite. */
export function storageOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StorageOptions {
  return storageConfig(env);
}

export type Entity = TableEntity<Record<string, unknown>>;
/** An entity as read: its keys and ETag are always present on what the service returns. */
export type StoredEntity = Record<string, unknown> & { partitionKey: string; rowKey: string; etag: string };
const stored = (e: TableEntityResult<Record<string, unknown>>) => e as StoredEntity;

export class Storage {
  readonly prefix: string;
  /** Storage requests sent since the storage was opened (each transaction counts once). */
  roundTrips = 0;
  private readonly clients = new Map<TableName, TableClient>();
  private ready: Promise<void> | undefined;

  constructor(readonly options: StorageOptions) {
    this.prefix = options.prefix ?? 'duban';
    if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(this.prefix)) {
      throw new Error(`DUBAN_TABLE_PREFIX 只能包含字母和数字，并以字母开头: ${this.prefix}`);
    }
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
              sendRequest: (req, next) => {
                this.roundTrips++;
                return next(req);
              },
            },
          },
        ],
      });
      this.clients.set(name, client);
    }
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

  /** Every entity matching an OData filter, following continuation tokens. */
  async list(name: TableName, filter?: string): Promise<StoredEntity[]> {
    const out: StoredEntity[] = [];
    const iter = this.table(name).listEntities<Record<string, unknown>>(
      filter ? { queryOptions: { filter } } : {},
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
    const pages = this.table(name)
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: limit, continuationToken });
    const first = await pages.next();
    if (first.done) return { items: [], next: null };
    const page = first.value;
    return { items: page.map(stored), next: page.continuationToken ?? null };
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
   * the running ones end. Upserts are idempotent, so a retried batch after a failure neither loses nor
   * doubles rows.
   */
  async submit(name: TableName, actions: TransactionAction[]): Promise<void> {
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
    // Chunks of one partition go in order; different partitions go side by side (8 at a time).
    const partitions = [...byPartition.values()];
    let next = 0;
    let failure: unknown;
    const worker = async () => {
      while (failure === undefined && next < partitions.length) {
        const list = partitions[next++] as TransactionAction[];
        for (const chunk of transactionChunks(list)) {
          if (failure !== undefined) break;
          try {
            await client.submitTransaction(chunk);
          } catch (e) {
            failure ??= e;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, partitions.length) }, worker));
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
