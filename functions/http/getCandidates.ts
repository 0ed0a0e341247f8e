// GET /api/candidates?ledgerId=…&asOf=YYYY-MM-DD — yellow (R9) and orange (R10) card candidates, as the
// shared rules find them. The program proposes; a clerk confirms a candidate with POST /cards.
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { chinaToday, yearOf } from '../../shared/dates.js';
import { ApiError } from '../errors.js';
import { getLedger } from '../storage/index.js';
import { ledgerCandidates } from '../supervision.js';
import { api } from './adapter.js';
import { rulesContext } from './common.js';

export const Query = z.object({
  ledgerId: z.string().trim().min(1, '请提供 ledgerId').max(200),
  asOf: IsoDateSchema.optional(),
});

export const getCandidates = api({}, async (call) => {
  const q = call.query(Query);
  const asOf = q.asOf ?? chinaToday(call.now);
  const storage = await call.storage();
  const ledger = await getLedger(storage, q.ledgerId);
  if (!ledger) throw new ApiError(404, 'ledger_not_found', `台账 ${q.ledgerId} 尚未同步或不存在`);
  const { settings } = await rulesContext(storage);
  const candidates = await ledgerCandidates(storage, q.ledgerId, ledger.year ?? yearOf(asOf), asOf, settings);
  return {
    body: {
      ledgerId: q.ledgerId,
      asOf,
      yellow: candidates.filter((c) => c.color === 'yellow'),
      orange: candidates.filter((c) => c.color === 'orange'),
    },
  };
});
