// The Excel adapter: every Excel.* call of the add-in lives in this file.
// A command reads once (one context.sync), decides with shared/ and the backend, then writes once
// (one more context.sync): two syncs whatever the number of rows. Writes are split into more syncs only
// when one batch would pass Excel on the web's 5 MB request limit.
import { columnLetter } from '../../../shared/ledger/cells.js';

/** What an Excel.run gives the adapter (the real Excel namespace, office-addin-mock or the simulated host). */
export interface ExcelHost {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
}
export type SetSupported = (name: string, version: string) => boolean;

export type Cell = string | number | boolean | null;

/** What one read of the ledger sheet gives. Rows are 1-based sheet rows, columns 0-based sheet columns. */
export interface SheetRead {
  sheetName: string;
  /** The sheet row of values[0] and the sheet column of values[r][0]. */
  firstRow: number;
  firstColumn: number;
  values: Cell[][];
  /** Selected sheet rows (every area of a multi-area selection on the same sheet). */
  selectedRows: number[];
  /** The selection was on another sheet than the ledger. */
  selectionElsewhere: boolean;
  /** Fill colour of each cell of values (uppercase #RRGGBB, or null for none/mixed); only when requested and ExcelApi 1.9. */
  fills: (string | null)[][] | null;
  /**
   * The sheet's merged areas as A1 ranges (`台账!E7:E9`), for readLedger's `merges` (R4): Excel's values
   * hold a merged value only in the top-left cell. Null when they could not be read (ExcelApi below 1.13,
   * or more than 512 areas, which Excel refuses to list): the reader then infers the usual merges.
   */
  merges: string[] | null;
  /** The value of the workbook setting asked for in `readSheet`'s `setting` (null when absent or not asked). */
  setting: unknown;
  /** The workbook setting PAINTED_SETTING (which cells the add-in painted), read in every read sync. */
  painted: unknown;
  /** The workbook setting COLUMN_MAP_SETTING (the clerk's header mapping, R4), read in every read sync. */
  columnMap: unknown;
  /**
   * The sheet is protected (ExcelApi 1.2, read in the same sync): a command that writes refuses before
   * it calls the backend, so the backend never records what the workbook cannot show.
   */
  protected: boolean;
}

export interface CellWrite {
  row: number;
  column: number;
  value: string | number;
}
export interface FillWrite {
  row: number;
  column: number;
  /** Last column, inclusive. */
  columnEnd: number;
  /** #RRGGBB, or null to clear the fill. */
  color: string | null;
}
export interface WritePlan {
  cells: CellWrite[];
  fills: FillWrite[];
  /** Workbook settings (ExcelApi 1.4) written in the same batch as the cells, so they never disagree. */
  settings?: { key: string; value: string }[];
  /** A cell to select afterwards (jump-to-cell). */
  select?: { row: number; column: number };
}

/** Excel on the web rejects requests over 5 MB; stay well under it per sync. */
export const MAX_BATCH_BYTES = 4_000_000;

/** A refusal the clerk can act on (Chinese message), raised by the adapter itself. */
export class WorkbookError extends Error {}

/** Excel's error code (`InvalidSelection`, `MergedRangeConflict`…), from an Office error or a plain one. */
export function excelCode(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  return `${String(e?.code ?? '')} ${String(e?.message ?? '')}`;
}

/** A leading = + - @ would make Excel read text as a formula (or an error). */
export function looksLikeFormula(value: string): boolean {
  return /^[=+\-@]/.test(value);
}

export function cellAddress(row: number, column: number): string {
  return `${columnLetter(column)}${row}`;
}

/** "Sheet1!A5:C9" or "'台账'!A5" → the sheet name and 1-based first/last row. */
export function parseAddress(address: string): { sheet: string; firstRow: number; lastRow: number } | null {
  const m = /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)?\$?(\d+)?(?::\$?([A-Z]+)?\$?(\d+)?)?$/.exec(address);
  if (!m) return null;
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? '');
  const first = m[4] !== undefined ? Number(m[4]) : 1;
  const last = m[6] !== undefined ? Number(m[6]) : m[4] !== undefined ? first : 1_048_576;
  return { sheet, firstRow: first, lastRow: last };
}

