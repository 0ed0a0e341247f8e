// PUT /api/settings — change some settings: only the fields present in the body change. If-Match with
// the ETag from GET guards against two clerks' edits crossing (412).
import { PutSettingsRequestSchema } from '../../shared/api.js';
import type { SettingsInput } from '../../shared/settings.js';
import { chinaToday } from '../../shared/dates.js';
import { appendEvents, putSettings as writeSettings } from '../storage/index.js';
import { api } from './adapter.js';

export const putSettings = api({}, async (call) => {
  const parsed = await call.body(PutSettingsRequestSchema);
  // zod fills defaults into absent fields; keep only what the client actually sent.
  const sent = Object.keys((call.rawBody() ?? {}) as object).filter((k) => k in (parsed as object));
  const patch = Object.fromEntries(
    sent.map((k) => [k, (parsed as Record<string, unknown>)[k]]),
  ) as SettingsInput;
  const storage = await call.storage();
  const { value, etag } = await writeSettings(storage, patch, call.ifMatch());
  await appendEvents(
    storage,
    [{ subject: { office: true }, type: 'settings', date: chinaToday(call.now), data: { changed: sent } }],
    call.now,
  );
  return { body: { settings: value, etag }, etag };
});
