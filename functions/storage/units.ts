// A unit's record (table Cards) — its cards, interviews and rectification reports, the facts the card
// rules (R8, R11–R13) are computed from — and its contacts and prompt channels (table Units).
//
// Cards:  PartitionKey <unit>, RowKey 'card|<id>' | 'interview|<id>' | 'rect|<id>' | '~version'.
//   Every change to a unit goes in ONE transaction with the '~version' row updated If-Match, so two
//   clerks recording interviews at the same moment cannot both miss that the second one makes red:
//   the loser's transaction fails on the ETag, it re-reads and decides again.
// Units:  PartitionKey 'unit', RowKey <unit>: head, contact, channels (JSON).
import { odata, type TransactionAction } from '@azure/data-tables';
import type {
  CardColor,
  CardEvent,
  InterviewEvent,
  RectificationEvent,
  UnitEvent,
} from '../../shared/model.js';
import type { Channel } from '../../shared/api.js';
import { ApiError, preconditionRequired, staleEtag, storageStatus } from '../errors.js';
import { encodeKey, decodeKey } from './keys.js';
import { transactionError, type Storage, type StoredEntity } from './client.js';
import { assertEntityFits, joinText, splitText } from './large.js';

export interface ChecklistItem {
  id: string;
  text: string;
  done: boolean;
  by: string | null;
  at: string | null;
}

export interface CardRecord {
  id: string;
  unit: string;
  color: CardColor;
  reason: string;
  taskIds: string[];
  ledgerId: string | null;
  date: string;
  docNo: string | null;
  /** R11: an orange card's rectification deadline. */
  rectifyBy: string | null;
  /** R11: interviews recorded against this card. */
  interviewIds: string[];
  rectifiedOn: string | null;
  /** R12: a red card's four follow-up actions. */
  checklist: ChecklistItem[] | null;
  note: string | null;
  by: string | null;
  at: string;
  etag: string;
}

export interface UnitSnapshot {
  unit: string;
  cards: CardRecord[];
  interviews: InterviewEvent[];
  rectifications: RectificationEvent[];
  /** The unit's events as the shared rules take them. */
  events: UnitEvent[];
}

type CardData = Omit<CardRecord, 'etag'>;

function parseCard(e: StoredEntity): CardRecord {
  return { ...(JSON.parse(joinText(e, 'json')) as CardData), etag: e.etag };
}

export function cardToEvent(c: CardData): CardEvent {
  return {
    type: 'card',
    unit: c.unit,
    color: c.color,
    date: c.date,
    id: c.id,
    reason: c.reason,
    taskIds: c.taskIds,
    ...(c.docNo ? { docNo: c.docNo } : {}),
    ...(c.by ? { by: c.by } : {}),
    at: c.at,
  };
}

function snapshotOf(unit: string, rows: StoredEntity[]): UnitSnapshot {
  const cards: CardRecord[] = [];
  const interviews: InterviewEvent[] = [];
  const rectifications: RectificationEvent[] = [];
  for (const r of rows) {
    if (r.rowKey.startsWith('card|')) cards.push(parseCard(r));
    else if (r.rowKey.startsWith('interview|'))
      interviews.push(JSON.parse(joinText(r, 'json')) as InterviewEvent);
    else if (r.rowKey.startsWith('rect|'))
      rectifications.push(JSON.parse(joinText(r, 'json')) as RectificationEvent);
  }
  return {
    unit,
    cards,
    interviews,
    rectifications,
    events: [...cards.map(cardToEvent), ...interviews, ...rectifications],
  };
}

export const cardEntity = (c: CardData) => ({
  partitionKey: encodeKey(c.unit),
  rowKey: 'card|' + encodeKey(c.id),
  color: c.color,
  date: c.date,
  // A card citing a thousand tasks is longer than one property holds: split (large.ts).
  ...splitText('json', JSON.stringify(c), 'Cards'),
});
export const interviewEntity = (i: InterviewEvent & { id: string }) => ({
  partitionKey: encodeKey(i.unit),
  rowKey: 'interview|' + encodeKey(i.id),
  date: i.date,
  ...splitText('json', JSON.stringify(i), 'Cards'),
});
export const rectificationEntity = (r: RectificationEvent & { id: string }) => ({
  partitionKey: encodeKey(r.unit),
  rowKey: 'rect|' + encodeKey(r.id),
  date: r.date,
  ...splitText('json', JSON.stringify(r), 'Cards'),
});

/**
 * The letters as issued (`letter|<cardId>` rows, R8) are archive copies, read only when a letter is
 * downloaded: card states, the daily run and round-ups never need them, so their queries skip them.
 */
const WITHOUT_LETTERS = ` and (RowKey lt 'letter|' or RowKey ge 'letter}')`;

export async function unitSnapshot(
  storage: Storage,
  unit: string,
): Promise<UnitSnapshot & { version: StoredEntity | null }> {
  const rows = await storage.list('Cards', odata`PartitionKey eq ${encodeKey(unit)}` + WITHOUT_LETTERS);
  return { ...snapshotOf(unit, rows), version: rows.find((r) => r.rowKey === '~version') ?? null };
}