function normalizeColor(c: unknown): string | null {
  return typeof c === 'string' && /^#[0-9A-Fa-f]{6}$/.test(c) ? c.toUpperCase() : null;
}

/**
 * Sync 1: the active sheet's used range (values), the selection, with ExcelApi 1.13 its merged areas,
 * if asked and ExcelApi 1.9 is there the cells' fill colours, and if asked a workbook setting. The ledger is the active sheet: a table on it lies inside its used
 * range, and Excel extends the table when the 督办编号 column is written beside it.
 */
export async function readSheet(
  context: Excel.RequestContext,
  isSetSupported: SetSupported,
  opts: { fills?: boolean; setting?: string } = {},
): Promise<SheetRead> {
  const merges = isSetSupported('ExcelApi', '1.13');
  const setting = opts.setting;
  // Excel refuses to list more than 512 merged areas, and the fills or merged areas of an empty
  // sheet's null range cannot be asked for: each failure reads again with less (without merged areas
  // the reader infers them). Past Excel on the web's 5 MB response limit (a very large ledger) the
  // ledger is read in blocks of rows.
  const attempts = [
    { fills: opts.fills, merges },
    ...(merges ? [{ fills: opts.fills, merges: false }] : []),
    ...(opts.fills ? [{ fills: false, merges: false }] : []),
  ];
  let failure: unknown;
  for (const attempt of attempts) {
    try {
      return await readAtOnce(context, isSetSupported, { ...attempt, setting });
    } catch (err) {
      if (isPayloadLimit(err)) return readInBlocks(context, isSetSupported, { ...attempt, setting });
      // Below ExcelApi 1.9 only getSelectedRange() exists, and it throws when several areas are
      // selected (Ctrl+click): no retry reads it otherwise, the clerk has to select one block.
      if (!isSetSupported('ExcelApi', '1.9') && /InvalidSelection/.test(excelCode(err))) {
        throw new WorkbookError('Excel 2019 不支持多处选择，请选中连续的行后再试。');
      }
      failure = err;
    }
  }
  throw failure;
}

/** The workbook setting that records the cells the add-in painted (ledgerView: paintedOf/withPainted). */
export const PAINTED_SETTING = 'duban.painted';
/** The workbook setting that keeps the clerk's header mapping per sheet (ledgerView: columnMapOf/withColumnMap). */
export const COLUMN_MAP_SETTING = 'duban.columnMap';

/** Queues a workbook setting's value (ExcelApi 1.4) in the read's own sync. */
function loadSetting(context: Excel.RequestContext, key: string | undefined): () => unknown {
  if (!key) return () => null;
  const item = context.workbook.settings.getItemOrNullObject(key);
  item.load('value');
  return () => (item.isNullObject ? null : (item.value as unknown));
}

/**
 * A RangeAreas address (`台账!A1:L1,台账!E7:E9`, `'重点 工作'!E7:E9`) split into its areas. A comma
 * inside a quoted sheet name is part of the name.
 */
export function splitAreas(address: string): string[] {
  const out: string[] = [];
  let part = '';
  let quoted = false;
  for (const ch of address) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      if (part.trim()) out.push(part.trim());
      part = '';
      continue;
    }
    part += ch;
  }
  if (part.trim()) out.push(part.trim());
  return out;
}

/** Queues the merged areas of `range` (ExcelApi 1.13) in the read's own sync; null when not asked for. */
function loadMerges(range: Excel.Range, want: boolean | undefined): (() => string[]) | null {
  if (!want) return null;
  const areas = range.getMergedAreasOrNullObject();
  areas.load('address');
  return () => (areas.isNullObject ? [] : splitAreas(areas.address));
}

