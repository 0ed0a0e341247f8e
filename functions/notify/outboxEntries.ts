// The outbox's entries as the rest of the backend sees them, and their rows in the Outbox table
// (key design in functions/notify/outbox.ts): the types, the row key of an idempotency key (R17),
// the row a prompt becomes (checked before anything is written) and the patch a status change merges.
import { odata, type TableEntityResult } from '@azure/data-tables';
import type { Channel, OutboxStatus } from '../../shared/api.js';
import {
  IsoDateSchema,
  ReminderSchema,
  type Reminder,
  type ReminderReason,
  type Stars,
} from '../../shared/model.js';
import { reminderKey } from '../../shared/rules/schedule.js';
import { encodeKey, decodeKey, MAX_KEY_CHARS, unitBucket } from '../storage/keys.js';
import { assertEntityFits } from '../storage/large.js';
import { ApiError } from '../errors.js';

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
  /**
   * The entries already there, as `Outbox.present` read them (for the days of these entries); without
   * it the call reads them itself. One created meanwhile by another run is found by its conflict.
   */
  present?: Set<string>;
  /**
   * Collects the days this call queued entries on and leaves the watermark to the caller, who lowers
   * it once after all its calls (`Outbox.lowerWatermark` of the earliest): one read instead of one a call.
   */
  queuedDays?: Set<string>;
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
  /** The row's PartitionKey (`outboxPartition`, or the bare day of a row queued before buckets): where a status change goes. */
  partition: string;
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

/** What delivery did with an entry: the facts a late report is decided on (R9). */
export type DeliveryFacts = Pick<OutboxItem, 'key' | 'sendOn' | 'status' | 'channels' | 'lastError'>;

/** Days of the outbox read once (`Outbox.daysRead`): the entries there and their delivery facts. */
export interface DaysRead {
  days: Set<string>;
  /** `promptId`s of the entries there. */
  ids: Set<string>;
  /** Each entry's delivery facts, by key. */
  facts: Map<string, DeliveryFacts>;
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

export const EPOCH = '1970-01-01T00:00:00.000Z';
export const OPEN_STATUSES: OutboxStatus[] = ['queued', 'retrying', 'sending'];
/** Sorts before every date, so date-range filters never meet it. */
export const META_PARTITION = '!meta';
export const WATERMARK_ROW = 'openFrom';
/** Every day partition sorts at or after this. */
export const FIRST_DAY = '0000-00-00';

/** PartitionKey of a prompt: `<sendOn>|<bucket>` (`2026-03-17|5`; storage/keys.ts `unitBucket`): a unit's prompts of a day share one partition. */
export function outboxPartition(sendOn: string, unit: string): string {
  return `${sendOn}|${unitBucket(unit)}`;
}

/**
 * The rows sent on a day in [from, to]: every bucket of those days, and rows queued before buckets
 * existed, whose PartitionKey is the bare day (`2026-03-17` < `2026-03-17|0` < `2026-03-17}`).
 */
export function dayRange(from: string, to: string): string {
  return odata`PartitionKey ge ${from} and PartitionKey lt ${`${to}}`}`;
}

/** A prompt's identity across layouts: its send date and row key (whatever bucket holds it). */
export function promptId(sendOn: string, rowKey: string): string {
  return `${sendOn}\u0000${rowKey}`;
}

/** The send date of a row: its `sendOn`, or the PartitionKey of a row queued before buckets. */
export function rowSendOn(e: { partitionKey?: string; sendOn?: unknown }): string {
  return typeof e.sendOn === 'string' && e.sendOn !== '' ? e.sendOn : (e.partitionKey ?? '');
}

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

export function toItem(e: Row): OutboxItem {
  return {
    key: typeof e.key === 'string' ? e.key : keyFromRowKey(e.rowKey ?? ''),
    sendOn: rowSendOn(e),
    partition: e.partitionKey ?? '',
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
export function patchEntity(
  item: Pick<OutboxItem, 'partition' | 'key'>,
  patch: OutboxPatch,
): Record<string, unknown> & {
  partitionKey: string;
  rowKey: string;
} {
  const e: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
    partitionKey: item.partition,
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

export type OutboxRow = Record<string, unknown> & { partitionKey: string; rowKey: string };

/**
 * A prompt's idempotency key (the rules', R17, never re-derived here) and row key, once its data is
 * checked: bad data is refused in Chinese naming the task, before anything is written.
 */
export function promptKey(entry: PromptEntry): { key: string; rowKey: string } {
  const parsedDate = IsoDateSchema.safeParse(entry.sendOn);
  if (!parsedDate.success) throw new Error(`提示的发送日期无效：${entry.sendOn}（任务 ${entry.taskId}）`);
  const parsed = ReminderSchema.safeParse(entry);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；');
    throw new Error(`提示数据无效（任务 ${entry.taskId}）：${why}`);
  }
  if (!entry.unit.trim()) throw new Error(`提示缺少接收单位（任务 ${entry.taskId}）`);
  if (!entry.ledgerId.trim()) throw new Error(`提示缺少台账编号（任务 ${entry.taskId}）`);
  const key = reminderKey(entry.ledgerId, entry);
  return { key, rowKey: outboxRowKey(key) };
}

/** The row a checked prompt becomes, status `queued`. */
export function promptRow(
  entry: PromptEntry,
  key: string,
  feedbackUrl: string | undefined,
  createdAt: string,
): OutboxRow {
  if (!feedbackUrl) throw new Error(`提示缺少反馈链接（任务 ${entry.taskId}，单位 ${entry.unit}）`);
  const row = {
    partitionKey: outboxPartition(entry.sendOn, entry.unit),
    rowKey: outboxRowKey(key),
    key,
    sendOn: entry.sendOn,
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
    assertEntityFits('Outbox', row);
  } catch (e) {
    throw new ApiError(
      413,
      'entity_too_large',
      `${(e as Error).message}（任务 ${entry.taskId}，单位 ${entry.unit}）`,
    );
  }
  return row;
}
