// readLedger: every row of a ledger sheet accounted for (R4), every task read (R1, R2, R5–R7).
import type { Category, Deadline, IsoDate, LedgerRow, LedgerTask, Problem, RowKind } from '../model.js';
import type { Settings } from '../settings.js';
import { type CellValue, cellText, columnLetter, compact, excelSerialToIsoDate } from './cells.js';
import { deadlineIsReadable, isLikelySerial, parseDateText, parseDeadline } from './deadline.js';
import {
  isItemNumber,
  parentOfNo,
  parseCategory,
  parseMilestones,
  readStatus,
  type StatusRead,
  parseTarget,
  splitUnits,
  starCount,
} from './fields.js';
import { splitLeadUnits } from './leadUnits.js';
import { FIELD_LABELS, type LedgerField, REQUIRED_FIELDS, findHeader } from './header.js';
import { chinaToday, yearOf } from '../dates.js';
import { suggestStars } from '../rules/stars.js';
import { decompositionProblems, effectiveClosed } from '../rules/decomposition.js';

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
  /** Today (CST), for the year when nothing else gives it. */
  today?: IsoDate;
}

/** A task as read, with its start date (开始时间) when the ledger has that column (R18). */
export type LedgerTaskRead = LedgerTask & { startDate: IsoDate | null };

export interface LedgerResult {
  year: number;
  yearSource: 'title' | 'option' | 'settings' | 'today';
  header: {
    /** The sheet rows (1-based) of the header; empty when no header was found. */
    rows: number[];
    /** The 0-based index into each row of `values` of every column found (a field absent from the sheet is absent here). */
    columns: Partial<Record<LedgerField, number>>;
  };
  tasks: LedgerTaskRead[];
  /** One entry for every row of `values`, in order. */
  rows: LedgerRow[];
  problems: Problem[];
}

// The ledger's year in its title: 友谊县2026年重点工作…, 2026年度, 2026年3月 (not a full date such as
// 2026年3月15日, which dates something else), or in Chinese numerals: 二〇二六年, 二零二六年度.
const TITLE_YEAR = /((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号])/;
const TITLE_YEAR_CN =
  /([一二][〇○零Ｏ０一二三四五六七八九]{3})\s*年(?!\s*[一二三四五六七八九十]{1,2}\s*月\s*[一二三四五六七八九十]{1,3}\s*[日号])/;
// The digit of each numeral: 〇/○/零/Ｏ/０ are all zero as clerks type it.
const CN_DIGITS = '〇○零Ｏ０一二三四五六七八九';
const cnDigit = (ch: string) => Math.max(0, CN_DIGITS.indexOf(ch) - 4);

/** The year a title states, in Arabic or Chinese numerals (R4); null when it states none. */
export function titleYear(text: string): number | null {
  const m = TITLE_YEAR.exec(text);
  if (m) return Number(m[1]);
  const cn = TITLE_YEAR_CN.exec(text);
  if (!cn) return null;
  const y = Number([...cn[1]!].map(cnDigit).join(''));
  return y >= 1900 && y <= 2099 ? y : null;
}
const NOTE = /^(?:注|备注|说明|填表说明|附注)\s*(?:[:：\d１-９、.．]|$)/;
const SECTION_HEADING =
  /^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|第[一二三四五六七八九十百\d]+[部分章节类项篇])/;
const CN_ORDINAL = /^[（(]?[一二三四五六七八九十百]+[）)、.．]?$/;
const NUMERIC = /^[\d.\-\s]+$/;

function yearFromToday(today: IsoDate | undefined): number {
  if (today && /^\d{4}-/.test(today)) return Number(today.slice(0, 4));
  // R22: the current year in China Standard Time. Adapters should pass `today` (duban does); this is the
  // last resort of a caller that did not, decided by dates.ts like every other CST date.
  return yearOf(chinaToday(new Date()));
}