export function isPayloadLimit(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return /PayloadSizeLimitExceeded/.test(`${String(e?.code ?? '')} ${String(e?.message ?? '')}`);
}

function loadSelection(context: Excel.RequestContext, isSetSupported: SetSupported): { address(): string } {
  if (isSetSupported('ExcelApi', '1.9')) {
    const areas = context.workbook.getSelectedRanges();
    areas.load('address');
    return { address: () => areas.address };
  }
  const range = context.workbook.getSelectedRange();
  range.load('address');
  return { address: () => range.address };
}

function selectedRowsOf(
  address: string,
  sheetName: string,
  firstRow: number,
  rowCount: number,
): { rows: number[]; elsewhere: boolean } {
  const rows = new Set<number>();
  let elsewhere = false;
  for (const part of splitAreas(address)) {
    const a = parseAddress(part.trim());
    if (!a) continue;
    if (a.sheet !== sheetName) {
      elsewhere = true;
      continue;
    }
    const last = Math.min(a.lastRow, firstRow + rowCount - 1);
    for (let r = Math.max(a.firstRow, firstRow); r <= last; r++) rows.add(r);
  }
  return { rows: [...rows].sort((x, y) => x - y), elsewhere };
}

type FillProps = { value: { format?: { fill?: { color?: string } } }[][] };

function fillGrid(props: FillProps): (string | null)[][] {
  return props.value.map((row) => row.map((cell) => normalizeColor(cell.format?.fill?.color)));
}

async function readAtOnce(
  context: Excel.RequestContext,
  isSetSupported: SetSupported,
  opts: { fills?: boolean; merges?: boolean; setting?: string },
): Promise<SheetRead> {
  const setting = loadSetting(context, opts.setting);
  const painted = loadSetting(context, PAINTED_SETTING);
  const columnMap = loadSetting(context, COLUMN_MAP_SETTING);
  const sheet = context.workbook.worksheets.getActiveWorksheet();
  sheet.load('name');
  sheet.protection.load('protected');
  const used = sheet.getUsedRangeOrNullObject(true);
  used.load('values,rowIndex,columnIndex');
  const selection = loadSelection(context, isSetSupported);
  const fillProps =
    opts.fills && isSetSupported('ExcelApi', '1.9')
      ? used.getCellProperties({ format: { fill: { color: true } } })
      : null;
  const merges = loadMerges(used, opts.merges);
  await context.sync();

  const sheetName = sheet.name;
  const empty = used.isNullObject;
  const values = empty ? [] : (used.values as Cell[][]);
  const firstRow = empty ? 1 : used.rowIndex + 1;
  const selected = selectedRowsOf(selection.address(), sheetName, firstRow, values.length);
  return {
    sheetName,
    firstRow,
    firstColumn: empty ? 0 : used.columnIndex,
    values,
    selectedRows: selected.rows,
    selectionElsewhere: selected.elsewhere,
    fills: fillProps && !empty ? fillGrid(fillProps as FillProps) : null,
    merges: merges && !empty ? merges() : null,
    setting: setting(),
    painted: painted(),
    columnMap: columnMap(),
    protected: sheet.protection.protected,
  };
}

