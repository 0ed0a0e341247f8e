// Yellow (R9) and orange (R10) card candidates, as the
// shared rules find them, each with its evidence. The program proposes; a clerk confirms a candidate
// with POST /cards. Candidates already carded this year are set apart (`carded`, shared splitCarded),
// so the pane and the ribbon's one-click 亮牌 never propose them again; prompts that never reached
// their unit are listed as the office's problem (`undelivered`), never as a candidate.
import { z } from 'zod';
import type { CandidatesResponse } from '../../shared/api.js';
import type { CardEvent } from '../../shared/model.js';
import { IsoDateSchema } from '../../shared/model.js';
import { yearOf } from '../../shared/dates.js';
import { splitCarded } from '../../shared/rules/cardDecisions.js';
import { cardKey } from '../../shared/rules/cards.js';
import { allUnitEvents } from '../storage/index.js';
import { ledgerCandidates } from '../supervision.js';
import { runtimeOutbox } from '../runtime/outbox.js';
import { rulesContext } from '../services/rules.js';
import type { ApiRun } from './adapter.js';
import { LedgerIdSchema } from './common.js';
import { httpFunction } from './route.js';

export const Query = z.object({
  ledgerId: LedgerIdSchema,
  asOf: IsoDateSchema.optional(),
});

const getCandidates: ApiRun = async (call) => {
  const q = call.query(Query);
  const asOf = q.asOf ?? call.today;
  const storage = await call.storage();
  const ledger = await call.ledger(q.ledgerId);
  const { settings } = await rulesContext(storage);
  const [{ candidates, undelivered }, events] = await Promise.all([
    ledgerCandidates(storage, q.ledgerId, ledger.year ?? yearOf(asOf), asOf, settings, {
      outbox: runtimeOutbox(call.env),
    }),
    allUnitEvents(storage),
  ]);
  const cards = events
    .filter((e): e is CardEvent => e.type === 'card')
    .map((c) => ({ ...c, id: cardKey(c), reason: c.reason ?? null }));
  const { open, carded } = splitCarded(candidates, cards, asOf);
  const body: CandidatesResponse = {
    ledgerId: q.ledgerId,
    asOf,
    yellow: open.filter((c) => c.color === 'yellow'),
    orange: open.filter((c) => c.color === 'orange'),
    carded,
    undelivered,
  };
  return { body };
};

export default httpFunction('candidates', {
  route: 'candidates',
  query: { GET: Query },
  methods: { GET: getCandidates },
});
