// `duban ledger FILE.xlsx`: every row of the ledger accounted for (R4), non-standard rows reported (R1).
import { existsSync, readFileSync } from 'node:fs';
import { chinaToday } from '../../shared/dates.js';
import {
  type ColumnMap,
  FIELD_LABELS,
  LEDGER_FIELDS,
  type LedgerField,
  normalizeHeader,
  readLedger,
  type LedgerResult,
} from '../../shared/ledger/index.js';
import type { Settings } from '../../shared/settings.js';
import { pickLedgerSheetWhy, readWorkbookSheets, WorkbookRefused } from '../xlsx.js';
import { UsageError } from './errors.js';
import { optionalYear, parse, type Io } from './main.js';
import { renderTable } from './table.js';

export interface LoadedLedger {
  sheet: string;
  /** Why this sheet was read (named, the only one, or the best header). */
  why: string;
  result: LedgerResult;
}

/**
 * `--map 完成时限=办理时间要求` (repeatable) and `--map-file FILE.json` ({"完成时限": "办理时间要求"}): the
 * clerk's header mapping (R4). A field is named as the ledger names it (完成时限) or by its key (deadline).
 */
export function parseColumnMap(maps: string[], file?: string): ColumnMap {
  const pairs: [string, string][] = [];
  if (file !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`无法读取表头对应文件 ${file}：${(e as Error).message}`);
    }
    if (!json || typeof json !== 'object' || Array.isArray(json))
      throw new UsageError(`表头对应文件 ${file} 应为 {"完成时限": "表头文字"} 形式的 JSON 对象`);
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
      for (const header of Array.isArray(v) ? v : [v]) {
        if (typeof header !== 'string') throw new UsageError(`表头对应文件 ${file} 中“${k}”的值应为表头文字`);
        pairs.push([k, header]);
      }
    }
  }
  for (const m of maps) {
    const i = m.indexOf('=');
    if (i <= 0 || i === m.length - 1)
      throw new UsageError(`--map 应写作 字段=表头，如 --map 完成时限=办理时间要求（收到“${m}”）`);
    pairs.push([m.slice(0, i), m.slice(i + 1)]);
  }
  const out: Record<string, LedgerField> = {};
  for (const [name, header] of pairs) {
    const key = name.trim();
    const field = LEDGER_FIELDS.find((f) => f === key || FIELD_LABELS[f] === key);
    if (!field)
      throw new UsageError(
        `不认识的字段“${key}”；可对应的字段：${LEDGER_FIELDS.map((f) => FIELD_LABELS[f]).join('、')}`,
      );
    out[normalizeHeader(header)] = field;
  }
  return out;
}

/** Reads a workbook from disk and the ledger in it; a missing or unreadable file is a UsageError. */
export async function loadLedger(
  file: string | undefined,
  opts: { sheet?: string; year?: number; settings?: Settings; columnMap?: ColumnMap },
): Promise<LoadedLedger> {
  if (!file) throw new UsageError('缺少台账文件（duban ledger 台账.xlsx）');
  if (!existsSync(file)) throw new UsageError(`找不到文件：${file}`);
  let sheets;
  try {
    sheets = await readWorkbookSheets(file);
  } catch (e) {
    // A refusal (old format, a limit passed) already says what to do; anything else is wrapped.
    if (e instanceof WorkbookRefused) throw new UsageError(e.message);
    throw new UsageError(`无法读取工作簿 ${file}：${(e as Error).message}`);
  }
  // The office's mappings (settings.columnMaps, per sheet) with the command line's over every sheet.
  const maps: Record<string, ColumnMap> = {};
  for (const s of sheets) maps[s.name] = { ...opts.settings?.columnMaps?.[s.name], ...opts.columnMap };
  let picked;
  try {
    picked = pickLedgerSheetWhy(sheets, opts.sheet, maps);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const result = readLedger(picked.sheet.values, {
    year: opts.year,
    settings: opts.settings,
    columnMap: maps[picked.sheet.name],
    today: chinaToday(new Date()),
  });
  return { sheet: picked.sheet.name, why: picked.why, result };
}

const YEAR_FROM: Record<LedgerResult['yearSource'], string> = {
  title: '取自标题',
  option: '按 --year 指定',
  settings: '取自设置中的台账年份',
  today: '标题中未写年份，按今年计；如不对请用 --year 指定或在标题中写明',
};

const STAR_TEXT = { 3: '★★★', 4: '★★★★', 5: '★★★★★' } as const;

export async function ledgerCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    sheet: { type: 'string' },
    year: { type: 'string' },
    map: { type: 'string', multiple: true },
    'map-file': { type: 'string' },
  });
  if (positionals.length > 1)
    throw new UsageError(`多余的参数 unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const columnMap = parseColumnMap(
    (values.map as unknown as string[] | undefined) ?? [],
    values['map-file'] as string | undefined,
  );
  const { sheet, why, result } = await loadLedger(positionals[0], {
    sheet: values.sheet as string | undefined,
    year: optionalYear(values.year),
    columnMap,
  });
  // A --map whose header is not in the sheet: the field stays unread, and the clerk is told why.
  for (const [label, field] of Object.entries(columnMap ?? {}))
    if (result.header.columns[field] === undefined)
      io.err(
        `--map ${FIELD_LABELS[field]}=${label}：工作表“${sheet}”的表头中没有“${label}”，此对应未使用` +
          (result.header.unknown.length
            ? `（未能识别的表头：${result.header.unknown.map((u) => `${u.column}列“${u.label}”`).join('、')}）`
            : ''),
      );
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          sheet,
          sheetReason: why,
          year: result.year,
          yearSource: result.yearSource,
          header: result.header,
          tasks: result.tasks,
          rows: result.rows,
          problems: result.problems,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const counts = new Map<string, number>();
  for (const r of result.rows) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  io.out(`读取工作表“${sheet}”：${why}`);
  io.out(`台账年份：${result.year}年（${YEAR_FROM[result.yearSource]}）`);
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
    // A problem of the whole header (a missing column) says what to map: printed whole, never cut.
    const whole = result.problems.filter((p) => p.column === null);
    for (const p of whole) io.out(`· ${p.message}`);
    const cells = result.problems.filter((p) => p.column !== null);
    if (cells.length)
      io.out(
        renderTable(
          ['行', '列', '规则', '说明'],
          cells.map((p) => [p.row, p.column ?? '', p.rule, p.message]),
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