/** The fallback for ledgers too large for one response: the range's extent first, then blocks of rows. */
async function readInBlocks(
  context: Excel.RequestContext,
  isSetSupported: SetSupported,
  opts: { fills?: boolean; merges?: boolean; setting?: string },
): Promise<SheetRead> {
  const queueExtent = (withMerges: boolean | undefined) => {
    const setting = loadSetting(context, opts.setting);
    const painted = loadSetting(context, PAINTED_SETTING);
    const columnMap = loadSetting(context, COLUMN_MAP_SETTING);
    const sheet = context.workbook.worksheets.getActiveWorksheet();
    sheet.load('name');
    sheet.protection.load('protected');
    const used = sheet.getUsedRangeOrNullObject(true);
    used.load('rowIndex,columnIndex,rowCount,columnCount');
    return {
      sheet,
      used,
      selection: loadSelection(context, isSetSupported),
      merges: loadMerges(used, withMerges),
      setting,
      painted,
      columnMap,
    };
  };
  let extent = queueExtent(opts.merges);
  try {
    await context.sync();
  } catch (err) {
    if (!opts.merges) throw err;
    // More than 512 merged areas: the extent again, without them (the reader infers merges).
    extent = queueExtent(false);
    await context.sync();
  }
  const { sheet, used, selection, merges, setting, painted, columnMap } = extent;
  const sheetName = sheet.name;
  if (used.isNullObject) {
    return {
      sheetName,
      firstRow: 1,
      firstColumn: 0,
      values: [],
      selectedRows: [],
      selectionElsewhere: false,
      fills: null,
      merges: null,
      setting: setting(),
      painted: painted(),
      columnMap: columnMap(),
      protected: sheet.protection.protected,
    };
  }
  const firstRow = used.rowIndex + 1;
  const firstColumn = used.columnIndex;
  const lastColumn = firstColumn + used.columnCount - 1;
  const withFills = !!opts.fills && isSetSupported('ExcelApi', '1.9');
  const values: Cell[][] = [];
  const fills: (string | null)[][] = [];
  let block = 2000;
  for (let row = firstRow; row < firstRow + used.rowCount;) {
    const last = Math.min(row + block - 1, firstRow + used.rowCount - 1);
    const range = sheet.getRange(`${cellAddress(row, firstColumn)}:${cellAddress(last, lastColumn)}`);
    range.load('values');
    const props = withFills ? range.getCellProperties({ format: { fill: { color: true } } }) : null;
    try {
      await context.sync();
    } catch (err) {
      if (!isPayloadLimit(err) || block === 1) throw err;
      block = Math.max(1, Math.floor(block / 2));
      continue;
    }
    values.push(...(range.values as Cell[][]));
    if (props) fills.push(...fillGrid(props as FillProps));
    row = last + 1;
  }
  const selected = selectedRowsOf(selection.address(), sheetName, firstRow, values.length);
  return {
    sheetName,
    firstRow,
    firstColumn,
    values,
    selectedRows: selected.rows,
    selectionElsewhere: selected.elsewhere,
    fills: withFills ? fills : null,
    merges: merges ? merges() : null,
    setting: setting(),
    painted: painted(),
    columnMap: columnMap(),
    protected: sheet.protection.protected,
  };
}

interface Op {
  bytes: number;
  apply(sheet: Excel.Worksheet, context: Excel.RequestContext): void;
}

/** Groups cell writes into vertical runs of one column, so a 5,000-row column is one range, not 5,000. */
function cellOps(cells: CellWrite[]): Op[] {
  const byColumn = new Map<number, CellWrite[]>();
  for (const c of cells) {
    const list = byColumn.get(c.column) ?? [];
    list.push(c);
    byColumn.set(c.column, list);
  }
  const ops: Op[] = [];
  for (const [column, list] of byColumn) {
    list.sort((a, b) => a.row - b.row);
    let run: CellWrite[] = [];
    const flush = () => {
      if (run.length === 0) return;
      const first = run[0]!.row;
      const last = run[run.length - 1]!.row;
      const values = run.map((c) => [c.value]);
      // Text from outside is written as text: those cells get the text format '@' before their value.
      const formats = run.map((c) => (typeof c.value === 'string' && looksLikeFormula(c.value) ? '@' : null));
      const address =
        first === last
          ? cellAddress(first, column)
          : `${cellAddress(first, column)}:${cellAddress(last, column)}`;
      const textRows = run.filter((_, i) => formats[i] === '@').map((c) => c.row);
      ops.push({
        bytes: utf8Bytes(values) + 120 + textRows.length * 80,
        apply(sheet) {
          for (const r of textRows) sheet.getRange(cellAddress(r, column)).numberFormat = [['@']];
          sheet.getRange(address).values = values;
        },
      });
      run = [];
    };
    for (const c of list) {
      const prev = run[run.length - 1];
      if (prev && prev.row === c.row) {
        run[run.length - 1] = c;
        continue;
      }
      if (prev && prev.row + 1 !== c.row) flush();
      run.push(c);
    }
    flush();
  }
  return ops;
}

