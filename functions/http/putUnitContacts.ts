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

export const putUnitContacts = api({}, async (call) => {
  const unit = unitName(pathParam(call.param('unit')));
  const body = await call.body(UnitContactRequestSchema);
  const storage = await call.storage();
  // Masked keys sent back (what GET shows) keep the stored ones.
  const stored = (await readContacts(storage, unit))?.channels ?? [];
  const channels = unmaskChannels(body.channels, stored);
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
