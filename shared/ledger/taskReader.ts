// One task row of a ledger → a task, one method per rule: number (R2), closing (R3), inheritance and
// required fields (R1), stars and kind (R5), target (R6), milestones (R7), start (R18).
import type { Category, Deadline, IsoDate, LedgerTask, Problem } from '../model.js';
import { type CellValue, excelSerialToIsoDate } from './cells.js';
import { deadlineIsReadable, isLikelySerial, parseDateText, parseDeadline } from './deadline.js';
import {
  isItemNumber,
  parentOfNo,
  parseCategory,
  parseMilestones,
  parseTarget,
  readStatus,
  type StatusRead,
  splitUnits,
  starCount,
} from './fields.js';
import { FIELD_LABELS, type LedgerField } from './header.js';
import { splitLeadUnits } from './leadUnits.js';
import { suggestStars } from '../rules/stars.js';

/** A task as read, with its start date (开始时间) when the ledger has that column (R18). */
export type LedgerTaskRead = LedgerTask & { startDate: IsoDate | null };

function textAt(texts: string[], c: number | undefined): string | null {
  return c === undefined || texts[c] === '' ? null : texts[c]!;
}

function cellAt(row: CellValue[], c: number | undefined): CellValue {
  return c === undefined ? undefined : row[c];
}

const DEADLINE_HINT = '（可写作2026年6月30日、6月底前、年底前、每月、每季度、长期坚持等）';

/** A task row's number as read (R2): the text, whether it is an item number (（2）), and its parent. */
interface NumberRead {
  no: string | null;
  item: boolean;
  parent: string | null;
  parentTask: LedgerTaskRead | null;
}

/**
 * Reads task rows one after another: a class (not closures made per row) because a 10,000-row
 * ledger must read in well under the time of parsing the file. Values that repeat down a column
 * (deadlines, kinds, stars, status) are parsed once per ledger.
 */
export class TaskReader {
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
  private readonly letters: Partial<Record<LedgerField, string>> = {};
  // Numbers seen in the current section (items keyed under their parent), for R2's duplicate check.
  private sectionNos = new Map<string, number>();

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

  statusBlank(row: number): boolean {
    return this.blankStatus.has(row);
  }

  sectionStarts(): void {
    this.itemParent = null;
    this.sectionNos = new Map();
  }

  read(row: CellValue[], texts: string[], sheetRow: number): LedgerTaskRead {
    const cols = this.columns;
    const number = this.readNumber(row, texts, sheetRow);
    const category = this.cached(this.categories, cellAt(row, cols.category), parseCategory);
    const task: LedgerTaskRead = {
      row: sheetRow,
      id: textAt(texts, cols.id),
      no: number.no,
      parent: number.parent,
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
    this.readClosing(task, row, texts);
    this.inherit(task, number.parentTask);
    // A jointly led task (县发改局、县财政局) has each unit as a lead unit of its own.
    task.leadUnits = splitLeadUnits(task.leadUnit);
    this.checkRequired(task);
    this.readStars(task, row, texts, category);
    this.readTarget(task, row);
    this.checkMilestones(task);
    this.readStart(task, row, texts);

    if (number.no !== null) this.byNo.set(number.no, task);
    if (!number.item) this.itemParent = number.no !== null ? task : null;
    return task;
  }

  /**
   * R2: the number as the clerk typed it (a 3-2 Excel turned into a date read back), its parent (3 for
   * 3-2; for an item number, the last task above with an ordinary number), which must be above it, and
   * no repeat within the section.
   */
  private readNumber(row: CellValue[], texts: string[], sheetRow: number): NumberRead {
    let no: string | null;
    const noCell = cellAt(row, this.columns.no);
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
      no = textAt(texts, this.columns.no);
      if (typeof noCell === 'number' && !Number.isInteger(noCell))
        this.problem(
          'no',
          sheetRow,
          'R2',
          `被Excel存成了数字（${no}），${no}0 与 ${no} 无法区分；请把该列设为文本格式`,
        );
    }
    if (no === null) return { no, item: false, parent: null, parentTask: null };
    const item = isItemNumber(no);
    const parent = item ? (this.itemParent?.no ?? null) : parentOfNo(no);
    if (parent !== null && !this.byNo.has(parent))
      this.problem('no', sheetRow, 'R2', `“${no}”的上级任务“${parent}”不在它上面的行中`);
    const key = item ? `${parent ?? ''}\u0000${no}` : no;
    const earlier = this.sectionNos.get(key);
    if (earlier !== undefined)
      this.problem('no', sheetRow, 'R2', `“${no}”与第${earlier}行的序号重复，请修改其中一个`);
    else this.sectionNos.set(key, sheetRow);
    return { no, item, parent, parentTask: parent !== null ? (this.byNo.get(parent) ?? null) : null };
  }

