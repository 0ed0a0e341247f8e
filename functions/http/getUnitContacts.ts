// GET /api/units/{unit} — a unit's head, contact and prompt channels (robot keys masked), with the
// ETag to send back on PUT.
import { notFound } from '../errors.js';
import { getUnitContacts as readContacts } from '../storage/index.js';
import { api } from './adapter.js';
import { pathParam, unitName } from './common.js';
import { maskChannel } from './channelSecrets.js';

export const getUnitContacts = api({}, async (call) => {
  const unit = unitName(pathParam(call.param('unit')));
  const storage = await call.storage();
  const c = await readContacts(storage, unit);
  if (!c) throw notFound(`单位「${unit}」的联系方式`);
  return { body: { ...c, channels: c.channels.map(maskChannel) }, etag: c.etag };
});
