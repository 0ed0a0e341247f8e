// The storage layer on its own: reversible key encoding, transactions of at most 100 per partition,
// the connection string (Azurite default, Azure China endpoints), concurrent read-modify-writes.
import { describe, expect, inject, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TableServiceClient, type TransactionAction } from '@azure/data-tables';
import {
  decodeKey,
  encodeKey,
  openStorage,
  Storage,
  storageOptionsFromEnv,
  changeUnit,
  unitSnapshot,
  interviewEntity,
  TABLES,
} from '../../functions/storage/index.js';
import { uniquePrefix } from './support/api.js';

describe('key encoding', () => {
  it('escapes exactly the characters Table Storage forbids (and the escape, separator, % and quote), keeping Chinese readable', () => {
    expect(encodeKey('县/局#?\\')).toBe('县!2F局!23!3F!5C');
    expect(encodeKey('县财政局')).toBe('县财政局');
    expect(encodeKey("a!b|c%d'e\u0001\u007f")).toBe('a!21b!7Cc!25d!27e!01!7F');
  });

  it('is reversible and never produces a forbidden character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const k = encodeKey(s);
        expect(decodeKey(k)).toBe(s);
        // eslint-disable-next-line no-control-regex
        expect(k).not.toMatch(/[/\\#?\u0000-\u001f\u007f-\u009f|]/);
      }),
    );
  });
});

describe('connection', () => {
  it('reads DUBAN_STORAGE, else AzureWebJobsStorage, else Azurite’s well-known development storage', () => {
    expect(
      storageOptionsFromEnv({ DUBAN_STORAGE: 'A', AzureWebJobsStorage: 'B' } as NodeJS.ProcessEnv)
        .connectionString,
    ).toBe('A');
    expect(storageOptionsFromEnv({ AzureWebJobsStorage: 'B' } as NodeJS.ProcessEnv).connectionString).toBe(
      'B',
    );
    expect(storageOptionsFromEnv({} as NodeJS.ProcessEnv)).toEqual({
      connectionString: 'UseDevelopmentStorage=true',
      prefix: 'duban',
      concurrency: 8,
    });
  });

  it('DUBAN_STORAGE_CONCURRENCY bounds the requests in flight: 1–32, refused in Chinese otherwise', () => {
    expect(storageOptionsFromEnv({ DUBAN_STORAGE_CONCURRENCY: '1' } as NodeJS.ProcessEnv).concurrency).toBe(
      1,
    );
    expect(
      storageOptionsFromEnv({ DUBAN_STORAGE_CONCURRENCY: ' 16 ' } as NodeJS.ProcessEnv).concurrency,
    ).toBe(16);
    for (const bad of ['0', '33', '2.5', 'many'])
      expect(() => storageOptionsFromEnv({ DUBAN_STORAGE_CONCURRENCY: bad } as NodeJS.ProcessEnv)).toThrow(
        expect.objectContaining({
          problems: expect.stringMatching(/^环境变量有误：DUBAN_STORAGE_CONCURRENCY：/),
        }),
      );
  });

  it('Azure China is just another connection string: the endpoint follows EndpointSuffix', () => {
    const s = new Storage({
      connectionString:
        'DefaultEndpointsProtocol=https;AccountName=dubanprod;AccountKey=ZHVtbXk=;EndpointSuffix=core.chinacloudapi.cn',
      prefix: 'duban',
    });
    expect(s.table('Tasks').url).toBe('https://dubanprod.table.core.chinacloudapi.cn');
  });

  it('nothing in functions/ hard-codes the global Azure endpoint', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk('functions');
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain('core.windows.net');
  });

  it('refuses a table prefix Table Storage cannot name a table with', () => {
    expect(() => new Storage({ connectionString: 'UseDevelopmentStorage=true', prefix: '9-bad' })).toThrow(
      /DUBAN_TABLE_PREFIX/,
    );
  });
});

