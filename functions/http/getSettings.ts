// GET /api/settings — the settings in force (every [default] of docs/rules.md, with the office's changes).
import { getSettingsOverrides, loadSettings } from '../storage/index.js';
import { api } from './adapter.js';

export const getSettings = api({}, async (call) => {
  const storage = await call.storage();
  const [settings, { value, etag }] = await Promise.all([
    loadSettings(storage),
    getSettingsOverrides(storage),
  ]);
  return { body: { settings, overrides: value, etag }, etag };
});
