// Feedback links (R19): a unit's link generation, and how many posts a link took on a day.
// Table Counters:
//   PartitionKey 'links|<unit>'      RowKey 'generation'  n: the unit's current link generation. A link
//                                                         signed with an older one is revoked.
//   PartitionKey 'posts|<CST date>'  RowKey <link hash>   n: posts through that link that day.
// Both are read-modify-write with the ETag, so two posts at the same moment both count.
import { createHash } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { ApiError, storageStatus } from '../errors.js';
import { decodeKey, encodeKey } from './keys.js';
import { transactionError, type Storage } from './client.js';

const genPk = (unit: string) => 'links|' + encodeKey(unit);

/** The unit's current link generation (0 until its links are first revoked). */
export async function linkGeneration(storage: Storage, unit: string): Promise<number> {
  const row = await storage.get('Counters', genPk(unit), 'generation');
  return Number(row?.n ?? 0);
}

/** Every unit's link generation that is not 0 (one query: the daily run signs many links). */
export async function linkGenerations(storage: Storage): Promise<Map<string, number>> {
  const rows = await storage.list(
    'Counters',
    odata`PartitionKey ge ${'links|'} and PartitionKey lt ${'links}'} and RowKey eq ${'generation'}`,
  );
  return new Map(rows.map((r) => [decodeKey(r.partitionKey.slice('links|'.length)), Number(r.n ?? 0)]));
}

async function increment(
  storage: Storage,
  pk: string,
  rk: string,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const table = storage.table('Counters');
  for (let attempt = 0; attempt < 100; attempt++) {
    const row = await storage.get('Counters', pk, rk);
    const n = Number(row?.n ?? 0) + 1;
    try {
      if (row)
        await table.updateEntity({ partitionKey: pk, rowKey: rk, n, ...extra }, 'Replace', {
          etag: row.etag,
        });
      else await table.createEntity({ partitionKey: pk, rowKey: rk, n, ...extra });
      return n;
    } catch (e) {
      const status = storageStatus(e);
      if (status === 412 || status === 409) {
        await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt + 1, 8)));
        continue;
      }
      throw transactionError(e);
    }
  }
  throw new ApiError(503, 'counter_busy', '服务繁忙，请稍后重试');
}

/** Revokes every link the unit has: the generation goes up, links signed with an older one fail. */
export function revokeUnitLinks(storage: Storage, unit: string, at: string): Promise<number> {
  return increment(storage, genPk(unit), 'generation', { at });
}

export const linkHash = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 32);

/** Counts one post through the link on `day` and returns the count including it. */
export function countLinkPost(storage: Storage, token: string, day: string): Promise<number> {
  return increment(storage, `posts|${day}`, linkHash(token));
}
