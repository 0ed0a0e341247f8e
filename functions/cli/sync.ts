// `duban sync FILE.xlsx [--ledger ID] [--sheet NAME] [--out COPY.xlsx | --write] [--json]`: 同步台账
// without Excel (an office on WPS saves .xlsx and runs this). The ledger is read as the add-in reads
// it (the same viewLedger), the missing 督办编号 are assigned the same way (the add-in's assignIds:
// DB-<year>-<nnnn> after the highest one present), written into a copy of the workbook (or the file
// itself with --write), and the tasks go through the very handler of POST /api/ledger/sync, with its
// validation. The ids are written before the sync, so a sync that fails loses no id.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
// The Workbook class alone, not exceljs's entry point (functions/exceljsInternals.d.ts says why).
import Workbook from 'exceljs/lib/doc/workbook.js';
import azf from '@azure/functions';
import { chinaToday } from '../../shared/dates.js';
import { assignIds, LedgerError, viewLedger } from '../../addin/src/ledgerView.js';
import type { SheetRead } from '../../addin/src/excel/workbook.js';
import { pickLedgerSheet, readWorkbookSheets } from '../xlsx.js';
import { loadSettings } from '../storage/index.js';
import { functionKey } from '../config.js';
import { configureRuntime, runtimeStorage } from '../runtime/index.js';
import { syncLedger } from '../http/syncLedger.js';
import { describeStorage } from './config.js';
import { UsageError } from './errors.js';
import { parse, type CommandContext, type Io } from './main.js';
import { renderTable } from './table.js';

interface SyncAnswer {
  added: string[] | number;
  updated: string[] | number;
  removed: string[] | number;
  restored: string[] | number;
  unchanged: string[] | number;
  problems: { row: number; column: string | null; rule: string; message: string }[];
}

const count = (v: string[] | number | undefined) => (Array.isArray(v) ? v.length : (v ?? 0));