describe('transactions', () => {
  it('writes 250 rows of one partition as 3 transactions (≤100 each) and rows of two partitions separately', async () => {
    const storage = await openStorage({
      connectionString: inject('azuriteConnectionString'),
      prefix: uniquePrefix('st'),
    });
    const before = storage.roundTrips;
    const rows = Array.from({ length: 250 }, (_, i) => ({
      partitionKey: 'p1',
      rowKey: String(i).padStart(4, '0'),
      n: i,
    }));
    const other = Array.from({ length: 5 }, (_, i) => ({ partitionKey: 'p2', rowKey: String(i), n: i }));
    await storage.submit(
      'Events',
      [...rows, ...other].map((e): TransactionAction => ['upsert', e, 'Replace']),
    );
    expect(storage.roundTrips - before).toBe(4);
    expect(await storage.listPartition('Events', 'p1')).toHaveLength(250);
    expect(await storage.listPartition('Events', 'p2')).toHaveLength(5);
  });

  it('R12: concurrent changes to one unit all land (the version row makes the losers re-read and retry)', async () => {
    const storage = await openStorage({
      connectionString: inject('azuriteConnectionString'),
      prefix: uniquePrefix('st'),
    });
    const unit = '县/局#?';
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        changeUnit(storage, unit, (snap) => ({
          writes: [{ entity: interviewEntity({ type: 'interview', unit, date: '2026-05-01', id: `i${i}` }) }],
          result: snap.interviews.length,
        })),
      ),
    );
    const snap = await unitSnapshot(storage, unit);
    expect(snap.interviews.map((i) => i.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `i${i}`).sort(),
    );
    expect(Number(snap.version?.n)).toBe(10);
  });

  it('the tables are created under the prefix', async () => {
    const prefix = uniquePrefix('st');
    await openStorage({ connectionString: inject('azuriteConnectionString'), prefix });
    const service = TableServiceClient.fromConnectionString(inject('azuriteConnectionString'), {
      allowInsecureConnection: true,
    });
    const names: string[] = [];
    for await (const t of service.listTables({
      queryOptions: { filter: `TableName ge '${prefix}' and TableName lt '${prefix}~'` },
    })) {
      names.push(t.name as string);
    }
    expect(names.sort()).toEqual(TABLES.map((t) => prefix + t).sort());
  });
});

describe('paged lists', () => {
  it('R17: a page is filled from the next responses when the service ends one early (a day of the outbox is nine partitions)', async () => {
    const storage = new Storage({
      connectionString: inject('azuriteConnectionString'),
      prefix: uniquePrefix('pg'),
    });
    // What Azure may answer across partition boundaries: an empty response with a continuation, then short ones.
    const responses = [
      { rows: 0, token: 't1' },
      { rows: 3, token: 't2' },
      { rows: 2, token: 't3' },
      { rows: 5, token: undefined },
    ];
    const asked: { maxPageSize?: number; continuationToken?: string }[] = [];
    let n = 0;
    const fake = {
      listEntities: () => ({
        byPage: (settings: { maxPageSize?: number; continuationToken?: string }) => {
          asked.push(settings);
          const at = settings.continuationToken ? Number(settings.continuationToken.slice(1)) : 0;
          const r = responses[at]!;
          // A response never holds more than it was asked for.
          expect(r.rows).toBeLessThanOrEqual(settings.maxPageSize ?? 1000);
          const page = Object.assign(
            Array.from({ length: r.rows }, () => ({
              partitionKey: '2026-03-17|1',
              rowKey: `k${n++}`,
              etag: 'e',
            })),
            { continuationToken: r.token },
          );
          return { next: async () => ({ done: false, value: page }) };
        },
      }),
    };
    (storage as unknown as { table: () => unknown }).table = () => fake;
    const first = await storage.page('Outbox', '', 5);
    expect(first.items).toHaveLength(5);
    expect(first.next).toBe('t3');
    expect(asked.map((a) => a.maxPageSize)).toEqual([5, 5, 2]);
    expect(first.items.map((i) => i.rowKey)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    const rest = await storage.page('Outbox', '', 100, first.next ?? undefined);
    expect(rest).toMatchObject({ next: null });
    expect(rest.items).toHaveLength(5);
  });
});
