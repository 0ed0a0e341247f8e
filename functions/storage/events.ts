// The append-only history (table Events, R8). An event is written to the partition of what it is about:
//   PartitionKey 'unit|<unit>'              cards, interviews, rectifications, checklist ticks, contacts
//   PartitionKey 'task|<ledgerId>|<taskId>' stars, closing, reminders queued, feedback, removal
//   PartitionKey 'ledger|<ledgerId>'        syncs and daily runs
//   PartitionKey 'office'                   settings and calendar changes
// RowKey '<UTC instant>|<event id>' so a partition reads in time order. Events that a timer may write
// twice (a reminder queued, an overdue flag) get a deterministic id, so the second write is the same row.
import { randomUUID } from 'node:crypto';
import { odata, type TransactionAction } from '@azure/data-tables';
import type { UnitEvent } from '../../shared/model.js';
import type { EventType } from '../../shared/api.js';
import { encodeKey, joinKey } from './keys.js';
import type { Storage } from './client.js';
import { MAX_TEXT_BYTES, capLists, joinText, splitText, storedBytes } from './large.js';
import { currentClerk } from '../actor.js';

export type EventSubject =
  { unit: string } | { ledgerId: string; taskId: string } | { ledgerId: string } | { office: true };

export interface HistoryEvent {
  id: string;
  type: string;
  /** UTC instant the event was recorded (R22). */
  at: string;
  /** CST calendar date the event counts for. */
  date: string;
  by: string | null;
  unit?: string;
  ledgerId?: string;
  taskId?: string;
  data: Record<string, unknown>;
}

export function partitionOf(s: EventSubject): string {
  if ('office' in s) return 'office';
  if ('unit' in s) return 'unit|' + encodeKey(s.unit);
  if ('taskId' in s) return joinKey('task', s.ledgerId, s.taskId);
  return 'ledger|' + encodeKey(s.ledgerId);
}

export function newEventId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}

export interface NewEvent {
  subject: EventSubject;
  /** One of the types the pane knows (shared/api.ts EVENT_TYPE_NAMES): a new type is added there first. */
  type: EventType;
  date: string;
  by?: string | null;
  data?: Record<string, unknown>;
  /**
   * Where the full lists are, said in the row when `data` is too long for one row and its longest
   * lists are cut (e.g. 「各任务自己的历史」).
   */
  rest?: string;
  /** Deterministic id for events a retry may write again; random otherwise. */
  id?: string;
  at?: string;
}

/** The largest event data (storedBytes of its JSON) one row keeps; room is left for the row's other fields. */
export const MAX_EVENT_DATA_BYTES = MAX_TEXT_BYTES - 20_000;

/**
 * The data as one row keeps it: whole when it fits, else with its longest lists cut, saying so in the
 * row itself — `omitted` (per list: kept and total) and `omittedNote`, a sentence for the clerk that
 * says where the rest is. Never cut silently.
 */
export function fitEventData(data: Record<string, unknown>, rest?: string): Record<string, unknown> {
  if (storedBytes(JSON.stringify(data)) <= MAX_EVENT_DATA_BYTES) return data;
  const { value, omitted } = capLists(data, MAX_EVENT_DATA_BYTES - 8_000);
  const said = Object.entries(omitted)
    .map(([k, o]) => `${k} 共 ${o.total} 项，只记前 ${o.kept} 项，另有 ${o.total - o.kept} 项未记入此条`)
    .join('；');
  return {
    ...value,
    omitted,
    omittedNote: `此条记录过长，列表已截短：${said}。${rest ?? '完整内容见台账及各任务、各单位自己的历史'}`,
  };
}

export function eventEntity(e: NewEvent, now = new Date()) {
  const id = e.id ?? newEventId();
  const at = e.at ?? now.toISOString();
  const s = e.subject;
  return {
    partitionKey: partitionOf(s),
    rowKey: `${at}|${encodeKey(id)}`,
    id,
    type: e.type,
    at,
    date: e.date,
    // A request made with a clerk's key names that clerk, whatever the event says (R8: who did what).
    by: currentClerk() ?? e.by ?? '',
    unit: 'unit' in s ? s.unit : typeof e.data?.unit === 'string' ? e.data.unit : '',
    ledgerId: 'ledgerId' in s ? s.ledgerId : '',
    taskId: 'taskId' in s ? s.taskId : '',
    // U+2028/U+2029 written as JSON escapes (the same text when parsed): raw, they make the service
    // reject the batch, and a record would stand without its event. JSON.stringify escapes lone surrogates.
    ...splitText(
      'data',
      JSON.stringify(fitEventData(e.data ?? {}, e.rest)).replace(
        /[\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16)}`,
      ),
      'Events',
    ),
  };
}

/** Appends events (upserts, so a deterministic event written twice stays one row). */
export async function appendEvents(
  storage: Storage,
  events: NewEvent[],
  now = new Date(),
): Promise<HistoryEvent[]> {
  const entities = events.map((e) => eventEntity(e, now));
  const actions: TransactionAction[] = entities.map((e) => ['upsert', e, 'Replace']);
  await storage.submit('Events', actions);
  return entities.map(toHistory);
}

export function toHistory(e: Record<string, unknown>): HistoryEvent {
  const s = (k: string) => (typeof e[k] === 'string' && e[k] !== '' ? (e[k] as string) : undefined);
  return {
    id: String(e.id),
    type: String(e.type),
    at: String(e.at),
    date: String(e.date),
    by: s('by') ?? null,
    ...(s('unit') ? { unit: s('unit') } : {}),
    ...(s('ledgerId') ? { ledgerId: s('ledgerId') } : {}),
    ...(s('taskId') ? { taskId: s('taskId') } : {}),
    data: typeof e.data === 'string' ? (JSON.parse(joinText(e, 'data')) as Record<string, unknown>) : {},
  };
}

/** One page of a subject's history, oldest first; `next` resumes it. */
export async function historyPage(
  storage: Storage,
  subject: EventSubject,
  limit: number,
  continuation?: string,
): Promise<{ events: HistoryEvent[]; next: string | null }> {
  const { items, next } = await storage.page(
    'Events',
    odata`PartitionKey eq ${partitionOf(subject)}`,
    limit,
    continuation,
  );
  return { events: items.map(toHistory), next };
}

export async function subjectHistory(storage: Storage, subject: EventSubject): Promise<HistoryEvent[]> {
  return (await storage.listPartition('Events', partitionOf(subject))).map(toHistory);
}

/** The shared model's UnitEvent is stored whole in `data`; `at`/`by` come from the row. */
export function toUnitEvent(h: HistoryEvent): UnitEvent {
  return { ...(h.data as object), at: h.at, ...(h.by ? { by: h.by } : {}) } as UnitEvent;
}
