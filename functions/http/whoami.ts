// Who the key belongs to, for the pane's 设置 (signed in as …).
import { httpFunction } from './route.js';

export default httpFunction('whoami', {
  route: 'whoami',
  methods: {
    GET: async (call) => ({
      body: call.clerk ? { role: 'clerk', clerk: call.clerk } : { role: 'office', clerk: null },
    }),
  },
});