/** The copy the ids go into unless --write: `台账.xlsx` → `台账.duban.xlsx`, beside it. */
export function copyPathFor(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.duban${ext || '.xlsx'}`);
}

export async function syncCommand(
  argv: string[],
  io: Io,
  context: Partial<CommandContext> = {},
): Promise<number> {
  const { values, positionals } = parse(argv, {
    ledger: { type: 'string' },
    sheet: { type: 'string' },
    out: { type: 'string' },
    write: { type: 'boolean' },
  });
  const env = context.env ?? process.env;
  const now = (context.now ?? (() => new Date()))();
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length
        ? `多余的参数：${positionals.slice(1).join(' ')}`
        : '缺少台账文件：duban sync 台账.xlsx',
    );
  if (values.write && values.out !== undefined) throw new UsageError('--write 与 --out 只能选一个');
  const file = positionals[0]!;
  if (!existsSync(file)) throw new UsageError(`找不到文件：${file}`);
  if (!/\.xlsx$/i.test(file))
    throw new UsageError(
      `${file} 不是 .xlsx 文件：请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再同步`,
    );
  const ledgerOption = values.ledger === undefined ? undefined : String(values.ledger).trim();
  if (ledgerOption === '') throw new UsageError('--ledger 需要台账编号');

  let sheets;
  try {
    sheets = await readWorkbookSheets(file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let picked;
  try {
    picked = pickLedgerSheet(sheets, values.sheet as string | undefined);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  io.err(describeStorage(env));
  const storage = await runtimeStorage(env);
  const settings = await loadSettings(storage);
  const read: SheetRead = {
    sheetName: picked.name,
    firstRow: 1,
    firstColumn: 0,
    values: picked.values as SheetRead['values'],
    selectedRows: [],
    selectionElsewhere: false,
    fills: null,
    merges: null,
    setting: null,
    painted: null,
    protected: false,
    columnMap: null,
  };
  let view;
  try {
    view = viewLedger(read, settings, chinaToday(now));
  } catch (e) {
    if (e instanceof LedgerError) throw new UsageError(e.message);
    throw e;
  }
  const { tasks, writes, renumbered } = assignIds(view);
  const { problems, year } = view.ledger;
  const ledgerId = ledgerOption ?? `ledger-${year}`;
  const assigned = writes.filter((w) => w.row !== view.headerRow || w.value !== '督办编号').length;

  // The ids first: once written they are the rows' for good (a failed sync is simply run again).
  let written: string | null = null;
  if (writes.length) {
    const target = values.write ? file : String(values.out ?? copyPathFor(file));
    // The copy holds the ids (and maybe the clerk's edits since): never overwritten unasked.
    if (!values.write && values.out === undefined && existsSync(target))
      throw new UsageError(
        `副本 ${target} 已存在（其中已有督办编号，可能还有之后的修改）：请同步该副本（duban sync ${target}），` +
          `或用 --out 指定另一个文件，或用 --write 写回原文件`,
      );
    const wb = new Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet(picked.name);
    if (!ws) throw new UsageError(`工作簿中没有工作表“${picked.name}”`);
    for (const w of writes) ws.getCell(w.row, w.column + 1).value = w.value;
    try {
      await wb.xlsx.writeFile(target);
    } catch (e) {
      throw new UsageError(`无法写入 ${target}：${(e as Error).message}（文件是否在 Excel/WPS 中打开？）`);
    }
    written = resolve(target);
  }

  // The handler of POST /api/ledger/sync, in this process: the same validation and storage writes.
  // Its key check guards the network boundary, which an in-process call does not cross.
  const key = functionKey(env) ?? randomBytes(24).toString('base64url');
  configureRuntime({ env: { ...env, DUBAN_FUNCTION_KEY: key } as Record<string, string | undefined> });
  const request = new azf.HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/ledger/sync',
    headers: { 'content-type': 'application/json', 'x-functions-key': key },
    body: {
      string: JSON.stringify({ ledgerId, year, tasks, problems, by: `duban sync（${basename(file)}）` }),
    },
  });
  const response = await syncLedger(
    request,
    new azf.InvocationContext({ functionName: 'ledgerSync', invocationId: randomBytes(8).toString('hex') }),
  );
  const body = JSON.parse(String(response.body ?? '{}')) as SyncAnswer & {
    error?: { code: string; message: string };
  };
  if ((response.status ?? 200) >= 400) {
    const message = body.error?.message ?? `同步失败（${response.status}）`;
    if ((response.status ?? 500) < 500) throw new UsageError(`同步被拒绝：${message}`);
    throw new Error(`同步失败：${message}`);
  }

  if (values.json) {
    io.out(
      JSON.stringify(
        {
          ledgerId,
          year,
          sheet: picked.name,
          tasks: tasks.length,
          assigned,
          written,
          renumbered,
          sync: body,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  io.out(`台账 ${ledgerId}（${year}年，工作表 ${picked.name}）：${tasks.length} 项任务`);
  if (written)
    io.out(
      `新编督办编号 ${assigned} 个，已写入 ${written}${
        values.write
          ? ''
          : '\n  以后请在这个文件上继续工作（或用 --write 直接写回原文件），督办编号才能保持不变'
      }`,
    );
  else io.out('每项任务都已有督办编号，工作簿未改动');
  for (const r of renumbered) io.out(`  ${r}`);
  io.out(
    `已同步：新增 ${count(body.added)}，更新 ${count(body.updated)}，移除 ${count(body.removed)}，恢复 ${count(
      body.restored,
    )}，未变 ${count(body.unchanged)}`,
  );
  if (problems.length) {
    io.out(`不规范 ${problems.length} 处（R1）：`);
    io.out(
      renderTable(
        ['行', '列', '规则', '说明'],
        problems.map((p) => [p.row, p.column ?? '', p.rule, p.message]),
      ),
    );
  } else io.out('台账规范');
  return 0;
}
