// What every way of issuing a card shares: its id (R14: one card, one number, however often the
// request is sent) and its rows in the history (R8). 亮牌 issues yellow and orange cards; recording
// the interview that makes a unit red issues the red one.
import { cardToEvent, type CardRecord, type NewEvent } from '../storage/index.js';
import { requestIdentity } from './identity.js';

/**
 * The card's id: from the client's requestId (one per click), or — a client that sends none — from
 * what the card says (color, reason, tasks, date, ledger, note). The same card asked for twice on the
 * same day is then one card with one number (R14), and a number a first attempt took before it
 * stopped is found again by this id and given to the card: no second card, no gap.
 */
export function cardId(
  unit: string,
  date: string,
  body: {
    color: string;
    reason: string;
    taskIds: string[];
    ledgerId: string;
    note?: string | null;
    requestId?: string;
  },
): string {
  return requestIdentity(unit, date, body.color, body.requestId, [
    body.color,
    body.reason,
    [...new Set(body.taskIds)].sort(),
    date,
    body.ledgerId,
    body.note ?? null,
  ]);
}

/** How many of a card's task ids each cited task's own history row repeats (the card keeps them all). */
export const CARD_TASKS_IN_TASK_HISTORY = 50;

/** The card in the unit's history and, as a reference, in the history of each task it cites. */
export function cardEvents(card: Omit<CardRecord, 'etag'>): NewEvent[] {
  const data = { ...cardToEvent(card), rectifyBy: card.rectifyBy, note: card.note, ledgerId: card.ledgerId };
  // A card citing a thousand tasks is not copied whole into a thousand task histories: each task's
  // row is a reference to the card, listing the first tasks and saying where the full list is.
  const total = card.taskIds.length;
  const kept = CARD_TASKS_IN_TASK_HISTORY;
  const reference =
    total > kept
      ? {
          ...data,
          taskIds: card.taskIds.slice(0, kept),
          omitted: { taskIds: { kept, total } },
          omittedNote: `此牌共引用 ${total} 项任务，这里只列前 ${kept} 项；完整清单见单位「${card.unit}」的牌 ${card.id}（GET /api/cards/${card.id}）`,
        }
      : data;
  return [
    {
      subject: { unit: card.unit },
      type: 'card',
      date: card.date,
      by: card.by,
      data,
      id: card.id,
      at: card.at,
    },
    ...(card.ledgerId
      ? card.taskIds.map((taskId): NewEvent => ({
          subject: { ledgerId: card.ledgerId as string, taskId },
          type: 'card',
          date: card.date,
          by: card.by,
          data: reference,
          id: card.id,
          at: card.at,
        }))
      : []),
  ];
}
