// GET /api/cards/{cardId}/document — the letter that follows a card, as .docx: a yellow card's
// 《重点工作督办提示函》, an orange card's 《重点工作督办预警通知书》 (R8, R11, R14). A red card has no
// letter of the office (409, saying what follows a red card instead).
//
// The letter is the one kept when the card was issued (R8: the archive copy is the letter as sent;
// a later rename of a task, a change of settings or the interview recorded afterwards do not change
// it). A card issued before letters were kept has none: its letter is built from today's tasks,
// settings and interviews, and the answer says so (`X-Duban-Letter: rebuilt`, else `as-issued`).
import {
  cardLetter,
  noLetterReason,
  letterTask,
  type DocumentContent,
} from '../../shared/documents/index.js';
import { ApiError, notFound } from '../errors.js';
import { findCard, listTasks, unitSnapshot, type CardRecord, type Storage } from '../storage/index.js';
import { issuedLetter } from '../storage/letters.js';
import { renderDocx } from '../documents/render.js';
import { documentApi, LETTER_HEADER } from '../documents/respond.js';
import { rulesContext } from './common.js';

export const cardDocument = documentApi(async (call) => {
  const cardId = call.param('cardId');
  const storage = await call.storage();
  const card = await findCard(storage, cardId);
  if (!card) throw notFound(`牌 ${cardId} `);
  const refusal = noLetterReason(card.color);
  if (refusal) throw new ApiError(409, 'no_letter_for_red', refusal);
  if (!card.docNo) throw new ApiError(409, 'no_doc_number', `牌 ${cardId} 没有文号，无法生成文书（R14）`);
  const kept = await issuedLetter(storage, card.unit, card.id);
  const content = kept?.content ?? (await rebuiltLetter(storage, card));
  return {
    fileName: content.fileName,
    asciiName: `${content.kind}-${card.id}.docx`,
    bytes: await renderDocx(content),
    headers: { [LETTER_HEADER]: kept ? 'as-issued' : 'rebuilt' },
  };
});

/** The letter of a card issued before letters were kept, from the state of today. */
async function rebuiltLetter(storage: Storage, card: CardRecord): Promise<DocumentContent> {
  const [{ settings, calendar }, stored, unit] = await Promise.all([
    rulesContext(storage),
    // Removed tasks too: a letter cites what the card cited, even after the row left the ledger.
    card.ledgerId ? listTasks(storage, card.ledgerId, { includeRemoved: true }) : Promise.resolve([]),
    unitSnapshot(storage, card.unit),
  ]);
  const interviews = unit.interviews
    .filter((i) => i.cardId === card.id || (i.id !== undefined && card.interviewIds.includes(i.id)))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return cardLetter({ card, tasks: stored.map((t) => letterTask(t.task)), interviews, settings, calendar });
}
