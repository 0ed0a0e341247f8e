// A key per clerk (`duban clerk add|list|revoke`). Table Config, PartitionKey 'clerk', RowKey the
// key's id: name, the SHA-256 of the key's secret (the key itself is shown once, when made, and never
// stored), createdAt, revokedAt. A key reads `dbk_<id>_<secret>`: the id finds the row, the secret
// is compared by hash in constant time. The office-wide DUBAN_FUNCTION_KEY stays for the timers and
// the admin.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError, storageStatus } from '../errors.js';
import { transactionError, type Storage } from './client.js';

export interface Clerk {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

const PK = 'clerk';
const KEY_SHAPE = /^dbk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Whether a presented key has the shape of a clerk's key (checked before anything is read). */
export function looksLikeClerkKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}

const toClerk = (e: Record<string, unknown>): Clerk => ({
  id: String(e.rowKey),
  name: String(e.name),
  createdAt: String(e.createdAt),
  revokedAt: typeof e.revokedAt === 'string' && e.revokedAt ? e.revokedAt : null,
});

/** Makes a key for a clerk; the answer's `key` is the only time it exists in clear. */
export async function addClerk(storage: Storage, name: string, at: string): Promise<Clerk & { key: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    try {
      await storage.table('Config').createEntity({
        partitionKey: PK,
        rowKey: id,
        name,
        hash: hashOf(secret),
        createdAt: at,
        revokedAt: '',
      });
      return { id, name, createdAt: at, revokedAt: null, key: `dbk_${id}_${secret}` };
    } catch (e) {
      if (storageStatus(e) !== 409) throw transactionError(e);
    }
  }
  throw new ApiError(503, 'clerk_busy', '生成密钥失败，请重试');
}

export async function listClerks(storage: Storage): Promise<Clerk[]> {
  return (await storage.listPartition('Config', PK)).map(toClerk);
}

/** Whether any clerk holds a key not revoked (from then on, changes need a clerk's own key). */
export async function hasActiveClerk(storage: Storage): Promise<boolean> {
  return (await storage.listPartition('Config', PK)).some((r) => !r.revokedAt);
}

/** Revokes every active key of the clerk named `nameOrId` (a name, or one key's id); returns them. */
export async function revokeClerk(storage: Storage, nameOrId: string, at: string): Promise<Clerk[]> {
  const rows = (await storage.listPartition('Config', PK)).filter(
    (r) => (r.rowKey === nameOrId || r.name === nameOrId) && !r.revokedAt,
  );
  for (const r of rows)
    await storage
      .table('Config')
      .updateEntity({ partitionKey: PK, rowKey: r.rowKey, revokedAt: at }, 'Merge', { etag: r.etag });
  return rows.map((r) => ({ ...toClerk(r), revokedAt: at }));
}

/** The clerk a key belongs to, or null for an unknown, wrong or revoked key. */
export async function clerkOfKey(storage: Storage, key: string): Promise<Clerk | null> {
  const m = KEY_SHAPE.exec(key);
  if (!m) return null;
  const row = await storage.get('Config', PK, m[1]!);
  if (!row) return null;
  const expected = Buffer.from(String(row.hash), 'hex');
  const given = Buffer.from(hashOf(m[2]!), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const clerk = toClerk(row);
  return clerk.revokedAt ? null : clerk;
}
