// Table Storage forbids `/ \ # ?` and control characters in PartitionKey/RowKey. User-provided parts
// (unit names, ledger and task ids, periods) are escaped reversibly so that Chinese text stays
// readable in Storage Explorer: each forbidden character, the escape character `!` itself, the
// separator `|`, `%` and `'` become `!XX` (two hex digits of the code point, all below 0x100).

import { createHash } from 'node:crypto';

// eslint-disable-next-line no-control-regex
const ESCAPED = /[\u0000-\u001f\u007f-\u009f/\\#?%!|']/g;

export function encodeKey(part: string): string {
  return part.replace(ESCAPED, (c) => '!' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

export function decodeKey(key: string): string {
  return key.replace(/!([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Joins already-meaningful parts with `|`; every part is encoded, so `|` never occurs inside one. */
export function joinKey(...parts: string[]): string {
  return parts.map(encodeKey).join('|');
}

export function splitKey(key: string): string[] {
  return key.split('|').map(decodeKey);
}

/**
 * Largest PartitionKey or RowKey Table Storage takes: 1 KiB, held as UTF-16, so 512 characters (JS
 * string length) — Azure and Azurite alike (Azurite answers 400 from 513). Every key is checked
 * against it before it is written (`keyTooLong`, and Storage.submit as the last guard), so an id that
 * does not fit is a 400 naming it, never a storage 500.
 */
export const MAX_KEY_CHARS = 512;

/**
 * Room kept for the fixed parts of the longest composite key around a ledger id and a 督办编号: the
 * reminder key `ledger|task|2026-W09|milestone|<hash>` (encoded whole in Reminders), the task history
 * partition `task|ledger|task`, feedback rows `task|period|instant`.
 */
export const KEY_ROOM = 80;

/** The encoded length of the user parts of a key joined with `|`, plus the room for its fixed parts. */
export function keyLength(parts: string[], room = KEY_ROOM): number {
  return parts.reduce((n, p) => n + encodeKey(p).length, 0) + parts.length - 1 + room;
}

/** Whether some key built from these parts (a ledger id and a 督办编号, a unit name …) would be too long. */
export function keyTooLong(parts: string[], room = KEY_ROOM): boolean {
  return keyLength(parts, room) > MAX_KEY_CHARS;
}

/** A key part shown in a message: decoded, and cut to 20 characters. */
export function shownKeyPart(part: string): string {
  return part.length > 20 ? `${part.slice(0, 20)}…（共 ${part.length} 字）` : part;
}

/**
 * A morning's big partitions — a ledger's Reminders, a day's Outbox — are each cut into this many by
 * the lead unit. A partition takes about 2,000 entities a second on Azure (20,000 for the account),
 * and Azurite's inserts slow down as a partition grows: eight buckets take a morning's 10,000
 * reminders and 10,000 prompts side by side (up to 16,000 a second), where one partition each could
 * not go below 5 s. The daily run writes one group of units a bucket (functions/timers/ledgerDay.ts),
 * so a bucket costs at most one short transaction of each table more than one partition would.
 */
export const UNIT_BUCKETS = 8;

/** The bucket of a unit (0–7): everything a unit gets on a morning shares one partition of each table. */
export function unitBucket(unit: string): number {
  let b = buckets.get(unit);
  if (b === undefined) {
    b = createHash('sha256').update(unit).digest()[0]! % UNIT_BUCKETS;
    // A unit's bucket never changes; the memo is bounded (a county has hundreds of units, a city thousands).
    if (buckets.size >= 100_000) buckets.clear();
    buckets.set(unit, b);
  }
  return b;
}
const buckets = new Map<string, number>();
