// Tick (or untick) one of the red card's four follow-up actions
// (R12). With If-Match: the card's ETag as the clerk last read it; a stale one is 412, never a silent
// overwrite of the other clerk's tick.
import { TickChecklistRequestSchema } from '../../shared/api.js';
import { ApiError, notFound, staleEtag } from '../errors.js';
import { cardEntity, changeUnit, findCard, type CardRecord } from '../storage/index.js';
import type { ApiRun } from './adapter.js';
import { httpFunction } from './route.js';

const tickChecklist: ApiRun = async (call) => {
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
  await call.history([
    {
      subject: { unit: found.unit },
      type: 'checklist',
      by: body.by,
      data: { cardId, item: body.item, done: body.done },
    },
  ]);
  const etag = etags.get(cardEntity(result).rowKey) ?? null;
  return { body: { card: result, etag }, etag };
};

export default httpFunction('cardChecklist', {
  route: 'cards/{cardId}/checklist',
  methods: { POST: tickChecklist },
});
