// Table Storage's size limits, kept everywhere the office's data decides a row's size (the tables'
// README, "Size limits"). The service refuses, with a raw error, a string property over 64 KiB (it
// keeps strings as UTF-16: 32,768 characters), an entity over 1 MiB or 255 properties (PartitionKey,
// RowKey and Timestamp count), and a transaction over 100 operations or 4 MiB. Azurite enforces the
// same limits but counts an entity as the UTF-8 bytes of its JSON body (a 汉字 is 3 bytes there, 2 in
// the service's UTF-16): sizes here are `storedBytes`, the larger of the two counts.
//
// - Text that can grow (a task's JSON, a card's, an event's data, a candidate) is split into string
//   properties `<name>`, `<name>1` … of PART_CHARS characters each, with `<name>Parts` = the count
//   when there is more than one (a row written before splitting existed has only `<name>`).
// - A value longer than one row can hold (MAX_TEXT_CHARS) has its longest lists cut, visibly: the row
//   records how many items each list lost and says where the full list is (`capLists`).
// - Every entity is checked before it is sent (`entityProblem`): a row that would still break a limit
//   is refused with a Chinese message naming the table, never a storage stack trace.
// - Transactions are cut by size as well as by count (`transactionChunks`).
import type { TransactionAction } from '@azure/data-tables';
import { ApiError } from '../errors.js';

/** The service's limit for one string property: 64 KiB as UTF-16. */
export const MAX_PROPERTY_CHARS = 32_768;
/** Characters per part of a split text: 30,000 UTF-16 characters = 60,000 bytes, under 64 KiB. */
export const PART_CHARS = 30_000;
/** Parts of one text in one row: 14 × 60,000 bytes = 840,000 bytes, leaving ~200 KB of the 1 MiB for the rest of the row. */
export const MAX_PARTS = 14;
/** The longest text (characters) one row keeps: 420,000. */
export const MAX_TEXT_CHARS = PART_CHARS * MAX_PARTS;
/**
 * The largest text (storedBytes) one row keeps: 840,000 bytes, the same as MAX_TEXT_CHARS in UTF-16
 * (so the byte check implies the character check), leaving ~200 KB of the 1 MiB for the rest of the row.
 */
export const MAX_TEXT_BYTES = MAX_TEXT_CHARS * 2;

/**
 * What a text costs in a row: the larger of the service's count (UTF-16, 2 bytes a character) and
 * Azurite's (the UTF-8 bytes of the text as a JSON string in the request body: 3 bytes a 汉字, quotes
 * escaped).
 */
export function storedBytes(text: string): number {
  return Math.max(text.length * 2, Buffer.byteLength(JSON.stringify(text), 'utf8'));
}
/** The service's limit for one entity, as it counts it. */
export const MAX_ENTITY_BYTES = 1024 * 1024;
/** Properties of one entity, PartitionKey, RowKey and Timestamp included. */
export const MAX_PROPERTIES = 255;
/** Operations in one transaction. */
export const MAX_BATCH_OPERATIONS = 100;
/** Bytes of one transaction's body as sent (UTF-8 JSON): 3 MiB leaves the multipart framing room under 4 MiB. */
export const MAX_BATCH_BYTES = 3 * 1024 * 1024;

const TABLE_NAMES: Record<string, string> = {
  Tasks: '任务',
  Problems: '台账问题',
  Events: '历史记录',
  Cards: '单位亮牌记录',
  Counters: '文号',
  Units: '单位联系方式',
  Config: '设置',
  Reminders: '提示记录',
  Feedback: '反馈',
  Candidates: '亮牌候选',
  Outbox: '待发提示',
};

/** A table's name as a clerk reads it. */
export const tableLabel = (table: string) => TABLE_NAMES[table] ?? table;

/**
 * `text` as the string properties of one row: `{ [name]: part0 }`, or with more than one part also
 * `[name]1` … and `[name]Parts`. Refuses (413) a text longer than one row keeps: callers cap first.
 */
export function splitText(name: string, text: string, table: string): Record<string, string | number> {
  if (text.length > MAX_TEXT_CHARS || storedBytes(text) > MAX_TEXT_BYTES)
    throw new ApiError(
      413,
      'entity_too_large',
      `${tableLabel(table)}的一条记录过长：${text.length} 字符（约 ${Math.ceil(storedBytes(text) / 1024)} KiB），超过单条记录约 ${Math.floor(MAX_TEXT_BYTES / 1024)} KiB 的上限，未保存`,
    );
  if (text.length <= PART_CHARS) return { [name]: text };
  const out: Record<string, string | number> = {};
  let n = 0;
  for (let i = 0; i < text.length; n++) {
    let end = Math.min(i + PART_CHARS, text.length);
    // A part never ends between the two halves of a surrogate pair (an emoji, a rare 汉字): the
    // service would keep a lone half as U+FFFD.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    out[n ? `${name}${n}` : name] = text.slice(i, end);
    i = end;
  }
  out[`${name}Parts`] = n;
  return out;
}

/** The text `splitText` stored under `name` (or a row written as one property). */
export function joinText(e: Record<string, unknown>, name: string): string {
  const first = e[name];
  if (typeof first !== 'string') return '';
  const n = Number(e[`${name}Parts`] ?? 1);
  if (!Number.isInteger(n) || n <= 1) return first;
  let text = first;
  for (let i = 1; i < n; i++) {
    const part = e[`${name}${i}`];
    if (typeof part !== 'string')
      throw new ApiError(500, 'row_incomplete', `存储的记录不完整：${name} 缺第 ${i + 1}/${n} 段`);
    text += part;
  }
  return text;
}

