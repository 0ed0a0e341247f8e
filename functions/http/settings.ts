// The settings in force (every [default] of docs/rules.md, with the office's changes). PUT changes
// some of them: only the fields present in the body change, at any depth; If-Match with the ETag from
// GET guards against two clerks' edits crossing (412).
import { PutSettingsRequestSchema } from '../../shared/api.js';
import type { SettingsInput } from '../../shared/settings.js';
import { getSettingsOverrides, loadSettings, putSettings as writeSettings } from '../storage/index.js';
import type { ApiRun } from './adapter.js';
import { httpFunction } from './route.js';

const getSettings: ApiRun = async (call) => {
  const storage = await call.storage();
  const [settings, { value, etag }] = await Promise.all([
    loadSettings(storage),
    getSettingsOverrides(storage),
  ]);
  return { body: { settings, overrides: value, etag }, etag };
};

const putSettings: ApiRun = async (call) => {
  // The body is checked field by field first (400 naming the field); what is merged is the body as
  // sent, not the parsed one: zod fills defaults into the nested fields the client left out, and
  // those would overwrite the office's own values. The merged whole is then
  // validated again by makeSettings (storage/config.ts).
  const parsed = await call.body(PutSettingsRequestSchema);
  const raw = (call.rawBody() ?? {}) as Record<string, unknown>;
  const sent = Object.keys(raw).filter((k) => k in (parsed as object));
  const patch = Object.fromEntries(sent.map((k) => [k, raw[k]])) as SettingsInput;
  const { value, etag } = await writeSettings(await call.storage(), patch, call.ifMatch());
  await call.history([{ subject: { office: true }, type: 'settings', data: { changed: sent } }]);
  return { body: { settings: value, etag }, etag };
};

export default httpFunction('settings', {
  route: 'settings',
  methods: { GET: getSettings, PUT: putSettings },
});
