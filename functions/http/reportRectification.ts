// A unit's rectification report after an orange card (R11); it ends the
// daily overdue flag for that card.
import { RectificationRequestSchema } from '../../shared/api.js';
import type { RectificationEvent } from '../../shared/model.js';
import { orangeCardForRectification } from '../../shared/rules/cardDecisions.js';
import { ApiError } from '../errors.js';
import { cardEntity, changeUnit, rectificationEntity } from '../storage/index.js';
import { requestIdentity } from '../services/identity.js';
import type { ApiRun } from './adapter.js';
import { unitName } from './common.js';
import { httpFunction } from './route.js';

const reportRectification: ApiRun = async (call) => {
  const body = await call.body(RectificationRequestSchema);
  const unit = unitName(body.unit);
  const storage = await call.storage();
  const at = call.now.toISOString();
  const rect: RectificationEvent & { id: string } = {
    type: 'rectification',
    unit,
    // Set below to the card the report answers (named, or chosen by the shared rule).
    cardId: body.cardId ?? '',
    date: body.date,
    note: body.note,
    by: body.by,
    at,
    // From the client's requestId, or without one from what the report says: a re-click is a replay,
    // not a second report.
    id: requestIdentity(unit, body.date, 'rect', body.requestId, [body.cardId ?? null, body.date, body.note]),
  };
  const { result: earlier } = await changeUnit(storage, unit, (snap) => {
    const replay = snap.rectifications.find((r) => (r as { id?: string }).id === rect.id);
    if (replay) return { writes: [], result: replay };
    // R11: the orange card the report answers — the one named, else the one shared
    // orangeCardForRectification picks (the pane shows 整改 on the same card).
    const cardId = body.cardId ?? orangeCardForRectification(unit, snap.cards)?.id;
    if (!cardId)
      throw new ApiError(409, 'no_orange_card', `「${unit}」没有待整改的橙牌，无需登记整改报告（R11）`);
    const card = snap.cards.find((c) => c.id === cardId);
    if (!card) throw new ApiError(404, 'card_not_found', `「${unit}」没有编号为 ${cardId} 的牌`);
    if (card.color !== 'orange')
      throw new ApiError(409, 'not_orange', '整改报告针对橙牌（R11）；该牌不是橙牌');
    rect.cardId = card.id;
    const { etag, ...data } = card;
    return {
      writes: [
        { entity: rectificationEntity(rect) },
        { entity: cardEntity({ ...data, rectifiedOn: data.rectifiedOn ?? body.date }), etag },
      ],
      result: null,
    };
  });
  const recorded = earlier ?? rect;
  // On a replay the same history row is written again (same id and instant): nothing doubles.
  await call.history([
    {
      subject: { unit },
      type: 'rectification',
      date: recorded.date,
      by: recorded.by ?? body.by,
      data: recorded,
      id: rect.id,
      at: recorded.at ?? at,
    },
  ]);
  return earlier
    ? { status: 200, body: { rectification: recorded, replayed: true } }
    : { status: 201, body: { rectification: rect } };
};

export default httpFunction('rectifications', {
  route: 'rectifications',
  methods: { POST: reportRectification },
});
