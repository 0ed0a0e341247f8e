// POST /api/cards/{cardId}/checklist — tick (or untick) one of the red card's four follow-up actions
// (R12). With If-Match: the card's ETag as the clerk last read it; a stale one is 412, never a silent
// overwrite of the other clerk's tick.
import { TickChecklistRequestSchema } from '../../shared/api.js';
import { chinaToday } from '../../shared/dates.js';
import { ApiError, notFound, staleEtag } from '../errors.js';
import { appendEvents, cardEntity, changeUnit, findCard, type CardRecord } from '../storage/index.js';
import { api } from './adapter.js';

export const tickChecklist = api({}, async (call) => {
  const body = await call.body(TickChecklistRequestSchema);
  const cardId = call.param('cardId');
  const storage = await call.storage();
  const found = await findCard(storage, cardId);
  if (!found) throw notFound(`牌 ${cardId} `);
  if (found.color !== 'red' || !found.checklist)
    throw new ApiError(409, 'not_red', '只有红牌有整改事项清单（R12）');
  const ifMatch = call.ifMatch();
  const at = call.now.toISOString();
  const { result, etags } = await changeUnit(storage, found.unit, (snap) => {
    const card = snap.cards.find((c) => c.id === cardId);
    if (!card || !card.checklist) throw notFound(`牌 ${cardId} `);
    if (ifMatch && card.etag !== ifMatch) throw staleEtag();
    const { etag, ...data } = card;
    const next: Omit<CardRecord, 'etag'> = {
      ...data,
      checklist: card.checklist.map((i) =>
        i.id === body.item ? { ...i, done: body.done, by: body.by, at } : i,
      ),
    };
    return { writes: [{ entity: cardEntity(next), etag }], result: next };
  });
  await appendEvents(
    storage,
    [
      {
        subject: { unit: found.unit },
        type: 'checklist',
        date: chinaToday(call.now),
        by: body.by,
        data: { cardId, item: body.item, done: body.done },
      },
    ],
    call.now,
  );
  const etag = etags.get(cardEntity(result).rowKey) ?? null;
  return { body: { card: result, etag }, etag };
});
