// PUT /api/settings — change some settings: only the fields present in the body change, at any depth. If-Match with
// the ETag from GET guards against two clerks' edits crossing (412).
import { PutSettingsRequestSchema } from '../../shared/api.js';
import type { SettingsInput } from '../../shared/settings.js';
import { chinaToday } from '../../shared/dates.js';
import { appendEvents, putSettings as writeSettings } from '../storage/index.js';
import { api } from './adapter.js';

export const putSettings = api({}, async (call) => {
  // The body is checked field by field first (400 naming the field); what is merged is the body as
  // sent, not the parsed one: zod fills defaults into the nested fields the client left out, and
  // those would overwrite the office's own values. The merged whole is then
  // validated again by makeSettings (storage/config.ts).
  const parsed = await call.body(PutSettingsRequestSchema);
  const raw = (call.rawBody() ?? {}) as Record<string, unknown>;
  const sent = Object.keys(raw).filter((k) => k in (parsed as object));
  const patch = Object.fromEntries(sent.map((k) => [k, raw[k]])) as SettingsInput;
  const storage = await call.storage();
  const { value, etag } = await writeSettings(storage, patch, call.ifMatch());
  await appendEvents(
    storage,
    [{ subject: { office: true }, type: 'settings', date: chinaToday(call.now), data: { changed: sent } }],
    call.now,
  );
  return { body: { settings: value, etag }, etag };
});
