// POST /api/cards — 亮牌: a yellow or orange card to a lead unit, with reason and tasks (R8). Each card
// gets its document number (R14, shared formatDocNumber; the store hands out n without gaps or
// repeats); an orange card opens an interview to record and a rectification deadline (R11). The letter
// that goes with a yellow or orange card is built here, from the tasks and settings of this moment, and
// kept with the card in the same transaction: later downloads are the letter as issued (R8).
import { createHash } from 'node:crypto';
import { IssueCardRequestSchema } from '../../shared/api.js';
import { chinaToday, yearOf } from '../../shared/dates.js';
import { docKindForColor, formatDocNumber } from '../../shared/rules/docNumber.js';
import { rectificationDeadline } from '../../shared/rules/cards.js';
import { cardRefusal } from '../../shared/rules/cardDecisions.js';
import { cardLetter, letterTask } from '../../shared/documents/index.js';
import { ApiError } from '../errors.js';
import {
  appendEvents,
  cardEntity,
  cardToEvent,
  changeUnit,
  issuedDocNumbers,
  takeDocNumber,
  unitSnapshot,
  type CardRecord,
  type NewEvent,
} from '../storage/index.js';
import { assertLetterFits, letterEntity } from '../storage/letters.js';
import { cardLetterFacts } from '../documents/facts.js';
import { runtimeOutbox } from '../runtime/outbox.js';
import { api } from './adapter.js';
import { rulesContext, tasksByIds, unitName } from './common.js';

export const issueCard = api({}, async (call) => {
  const body = await call.body(IssueCardRequestSchema);
  const unit = unitName(body.unit);
  const storage = await call.storage();
  const tasks = body.taskIds.length ? await tasksByIds(storage, body.ledgerId, body.taskIds) : [];
  // R3, R8, decided in shared (the pane shows the same): no card on a closed or removed task, and a
  // card only to the task's lead unit.
  const refusal = cardRefusal(
    unit,
    tasks.map((t) => ({ id: t.task.id, leadUnit: t.task.leadUnit, closed: t.closed, removed: t.removed })),
  );
  if (refusal)
    throw new ApiError(refusal.code === 'not_lead_unit' ? 400 : 409, refusal.code, refusal.message);
  const date = body.date ?? chinaToday(call.now);
  const { settings, calendar } = await rulesContext(storage);
  const id = cardId(unit, date, body);
  // A retried request (same requestId, or without one the same card again): answer with the card the
  // first one issued, and write its history rows again (same keys, so nothing doubles) in case the
  // first stopped before them.
  const earlier = (await unitSnapshot(storage, unit)).cards.find((c) => c.id === id);
  if (earlier) {
    const { etag, ...card } = earlier;
    await appendEvents(storage, cardEvents(card), call.now);
    return { status: 200, etag, body: { card, interviewToRecord: interviewToRecord(card), replayed: true } };
  }
  const kind = docKindForColor(body.color);
  const year = yearOf(date);
  const cardWith = (docNo: string | null): Omit<CardRecord, 'etag'> => ({
    id,
    unit,
    color: body.color,
    reason: body.reason,
    taskIds: [...new Set(body.taskIds)],
    ledgerId: body.ledgerId,
    date,
    docNo,
    rectifyBy: body.color === 'orange' ? rectificationDeadline(date, calendar, settings) : null,
    interviewIds: [],
    rectifiedOn: null,
    checklist: null,
    note: body.note ?? null,
    by: body.by,
    at: call.now.toISOString(),
  });
  // The letter as of now: a new card has no interview yet, so a 预警通知书 says the interview is to come.
  // The facts the program computed on the card's date go in with their figures (R8, R9–R11).
  const facts = kind
    ? await cardLetterFacts(storage, runtimeOutbox(call.env), { ...body, unit, date, tasks, settings })
    : [];
  const letterOf = (c: Omit<CardRecord, 'etag'>) =>
    cardLetter({
      card: c,
      tasks: tasks.map((t) => letterTask(t.task)),
      interviews: [],
      settings,
      calendar,
      facts,
    });
  // A letter too long to keep is refused before a number is taken (no gap in R14's numbers); the
  // longest number a year can have stands in for the one not taken yet.
  if (kind) assertLetterFits(letterOf(cardWith(formatDocNumber(kind, year, 999_999, settings))));
  // The number a first attempt took before it stopped is the card's number: R14 stays gap-free.
  const taken = kind ? (await issuedDocNumbers(storage, kind, year)).find((d) => d.cardId === id) : undefined;
  const doc = taken
    ? taken
    : kind
      ? await takeDocNumber(storage, kind, year, {
          cardId: id,
          unit,
          docNo: (n) => formatDocNumber(kind, year, n, settings),
        })
      : null;
  const card = cardWith(doc?.docNo ?? null);
  const letter = kind ? letterEntity(unit, id, letterOf(card), card.at) : null;
  const { etags } = await changeUnit(storage, unit, (snap) => ({
    // Never overwrite a card or its letter (two retries of one request racing: the first one stands).
    writes: snap.cards.some((c) => c.id === id)
      ? []
      : [{ entity: cardEntity(card) }, ...(letter ? [{ entity: letter }] : [])],
    result: null,
  }));
  await appendEvents(storage, cardEvents(card), call.now);
  return {
    status: 201,
    etag: etags.get(cardEntity(card).rowKey) ?? null,
    body: {
      card,
      interviewToRecord: interviewToRecord(card),
    },
  };
});

function interviewToRecord(card: Omit<CardRecord, 'etag'>) {
  return card.color === 'orange' ? { cardId: card.id, unit: card.unit, rectifyBy: card.rectifyBy } : null;
}

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
  const request =
    body.requestId ??
    'content:' +
      JSON.stringify([
        body.color,
        body.reason,
        [...new Set(body.taskIds)].sort(),
        date,
        body.ledgerId,
        body.note ?? null,
      ]);
  return `${date.replace(/-/g, '')}-${body.color}-r${requestHash(unit, request)}`;
}

/** A short stable id part from the client's requestId (scoped to the unit). */
export function requestHash(unit: string, requestId: string): string {
  return createHash('sha256').update(`${unit}\u0000${requestId}`).digest('hex').slice(0, 16);
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
