// A unit's head, contact and prompt channels. GET shows robot keys masked, with the ETag to send back;
// PUT replaces them: with If-Match the ETag read, so that if another clerk changed them meanwhile it
// is 412 and nothing is overwritten.
import { UnitContactRequestSchema } from '../../shared/api.js';
import { ApiError, notFound } from '../errors.js';
import { getUnitContacts as readContacts, putUnitContacts as writeContacts } from '../storage/index.js';
import { channelPolicyProblem, channelsConfigFromEnv } from '../notify/channels/index.js';
import type { ApiRun } from './adapter.js';
import { maskChannel, unmaskChannels } from './channelSecrets.js';
import { pathParam, unitName } from './common.js';
import { httpFunction } from './route.js';

const getUnitContacts: ApiRun = async (call) => {
  const unit = unitName(pathParam(call.param('unit')));
  const c = await readContacts(await call.storage(), unit);
  if (!c) throw notFound(`单位「${unit}」的联系方式`);
  return { body: { ...c, channels: c.channels.map(maskChannel) }, etag: c.etag };
};

const putUnitContacts: ApiRun = async (call) => {
  const unit = unitName(pathParam(call.param('unit')));
  const body = await call.body(UnitContactRequestSchema);
  const storage = await call.storage();
  // Masked keys sent back (what GET shows) keep the stored ones.
  const stored = (await readContacts(storage, unit))?.channels ?? [];
  const channels = unmaskChannels(body.channels, stored);
  // Where a channel may post is checked when it is set (scheme, robot host, literal addresses), so
  // the clerk hears it now; names are resolved and checked again at every send.
  const config = channelsConfigFromEnv(call.env as NodeJS.ProcessEnv);
  channels.forEach((c, i) => {
    const problem = channelPolicyProblem(c, config);
    if (problem) throw new ApiError(400, 'channel_refused', `字段 channels[${i}]：${problem}`);
  });
  const saved = await writeContacts(storage, unit, { ...body, channels }, call.ifMatch());
  await call.history([
    { subject: { unit }, type: 'contacts', data: { channels: body.channels.map((c) => c.kind) } },
  ]);
  return { body: { ...saved, channels: saved.channels.map(maskChannel) }, etag: saved.etag };
};

export default httpFunction('unit', {
  route: 'units/{unit}',
  methods: { GET: getUnitContacts, PUT: putUnitContacts },
});