const utf8 = new TextEncoder();
/**
 * The size of a value in the request, in bytes: Excel on the web's 5 MB limit counts the UTF-8 body,
 * where a Chinese character is 3 bytes (JSON.stringify(...).length would count it as 1).
 */
export function utf8Bytes(value: unknown): number {
  return utf8.encode(JSON.stringify(value)).length;
}

function fillOps(fills: FillWrite[]): Op[] {
  return fills.map((f) => {
    const address =
      f.column === f.columnEnd
        ? cellAddress(f.row, f.column)
        : `${cellAddress(f.row, f.column)}:${cellAddress(f.row, f.columnEnd)}`;
    return {
      bytes: 160,
      apply(sheet: Excel.Worksheet) {
        const fill = sheet.getRange(address).format.fill;
        if (f.color === null) fill.clear();
        else fill.color = f.color;
      },
    };
  });
}

function settingOps(settings: { key: string; value: string }[]): Op[] {
  return settings.map((s) => ({
    bytes: utf8Bytes(s) + 120,
    apply(_sheet: Excel.Worksheet, context: Excel.RequestContext) {
      context.workbook.settings.add(s.key, s.value);
    },
  }));
}

/**
 * Sync 2: every write of a command in one batch, with screen updating suspended (ExcelApi 1.9).
 * Fills go after values so a problem mark painted over a card colour stays visible.
 *
 * Calculation is deliberately NOT suspended. suspendApiCalculationUntilNextSync() is documented as
 * "Once set, it is the developer's responsibility to re-calc the workbook, to ensure that any
 * dependencies are propagated": the clerk's own formulas over the ledger (a COUNTIF of ★★★★★, a
 * completion rate over 办理状态) would keep their old values after 赋星/销号/同步台账. Re-calculating
 * would cost a third sync (application.calculate after the write), and for the few columns a command
 * writes, Excel's automatic calculation recomputes only the dependents — cheaper than both.
 */
export async function writePlan(
  context: Excel.RequestContext,
  isSetSupported: SetSupported,
  sheetName: string,
  plan: WritePlan,
): Promise<{ syncs: number }> {
  const ops = [...cellOps(plan.cells), ...fillOps(plan.fills), ...settingOps(plan.settings ?? [])];
  if (ops.length === 0 && !plan.select) return { syncs: 0 };
  const sheet = context.workbook.worksheets.getItem(sheetName);
  const suspend = () => {
    if (isSetSupported('ExcelApi', '1.9')) context.workbook.application.suspendScreenUpdatingUntilNextSync();
  };
  let syncs = 0;
  let bytes = 0;
  suspend();
  for (const op of ops) {
    if (bytes > 0 && bytes + op.bytes > MAX_BATCH_BYTES) {
      await context.sync();
      syncs++;
      bytes = 0;
      suspend();
    }
    op.apply(sheet, context);
    bytes += op.bytes;
  }
  if (plan.select) sheet.getRange(cellAddress(plan.select.row, plan.select.column)).select();
  await context.sync();
  syncs++;
  return { syncs };
}

/** Jump-to-cell from the pane: activate the sheet and select the cell (one sync). */
export async function selectCell(
  host: ExcelHost,
  sheetName: string,
  row: number,
  column: number,
): Promise<void> {
  await host.run(async (context) => {
    const sheet = context.workbook.worksheets.getItem(sheetName);
    sheet.activate();
    sheet.getRange(cellAddress(row, column)).select();
    await context.sync();
  });
}

