// PUT /api/units/{unit} — replace a unit's contacts and channels. Send If-Match with the ETag
// you read: if another clerk changed them meanwhile, 412 and nothing is overwritten.
import { UnitContactRequestSchema } from '../../shared/api.js';
import { chinaToday } from '../../shared/dates.js';
import {
  appendEvents,
  getUnitContacts as readContacts,
  putUnitContacts as writeContacts,
} from '../storage/index.js';
import { maskChannel, unmaskChannels } from './channelSecrets.js';
import { api } from './adapter.js';
import { pathParam, unitName } from './common.js';
import { ApiError } from '../errors.js';
import { channelPolicyProblem, channelsConfigFromEnv } from '../notify/channels/index.js';

export const putUnitContacts = api({}, async (call) => {
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
  await appendEvents(
    storage,
    [
      {
        subject: { unit },
        type: 'contacts',
        date: chinaToday(call.now),
        data: { channels: body.channels.map((c) => c.kind) },
      },
    ],
    call.now,
  );
  return { body: { ...saved, channels: saved.channels.map(maskChannel) }, etag: saved.etag };
});