/** Every unit's record, as the shared rules take it (one query over the whole table). */
export async function allUnitSnapshots(storage: Storage): Promise<UnitSnapshot[]> {
  const rows = await storage.list('Cards', WITHOUT_LETTERS.replace(' and ', ''));
  const byUnit = new Map<string, StoredEntity[]>();
  for (const r of rows) {
    const list = byUnit.get(r.partitionKey) ?? [];
    list.push(r);
    byUnit.set(r.partitionKey, list);
  }
  return [...byUnit].map(([pk, list]) => snapshotOf(decodeKey(pk), list));
}

export async function allUnitEvents(storage: Storage): Promise<UnitEvent[]> {
  return (await allUnitSnapshots(storage)).flatMap((s) => s.events);
}

export interface UnitChange<T> {
  /** Rows to write (upsert) in the unit's partition, or updates guarded by an ETag. */
  writes: { entity: Record<string, unknown> & { partitionKey: string; rowKey: string }; etag?: string }[];
  result: T;
}

/**
 * Reads the unit's record, lets `decide` compute the change from it, and writes the change together
 * with the version row in one transaction. A concurrent writer makes the transaction fail on the
 * version's ETag; we re-read and decide again (up to 30 times, with a little random backoff).
 */
export async function changeUnit<T>(
  storage: Storage,
  unit: string,
  decide: (snapshot: UnitSnapshot) => UnitChange<T> | Promise<UnitChange<T>>,
): Promise<{ result: T; etags: Map<string, string> }> {
  const pk = encodeKey(unit);
  for (let attempt = 0; ; attempt++) {
    const snap = await unitSnapshot(storage, unit);
    const change = await decide(snap);
    const n = Number(snap.version?.n ?? 0) + 1;
    const version = { partitionKey: pk, rowKey: '~version', n };
    for (const w of change.writes) assertEntityFits('Cards', w.entity);
    const actions: TransactionAction[] = [
      snap.version ? ['update', version, 'Replace', { etag: snap.version.etag }] : ['create', version],
      ...change.writes.map((w): TransactionAction =>
        w.etag ? ['update', w.entity, 'Replace', { etag: w.etag }] : ['upsert', w.entity, 'Replace'],
      ),
    ];
    try {
      const res = await storage.table('Cards').submitTransaction(actions);
      const etags = new Map<string, string>();
      for (const s of res.subResponses) if (s.rowKey && s.etag) etags.set(s.rowKey, s.etag);
      return { result: change.result, etags };
    } catch (e) {
      const status = storageStatus(e);
      if ((status === 412 || status === 409) && attempt < 30) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * Math.min(attempt + 1, 5)));
        continue;
      }
      throw transactionError(e);
    }
  }
}

/** Finds a card by id alone (ids are unique; the table is small: a few cards per unit and year). */
export async function findCard(storage: Storage, cardId: string): Promise<CardRecord | null> {
  const rows = await storage.list('Cards', odata`RowKey eq ${'card|' + encodeKey(cardId)}`);
  return rows[0] ? parseCard(rows[0]) : null;
}

// ---- contacts and channels -------------------------------------------------------------------------

export interface UnitContacts {
  unit: string;
  head: string | null;
  contact: string | null;
  channels: Channel[];
  etag: string | null;
}

export async function getUnitContacts(storage: Storage, unit: string): Promise<UnitContacts | null> {
  const e = await storage.get('Units', 'unit', encodeKey(unit));
  return e ? toContacts(e) : null;
}

function toContacts(e: StoredEntity): UnitContacts {
  return {
    unit: decodeKey(e.rowKey),
    head: typeof e.head === 'string' && e.head ? e.head : null,
    contact: typeof e.contact === 'string' && e.contact ? e.contact : null,
    channels: JSON.parse(String(e.channels ?? '[]')) as Channel[],
    etag: e.etag,
  };
}

export async function listUnitContacts(storage: Storage): Promise<UnitContacts[]> {
  return (await storage.listPartition('Units', 'unit')).map(toContacts);
}

/** Replaces a unit's contacts with If-Match (stale → 412); without one only creates them (exists → 428). */
export async function putUnitContacts(
  storage: Storage,
  unit: string,
  value: { head?: string; contact?: string; channels: Channel[] },
  ifMatch: string | null,
): Promise<UnitContacts> {
  const entity = {
    partitionKey: 'unit',
    rowKey: encodeKey(unit),
    head: value.head ?? '',
    contact: value.contact ?? '',
    channels: JSON.stringify(value.channels),
  };
  const table = storage.table('Units');
  try {
    // Without If-Match only a first entry is created; replacing one needs the ETag read (428).
    const res = ifMatch
      ? await table.updateEntity(entity, 'Replace', { etag: ifMatch })
      : await table.createEntity(entity);
    return {
      unit,
      head: value.head ?? null,
      contact: value.contact ?? null,
      channels: value.channels,
      etag: res.etag ?? null,
    };
  } catch (e) {
    if (ifMatch && storageStatus(e) === 404) throw staleEtag();
    if (!ifMatch && storageStatus(e) === 409) throw preconditionRequired(`单位「${unit}」的联系方式`);
    throw transactionError(e);
  }
}

export { ApiError };
