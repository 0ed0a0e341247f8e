// POST /api/rectifications — a unit's rectification report after an orange card (R11); it ends the
// daily overdue flag for that card.
import { randomUUID } from 'node:crypto';
import { RectificationRequestSchema } from '../../shared/api.js';
import type { RectificationEvent } from '../../shared/model.js';
import { ApiError } from '../errors.js';
import { appendEvents, cardEntity, changeUnit, rectificationEntity } from '../storage/index.js';
import { api } from './adapter.js';
import { unitName } from './common.js';

export const reportRectification = api({}, async (call) => {
  const body = await call.body(RectificationRequestSchema);
  const unit = unitName(body.unit);
  const storage = await call.storage();
  const at = call.now.toISOString();
  const rect: RectificationEvent & { id: string } = {
    type: 'rectification',
    unit,
    cardId: body.cardId,
    date: body.date,
    note: body.note,
    by: body.by,
    at,
    id: `${body.date.replace(/-/g, '')}-rect-${randomUUID().slice(0, 8)}`,
  };
  await changeUnit(storage, unit, (snap) => {
    const card = snap.cards.find((c) => c.id === body.cardId);
    if (!card) throw new ApiError(404, 'card_not_found', `「${unit}」没有编号为 ${body.cardId} 的牌`);
    if (card.color !== 'orange')
      throw new ApiError(409, 'not_orange', '整改报告针对橙牌（R11）；该牌不是橙牌');
    const { etag, ...data } = card;
    return {
      writes: [
        { entity: rectificationEntity(rect) },
        { entity: cardEntity({ ...data, rectifiedOn: data.rectifiedOn ?? body.date }), etag },
      ],
      result: null,
    };
  });
  await appendEvents(
    storage,
    [{ subject: { unit }, type: 'rectification', date: body.date, by: body.by, data: rect, id: rect.id, at }],
    call.now,
  );
  return { status: 201, body: { rectification: rect } };
});
