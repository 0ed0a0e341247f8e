// The office's settings, the holiday calendar by year, and the registry of synced ledgers (table Config).
//   PartitionKey 'settings', RowKey 'office'   → the office's overrides of DEFAULT_SETTINGS (JSON)
//   PartitionKey 'calendar', RowKey '2026'     → one HolidayYear (R16)
//   PartitionKey 'ledger',   RowKey <ledgerId> → year, last sync
import { makeSettings, type HolidayYear, type Settings, type SettingsInput } from '../../shared/settings.js';
import { ZodError } from 'zod';
import { ApiError, preconditionRequired, staleEtag, storageStatus } from '../errors.js';
import { describeIssues } from '../zodMessages.js';
import { encodeKey, decodeKey } from './keys.js';
import { transactionError, type Storage } from './client.js';
import { joinText, splitText } from './large.js';

export interface Versioned<T> {
  value: T;
  etag: string | null;
}

function parseJson<T>(e: Record<string, unknown> | null | undefined, fallback: T): T {
  const s = e ? joinText(e, 'json') : '';
  return s ? (JSON.parse(s) as T) : fallback;
}

/** The overrides as stored (without the calendar years, which live in their own rows). */
export async function getSettingsOverrides(storage: Storage): Promise<Versioned<SettingsInput>> {
  const e = await storage.get('Config', 'settings', 'office');
  return { value: parseJson<SettingsInput>(e, {}), etag: e?.etag ?? null };
}

/** The effective settings: defaults, the office's overrides, and every stored calendar year. */
export async function loadSettings(storage: Storage): Promise<Settings> {
  const [{ value }, years] = await Promise.all([getSettingsOverrides(storage), listCalendarYears(storage)]);
  const holidays: Record<string, HolidayYear> = { ...(value.holidays ?? {}) };
  for (const y of years) holidays[String(y.year)] = y.value;
  return makeSettings({ ...value, holidays });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `patch` laid over `base`, object by object: a nested field the patch does not name keeps its value
 * (PUT {schedule:{three:{send:9}}} leaves schedule.four as the office set it). Arrays and other values
 * are replaced whole. Keys that could reach a prototype are ignored.
 */
export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = deepMerge(base[k], v);
  }
  return out;
}

/**
 * Merges `patch` (deeply: see deepMerge) into the stored overrides with If-Match: the client's ETag
 * (stale → 412). Without one only the first overrides are created (once they exist → 428); a
 * concurrent first writer makes us re-read, and then the client must send the ETag.
 */
export async function putSettings(
  storage: Storage,
  patch: SettingsInput,
  ifMatch: string | null,
): Promise<Versioned<Settings>> {
  for (let attempt = 0; ; attempt++) {
    const current = await getSettingsOverrides(storage);
    if (ifMatch && current.etag !== ifMatch) throw staleEtag();
    if (!ifMatch && current.etag) throw preconditionRequired('办公室的设置');
    const merged = deepMerge(current.value, patch) as SettingsInput;
    let settings: Settings;
    try {
      settings = makeSettings(merged);
    } catch (e) {
      const detail = e instanceof ZodError ? describeIssues(e) : (e as Error).message;
      throw new ApiError(400, 'invalid_settings', `设置无效：${detail}`);
    }
    const entity = {
      partitionKey: 'settings',
      rowKey: 'office',
      ...splitText('json', JSON.stringify(merged), 'Config'),
    };
    try {
      const res = current.etag
        ? await storage.table('Config').updateEntity(entity, 'Replace', { etag: current.etag })
        : await storage.table('Config').createEntity(entity);
      return { value: settings, etag: res.etag ?? null };
    } catch (e) {
      const err = transactionError(e);
      if (!ifMatch && attempt < 5 && err instanceof ApiError && (err.status === 412 || err.status === 409))
        continue;
      throw err;
    }
  }
}

export async function listCalendarYears(
  storage: Storage,
): Promise<{ year: number; value: HolidayYear; etag: string }[]> {
  const rows = await storage.listPartition('Config', 'calendar');
  return rows.map((r) => ({
    year: Number(r.rowKey),
    value: parseJson<HolidayYear>(r, { holidays: [], workdays: [] }),
    etag: r.etag,
  }));
}

export async function getCalendarYear(
  storage: Storage,
  year: number,
): Promise<Versioned<HolidayYear> | null> {
  const e = await storage.get('Config', 'calendar', String(year));
  return e ? { value: parseJson<HolidayYear>(e, { holidays: [], workdays: [] }), etag: e.etag } : null;
}

export async function putCalendarYear(
  storage: Storage,
  year: number,
  value: HolidayYear,
  ifMatch: string | null,
): Promise<Versioned<HolidayYear>> {
  const entity = {
    partitionKey: 'calendar',
    rowKey: String(year),
    ...splitText('json', JSON.stringify(value), 'Config'),
  };
  const table = storage.table('Config');
  try {
    // Without If-Match only the year's first entry is created; replacing one needs the ETag read (428).
    const res = ifMatch
      ? await table.updateEntity(entity, 'Replace', { etag: ifMatch })
      : await table.createEntity(entity);
    return { value, etag: res.etag ?? null };
  } catch (e) {
    // If-Match on a year nobody stored yet: the client's copy is stale.
    if (ifMatch && storageStatus(e) === 404) throw staleEtag();
    if (!ifMatch && storageStatus(e) === 409) throw preconditionRequired(`${year} 年的节假日安排`);
    throw transactionError(e);
  }
}

export interface LedgerInfo {
  ledgerId: string;
  year: number;
  syncedAt: string;
  by: string;
  tasks: number;
}

export async function putLedger(storage: Storage, info: LedgerInfo): Promise<void> {
  await storage.table('Config').upsertEntity(
    {
      partitionKey: 'ledger',
      rowKey: encodeKey(info.ledgerId),
      year: info.year,
      syncedAt: info.syncedAt,
      by: info.by,
      tasks: info.tasks,
    },
    'Replace',
  );
}

export async function listLedgers(storage: Storage): Promise<LedgerInfo[]> {
  const rows = await storage.listPartition('Config', 'ledger');
  return rows.map((r) => ({
    ledgerId: decodeKey(r.rowKey),
    year: Number(r.year),
    syncedAt: String(r.syncedAt),
    by: String(r.by),
    tasks: Number(r.tasks),
  }));
}

export async function getLedger(storage: Storage, ledgerId: string): Promise<LedgerInfo | null> {
  const r = await storage.get('Config', 'ledger', encodeKey(ledgerId));
  return r
    ? {
        ledgerId,
        year: Number(r.year),
        syncedAt: String(r.syncedAt),
        by: String(r.by),
        tasks: Number(r.tasks),
      }
    : null;
}
