// The office revokes every feedback link a unit has (a leaked
// link): the unit's link generation goes up, links signed before no longer open (410 with whom to
// call), and the next prompts carry new links. Recorded in the unit's history.
import { revokeUnitLinks } from '../storage/links.js';
import type { ApiRun } from './adapter.js';
import { pathParam, unitName } from './common.js';
import { httpFunction } from './route.js';

const revokeLinks: ApiRun = async (call) => {
  const unit = unitName(pathParam(call.param('unit')));
  const at = call.now.toISOString();
  const generation = await revokeUnitLinks(await call.storage(), unit, at);
  await call.history([
    { subject: { unit }, type: 'links-revoked', by: call.clerk ?? null, data: { unit, generation }, at },
  ]);
  return { body: { unit, generation, revokedAt: at } };
};

export default httpFunction('unitLinksRevoke', {
  route: 'units/{unit}/links/revoke',
  methods: { POST: revokeLinks },
});
