// GET /api/cards/{cardId} — one card with its ETag (needed to tick the red card's checklist).
import { findCard } from '../storage/index.js';
import { notFound } from '../errors.js';
import { api } from './adapter.js';

export const getCard = api({}, async (call) => {
  const storage = await call.storage();
  const card = await findCard(storage, call.param('cardId'));
  if (!card) throw notFound(`牌 ${call.param('cardId')} `);
  const { etag, ...rest } = card;
  return { body: { card: rest, etag }, etag };
});
