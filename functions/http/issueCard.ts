// 亮牌: a yellow or orange card to a lead unit, with reason and tasks (R8). Each card
// gets its document number (R14, shared formatDocNumber; the store hands out n without gaps or
// repeats); an orange card opens an interview to record and a rectification deadline (R11). The letter
// that goes with a yellow or orange card is built here, from the tasks and settings of this moment, and
// kept with the card in the same transaction: later downloads are the letter as issued (R8).
import { IssueCardRequestSchema } from '../../shared/api.js';
import { yearOf } from '../../shared/dates.js';
import { docKindForColor, formatDocNumber } from '../../shared/rules/docNumber.js';
import { rectificationDeadline } from '../../shared/rules/cards.js';
import { cardRefusal } from '../../shared/rules/cardDecisions.js';
import { cardLetter, letterTask } from '../../shared/documents/index.js';
import { ApiError } from '../errors.js';
import {
  cardEntity,
  changeUnit,
  issuedDocNumbers,
  takeDocNumber,
  unitSnapshot,
  type CardRecord,
} from '../storage/index.js';
import { assertLetterFits, letterEntity } from '../storage/letters.js';
import { cardLetterFacts } from '../documents/facts.js';
import { runtimeOutbox } from '../runtime/outbox.js';
import { cardEvents, cardId } from '../services/cards.js';
import { rulesContext } from '../services/rules.js';
import { tasksByIds } from '../services/tasks.js';
import type { ApiRun } from './adapter.js';
import { unitName } from './common.js';
import { httpFunction } from './route.js';

const issueCard: ApiRun = async (call) => {
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
  const date = body.date ?? call.today;
  const { settings, calendar } = await rulesContext(storage);
  const id = cardId(unit, date, body);
  // A retried request (same requestId, or without one the same card again): answer with the card the
  // first one issued, and write its history rows again (same keys, so nothing doubles) in case the
  // first stopped before them.
  const earlier = (await unitSnapshot(storage, unit)).cards.find((c) => c.id === id);
  if (earlier) {
    const { etag, ...card } = earlier;
    await call.history(cardEvents(card));
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
  await call.history(cardEvents(card));
  return {
    status: 201,
    etag: etags.get(cardEntity(card).rowKey) ?? null,
    body: {
      card,
      interviewToRecord: interviewToRecord(card),
    },
  };
};

export default httpFunction('cards', { route: 'cards', methods: { POST: issueCard } });

function interviewToRecord(card: Omit<CardRecord, 'etag'>) {
  return card.color === 'orange' ? { cardId: card.id, unit: card.unit, rectifyBy: card.rectifyBy } : null;
}
