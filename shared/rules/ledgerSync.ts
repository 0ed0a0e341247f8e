// R5, R3: when the ledger (台账) and the office's own records disagree about a task's star or its
// closing, which one wins — decided here once for every sync — and what changed, for the history.
import type { IsoDate, Stars } from '../model.js';

/** What the office has stored for a task: the star in force and its closing (销号). */
export interface StoredTaskFacts {
  stars: Stars | null;
  closed: boolean;
  closedOn: IsoDate | null;
  closeNote: string | null;
}

/** What the ledger row says. */
export interface LedgerTaskFacts {
  stars: Stars | null;
  closed: boolean;
  /** The closing date the ledger gives (销号时间, 已销号（date）), when it gives one. */
  closedOn?: IsoDate | null;
}

export interface SyncedTaskFacts extends StoredTaskFacts {
  /** R5: the star changed by the ledger (an edited star cell), to be recorded with source 'ledger'. */
  starChange: { from: Stars | null; to: Stars } | null;
  /** R3: the task closed by the ledger's status, to be recorded with source 'ledger'. */
  closing: { date: IsoDate; note: string } | null;
}

/** The note of a closing that came from the ledger's status column (R3 asks for a note of evidence). */
export const LEDGER_CLOSE_NOTE = '台账状态标为已完成/已销号，经同步台账记录';

/**
 * R5: a filled star cell in the ledger wins (the clerk edited it there); an empty one keeps the star
 * set by 赋星. R3: a task closed by the office (销号) stays closed whatever the ledger's status says; a
 * task the ledger marks closed is closed on the ledger's date (else `today`) with a note saying so.
 * `prev` null: a task new to the office — its facts are the ledger's, and nothing is a change.
 */
export function syncTaskFacts(
  prev: StoredTaskFacts | null,
  ledger: LedgerTaskFacts,
  today: IsoDate,
): SyncedTaskFacts {
  const stars = ledger.stars ?? prev?.stars ?? null;
  const closed = ledger.closed || (prev?.closed ?? false);
  const closesNow = ledger.closed && !(prev?.closed ?? false);
  const closedOn = prev?.closed ? prev.closedOn : closesNow ? (ledger.closedOn ?? today) : null;
  const closeNote = prev?.closed ? prev.closeNote : closesNow ? LEDGER_CLOSE_NOTE : null;
  return {
    stars,
    closed,
    closedOn,
    closeNote,
    starChange: prev && stars !== null && stars !== prev.stars ? { from: prev.stars, to: stars } : null,
    closing: prev && closesNow ? { date: closedOn ?? today, note: LEDGER_CLOSE_NOTE } : null,
  };
}
