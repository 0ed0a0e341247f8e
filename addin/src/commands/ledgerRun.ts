// The two steps every command that touches the ledger shares: read the sheet (refusing a protected one
// before the backend is called) and view it as a ledger; after the backend has recorded, paint the rows
// and record which cells the add-in painted, in the one write.
import type { CardState, IsoDate, LedgerTask } from '../../../shared/model.js';
import type { DubanApi } from '../api/client.js';
import {
  PAINTED_SETTING,
  readSheet,
  writePlan,
  type FillWrite,
  type SheetRead,
  type WritePlan,
} from '../excel/workbook.js';
import {
  LedgerError,
  paintRows,
  paintedOf,
  viewLedger,
  withPainted,
  type LedgerView,
} from '../ledgerView.js';
import { clerk, failure, rowLabel, type CommandEnv, type Outcome } from './outcome.js';

export interface LedgerRun {
  context: Excel.RequestContext;
  read: SheetRead;
  view: LedgerView;
  /** The clerk's name when the command records (`records`), else ''. */
  by: string;
}

export interface ReadOptions {
  /** Read the cells' fills too (ExcelApi 1.9): the commands that repaint. */
  fills?: boolean;
  /** A workbook setting to read in the same sync. */
  setting?: string;
  /** The command only reads (or decides itself what to do with a protected sheet): no refusal. */
  readOnly?: boolean;
  /** The command records in the backend: without the clerk's name (经办人) nothing is even read. */
  records?: boolean;
}

/**
 * A protected sheet cannot be written: refused right after the read, before the backend is called, so
 * the backend never records what the ledger cannot show.
 */
function refuseProtected(read: SheetRead): void {
  if (read.protected) {
    throw new LedgerError(
      `工作表“${read.sheetName}”受保护，督办无法写入。请先在“审阅”中撤销工作表保护，再点一次；后台未作任何记录。`,
    );
  }
}

/** Sync 1 of a command: the sheet read, a protected one refused unless `readOnly`, viewed as a ledger. */
export async function readLedgerView(
  context: Excel.RequestContext,
  env: CommandEnv,
  opts: ReadOptions = {},
): Promise<LedgerRun> {
  const by = opts.records ? clerk(env) : '';
  const read = await readSheet(context, env.isSetSupported, { fills: opts.fills, setting: opts.setting });
  if (!opts.readOnly) refuseProtected(read);
  return { context, read, view: viewLedger(read, env.settings, env.today()), by };
}

/**
 * A command over the ledger: one Excel.run, read → refuse a protected sheet → view → `body`; any
 * failure (the backend, the ledger, Excel) becomes the clerk's message.
 */
export async function ledgerCommand<T extends Outcome>(
  env: CommandEnv,
  opts: ReadOptions,
  body: (run: LedgerRun) => Promise<T>,
): Promise<T | Outcome> {
  try {
    return await env.excel.run(async (context) => body(await readLedgerView(context, env, opts)));
  } catch (err) {
    return failure(err);
  }
}

/**
 * The write after the backend has recorded: Excel's batches are not transactional (and a write past
 * 4 MB is several), so a failure here may leave part of it in the workbook. The clerk is told what the
 * backend recorded and to run 同步台账 again, never that the workbook is untouched.
 */
export async function writeRecorded(
  context: Excel.RequestContext,
  env: CommandEnv,
  sheetName: string,
  plan: WritePlan,
  recorded: string,
): Promise<void> {
  try {
    await writePlan(context, env.isSetSupported, sheetName, plan);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new LedgerError(
      `后台已记录：${recorded}。但写入工作簿时出错（${message}），工作簿可能只写入了一部分：请点“同步台账”再同步一次。`,
    );
  }
}

/**
 * The fills of `rows` (R1 marks over the units' card colours, R13) and the workbook setting that records
 * which cells the add-in painted, to be written in the same batch so they never disagree.
 */
export function paintAndRecord(
  env: CommandEnv,
  { read, view }: Pick<LedgerRun, 'read' | 'view'>,
  rows: Iterable<number>,
  states: Map<string, CardState> | null,
  extra: { current?: (string | null)[][] | null; lastColumn?: number } = {},
): { fills: FillWrite[]; settings: { key: string; value: string }[] } {
  const fills = paintRows({
    view,
    rows,
    states,
    problems: view.ledger.problems,
    colors: env.settings.cardColors,
    painted: paintedOf(read.painted, read.sheetName),
    ...extra,
  });
  return {
    fills,
    settings: [{ key: PAINTED_SETTING, value: withPainted(read.painted, read.sheetName, fills) }],
  };
}

/** Each unit's card state (R13) as the backend decides it. */
export async function unitStates(api: DubanApi, asOf: IsoDate): Promise<Map<string, CardState>> {
  return new Map((await api.units(asOf)).map((u) => [u.unit, u.state]));
}

/** The selected tasks, each with its 督办编号; a clear message when none is selected or one has no id. */
export function selectedWithIds(view: LedgerView): (LedgerTask & { id: string })[] {
  const selected = view.selectedTasks;
  if (view.read.selectionElsewhere && selected.length === 0) {
    throw new LedgerError(`请在台账工作表“${view.read.sheetName}”中选中任务行后再试。`);
  }
  if (selected.length === 0) throw new LedgerError('请先选中台账中的任务行（可多选）。');
  const missing = selected.filter((t) => !t.id);
  if (missing.length > 0) {
    throw new LedgerError(`${missing.map(rowLabel).join('、')}还没有督办编号，请先点“同步台账”。`);
  }
  return selected as (LedgerTask & { id: string })[];
}
