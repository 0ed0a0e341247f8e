// readLedger: every row of a ledger sheet accounted for (R4), every task read (R1, R2, R5–R7).
import type { IsoDate, LedgerRow, Problem } from '../model.js';
import type { Settings } from '../settings.js';
import { type CellValue, cellText, columnLetter } from './cells.js';
import { type ColumnMap, FIELD_LABELS, type LedgerField, REQUIRED_FIELDS, findHeader } from './header.js';
import { fillMerges } from './merges.js';
import { classifyNonTask, NOTE_ITEM, normalizeForCompare } from './rowKinds.js';
import { type LedgerTaskRead, TaskReader } from './taskReader.js';
import { readLedgerYear, type YearSource } from './year.js';
import { decompositionProblems, effectiveClosed } from '../rules/decomposition.js';

export type { LedgerTaskRead } from './taskReader.js';
export { titleYear } from './year.js';

export interface ReadLedgerOptions {
  /** The ledger's year when its title does not say it (R4). */
  year?: number;
  /** The 1-based sheet row of values[0] (default 1), so that reported rows are sheet rows. */
  firstRow?: number;
  /** The 1-based sheet column of values[*][0] (default 1), so that reported columns are sheet letters. */
  firstColumn?: number;
  /**
   * The sheet's merged areas as A1 ranges in sheet coordinates (`A1:L1`, `'台账'!E7:E9`), as Office.js
   * `getMergedAreasOrNullObject()` or exceljs `worksheet.model.merges` give them. Excel's values hold a
   * merged value only in the top-left cell; with the areas given, every cell of an area reads the value,
   * exactly as an xlsx reader gives it. Without them, see `readLedger` for what is inferred.
   */
  merges?: readonly string[];
  settings?: Settings;
  /**
   * Only for a host that could not list the merged areas (old Excel, or more than 512 areas): a child's
   * empty 牵头领导/牵头单位/工作措施/完成时限/工作类别 is taken as merged with its parent's. Otherwise (R1)
   * a cell is inherited only from a merged area, and an empty one is reported.
   */
  inferMerges?: boolean;
  /** The clerk's mapping of header labels the vocabulary does not know (kept per ledger). */
  columnMap?: ColumnMap;
  /** Today (CST), for the year when nothing else gives it. */
  today?: IsoDate;
}

export interface LedgerResult {
  year: number;
  yearSource: YearSource;
  header: {
    /** The sheet rows (1-based) of the header; empty when no header was found. */
    rows: number[];
    /** The 0-based index into each row of `values` of every column found (a field absent from the sheet is absent here). */
    columns: Partial<Record<LedgerField, number>>;
    /** Header cells naming no field, as sheet column letters and labels (what the clerk may map). */
    unknown: { column: string; label: string }[];
  };
  tasks: LedgerTaskRead[];
  /** One entry for every row of `values`, in order. */
  rows: LedgerRow[];
  problems: Problem[];
}

/**
 * Reads a ledger sheet given as a 2-D array of cell values (Excel's `range.values`, or an xlsx
 * reader's values; merged cells may hold their value in the top-left cell only, or in every cell).
 * Every row comes back in `rows` (R4); tasks carry what R1, R2 and R5–R7 need; problems name the
 * sheet row and column in Chinese.
 *
 * How rows are told apart (in this order):
 * - above the header: `title` (or `blank`); the header is the row, or pair of rows, in the first 40
 *   that names the most ledger columns (工作任务 and at least two more); a repeat of it is `header`;
 * - `blank`: no text at all; `note`: the first text starts 注/备注/说明;
 * - `section`: the row holds one text and nothing else, in its first column or repeated along it (a
 *   merged heading, whichever way the merge comes) or reading as a heading; or a heading such as
 *   一、/（一）/第一部分 with at most the title column beside it (a lone text in the title column is a
 *   task, whose missing cells R1 reports);
 * - `task`: 工作任务 is filled; `error`: anything else with content (message and an R1 problem).
 *
 * Task numbers (R2) are kept as written. `3-2`, `3.2`, `3（2）` have parent `3`; an item number
 * `（2）`, `(2)`, `2）`, `②` has as parent the nearest task above with an ordinary number (so
 * `（2）` under 3, or under 3's item `（1）`, has parent `3`), and none after a section heading.
 *
 * Merges without `options.merges`: horizontal merges read alike either way; a vertical merge reads
 * alike only when `merges` is given (an xlsx reader repeats the value itself). A child's empty
 * 牵头领导/牵头单位/工作措施 is its parent's only through a merge, or with `inferMerges` (a host that
 * cannot list its merged areas); otherwise it is an R1 problem (R1: no silent inheritance).
 *
 * The year (R4): the title's (2026年, 二〇二六年), else `options.year`, else the settings' ledgerYear,
 * else today's; the last two are reported as an R4 problem on the title row.
 */