/** The default host in the add-in: the real Excel and Office globals. */
export function officeHost(): { excel: ExcelHost; isSetSupported: SetSupported } {
  return {
    excel: { run: (batch) => Excel.run(batch) },
    isSetSupported: (name, version) => Office.context.requirements.isSetSupported(name, version),
  };
}

/** One unit's line of the round-up sheet (R20: rank, score, cards; R21: the period's figures). */
export interface RoundupSheetUnit {
  unit: string;
  /** Null when the unit had nothing due and is listed apart (不参与排名). */
  rank: number | null;
  score: number;
  yellow: number;
  orange: number;
  red: number;
  overdue: number;
  lagging: number;
  /** The unit's card state now: 无, 黄牌, 橙牌, 红牌. */
  state: string;
}
export interface RoundupSheet {
  /** As the backend names it: 2026-Q1, 2026-03. */
  period: string;
  /** The printed title, e.g. 督检汇总（2026年第一季度）. */
  title: string;
  /** The line under the title: ledger, period, the day it was made, the tie rule. */
  subtitle: string;
  units: RoundupSheetUnit[];
}

/** The round-up sheet's columns: 排名, 单位, 得分, 黄牌, 橙牌, 红牌 (the chart's source B:F), then the rest. */
export const ROUNDUP_COLUMNS = [
  '排名',
  '单位',
  '得分',
  '黄牌',
  '橙牌',
  '红牌',
  '逾期任务',
  '滞后任务',
  '当前亮牌',
];
/**
 * Column widths in points: 排名/得分/牌 fit their header and figures on one line (never wrap), 单位 takes
 * the rest; the sum (496 pt) fits an A4 portrait page (595 pt) inside 0.5-inch margins.
 */
const ROUNDUP_WIDTHS = [40, 150, 48, 34, 34, 34, 52, 52, 52];
/** The header row the printed pages repeat (row 1 title, row 2 subtitle). */
const ROUNDUP_HEADER_ROW = 3;

