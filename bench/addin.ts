// Issue 4 speed: Excel round trips (context.sync) per ribbon command for 1, 100 and 5,000 selected rows
// (the goal: the same small number for all three), and the size of the task pane's scripts.
import { addinBenchmark } from '../test/addin/support/bench.js';
import type { BenchResult } from './measure.js';

export async function benchAddin(): Promise<BenchResult[]> {
  const { syncs, bundle } = await addinBenchmark();
  const results: BenchResult[] = [];
  for (const [command, byRows] of Object.entries(syncs)) {
    results.push({
      name: `${command}: syncs for 1 / 100 / 5,000 rows`,
      value: Number(byRows['5000']),
      unit: `(${byRows['1']} / ${byRows['100']} / ${byRows['5000']})`,
      goal: 'the same small number for all three',
    });
  }
  for (const [file, size] of Object.entries(bundle)) {
    results.push({
      name: `${file} (minified)`,
      value: Math.round(size.bytes / 1024),
      unit: `KiB, ${Math.round(size.gzip / 1024)} KiB gzip`,
    });
  }
  return results;
}
