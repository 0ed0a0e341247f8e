// Syncs per command against the simulated host, for `npm run bench`: the number must not grow with the
// number of selected rows. The backend answers from a stub here: the bench counts Excel round trips only.
import { DEFAULT_SETTINGS } from '../../../shared/settings.js';
import { DubanApi } from '../../../addin/src/api/client.js';
import { RIBBON_COMMANDS } from '../../../addin/src/commands/ribbon.js';
import { submitClose, type CommandEnv } from '../../../addin/src/commands/actions.js';
import type { Mailbox } from '../../../addin/src/mailbox.js';
import { SimWorkbook, simulatedHost } from '../../../playground/simulatedExcel.js';
import { generatedLedger, HEADER } from './generatedLedger.js';

export type BenchCommand =
  | 'syncLedger'
  | 'checkLedger'
  | 'starsByKind'
  | 'stars3'
  | 'stars4'
  | 'stars5'
  | 'yellowCard'
  | 'orangeCard'
  | 'closeTasks';

/** The generated ledger's lead units (generatedLedger: 县第0局 … 县第39局). */
const UNITS = Array.from({ length: 40 }, (_, k) => `县第${k}局`);

function stubBackend(): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    const body = init?.body ? (JSON.parse(String(init.body)) as { unit?: string; color?: string }) : {};
    // The shapes the real backend answers (GET /candidates: shared CandidatesResponse; GET /units: UnitView):
    // every unit is a candidate of both colours, so 黄牌/橙牌 take the one-click path and paint.
    const candidate = (color: string, reason: string) =>
      UNITS.map((unit) => ({ unit, color, reason, taskIds: [], details: [] }));
    const json = url.includes('/units')
      ? {
          units: UNITS.map((unit) => ({
            unit,
            state: 'yellow',
            interviews: 0,
            cards: [],
            rectifyBy: null,
            rectificationOverdue: false,
          })),
        }
      : url.includes('/feedback?')
        ? { feedback: [], continuation: null }
        : url.includes('/candidates')
          ? {
              ledgerId: 'ledger-2026',
              asOf: '2026-07-10',
              yellow: candidate('yellow', '上报材料不及时'),
              orange: candidate('orange', '工作进展缓慢'),
            }
          : url.endsWith('/cards')
            ? { card: { id: 'c', unit: body.unit, color: body.color, docNo: '友政督提〔2026〕1号' } }
            : {};
    return new Response(JSON.stringify(json), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** Runs one ribbon command on a generated ledger with `rows` task rows, all selected; returns the syncs. */
export async function syncsForCommand(
  command: BenchCommand,
  rows: number,
): Promise<{ syncs: number; level: string; text: string }> {
  const workbook = new SimWorkbook({ excelApi: '1.13' });
  workbook.addSheet(
    '台账',
    generatedLedger(rows, { withIds: command !== 'syncLedger' && command !== 'checkLedger' }),
  );
  workbook.select('台账', `A3:${String.fromCharCode(64 + HEADER.length + 1)}${rows + 2}`);
  const host = simulatedHost(workbook);
  const mailbox: Mailbox = { report: (s) => ({ id: '', at: '', ...s }), ask: () => undefined };
  const env: CommandEnv = {
    excel: host.excel,
    isSetSupported: host.isSetSupported,
    api: () => new DubanApi({ url: 'http://bench.invalid/api', key: 'k' }, stubBackend()),
    prefs: () => ({ backendUrl: '', functionKey: 'k', clerk: '基准', ledgerId: '' }),
    settings: DEFAULT_SETTINGS,
    today: () => '2026-03-20',
    mailbox,
  };
  // 销号 is two steps (the ribbon opens the form, the pane submits it): the bench measures the submit.
  const outcome =
    command === 'closeTasks'
      ? await submitClose(env, {
          taskIds: Array.from({ length: rows }, (_, i) => `DB-2026-${String(i + 1).padStart(4, '0')}`),
          date: '2026-03-20',
          note: '已完成，见验收报告',
        })
      : await RIBBON_COMMANDS[command]!(env);
  return { syncs: workbook.syncCount, level: outcome.level, text: outcome.text };
}

export interface AddinBenchmark {
  /** Excel round trips (context.sync) per command, for 1, 100 and 5,000 selected rows. */
  syncs: Record<BenchCommand, Record<'1' | '100' | '5000', number>>;
  /** Minified script sizes of the built add-in, bytes (raw and gzip). */
  bundle: Record<string, { bytes: number; gzip: number }>;
}

/** Everything `npm run bench` reports for the add-in: syncs per command and the pane's script size. */
export async function addinBenchmark(): Promise<AddinBenchmark> {
  const commands: BenchCommand[] = [
    'syncLedger',
    'checkLedger',
    'starsByKind',
    'stars3',
    'stars4',
    'stars5',
    'yellowCard',
    'orangeCard',
    'closeTasks',
  ];
  const syncs = {} as AddinBenchmark['syncs'];
  for (const c of commands) {
    syncs[c] = { '1': 0, '100': 0, '5000': 0 };
    for (const n of [1, 100, 5000] as const) {
      const r = await syncsForCommand(c, n);
      // A figure measured on an error path (a stub the client cannot read…) is no figure at all.
      if (r.level === 'error') throw new Error(`bench: ${c} with ${n} rows ended in an error: ${r.text}`);
      syncs[c][String(n) as '1' | '100' | '5000'] = r.syncs;
    }
  }
  const { buildAddin } = await import('../../../addin/build.js');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'duban-addin-bench-'));
  try {
    const built = await buildAddin({ outdir: dir });
    const bundle: AddinBenchmark['bundle'] = {};
    for (const [file, bytes] of Object.entries(built.sizes)) {
      bundle[file] = { bytes, gzip: gzipSync(readFileSync(join(dir, file))).length };
    }
    return { syncs, bundle };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