/** JSON of a row's value, parsed back from `splitText`'s properties (`fallback` when absent). */
export function joinJson<T>(e: Record<string, unknown> | null | undefined, name: string, fallback: T): T {
  if (!e) return fallback;
  const text = joinText(e, name);
  return text ? (JSON.parse(text) as T) : fallback;
}

export interface Capped<T> {
  value: T;
  /** Per list property: how many items were left out (absent when nothing was). */
  omitted: Record<string, { kept: number; total: number }>;
}

/**
 * `value` with its longest top-level lists cut until its JSON costs at most `maxBytes` (storedBytes).
 * Lists in `keepLast` are cut only when nothing else is left to cut. The first items are kept (lists
 * are in the order the rules found them). Throws when no list is left to cut.
 */
export function capLists<T extends object>(value: T, maxBytes: number, keepLast: string[] = []): Capped<T> {
  const out = { ...value } as Record<string, unknown>;
  const omitted: Capped<T>['omitted'] = {};
  const cost = (v: unknown) => storedBytes(JSON.stringify(v));
  for (let guard = 0; cost(out) > maxBytes; guard++) {
    const lists = Object.entries(out)
      .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]) && entry[1].length > 0)
      .map(([k, v]) => ({ k, v, bytes: cost(v), last: keepLast.includes(k) }))
      .sort((a, b) => Number(a.last) - Number(b.last) || b.bytes - a.bytes);
    const cut = lists[0];
    if (!cut || guard > 200)
      throw new ApiError(
        413,
        'entity_too_large',
        `记录过大（约 ${Math.ceil(cost(out) / 1024)} KiB），无法保存`,
      );
    const total = omitted[cut.k]?.total ?? cut.v.length;
    // Keep the share of the list that would fit, at least half less each round (a list of short and
    // long items converges in a few rounds).
    const excess = cost(out) - maxBytes;
    const share = Math.max(0, Math.min(0.5, 1 - excess / Math.max(cut.bytes, 1)));
    const kept = Math.floor(cut.v.length * share);
    out[cut.k] = cut.v.slice(0, kept);
    omitted[cut.k] = { kept, total };
  }
  return { value: out as T, omitted };
}

/** An entity's size: the larger of the service's formula (UTF-16) and Azurite's (UTF-8 JSON body). */
export function entityBytes(e: Record<string, unknown>): number {
  return Math.max(serviceEntityBytes(e), Buffer.byteLength(JSON.stringify(e), 'utf8'));
}

/** The size the service counts for an entity (its documented formula), in bytes. */
function serviceEntityBytes(e: Record<string, unknown>): number {
  let bytes = 4;
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined) continue;
    if (k === 'partitionKey' || k === 'rowKey') {
      bytes += String(v).length * 2;
      continue;
    }
    bytes += 8 + k.length * 2;
    if (typeof v === 'string') bytes += v.length * 2 + 4;
    else if (typeof v === 'number' || typeof v === 'boolean') bytes += 8;
    else if (v instanceof Date) bytes += 8;
    else bytes += JSON.stringify(v).length * 2 + 4;
  }
  return bytes;
}

/** What would make the service refuse this entity, in Chinese, or null when it fits. */
export function entityProblem(table: string, e: Record<string, unknown>): string | null {
  const names = Object.keys(e).filter((k) => e[k] !== undefined && k !== 'etag');
  const own = names.filter((k) => k !== 'partitionKey' && k !== 'rowKey').length;
  if (own + 3 > MAX_PROPERTIES)
    return `${tableLabel(table)}的一条记录有 ${own} 个字段，超过存储上限 ${MAX_PROPERTIES - 3} 个，未保存`;
  for (const k of names) {
    const v = e[k];
    if (typeof v === 'string' && v.length > MAX_PROPERTY_CHARS)
      return `${tableLabel(table)}的一条记录中「${k}」长 ${v.length} 字符，超过存储上限 ${MAX_PROPERTY_CHARS} 字符，未保存`;
  }
  const bytes = entityBytes(e);
  if (bytes > MAX_ENTITY_BYTES)
    return `${tableLabel(table)}的一条记录约 ${Math.ceil(bytes / 1024)} KiB，超过存储上限 1 MiB，未保存`;
  return null;
}

/** Refuses (413, Chinese) an entity the service would refuse. */
export function assertEntityFits(table: string, e: Record<string, unknown>): void {
  const problem = entityProblem(table, e);
  if (problem) throw new ApiError(413, 'entity_too_large', problem);
}

/** The bytes an operation adds to a transaction's body (UTF-8 JSON of the entity, plus framing). */
export function operationBytes(a: TransactionAction): number {
  return Buffer.byteLength(JSON.stringify(a[1]), 'utf8') + 1024;
}

/** One partition's operations cut into transactions of at most 100 operations and MAX_BATCH_BYTES. */
export function transactionChunks<T extends TransactionAction>(actions: T[]): T[][] {
  const out: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const a of actions) {
    const size = operationBytes(a);
    if (chunk.length && (chunk.length >= MAX_BATCH_OPERATIONS || bytes + size > MAX_BATCH_BYTES)) {
      out.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(a);
    bytes += size;
  }
  if (chunk.length) out.push(chunk);
  return out;
}
