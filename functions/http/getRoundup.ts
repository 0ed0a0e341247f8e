// The round-up report (督检汇总, R19–R21) of a period (2026-Q1, 2026-03, 2026-W09 or 2026; by default
// the most recent one ended) as of a date, as shared roundupReport makes it.
import { ledgerRoundup } from '../services/roundup.js';
import type { ApiRun } from './adapter.js';
import { RoundupQuery } from './common.js';
import { httpFunction } from './route.js';

const getRoundup: ApiRun = async (call) => {
  const { report } = await ledgerRoundup(await call.storage(), call.query(RoundupQuery), call.now);
  return { body: report };
};

export default httpFunction('roundup', {
  route: 'roundup',
  query: { GET: RoundupQuery },
  methods: { GET: getRoundup },
});
