// `duban ledger FILE.xlsx`: every row of the ledger accounted for (R4), non-standard rows reported (R1).
import { existsSync } from 'node:fs';
import { chinaToday } from '../../shared/dates.js';
import { readLedger, type LedgerResult } from '../../shared/ledger/index.js';
import type { Settings } from '../../shared/settings.js';
import { pickLedgerSheet, readWorkbookSheets, WorkbookRefused } from '../xlsx.js';
import { UsageError } from './errors.js';
import { optionalYear, parse, type Io } from './main.js';
import { renderTable } from './table.js';

export interface LoadedLedger {
  sheet: string;
  result: LedgerResult;
}

/** Reads a workbook from disk and the ledger in it; a missing or unreadable file is a UsageError. */
export async function loadLedger(
  file: string | undefined,
  opts: { sheet?: string; year?: number; settings?: Settings },
): Promise<LoadedLedger> {
  if (!file) throw new UsageError('缺少台账文件 missing FILE.xlsx');
  if (!existsSync(file)) throw new UsageError(`找不到文件 file not found: ${file}`);
  let sheets;
  try {
    sheets = await readWorkbookSheets(file);
  } catch (e) {
    // A refusal (old format, a limit passed) already says what to do; anything else is wrapped.
    if (e instanceof WorkbookRefused) throw new UsageError(e.message);
    throw new UsageError(`无法读取工作簿 cannot read workbook ${file}: ${(e as Error).message}`);
  }
  let picked;
  try {
    picked = pickLedgerSheet(sheets, opts.sheet);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const result = readLedger(picked.values, {
    year: opts.year,
    settings: opts.settings,
    today: chinaToday(new Date()),
  });
  return { sheet: picked.name, result };
}

const STAR_TEXT = { 3: '★★★', 4: '★★★★', 5: '★★★★★' } as const;

export async function ledgerCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { sheet: { type: 'string' }, year: { type: 'string' } });
  if (positionals.length > 1)
    throw new UsageError(`多余的参数 unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const { sheet, result } = await loadLedger(positionals[0], {
    sheet: values.sheet as string | undefined,
    year: optionalYear(values.year),
  });
  if (values.json) {
    io.out(
      JSON.stringify(
        { sheet, year: result.year, tasks: result.tasks, rows: result.rows, problems: result.problems },
        null,
        2,
      ),
    );
    return 0;
  }
  const counts = new Map<string, number>();
  for (const r of result.rows) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  io.out(
    `工作表 ${sheet} · ${result.year}年 · 共${result.rows.length}行：` +
      [...counts].map(([k, n]) => `${KIND_LABEL[k] ?? k}${n}`).join('，'),
  );
  io.out('');
  io.out(
    renderTable(
      ['行', '序号', '工作任务', '牵头单位', '完成时限', '星级', '建议'],
      result.tasks.map((t) => [
        t.row,
        t.no,
        (t.closed ? '[已销号] ' : '') + t.title,
        t.leadUnit,
        t.deadline.date ?? t.deadline.text,
        t.stars ? STAR_TEXT[t.stars] : '',
        t.suggestedStars ? STAR_TEXT[t.suggestedStars] : '',
      ]),
      [5, 6, 28, 14, 14, 6, 6],
    ),
  );
  const others = result.rows.filter((r) => r.kind === 'error');
  if (others.length) {
    io.out('');
    io.out(
      renderTable(
        ['行', '无法作为任务读取的行'],
        others.map((r) => [r.row, r.message ?? '']),
        [5, 80],
      ),
    );
  }
  io.out('');
  if (result.problems.length === 0) io.out('未发现不规范行。');
  else {
    io.out(`不规范 ${result.problems.length} 处（R1）：`);
    io.out(
      renderTable(
        ['行', '列', '规则', '说明'],
        result.problems.map((p) => [p.row, p.column ?? '', p.rule, p.message]),
        [5, 4, 4, 70],
      ),
    );
  }
  return 0;
}

const KIND_LABEL: Record<string, string> = {
  title: '标题',
  header: '表头',
  section: '分类',
  task: '任务',
  blank: '空行',
  note: '备注',
  error: '无法读取',
};
