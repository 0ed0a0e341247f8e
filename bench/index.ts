// Runs the benchmarks; `npm run bench -- ledger` runs one group (ledger, daily, documents, addin).
import { benchAddin } from './addin.js';
import { benchCity } from './city.js';
import { benchCli } from './cli.js';
import { benchDaily } from './daily.js';
import { benchDelivery } from './delivery.js';
import { benchDocuments } from './documents.js';
import { benchLateYear } from './lateYear.js';
import { benchLedger } from './ledger.js';
import { benchLimits } from './limits.js';
import { formatResults, type BenchResult } from './measure.js';

const groups: Record<string, { title: string; run: () => Promise<BenchResult[]> }> = {
  ledger: { title: 'Ledger reader and reminder plan (issue 2)', run: () => benchLedger() },
  limits: {
    title:
      'Ledger files past the limits refused, the largest within them read (issue 9; ratio = peak memory / a bare process)',
    run: () => benchLimits(),
  },
  cli: {
    title:
      'The compiled `duban` command as whole processes (issue 12; ratio = against the baseline above it)',
    run: () => benchCli(),
  },
  daily: { title: 'Daily supervision run on Azurite (issue 3)', run: () => benchDaily() },
  year: {
    title: 'A morning late in the year: the reminders and delivery facts of the year read again (issue 12)',
    // BENCH_YEAR_TASKS=10000 measures a county's full ledger (minutes of seeding); 2,000 by default.
    run: () => benchLateYear(Number(process.env.BENCH_YEAR_TASKS ?? 2000)),
  },
  delivery: {
    title: "Delivery at volume to loopback receivers, and the robots' rate limit (issue 12)",
    run: () => benchDelivery(),
  },
  city: {
    title: 'A city on one deployment: 10 ledgers, 100,000 tasks, 3,000 units (issue 12; only when named)',
    run: () => benchCity(),
  },
  documents: { title: 'Documents (.docx) against the JSON they are made from', run: () => benchDocuments() },
  addin: {
    title: 'Add-in: Excel round trips per command and script size (issue 4)',
    run: () => benchAddin(),
  },
};

export async function runBenchmarks(only: string[]): Promise<void> {
  for (const [key, g] of Object.entries(groups)) {
    if (only.length && !only.includes(key)) continue;
    // Minutes of seeding: run only when asked for (`npm run bench -- city`).
    if (key === 'city' && !only.includes(key)) continue;
    console.log(formatResults(g.title, await g.run()) + '\n');
  }
}
