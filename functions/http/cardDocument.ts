// The letter that follows a card, as .docx: a yellow card's
// 《重点工作督办提示函》, an orange card's 《重点工作督办预警通知书》 (R8, R11, R14). A red card has no
// letter of the office; `?doc=tongbao` and `?doc=zhuanti` (optionally `&no=N`, the number the 县政府办公室
// gives it) draft its 通报批评 and its 专题报告 to 县委 from the unit's history (R12); without `doc`, 409
// saying so.
//
// The letter is the one kept when the card was issued (R8: the archive copy is the letter as sent;
// a later rename of a task, a change of settings or the interview recorded afterwards do not change
// it). A card issued before letters were kept has none: its letter is built from today's tasks,
// settings and interviews, and the answer says so (`X-Duban-Letter: rebuilt`, else `as-issued`).
import { z } from 'zod';
import {
  cardLetter,
  noLetterReason,
  letterTask,
  redCardDocument,
  type DocumentContent,
  type RedDocumentKind,
} from '../../shared/documents/index.js';
import { inOneRedWindow } from '../../shared/rules/redCard.js';
import { ApiError, notFound } from '../errors.js';
import { findCard, listTasks, unitSnapshot, type CardRecord, type Storage } from '../storage/index.js';
import { issuedLetter } from '../storage/letters.js';
import { cardLetterFacts } from '../documents/facts.js';
import { renderDocx } from '../documents/render.js';
import type { Outbox } from '../notify/outbox.js';
import { runtimeOutbox } from '../runtime/outbox.js';
import { LETTER_HEADER, wordFile } from '../documents/respond.js';
import { rulesContext } from '../services/rules.js';
import type { ApiRun } from './adapter.js';
import { httpFunction } from './route.js';

const cardDocument: ApiRun = async (call) => {
  const cardId = call.param('cardId');
  const storage = await call.storage();
  const card = await findCard(storage, cardId);
  if (!card) throw notFound(`牌 ${cardId} `);
  const q = call.query(RedQuery);
  if (card.color === 'red' && q.doc) {
    const content = await redDraft(storage, card, q.doc, q.no ?? null);
    return wordFile({
      fileName: content.fileName,
      asciiName: `${q.doc}-${card.id}.docx`,
      bytes: await renderDocx(content),
    });
  }
  if (q.doc)
    throw new ApiError(400, 'not_red', `通报批评和专题报告只随红牌生成（R12），牌 ${cardId} 不是红牌`);
  const refusal = noLetterReason(card.color);
  if (refusal)
    throw new ApiError(
      409,
      'no_letter_for_red',
      `${refusal}。通报批评、专题报告草稿可加参数 doc=tongbao 或 doc=zhuanti 下载`,
    );
  if (!card.docNo) throw new ApiError(409, 'no_doc_number', `牌 ${cardId} 没有文号，无法生成文书（R14）`);
  const kept = await issuedLetter(storage, card.unit, card.id);
  const content = kept?.content ?? (await rebuiltLetter(storage, runtimeOutbox(call.env), card));
  return wordFile({
    fileName: content.fileName,
    asciiName: `${content.kind}-${card.id}.docx`,
    bytes: await renderDocx(content),
    headers: { [LETTER_HEADER]: kept ? 'as-issued' : 'rebuilt' },
  });
};

/** The letter of a card issued before letters were kept, from the state of today. */
async function rebuiltLetter(storage: Storage, outbox: Outbox, card: CardRecord): Promise<DocumentContent> {
  const [{ settings, calendar }, stored, unit] = await Promise.all([
    rulesContext(storage),
    // Removed tasks too: a letter cites what the card cited, even after the row left the ledger.
    card.ledgerId ? listTasks(storage, card.ledgerId, { includeRemoved: true }) : Promise.resolve([]),
    unitSnapshot(storage, card.unit),
  ]);
  const interviews = unit.interviews
    .filter((i) => i.cardId === card.id || (i.id !== undefined && card.interviewIds.includes(i.id)))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const cited = stored.filter((t) => card.taskIds.includes(t.task.id));
  // Only a late report's facts can be told as they stood on the card's date (its prompts, their
  // delivery and the feedback are dated); the ledger's problems and the tasks' progress are today's,
  // and a letter dated before them must not state them (R8).
  const facts =
    card.ledgerId && card.reason === '上报材料不及时'
      ? await cardLetterFacts(storage, outbox, {
          ledgerId: card.ledgerId,
          unit: card.unit,
          reason: card.reason,
          date: card.date,
          tasks: cited,
          settings,
        })
      : [];
  return cardLetter({
    card,
    tasks: stored.map((t) => letterTask(t.task)),
    interviews,
    settings,
    calendar,
    facts,
  });
}

export const RedQuery = z.looseObject({
  doc: z
    .enum(['tongbao', 'zhuanti'], { message: 'doc 应为 tongbao（通报批评）或 zhuanti（专题报告）' })
    .optional(),
  no: z.coerce.number().int().min(1).max(99999).optional(),
});

/** R12: the red card's 通报批评 or 专题报告, drafted from the unit's cards, interviews and tasks of the window. */
async function redDraft(
  storage: Storage,
  card: CardRecord,
  kind: RedDocumentKind,
  number: number | null,
): Promise<DocumentContent> {
  const [{ settings }, unit, stored] = await Promise.all([
    rulesContext(storage),
    unitSnapshot(storage, card.unit),
    card.ledgerId ? listTasks(storage, card.ledgerId, { includeRemoved: true }) : Promise.resolve([]),
  ]);
  const inWindow = (d: string) => d <= card.date && inOneRedWindow(d, card.date, settings);
  const cards = unit.cards.filter((c) => c.color !== 'red' && inWindow(c.date));
  const interviews = unit.interviews.filter(
    (i) => (i.id !== undefined && card.interviewIds.includes(i.id)) || inWindow(i.date),
  );
  // The red card cites the tasks of the cards before it; a red card without tasks cites theirs.
  const taskIds = card.taskIds.length ? card.taskIds : [...new Set(cards.flatMap((c) => c.taskIds))];
  return redCardDocument({
    kind,
    card: { ...card, taskIds },
    cards,
    interviews,
    tasks: stored.map((t) => ({ ...letterTask(t.task), closed: t.closed })),
    settings,
    number,
  });
}

export default httpFunction('cardDocument', {
  route: 'cards/{cardId}/document',
  query: { GET: RedQuery },
  methods: { GET: cardDocument },
});
