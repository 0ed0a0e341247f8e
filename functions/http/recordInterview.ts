// 约谈登记 (R11, R12). Whether this interview issues a red card is decided by
// shared redCardFor; the decision and the write are one transaction on the unit's record, so
// two clerks recording at once still get exactly one red card, with its four-item checklist.
import { randomUUID } from 'node:crypto';
import { RecordInterviewRequestSchema } from '../../shared/api.js';
import { RED_CHECKLIST, type InterviewEvent } from '../../shared/model.js';
import { redCardFor } from '../../shared/rules/redCard.js';
import { orangeCardForInterview } from '../../shared/rules/cardDecisions.js';
import { ApiError } from '../errors.js';
import {
  cardEntity,
  changeUnit,
  interviewEntity,
  type CardRecord,
  type UnitChange,
} from '../storage/index.js';
import { cardEvents } from '../services/cards.js';
import { requestIdentity } from '../services/identity.js';
import { rulesContext } from '../services/rules.js';
import type { ApiRun, HistoryEntry } from './adapter.js';
import { unitName } from './common.js';
import { httpFunction } from './route.js';

const stripEtag = ({ etag: _etag, ...card }: CardRecord): Omit<CardRecord, 'etag'> => card;

const recordInterview: ApiRun = async (call) => {
  const body = await call.body(RecordInterviewRequestSchema);
  const unit = unitName(body.unit);
  const storage = await call.storage();
  const { settings } = await rulesContext(storage);
  const at = call.now.toISOString();
  const interview: InterviewEvent & { id: string } = {
    type: 'interview',
    unit,
    date: body.date,
    // From the client's requestId (one per click), or without one from what the interview says: the
    // same interview sent twice (a re-click after a timeout) is one interview and never makes a unit
    // red on its own (R12).
    id: requestIdentity(unit, body.date, 'interview', body.requestId, [
      body.date,
      body.leader,
      body.interviewee,
      body.record ?? null,
      body.cardId ?? null,
    ]),
    ...(body.cardId ? { cardId: body.cardId } : {}),
    leader: body.leader,
    interviewee: body.interviewee,
    record: body.record,
    by: body.by,
    at,
  };
  const { result } = await changeUnit(
    storage,
    unit,
    (snap): UnitChange<{ red: Omit<CardRecord, 'etag'> | null; replayed: InterviewEvent | null }> => {
      // A retried request (same requestId): the interview is recorded already; it is not a second one.
      const earlier = snap.interviews.find((i) => i.id === interview.id);
      if (earlier) {
        const red = snap.cards.find((c) => c.color === 'red' && c.interviewIds.includes(interview.id));
        return { writes: [], result: { red: red ? stripEtag(red) : null, replayed: earlier } };
      }
      const writes: {
        entity: ReturnType<typeof cardEntity> | ReturnType<typeof interviewEntity>;
        etag?: string;
      }[] = [{ entity: interviewEntity(interview) }];
      // R11: the orange card this interview answers — the one named, else the one shared
      // orangeCardForInterview picks (the pane names no card and shows the same).
      const cardId = body.cardId ?? orangeCardForInterview(unit, snap.cards, body.date)?.id;
      if (cardId) {
        const card = snap.cards.find((c) => c.id === cardId);
        if (!card) throw new ApiError(404, 'card_not_found', `「${unit}」没有编号为 ${cardId} 的牌`);
        if (card.color !== 'orange')
          throw new ApiError(409, 'not_orange', '约谈针对橙牌（R11）；该牌不是橙牌');
        interview.cardId = card.id;
        const { etag, ...data } = card;
        writes.push({
          entity: cardEntity({ ...data, interviewIds: [...data.interviewIds, interview.id] }),
          etag,
        });
      }
      let red: Omit<CardRecord, 'etag'> | null = null;
      // R12, decided in shared: whether this interview issues a red card (none if the unit is red
      // already in a window holding it, whatever the order of recording), its date, tasks and interviews.
      const spec = redCardFor(snap.events, interview, settings);
      if (spec) {
        red = {
          id: `${spec.date.replace(/-/g, '')}-red-${randomUUID().slice(0, 8)}`,
          unit,
          color: 'red',
          reason: spec.reason,
          taskIds: spec.taskIds,
          ledgerId: snap.cards.find((c) => c.ledgerId)?.ledgerId ?? null,
          date: spec.date,
          docNo: null,
          rectifyBy: null,
          interviewIds: spec.interviewIds,
          rectifiedOn: null,
          checklist: RED_CHECKLIST.map((c) => ({
            id: c.id,
            text: c.text,
            done: false,
            by: null,
            at: null,
          })),
          note: null,
          by: body.by,
          at,
        };
        writes.push({ entity: cardEntity(red) });
      }
      return { writes, result: { red, replayed: null } };
    },
  );
  const recorded = result.replayed ?? interview;
  // On a replay the same rows are written again (same ids and instants): nothing doubles, and what a
  // first attempt did not get to write is written now.
  const events: HistoryEntry[] = [
    {
      subject: { unit },
      type: 'interview',
      date: recorded.date,
      by: recorded.by ?? body.by,
      data: recorded,
      id: interview.id,
      at: recorded.at ?? at,
    },
    ...(result.red ? cardEvents(result.red) : []),
  ];
  await call.history(events);
  return {
    status: result.replayed ? 200 : 201,
    body: { interview: recorded, red: result.red, ...(result.replayed ? { replayed: true } : {}) },
  };
};

export default httpFunction('interviews', { route: 'interviews', methods: { POST: recordInterview } });