/** R21: the sheet a period's round-up is written to: 督检汇总2026Q1, 督检汇总2026年03月. */
export function roundupSheetName(period: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return `督检汇总${quarter[1]}Q${quarter[2]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return `督检汇总${month[1]}年${month[2]}月`;
  // Any other period keeps only what a sheet name may hold (R21 names quarterly and monthly ones).
  return `督检汇总${period.replace(/[:\\/?*[\]']/g, '')}`.slice(0, 31);
}

export type RoundupSheetOutcome =
  | { status: 'exists'; sheetName: string; syncs: number }
  | { status: 'written'; sheetName: string; syncs: number; pageLayout: boolean };

/**
 * R20/R21 in the workbook: the round-up as a sheet of its own, ready to print (A4 portrait, title, the
 * header row repeated on each page) with a clustered column chart of the scores and cards per unit.
 * Sync 1 reads the sheet names; an existing sheet of that name is replaced only when `replace` is set
 * (the pane asks the clerk first), else the outcome says it exists and nothing is written. Sync 2
 * writes everything. Page setup needs ExcelApi 1.9; below it the sheet is written without it.
 */
export async function writeRoundupSheet(
  host: ExcelHost,
  isSetSupported: SetSupported,
  roundup: RoundupSheet,
  opts: { replace: boolean },
): Promise<RoundupSheetOutcome> {
  const sheetName = roundupSheetName(roundup.period);
  return host.run(async (context) => {
    const sheets = context.workbook.worksheets;
    sheets.load('items/name');
    await context.sync();
    // Excel compares sheet names case-insensitively.
    const existing = sheets.items.find((s) => s.name.toLowerCase() === sheetName.toLowerCase());
    if (existing && !opts.replace) return { status: 'exists', sheetName: existing.name, syncs: 1 };

    if (isSetSupported('ExcelApi', '1.9')) context.workbook.application.suspendScreenUpdatingUntilNextSync();
    if (existing) existing.delete();
    const sheet = sheets.add(sheetName);
    const n = roundup.units.length;
    const lastCol = columnLetter(ROUNDUP_COLUMNS.length - 1);
    const lastRow = ROUNDUP_HEADER_ROW + Math.max(n, 1);
    sheet.getRange('A1').values = [[roundup.title]];
    sheet.getRange(`A1:${lastCol}1`).merge();
    sheet.getRange('A1').format.font.bold = true;
    sheet.getRange('A1').format.font.size = 16;
    sheet.getRange('A1').format.horizontalAlignment = 'Center';
    sheet.getRange('A2').values = [[roundup.subtitle]];
    sheet.getRange(`A2:${lastCol}2`).merge();
    sheet.getRange(`A2:${lastCol}2`).format.wrapText = true;
    const header = sheet.getRange(`A${ROUNDUP_HEADER_ROW}:${lastCol}${ROUNDUP_HEADER_ROW}`);
    header.values = [ROUNDUP_COLUMNS];
    header.format.font.bold = true;
    header.format.horizontalAlignment = 'Center';
    header.format.fill.color = '#D9D9D9';
    ROUNDUP_WIDTHS.forEach((w, c) => {
      // A cell's columnWidth is its whole column's width.
      sheet.getRange(`${columnLetter(c)}${ROUNDUP_HEADER_ROW}`).format.columnWidth = w;
    });
    if (n === 0) {
      sheet.getRange(`A${ROUNDUP_HEADER_ROW + 1}`).values = [['本期暂无汇总数据']];
    } else {
      const body = sheet.getRange(`A${ROUNDUP_HEADER_ROW + 1}:${lastCol}${lastRow}`);
      // Text columns as text, so a unit named =… stays a name; 得分 with two decimals (R20).
      body.numberFormat = roundup.units.map(() => ['General', '@', '0.00', '0', '0', '0', '0', '0', '@']);
      body.values = roundup.units.map((u) => [
        u.rank === null ? '不参与排名' : u.rank,
        u.unit,
        u.score,
        u.yellow,
        u.orange,
        u.red,
        u.overdue,
        u.lagging,
        u.state,
      ]);
      body.format.wrapText = false;
      sheet.getRange(`A${ROUNDUP_HEADER_ROW + 1}:A${lastRow}`).format.horizontalAlignment = 'Center';
      sheet.getRange(`B${ROUNDUP_HEADER_ROW + 1}:B${lastRow}`).format.wrapText = true;
    }
    // The chart below the table: 单位 as categories, 得分 and the three card counts as series.
    const chartTop = lastRow + 2;
    const chart = sheet.charts.add(
      'ColumnClustered' as Excel.ChartType,
      sheet.getRange(`B${ROUNDUP_HEADER_ROW}:F${lastRow}`),
      'Columns' as Excel.ChartSeriesBy,
    );
    chart.title.text = '各单位得分与亮牌';
    chart.dataLabels.showValue = true;
    chart.setPosition(`A${chartTop}`, `${lastCol}${chartTop + 18}`);
    const pageLayout = isSetSupported('ExcelApi', '1.9');
    if (pageLayout) {
      sheet.pageLayout.paperSize = 'A4' as Excel.PaperType;
      sheet.pageLayout.orientation = 'Portrait' as Excel.PageOrientation;
      sheet.pageLayout.leftMargin = 36;
      sheet.pageLayout.rightMargin = 36;
      sheet.pageLayout.centerHorizontally = true;
      sheet.pageLayout.setPrintTitleRows(`$${ROUNDUP_HEADER_ROW}:$${ROUNDUP_HEADER_ROW}`);
      sheet.pageLayout.setPrintArea(`A1:${lastCol}${chartTop + 18}`);
    }
    // The active sheet stays the ledger: every ribbon command reads the active sheet.
    await context.sync();
    return { status: 'written', sheetName, syncs: 2, pageLayout };
  });
}