  /** R3: closed only by a closing status (已完成, 已销号（date）…) or a date in 销号时间. */
  private readClosing(task: LedgerTaskRead, row: CellValue[], texts: string[]): void {
    const cols = this.columns;
    const sheetRow = task.row;
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
      const on = this.dateAt(row, texts, cols.closedOn, true);
      if (on === null)
        this.problem('closedOn', sheetRow, 'R3', `“${texts[cols.closedOn]}”无法识别为日期，未按已销号处理`);
      else {
        task.closed = true;
        task.closedOn = on;
      }
    }
  }

  /**
   * R1: a value is inherited only through a merged area (filled in from `merges`, or repeated by an
   * xlsx reader). Only a host that cannot list its merged areas infers the usual merge of a child's
   * cells with its parent's; elsewhere an empty cell stays empty and `checkRequired` reports it.
   */
  private inherit(task: LedgerTaskRead, parentTask: LedgerTaskRead | null): void {
    if (!parentTask || !this.inferMerges) return;
    task.leadLeader ??= parentTask.leadLeader;
    task.leadUnit ??= parentTask.leadUnit;
    task.measures ??= parentTask.measures;
    if (task.deadline.text === '') task.deadline = { ...parentTask.deadline };
    task.category ??= parentTask.category;
  }

  /** R1: the things every task must have (of the columns the ledger has), and a readable deadline. */
  private checkRequired(task: LedgerTaskRead): void {
    const cols = this.columns;
    if (cols.measures !== undefined && task.measures === null)
      this.problem('measures', task.row, 'R1', '为空');
    if (cols.leadLeader !== undefined && task.leadLeader === null)
      this.problem('leadLeader', task.row, 'R1', '为空');
    if (cols.leadUnit !== undefined && task.leadUnit === null)
      this.problem('leadUnit', task.row, 'R1', '为空');
    if (cols.deadline !== undefined) {
      if (task.deadline.text === '') this.problem('deadline', task.row, 'R1', '为空');
      else if (!deadlineIsReadable(task.deadline))
        this.problem(
          'deadline',
          task.row,
          'R1',
          `“${task.deadline.text}”无法识别为日期或周期性时限${DEADLINE_HINT}`,
        );
    }
  }

  /**
   * R5: 3 to 5 stars when given, the kind (工作类别) when given, and the stars the kind suggests.
   * `written` is the kind as the row wrote it: one inherited from the parent does not make an
   * unreadable cell readable.
   */
  private readStars(task: LedgerTaskRead, row: CellValue[], texts: string[], written: Category | null): void {
    const cols = this.columns;
    if (cols.stars !== undefined) {
      const n = this.cached(this.stars, row[cols.stars], starCount);
      if (n === 3 || n === 4 || n === 5) task.stars = n;
      else if (texts[cols.stars] !== '')
        this.problem(
          'stars',
          task.row,
          'R5',
          n === null
            ? `“${texts[cols.stars]}”无法识别为星级（可写作★★★★、4星、四星或4）`
            : `“${texts[cols.stars]}”为${n}星，星级应为3至5星`,
        );
    }
    if (written === null && cols.category !== undefined && texts[cols.category] !== '')
      this.problem(
        'category',
        task.row,
        'R5',
        `“${texts[cols.category]}”无法识别（应为常规性、指标类或重大项目建设类）`,
      );
    task.suggestedStars = suggestStars(task.category);
  }

  /** R6: the target, from its column or, for an indicator task, from the title. */
  private readTarget(task: LedgerTaskRead, row: CellValue[]): void {
    task.target =
      parseTarget(cellAt(row, this.columns.target)) ??
      (task.category === 'indicator' ? parseTarget(task.title, true) : null);
  }

  /** R7: milestones without a readable date cannot be followed. */
  private checkMilestones(task: LedgerTaskRead): void {
    for (const m of task.milestones)
      if (m.date === null) this.problem('milestones', task.row, 'R7', `节点“${m.text}”没有可识别的日期`);
  }

  /** R18: the start date, when the ledger has that column. */
  private readStart(task: LedgerTaskRead, row: CellValue[], texts: string[]): void {
    const c = this.columns.startDate;
    if (c === undefined || texts[c] === '') return;
    task.startDate = this.dateAt(row, texts, c, false);
    if (task.startDate === null) this.problem('startDate', task.row, 'R4', `“${texts[c]}”无法识别为日期`);
  }

  /**
   * A date cell: an Excel date serial, or a date as text in the ledger's year; a range written as
   * text (3月至6月) reads as its end when `end`, else as its beginning.
   */
  private dateAt(row: CellValue[], texts: string[], c: number, end: boolean): IsoDate | null {
    const cell = row[c];
    return typeof cell === 'number' && isLikelySerial(cell)
      ? excelSerialToIsoDate(cell)
      : parseDateText(texts[c]!, this.year, end);
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
}
