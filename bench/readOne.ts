// One ledger file read in a fresh process, for `npm run bench -- limits`: how long it took and the
// process's peak memory (max RSS), printed as one JSON line. A refusal is an outcome, not a failure.
import { pickLedgerSheet, readWorkbookSheets } from '../functions/xlsx.js';
import { readLedger } from '../shared/ledger/index.js';

const file = process.argv[2]!;
const t0 = performance.now();
let outcome: string;
try {
  const sheet = pickLedgerSheet(await readWorkbookSheets(file));
  const r = readLedger(sheet.values, { today: '2026-03-01' });
  outcome = `read ${r.rows.length} rows, ${r.tasks.length} tasks`;
} catch (e) {
  outcome = `refused: ${(e as Error).message.slice(0, 60)}…`;
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, outcome }));