/** The kinds of a row that are not tasks, decided from its cell texts alone. */
function classifyNonTask(
  texts: string[],
  titleCol: number,
  noCol: number | undefined,
): Exclude<RowKind, 'task' | 'header' | 'title'> | null {
  let first = -1;
  let distinct = 0;
  let count = 0;
  let only = '';
  for (let c = 0; c < texts.length; c++) {
    const t = texts[c]!;
    if (t === '') continue;
    count++;
    if (first === -1) first = c;
    if (distinct === 0) {
      distinct = 1;
      only = t;
    } else if (distinct === 1 && t !== only) distinct = 2;
  }
  if (first === -1) return 'blank';
  const firstText = texts[first]!;
  const titleText = texts[titleCol] ?? '';
  // 注：… (merged across the row, or typed in the first cell).
  if (NOTE.test(firstText) && (titleText === '' || titleText === firstText)) return 'note';
  // One text and nothing else is a heading when it sits in the row's first column (a merged heading as
  // Excel gives it), is repeated along the row (as an xlsx reader gives a merge) or reads as a heading.
  // A lone text in the title column is a task with only its title (R1 reports what it lacks), never a
  // silent section.
  if (distinct === 1 && !NUMERIC.test(only) && (first === 0 || count > 1 || SECTION_HEADING.test(only)))
    return 'section';
  // 一、经济发展 or （一） in the first cell, with at most a heading text in the title column.
  if (SECTION_HEADING.test(firstText) && onlyIn(texts, first, titleCol)) return 'section';
  // 一 | 经济发展: a Chinese ordinal in the number column and a heading in the title column, nothing else.
  if (noCol !== undefined && CN_ORDINAL.test(texts[noCol] ?? '') && onlyIn(texts, noCol, titleCol))
    return 'section';
  return null;
}

