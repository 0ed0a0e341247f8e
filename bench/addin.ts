// Issue 4 speed: Excel round trips (context.sync) per ribbon command for 1, 100 and 5,000 selected rows
// (the goal: the same small number for all three), the round-up sheet's syncs (R21), and the size of the
// task pane's scripts.
import { addinBenchmark } from '../test/addin/support/bench.js';
import type { BenchResult } from './measure.js';
import { roundupSheetOf } from '../addin/src/commands/roundupSheet.js';
import type { RoundupView } from '../addin/src/api/client.js';
import { writeRoundupSheet } from '../addin/src/excel/workbook.js';
import { SimWorkbook, simulatedHost } from '../playground/simulatedExcel.js';

/** Syncs of writing the round-up sheet for `units` units: new, already there (not replaced), replaced. */
export async function roundupSheetSyncs(units: number, mode: 'new' | 'exists' | 'replace'): Promise<number> {
  const workbook = new SimWorkbook({ excelApi: '1.13' });
  workbook.addSheet('台账', [['序号']]);
  const view = {
    period: '2026-Q1',
    notice: null,
    units: Array.from({ length: units }, (_, i) => ({
      unit: `县第${i}局`,
      rank: i + 1,
      score: 100 - i / 100,
      state: i % 7 === 0 ? 'yellow' : 'none',
      overdue: [],
      lagging: [],
      cards: i % 7 === 0 ? [{ color: 'yellow' }] : [],
    })),
  } as RoundupView;
  const host = simulatedHost(workbook);
  const sheet = roundupSheetOf(view, 'ledger-2026', '2026-04-03');
  if (mode !== 'new') await writeRoundupSheet(host.excel, host.isSetSupported, sheet, { replace: false });
  const before = workbook.syncCount;
  await writeRoundupSheet(host.excel, host.isSetSupported, sheet, { replace: mode === 'replace' });
  return workbook.syncCount - before;
}

/** The task pane's script budget (issue 12): at most this many KiB gzip. */
export const PANE_GZIP_GOAL_KIB = 90;

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
  // R21: 督检汇总 written into the workbook: a new sheet, an existing one (the pane asks), and replacing it.
  for (const mode of ['new', 'exists', 'replace'] as const) {
    const byUnits = await Promise.all([1, 100, 5000].map((n) => roundupSheetSyncs(n, mode)));
    results.push({
      name: `roundupSheet (${mode}): syncs for 1 / 100 / 5,000 units`,
      value: byUnits[2]!,
      unit: `(${byUnits.join(' / ')})`,
      goal: mode === 'exists' ? 'one read, nothing written' : 'one read + one write for all three',
    });
  }
  for (const [file, size] of Object.entries(bundle)) {
    const kib = (n: number) => Math.round((n / 1024) * 10) / 10;
    // The pane's script is what Office downloads when the clerk opens the pane: its gzip size has a budget.
    const pane = file === 'taskpane.js';
    results.push({
      name: pane
        ? `${file} (minified, gzip) against the ${PANE_GZIP_GOAL_KIB} KiB goal`
        : `${file} (minified)`,
      value: pane ? kib(size.gzip) : kib(size.bytes),
      unit: pane
        ? `KiB gzip (${kib(size.bytes)} KiB minified; ${Math.round((size.gzip / 1024 / PANE_GZIP_GOAL_KIB) * 100)}% of the goal${size.gzip > PANE_GZIP_GOAL_KIB * 1024 ? ', OVER' : ''})`
        : `KiB, ${kib(size.gzip)} KiB gzip`,
      ...(pane ? { goal: `≤ ${PANE_GZIP_GOAL_KIB} KiB gzip` } : {}),
    });
  }
  return results;
}