export function readLedger(values0: CellValue[][], options: ReadLedgerOptions = {}): LedgerResult {
  const firstRow = options.firstRow ?? 1;
  const colOffset = (options.firstColumn ?? 1) - 1;
  const values = options.merges?.length
    ? fillMerges(values0, options.merges, { row: firstRow, column: colOffset })
    : values0;
  const letter = (c: number) => columnLetter(c + colOffset);
  const header = findHeader(values, options.columnMap);
  const headerStart = header ? header.rows[0]! : values.length;
  const headerEnd = header ? header.rows[header.rows.length - 1]! : values.length;

  // The year (R4): title, else the option, else the settings, else today's year.
  const { year: ledgerYear, source: yearSource } = readLedgerYear(values, headerStart, options);

  const rows: LedgerRow[] = new Array(values.length);
  const tasks: LedgerTaskRead[] = [];
  const problems: Problem[] = [];
  const columns = header?.columns ?? {};
  const labelOf = (f: LedgerField) => header?.labels[f] || FIELD_LABELS[f];

  if (!header) {
    let reported = false;
    for (let i = 0; i < values.length; i++) {
      const row = values[i] ?? [];
      const sheetRow = firstRow + i;
      if (row.every((v) => cellText(v) === '')) {
        rows[i] = { row: sheetRow, kind: 'blank' };
        continue;
      }
      rows[i] = {
        row: sheetRow,
        kind: 'error',
        message: `第${sheetRow}行未能读取：工作表中没有找到台账表头（应有“工作任务”“牵头单位”“完成时限”等列）`,
      };
      if (!reported) {
        problems.push({
          row: sheetRow,
          column: null,
          rule: 'R4',
          message:
            '工作表中没有找到台账表头（应有“序号”“工作任务”“牵头领导”“牵头单位”“完成时限”等列），未能读取任何任务',
        });
        reported = true;
      }
    }
    return {
      year: ledgerYear,
      yearSource,
      header: { rows: [], columns: {}, unknown: [] },
      tasks,
      rows,
      problems,
    };
  }

  // A required column missing from the header is one problem, not one per row; it names the header
  // cells that were not understood, which the clerk can map to it once.
  const headerSheetRow = firstRow + headerStart;
  // R4: a year not read from the title decides every 6月底前 of the ledger: said, never silent.
  if (yearSource === 'settings' || yearSource === 'today')
    problems.push({
      row: headerStart > 0 ? firstRow : headerSheetRow,
      column: null,
      rule: 'R4',
      message:
        yearSource === 'settings'
          ? `台账标题中没有可识别的年份（如“2026年”或“二〇二六年”），时限和节点已按设置中的台账年份${ledgerYear}年读取；请在标题中写明年份`
          : `台账标题中没有可识别的年份（如“2026年”或“二〇二六年”），设置中也没有台账年份，时限和节点暂按今天所在的${ledgerYear}年读取；请在标题中写明年份，或在设置中填写台账年份`,
    });
  const unknown = header.unknown.map((u) => ({ column: letter(u.column), label: u.label }));
  for (const f of REQUIRED_FIELDS) {
    if (columns[f] === undefined)
      problems.push({
        row: headerSheetRow,
        column: null,
        rule: 'R1',
        message:
          `第${headerSheetRow}行表头缺少“${FIELD_LABELS[f]}”列，各任务的${FIELD_LABELS[f]}均无法读取` +
          mapHint(f, unknown),
      });
  }

  const titleCol = columns.title!;
  const noCol = columns.no;
  const titleLabel = normalizeForCompare(labelOf('title'));
  const reader = new TaskReader(
    columns,
    header.labels,
    letter,
    ledgerYear,
    problems,
    options.inferMerges === true,
  );
  let width = 0;
  for (const r of values) if (r && r.length > width) width = r.length;
  const texts = new Array<string>(width);
  let inNotes = false;

  for (let i = 0; i < values.length; i++) {
    const row = values[i] ?? [];
    const sheetRow = firstRow + i;
    for (let c = 0; c < width; c++) texts[c] = cellText(row[c]);

    if (i < headerStart) {
      rows[i] = { row: sheetRow, kind: texts.every((t) => t === '') ? 'blank' : 'title' };
      continue;
    }
    if (i <= headerEnd) {
      rows[i] = { row: sheetRow, kind: 'header' };
      continue;
    }
    const titleText = texts[titleCol] ?? '';
    // A header repeated further down (printed pages) is a header row again.
    if (titleText !== '' && titleText.length < 20 && normalizeForCompare(titleText) === titleLabel) {
      rows[i] = { row: sheetRow, kind: 'header' };
      continue;
    }
    let kind = classifyNonTask(texts, titleCol, noCol);
    // Below the tasks, a note (注：, 说明, 填表人：…) opens a note block: its numbered lines (1. 2、 (3)),
    // merged across the row like headings, are notes too; any other heading is a section again.
    if (kind === 'note' && tasks.length > 0) inNotes = true;
    else if (kind === 'section' && inNotes && NOTE_ITEM.test(texts.find((t) => t !== '') ?? ''))
      kind = 'note';
    else if (kind !== 'blank') inNotes = false;
    if (kind !== null) {
      rows[i] = { row: sheetRow, kind };
      if (kind === 'section') reader.sectionStarts();
      continue;
    }
    if (titleText === '') {
      const message = `第${sheetRow}行有内容，但${letter(titleCol)}列（${labelOf('title')}）为空，未能作为任务读取`;
      rows[i] = { row: sheetRow, kind: 'error', message };
      problems.push({ row: sheetRow, column: letter(titleCol), rule: 'R1', message });
      continue;
    }
    rows[i] = { row: sheetRow, kind: 'task' };
    tasks.push(reader.read(row, texts, sheetRow));
  }

  // R2: a parent is complete only when all its items are (and then it is, even if only they were marked).
  const decomposition = tasks.map((t) => ({
    row: t.row,
    no: t.no,
    parent: t.parent,
    closed: t.closed,
    statusBlank: !t.closed && reader.statusBlank(t.row),
  }));
  const rolled = effectiveClosed(decomposition);
  const r2 = decompositionProblems(
    decomposition,
    noCol === undefined ? undefined : { letter: letter(noCol), label: labelOf('no') },
  );
  for (const t of tasks) {
    t.closed = rolled.get(t.row) ?? t.closed;
    if (!t.closed) delete t.closedOn;
  }
  if (r2.length) {
    problems.push(...r2);
    problems.sort((a, b) => a.row - b.row);
  }

  return {
    year: ledgerYear,
    yearSource,
    header: { rows: header.rows.map((r) => firstRow + r), columns, unknown },
    tasks,
    rows,
    problems,
  };
}

// Loose words that make an unknown header a likely candidate for a missing required column.
const LIKELY: Partial<Record<LedgerField, RegExp>> = {
  title: /任务|事项|内容|工作/,
  measures: /措施|举措|办法|方案|步骤|路径/,
  leadLeader: /领导|负责人|县长|书记|分管/,
  leadUnit: /单位|部门|科室|机构|主体|主办|牵头/,
  deadline: /时间|日期|时限|期|节点|要求/,
};

/**
 * What to do about a missing required column: the header cells not understood (the likeliest named
 * first) and how to map one, in the pane or with `duban ledger --map`.
 */
function mapHint(f: LedgerField, unknown: { column: string; label: string }[]): string {
  const name = FIELD_LABELS[f];
  if (unknown.length === 0) return `；表头中没有可对应的列，请增加“${name}”列`;
  const likely = unknown.find((u) => LIKELY[f]?.test(u.label)) ?? unknown[0]!;
  const cells = unknown.map((u) => `${u.column}列“${u.label}”`).join('、');
  return (
    `。未能识别的表头：${cells}。如${likely.column}列“${likely.label}”就是${name}，` +
    `请在“台账体检”中把该列对应为“${name}”，或运行 duban ledger --map ${name}=${likely.label}`
  );
}
