// POST /api/units/{unit}/links/revoke — the office revokes every feedback link a unit has (a leaked
// link): the unit's link generation goes up, links signed before no longer open (410 with whom to
// call), and the next prompts carry new links. Recorded in the unit's history.
import { chinaToday } from '../../shared/dates.js';
import { appendEvents } from '../storage/index.js';
import { revokeUnitLinks } from '../storage/links.js';
import { api } from './adapter.js';
import { pathParam, unitName } from './common.js';

export const revokeLinks = api({}, async (call) => {
  const unit = unitName(pathParam(call.param('unit')));
  const storage = await call.storage();
  const at = call.now.toISOString();
  const generation = await revokeUnitLinks(storage, unit, at);
  await appendEvents(
    storage,
    [
      {
        subject: { unit },
        type: 'links-revoked',
        date: chinaToday(call.now),
        by: call.clerk ?? null,
        data: { unit, generation },
        at,
      },
    ],
    call.now,
  );
  return { body: { unit, generation, revokedAt: at } };
});
