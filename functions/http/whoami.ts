// GET /api/whoami — who the key belongs to, for the pane's 设置 (signed in as …).
import { api } from './adapter.js';

export const whoami = api({}, async (call) => ({
  body: call.clerk ? { role: 'clerk', clerk: call.clerk } : { role: 'office', clerk: null },
}));