/** Whether every non-empty cell of the row is in column a or column b. */
function onlyIn(texts: string[], a: number, b: number): boolean {
  for (let c = 0; c < texts.length; c++) if (texts[c] !== '' && c !== a && c !== b) return false;
  return true;
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
    ? fillMerges(values0, options.merges, firstRow, colOffset + 1)
    : values0;
  const letter = (c: number) => columnLetter(c + colOffset);
  const header = findHeader(values);
  const headerStart = header ? header.rows[0]! : values.length;
  const headerEnd = header ? header.rows[header.rows.length - 1]! : values.length;

  // ---- the year (R4): title, else the option, else the settings, else today's year
  let year: number | null = null;
  let yearSource: LedgerResult['yearSource'] = 'title';
  for (let i = 0; i < Math.min(headerStart, 40) && year === null; i++) {
    const row = values[i] ?? [];
    for (const v of row) {
      if (typeof v !== 'string') continue;
      year = titleYear(v);
      if (year !== null) break;
    }
  }
  if (year === null && options.year !== undefined) [year, yearSource] = [options.year, 'option'];
  if (year === null && options.settings?.ledgerYear != null)
    [year, yearSource] = [options.settings.ledgerYear, 'settings'];
  if (year === null) [year, yearSource] = [yearFromToday(options.today), 'today'];
  const ledgerYear: number = year;

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
    return { year: ledgerYear, yearSource, header: { rows: [], columns: {} }, tasks, rows, problems };
  }

  // A required column missing from the header is one problem, not one per row.
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
  for (const f of REQUIRED_FIELDS) {
    if (columns[f] === undefined)
      problems.push({
        row: headerSheetRow,
        column: null,
        rule: 'R1',
        message: `第${headerSheetRow}行表头缺少“${FIELD_LABELS[f]}”列，各任务的${FIELD_LABELS[f]}均无法读取`,
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
    const kind = classifyNonTask(texts, titleCol, noCol);
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
    header: { rows: header.rows.map((r) => firstRow + r), columns },
    tasks,
    rows,
    problems,
  };
}

const A1_RANGE = /^(?:.*!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/i;

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * The values with each merged area's top-left value copied into its empty cells. The caller's
 * arrays are not changed: only the rows an area touches are copied.
 */
function fillMerges(
  values: CellValue[][],
  merges: readonly string[],
  firstRow: number,
  firstColumn: number,
): CellValue[][] {
  const out = values.slice();
  const copied = new Set<number>();
  for (const address of merges) {
    const m = A1_RANGE.exec(address.trim());
    if (!m) continue;
    const top = Number(m[2]) - firstRow;
    const left = columnIndex(m[1]!) - firstColumn;
    const bottom = (m[4] ? Number(m[4]) : Number(m[2])) - firstRow;
    const right = (m[3] ? columnIndex(m[3]) : columnIndex(m[1]!)) - firstColumn;
    if (top < 0 || left < 0 || top >= out.length) continue;
    const v = out[top]?.[left];
    if (v === null || v === undefined || v === '') continue;
    for (let r = top; r <= bottom && r < out.length; r++) {
      if (!copied.has(r)) {
        out[r] = (out[r] ?? []).slice();
        copied.add(r);
      }
      const row = out[r]!;
      for (let c = left; c <= right; c++) {
        const cur = row[c];
        if (cur === null || cur === undefined || cur === '') row[c] = v;
      }
    }
  }
  return out;
}

function textAt(texts: string[], c: number | undefined): string | null {
  return c === undefined || texts[c] === '' ? null : texts[c]!;
}

function cellAt(row: CellValue[], c: number | undefined): CellValue {
  return c === undefined ? undefined : row[c];
}

const DEADLINE_HINT = '（可写作2026年6月30日、6月底前、年底前、每月、每季度、长期坚持等）';

/**
 * Reads task rows one after another: a class (not closures made per row) because a 10,000-row
 * ledger must read in well under the time of parsing the file. Values that repeat down a column
 * (deadlines, kinds, stars, status) are parsed once per ledger.
 */
class TaskReader {
  // The most recent task with each number, for parents (numbering may restart in each section).
  private readonly byNo = new Map<string, LedgerTaskRead>();
  // The task a bare item number (（2）) belongs to: the last task above with an ordinary number.
  private itemParent: LedgerTaskRead | null = null;
  private readonly deadlines = new Map<string, Deadline>();
  private readonly categories = new Map<string, Category | null>();
  private readonly stars = new Map<string, number | null>();
  private readonly statuses = new Map<string, StatusRead>();
  // Rows whose status (状态 and 销号时间) says nothing at all: for R2, their items decide.
  private readonly blankStatus = new Set<number>();

  statusBlank(row: number): boolean {
    return this.blankStatus.has(row);
  }
  private readonly letters: Partial<Record<LedgerField, string>> = {};

  constructor(
    private readonly columns: Partial<Record<LedgerField, number>>,
    private readonly labels: Partial<Record<LedgerField, string>>,
    letter: (c: number) => string,
    private readonly year: number,
    private readonly problems: Problem[],
    private readonly inferMerges: boolean,
  ) {
    for (const f of Object.keys(columns) as LedgerField[]) this.letters[f] = letter(columns[f]!);
  }

  // Numbers seen in the current section (items keyed under their parent), for R2's duplicate check.
  private sectionNos = new Map<string, number>();

  sectionStarts(): void {
    this.itemParent = null;
    this.sectionNos = new Map();
  }

  private where(f: LedgerField, row: number): string {
    return `第${row}行${this.letters[f]}列（${this.labels[f] || FIELD_LABELS[f]}）`;
  }

  private problem(f: LedgerField, row: number, rule: string, what: string): void {
    this.problems.push({ row, column: this.letters[f]!, rule, message: this.where(f, row) + what });
  }

  private cached<T>(cache: Map<string, T>, v: CellValue, parse: (v: CellValue) => T): T {
    if (typeof v !== 'string') return parse(v);
    let hit = cache.get(v);
    if (hit === undefined && !cache.has(v)) {
      hit = parse(v);
      if (cache.size < 10_000) cache.set(v, hit);
    }
    return hit as T;
  }

  private readonly parseDeadline = (v: CellValue): Deadline => parseDeadline(v, this.year);
  private readonly parseStatus = (v: CellValue): StatusRead => readStatus(v, this.year);

  private readDeadline(v: CellValue): Deadline {
    const d = this.cached(this.deadlines, v, this.parseDeadline);
    return { text: d.text, date: d.date, recurrence: d.recurrence };
  }

  read(row: CellValue[], texts: string[], sheetRow: number): LedgerTaskRead {
    const cols = this.columns;

    // Number and parent (R2).
    let no: string | null;
    const noCell = cellAt(row, cols.no);
    if (typeof noCell === 'number' && isLikelySerial(noCell)) {
      // Excel turned a typed 3-2 into the date 2 Mar; read it back as the clerk typed it.
      const [, m, d] = excelSerialToIsoDate(noCell).split('-').map(Number) as [number, number, number];
      no = `${m}-${d}`;
      this.problem(
        'no',
        sheetRow,
        'R2',
        `被Excel存成了日期（${m}月${d}日），已按“${no}”读取；请把该列设为文本格式`,
      );
    } else {
      no = textAt(texts, cols.no);
      if (typeof noCell === 'number' && !Number.isInteger(noCell))
        this.problem(
          'no',
          sheetRow,
          'R2',
          `被Excel存成了数字（${no}），${no}0 与 ${no} 无法区分；请把该列设为文本格式`,
        );
    }
    const item = no !== null && isItemNumber(no);
    let parent: string | null = null;
    if (no !== null) {
      parent = item ? (this.itemParent?.no ?? null) : parentOfNo(no);
      if (parent !== null && !this.byNo.has(parent))
        this.problem('no', sheetRow, 'R2', `“${no}”的上级任务“${parent}”不在它上面的行中`);
    }
    const parentTask = parent !== null ? (this.byNo.get(parent) ?? null) : null;
    if (no !== null) {
      const key = item ? `${parent ?? ''}\u0000${no}` : no;
      const earlier = this.sectionNos.get(key);
      if (earlier !== undefined)
        this.problem('no', sheetRow, 'R2', `“${no}”与第${earlier}行的序号重复，请修改其中一个`);
      else this.sectionNos.set(key, sheetRow);
    }

    const categoryCell = cellAt(row, cols.category);
    const category = this.cached(this.categories, categoryCell, parseCategory);
    const task: LedgerTaskRead = {
      row: sheetRow,
      id: textAt(texts, cols.id),
      no,
      parent,
      title: texts[cols.title!]!,
      measures: textAt(texts, cols.measures),
      leadLeader: textAt(texts, cols.leadLeader),
      leadUnit: textAt(texts, cols.leadUnit),
      leadUnits: [],
      supportUnits: splitUnits(cellAt(row, cols.supportUnits)),
      deadline: this.readDeadline(cellAt(row, cols.deadline)),
      category,
      stars: null,
      suggestedStars: null,
      closed: false,
      milestones:
        cols.milestones === undefined ? [] : parseMilestones(cellAt(row, cols.milestones), this.year),
      progress: textAt(texts, cols.progress),
      target: null,
      startDate: null,
    };

    // R3: closed only by a closing status (已完成, 已销号（date）…) or a date in 销号时间.
    if (
      (cols.status === undefined || texts[cols.status] === '') &&
      (cols.closedOn === undefined || texts[cols.closedOn] === '')
    )
      this.blankStatus.add(sheetRow);
    if (cols.status !== undefined) {
      const status = this.cached(this.statuses, cellAt(row, cols.status), this.parseStatus);
      task.closed = status.closed;
      if (status.closedOn !== null) task.closedOn = status.closedOn;
      if (status.notClosing)
        this.problem('status', sheetRow, 'R3', `“${texts[cols.status]}”不是销号状态，未按已销号处理`);
    }
    if (cols.closedOn !== undefined && texts[cols.closedOn] !== '') {
      const cell = row[cols.closedOn];
      const on =
        typeof cell === 'number' && isLikelySerial(cell)
          ? excelSerialToIsoDate(cell)
          : parseDateText(texts[cols.closedOn]!, this.year, true);
      if (on === null)
        this.problem('closedOn', sheetRow, 'R3', `“${texts[cols.closedOn]}”无法识别为日期，未按已销号处理`);
      else {
        task.closed = true;
        task.closedOn = on;
      }
    }

    // R1: a value is inherited only through a merged area (filled in above from `merges`, or repeated
    // by an xlsx reader). Only a host that cannot list its merged areas infers the usual merge of a
    // child's cells with its parent's; elsewhere an empty cell stays empty and is reported below.
    if (parentTask && this.inferMerges) {
      task.leadLeader ??= parentTask.leadLeader;
      task.leadUnit ??= parentTask.leadUnit;
      task.measures ??= parentTask.measures;
      if (task.deadline.text === '') task.deadline = { ...parentTask.deadline };
      task.category ??= parentTask.category;
    }

    // A jointly led task (县发改局、县财政局) has each unit as a lead unit of its own.
    task.leadUnits = splitLeadUnits(task.leadUnit);

    // R1: the five things every task must have, and a readable deadline.
    if (cols.measures !== undefined && task.measures === null)
      this.problem('measures', sheetRow, 'R1', '为空');
    if (cols.leadLeader !== undefined && task.leadLeader === null)
      this.problem('leadLeader', sheetRow, 'R1', '为空');
    if (cols.leadUnit !== undefined && task.leadUnit === null)
      this.problem('leadUnit', sheetRow, 'R1', '为空');
    if (cols.deadline !== undefined) {
      if (task.deadline.text === '') this.problem('deadline', sheetRow, 'R1', '为空');
      else if (!deadlineIsReadable(task.deadline))
        this.problem(
          'deadline',
          sheetRow,
          'R1',
          `“${task.deadline.text}”无法识别为日期或周期性时限${DEADLINE_HINT}`,
        );
    }

    // R5: stars and kind.
    if (cols.stars !== undefined) {
      const starsCell = row[cols.stars];
      const n = this.cached(this.stars, starsCell, starCount);
      if (n === 3 || n === 4 || n === 5) task.stars = n;
      else if (texts[cols.stars] !== '')
        this.problem(
          'stars',
          sheetRow,
          'R5',
          n === null
            ? `“${texts[cols.stars]}”无法识别为星级（可写作★★★★、4星、四星或4）`
            : `“${texts[cols.stars]}”为${n}星，星级应为3至5星`,
        );
    }
    if (category === null && cols.category !== undefined && texts[cols.category] !== '')
      this.problem(
        'category',
        sheetRow,
        'R5',
        `“${texts[cols.category]}”无法识别（应为常规性、指标类或重大项目建设类）`,
      );
    task.suggestedStars = suggestStars(task.category);

    // R6: the target, from its column or, for an indicator task, from the title.
    task.target =
      parseTarget(cellAt(row, cols.target)) ??
      (task.category === 'indicator' ? parseTarget(task.title, true) : null);

    // R7: milestones without a readable date cannot be followed.
    for (const m of task.milestones)
      if (m.date === null) this.problem('milestones', sheetRow, 'R7', `节点“${m.text}”没有可识别的日期`);

    // R18: the start date, when the ledger has one.
    if (cols.startDate !== undefined && texts[cols.startDate] !== '') {
      const start = row[cols.startDate];
      task.startDate =
        typeof start === 'number' && isLikelySerial(start)
          ? excelSerialToIsoDate(start)
          : parseDateText(texts[cols.startDate]!, this.year, false);
      if (task.startDate === null)
        this.problem('startDate', sheetRow, 'R4', `“${texts[cols.startDate]}”无法识别为日期`);
    }

    if (no !== null) this.byNo.set(no, task);
    if (!item) this.itemParent = no !== null ? task : null;
    return task;
  }
}

function normalizeForCompare(s: string): string {
  return compact(s).replace(/[()（）【】[\]*:：]/g, '');
}
