// How the ribbon commands talk to the task pane. Without a shared runtime (the 2019 manifest schema
// has no <Runtimes>) the function file and the pane are two pages of the same origin: they share
// localStorage, and the pane hears every change through the `storage` event. Office documents this
// as the way for a function file and a task pane to share data.
import type { CardReason, Problem } from '../../shared/model.js';

export type StatusLevel = 'info' | 'success' | 'error' | 'progress';

/** One card to issue (R8–R10), as the pane confirms it and a 重试 sends it again (Status.pendingCards). */
export interface CardOrder {
  unit: string;
  taskIds: string[];
  reason: CardReason;
  /** Made once when the clerk confirms (newRequestId); the same on every retry of this order (R14). */
  requestId: string;
}

/** What a command reports: the pane shows the latest one at its top. */
export interface Status {
  id: string;
  at: string;
  command: string;
  level: StatusLevel;
  text: string;
  /** Extra lines (document numbers, per-unit results). */
  details?: string[];
  /** The command can be run again from the pane (backend down). */
  retry?: boolean;
  /** Card orders a 重试 sends again (only the failed ones, with their first requestIds). */
  pendingCards?: { color: 'yellow' | 'orange'; orders: CardOrder[] };
  /** Unit feedback kept unwritten (同步台账): the pane offers 已知悉，不再提示. */
  pendingFeedback?: string[];
}

export interface TaskRef {
  id: string;
  no: string | null;
  title: string;
  row: number;
  leadUnit: string | null;
}

/** Work a command hands to the pane because it needs the clerk's input or a view. */
export type PaneRequest =
  | {
      kind: 'cardReason';
      color: 'yellow' | 'orange';
      /** `candidate`: the backend proposed this unit for this colour (R9, R10); if not, the pane asks to confirm. */
      units: { unit: string; taskIds: string[]; candidate?: boolean }[];
    }
  | { kind: 'interview'; unit: string | null }
  | { kind: 'close'; tasks: TaskRef[] }
  | {
      kind: 'problems';
      sheetName: string;
      problems: Problem[];
      /** The ledger's year and where it came from (R4), so the clerk sees at once when it is wrong. */
      year?: number;
      yearSource?: 'title' | 'option' | 'settings' | 'today';
      /** Required columns the header lacks, and the header cells not understood (for the clerk to map). */
      missing?: string[];
      unknown?: { column: string; label: string }[];
    }
  | { kind: 'view'; view: 'reminders' | 'roundup' | 'cards' | 'check' | 'history' | 'settings' };

export interface Envelope<T> {
  id: string;
  at: string;
  body: T;
}

export const STATUS_KEY = 'duban.status';
export const REQUEST_KEY = 'duban.request';
/** The id of the last request a pane took up (each request is handled once, by one pane). */
export const REQUEST_DONE_KEY = 'duban.request.done';
/**
 * The pane's heartbeat: the time (ms) it last said it is alive, every PANE_BEAT_MS while it is open,
 * removed when it closes. A ribbon command with no live pane shows its outcome in a dialog instead.
 */
export const PANE_ALIVE_KEY = 'duban.pane.alive';
export const PANE_BEAT_MS = 2_000;

/** Whether a task pane of this origin is open now (its heartbeat is fresh). */
export function paneAlive(storage: Storage, now = Date.now()): boolean {
  const beat = Number(storage.getItem(PANE_ALIVE_KEY));
  return Number.isFinite(beat) && beat > 0 && now - beat < PANE_BEAT_MS * 2.5;
}

let counter = 0;
export function newId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface Mailbox {
  report(status: Omit<Status, 'id' | 'at'>): Status;
  ask(request: PaneRequest): void;
}

export function storageMailbox(storage: Storage): Mailbox {
  return {
    report(status) {
      const full: Status = { id: newId(), at: new Date().toISOString(), ...status };
      storage.setItem(STATUS_KEY, JSON.stringify(full));
      return full;
    },
    ask(request) {
      const env: Envelope<PaneRequest> = { id: newId(), at: new Date().toISOString(), body: request };
      storage.setItem(REQUEST_KEY, JSON.stringify(env));
    },
  };
}

export function readEnvelope<T>(storage: Storage, key: string): T | null {
  const raw = storage.getItem(key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
