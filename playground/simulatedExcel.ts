// A simulated Excel host, honest about what the adapter relies on:
// - the workbook (SimWorkbook) only changes and only answers inside sync(): every sync() is one
//   request carrying the queued operations, executed in order; syncs are counted;
// - reading a property that was not loaded (or loaded but not yet synced) throws, as Office.js does;
// - a string written to a cell that is not formatted as text is read as Excel reads typed input: a
//   leading = + - @ makes a formula, a numeric string becomes a number;
// - a request over 5 MB fails as it does in Excel on the web;
// - merged cells hold their value in the top-left cell only (merging keeps that one, as Excel does);
//   getMergedAreasOrNullObject needs ExcelApi 1.13 and fails past 512 areas, as documented;
// - workbook settings (ExcelApi 1.4) keep JSON values with the workbook;
// - worksheets.add refuses what Excel refuses: a name over 31 characters, with : \\ / ? * [ ], starting
//   or ending with an apostrophe, or already taken (case-insensitively); the last sheet cannot be
//   deleted; pageLayout needs ExcelApi 1.9; charts.add (ExcelApi 1.1) needs a known chart type.
// It has no Node imports: the same code runs in vitest, bundled in Chromium for the e2e tests (where
// the workbook lives in Node and each sync() crosses to it, one round trip per sync), and as the
// playground's in-browser Excel (playground/README.md), where the visitor's clicks and typing go
// through typeInto/select just as a clerk's do in Excel.

export type SimCell = string | number | boolean | null;

export interface CellState {
  value: SimCell;
  formula: string | null;
  numberFormat: string;
  fill: string | null;
}

export type SheetSel = { active: true } | { name: string };
export type Target =
  | { t: 'sheet'; sheet: SheetSel }
  | { t: 'range'; sheet: SheetSel; address: string }
  | { t: 'used'; sheet: SheetSel; valuesOnly: boolean }
  | { t: 'selection' }
  | { t: 'selectionAreas' }
  | { t: 'merged'; of: Target }
  | { t: 'setting'; key: string }
  | { t: 'protection'; sheet: SheetSel }
  | { t: 'sheets' }
  | { t: 'app' };

export type Op =
  | { op: 'load'; target: Target; props: string[] }
  | { op: 'setValues'; target: Target; values: SimCell[][] }
  | { op: 'setNumberFormat'; target: Target; formats: string[][] }
  | { op: 'setFill'; target: Target; color: string | null }
  | { op: 'select'; target: Target }
  | { op: 'activate'; target: Target }
  | { op: 'cellFills'; target: Target }
  | { op: 'setSetting'; key: string; value: unknown }
  | { op: 'suspendCalculation' }
  | { op: 'calculate' }
  | { op: 'suspendScreenUpdating' }
  | { op: 'addSheet'; name: string }
  | { op: 'deleteSheet'; sheet: SheetSel }
  | { op: 'merge'; target: Target }
  | { op: 'setStyle'; target: Target; prop: keyof CellStyle; value: string | number | boolean }
  | { op: 'setColumnWidth'; target: Target; width: number }
  | { op: 'pageLayout'; sheet: SheetSel; prop: keyof PageLayout; value: unknown }
  | { op: 'addChart'; sheet: SheetSel; id: string; type: string; source: Target; seriesBy: string }
  | {
      op: 'setChart';
      sheet: SheetSel;
      id: string;
      prop: 'title' | 'showValues' | 'position';
      value: unknown;
    };

/** Cell formatting the round-up sheet uses (range.format: font.bold, font.size, wrapText, horizontalAlignment). */
export interface CellStyle {
  bold?: boolean;
  fontSize?: number;
  wrapText?: boolean;
  horizontalAlignment?: string;
}

/** Worksheet.pageLayout (ExcelApi 1.9), as far as the add-in sets it. */
export interface PageLayout {
  paperSize?: string;
  orientation?: string;
  printTitleRows?: string;
  printArea?: string;
  leftMargin?: number;
  rightMargin?: number;
  centerHorizontally?: boolean;
}

/** A chart of a sheet (Worksheet.charts.add): its type, its source range, its title and where it sits. */
export interface SimChart {
  id: string;
  type: string;
  source: Box;
  seriesBy: string;
  title: string | null;
  showValues: boolean;
  position: { from: string; to: string } | null;
}

/** Excel's sheet name rules (the 重命名工作表 dialog refuses the same). Null when the name is allowed. */
export function sheetNameProblem(name: string, taken: string[]): string | null {
  if (name.length === 0) return '工作表名称不能为空';
  if (name.length > 31) return `工作表名称不能超过 31 个字符（${name.length} 个）`;
  if (/[:\\/?*[\]]/.test(name)) return '工作表名称不能包含 : \\ / ? * [ ]';
  if (name.startsWith("'") || name.endsWith("'")) return '工作表名称不能以单引号开头或结尾';
  if (name.toLowerCase() === 'history') return '“History”是 Excel 保留的工作表名称';
  if (taken.some((t) => t.toLowerCase() === name.toLowerCase())) return `已有名为“${name}”的工作表`;
  return null;
}

/** The chart types charts.add accepts that the add-in may use (Excel.ChartType). */
const CHART_TYPES = new Set(['ColumnClustered', 'ColumnStacked', 'BarClustered', 'Line', 'Pie']);
const PAPER_SIZES = new Set(['A4', 'A3', 'A5', 'Letter', 'Legal']);

export const REQUEST_LIMIT_BYTES = 5 * 1024 * 1024;

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}
export function colName(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export interface Box {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

function parseLocal(address: string): Box {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(address);
  if (!m) throw new Error(`InvalidArgument: 地址无法识别 ${address}`);
  const r0 = Number(m[2]) - 1;
  const c0 = colIndex(m[1]!);
  const r1 = m[4] ? Number(m[4]) - 1 : r0;
  const c1 = m[3] ? colIndex(m[3]) : c0;
  return { r0: Math.min(r0, r1), c0: Math.min(c0, c1), r1: Math.max(r0, r1), c1: Math.max(c0, c1) };
}

function quote(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}
function boxAddress(sheet: string, b: Box): string {
  const a = `${colName(b.c0)}${b.r0 + 1}`;
  const z = `${colName(b.c1)}${b.r1 + 1}`;
  return `${quote(sheet)}!${a === z ? a : `${a}:${z}`}`;
}

/** Excel lists at most this many merged areas of a range (getMergedAreasOrNullObject fails past it). */
export const MAX_MERGED_AREAS = 512;

class SimSheet {
  cells = new Map<string, CellState>();
  merged: Box[] = [];
  /** 审阅 → 保护工作表: every write to the sheet fails, as in Excel. */
  protected = false;
  styles = new Map<string, CellStyle>();
  /** Column widths in points (range.format.columnWidth, ExcelApi 1.2), by 0-based column. */
  columnWidths = new Map<number, number>();
  pageLayout: PageLayout = {};
  charts: SimChart[] = [];
  constructor(public name: string) {}
  key(r: number, c: number) {
    return `${r},${c}`;
  }
  get(r: number, c: number): CellState {
    return (
      this.cells.get(this.key(r, c)) ?? { value: '', formula: null, numberFormat: 'General', fill: null }
    );
  }
  put(r: number, c: number, patch: Partial<CellState>) {
    this.cells.set(this.key(r, c), { ...this.get(r, c), ...patch });
  }
  usedBox(valuesOnly: boolean): Box | null {
    let box: Box | null = null;
    for (const [k, cell] of this.cells) {
      const hasValue = cell.value !== '' && cell.value !== null;
      if (!hasValue && (valuesOnly || (cell.fill === null && cell.numberFormat === 'General'))) continue;
      const [r, c] = k.split(',').map(Number) as [number, number];
      if (!box) box = { r0: r, c0: c, r1: r, c1: c };
      else {
        box.r0 = Math.min(box.r0, r);
        box.c0 = Math.min(box.c0, c);
        box.r1 = Math.max(box.r1, r);
        box.c1 = Math.max(box.c1, c);
      }
    }
    return box;
  }
}

/** What Excel makes of a string typed into a cell of the given number format. */
export function interpretInput(
  value: SimCell,
  numberFormat: string,
): { value: SimCell; formula: string | null } {
  if (typeof value !== 'string' || numberFormat === '@') return { value, formula: null };
  if (/^[+-]?\d+(\.\d+)?$/.test(value.trim())) return { value: Number(value), formula: null };
  if (/^[=+\-@]/.test(value)) {
    const m = /^=\s*(-?\d+(?:\.\d+)?)\s*([+\-*/])\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
    if (m) {
      const a = Number(m[1]);
      const b = Number(m[3]);
      const result = m[2] === '+' ? a + b : m[2] === '-' ? a - b : m[2] === '*' ? a * b : a / b;
      return { value: result, formula: value };
    }
    return { value: '#NAME?', formula: value.startsWith('=') ? value : `=${value}` };
  }
  return { value, formula: null };
}

export interface SimOptions {
  /** Highest ExcelApi requirement set supported (e.g. '1.8', '1.9', '1.12'). */
  excelApi?: string;
}

/** The workbook's state. `execute` is one sync(): the whole batch of queued operations. */
export class SimWorkbook {
  sheets: SimSheet[] = [];
  activeSheet = 0;
  selection: { sheet: string; boxes: Box[] } | null = null;
  syncCount = 0;
  /** Workbook settings (Excel.SettingCollection): they travel with the workbook. */
  settings = new Map<string, unknown>();
  requests: { ops: number; bytes: number; responseBytes?: number }[] = [];
  suspendedCalculation = 0;
  suspendedScreenUpdating = 0;
  /**
   * A sync that wrote cells with calculation suspended leaves dependent formulas stale until the
   * workbook is re-calculated (application.calculate): "it is the developer's responsibility to
   * re-calc the workbook" (suspendApiCalculationUntilNextSync, ExcelApi 1.6).
   */
  staleFormulas = false;
  readonly excelApi: string;

  constructor(opts: SimOptions = {}) {
    this.excelApi = opts.excelApi ?? '1.12';
  }

  isSetSupported(name: string, version = '1.1'): boolean {
    if (name !== 'ExcelApi') return false;
    const [maj, min] = version.split('.').map(Number) as [number, number];
    const [hmaj, hmin] = this.excelApi.split('.').map(Number) as [number, number];
    return maj < hmaj || (maj === hmaj && (min ?? 0) <= (hmin ?? 0));
  }

  addSheet(name: string, values: SimCell[][] = [], origin = { row: 1, column: 0 }): SimSheet {
    const sheet = new SimSheet(name);
    values.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v !== '' && v !== null && v !== undefined)
          sheet.put(origin.row - 1 + r, origin.column + c, { value: v });
      }),
    );
    this.sheets.push(sheet);
    return sheet;
  }

  sheet(sel: SheetSel): SimSheet {
    // Excel finds sheets by name case-insensitively (getItem('sheet1') is Sheet1).
    const s =
      'active' in sel
        ? this.sheets[this.activeSheet]
        : this.sheets.find((x) => x.name.toLowerCase() === sel.name.toLowerCase());
    if (!s) throw new Error(`ItemNotFound: 找不到工作表 ${'name' in sel ? sel.name : '(active)'}`);
    return s;
  }

  /**
   * Merges each area as Excel's 合并单元格 does: the top-left value stays, the other cells are emptied,
   * and from then on range.values gives the value in the top-left cell only.
   */
  merge(sheet: string, ...addresses: string[]): void {
    const s = this.sheet({ name: sheet });
    for (const address of addresses) {
      const b = parseLocal(address);
      for (let r = b.r0; r <= b.r1; r++)
        for (let c = b.c0; c <= b.c1; c++)
          if (r !== b.r0 || c !== b.c0) s.put(r, c, { value: '', formula: null });
      s.merged.push(b);
    }
  }

  /** Select areas of a sheet, like a clerk's click or Ctrl+click: select('台账', 'A5:L5', 'A8:L9'). */
  select(sheet: string, ...addresses: string[]): void {
    this.selection = { sheet, boxes: addresses.map(parseLocal) };
    this.activeSheet = this.sheets.findIndex((s) => s.name === sheet);
  }

  /**
   * A visitor typing into a cell and pressing Enter, as Excel takes it: refused on a protected sheet
   * and inside a merged area's hidden cells; a number becomes a number, a leading = + - @ a formula,
   * a date typed as 2026-12-31 (or 2026/12/31) a date serial shown as a date; '' clears the value.
   * Not a sync: the add-in sees the change at its next sync, as in Excel.
   */
  typeInto(sheet: string, address: string, text: string): void {
    const s = this.sheet({ name: sheet });
    const b = parseLocal(address);
    if (s.protected)
      throw Object.assign(new Error('AccessDenied: 工作表受保护，无法更改单元格。'), {
        code: 'AccessDenied',
      });
    const hidden = s.merged.find(
      (m) => m.r0 <= b.r0 && b.r0 <= m.r1 && m.c0 <= b.c0 && b.c0 <= m.c1 && (m.r0 !== b.r0 || m.c0 !== b.c0),
    );
    if (hidden)
      throw Object.assign(
        new Error(`InvalidOperation: 不能更改合并单元格的一部分（${boxAddress(s.name, hidden)}）。`),
        { code: 'InvalidOperation' },
      );
    const cell = s.get(b.r0, b.c0);
    const date = /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*$/.exec(text);
    if (date && cell.numberFormat !== '@') {
      const utc = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
      const check = new Date(utc);
      if (check.getUTCMonth() === Number(date[2]) - 1 && check.getUTCDate() === Number(date[3])) {
        s.put(b.r0, b.c0, {
          value: (utc - Date.UTC(1899, 11, 30)) / 86_400_000,
          formula: null,
          numberFormat: /[yd]/i.test(cell.numberFormat) ? cell.numberFormat : 'yyyy-mm-dd',
        });
        return;
      }
    }
    s.put(b.r0, b.c0, interpretInput(text, cell.numberFormat));
  }

  /** Sets a cell's number format without a sync (loading a workbook file: dates keep their format). */
  setFormat(sheet: string, address: string, numberFormat: string): void {
    const b = parseLocal(address);
    this.sheet({ name: sheet }).put(b.r0, b.c0, { numberFormat });
  }

  /** What a grid draws: the used size (at least `minRows`×`minCols`), each cell, the merged areas. */
  view(
    sheet: string,
    minRows = 0,
    minCols = 0,
  ): {
    rows: number;
    cols: number;
    cell(r: number, c: number): CellState;
    merged: Box[];
    selection: Box[];
  } {
    const s = this.sheet({ name: sheet });
    const used = s.usedBox(false);
    return {
      rows: Math.max(minRows, used ? used.r1 + 1 : 0),
      cols: Math.max(minCols, used ? used.c1 + 1 : 0),
      cell: (r, c) => ({ ...s.get(r, c) }),
      merged: s.merged.map((m) => ({ ...m })),
      selection: this.selection?.sheet === sheet ? this.selection.boxes.map((x) => ({ ...x })) : [],
    };
  }

  // ----- test-side reading (not through the API, not counted)
  /** A cell's formatting (bold, size, wrap, alignment) as range.format set it. */
  style(sheet: string, address: string): CellStyle {
    const b = parseLocal(address);
    const s = this.sheet({ name: sheet });
    return { ...s.styles.get(s.key(b.r0, b.c0)) };
  }
  /** The sheet's charts, with their source as an A1 range. */
  charts(sheet: string): (Omit<SimChart, 'source'> & { source: string })[] {
    const s = this.sheet({ name: sheet });
    return s.charts.map((c) => ({ ...c, source: boxAddress(s.name, c.source).split('!')[1]! }));
  }
  cell(
    sheet: string,
    address: string,
  ): { value: SimCell; formula: string | null; numberFormat: string; fill: string | null } {
    const b = parseLocal(address);
    return { ...this.sheet({ name: sheet }).get(b.r0, b.c0) };
  }
  values(sheet: string): SimCell[][] {
    const s = this.sheet({ name: sheet });
    const box = s.usedBox(true);
    if (!box) return [];
    const out: SimCell[][] = [];
    for (let r = 0; r <= box.r1; r++) {
      const row: SimCell[] = [];
      for (let c = 0; c <= box.c1; c++) row.push(s.get(r, c).value);
      out.push(row);
    }
    return out;
  }

  private box(target: Target): { sheet: SimSheet; box: Box | null } {
    switch (target.t) {
      case 'range': {
        const sheet = this.sheet(target.sheet);
        return { sheet, box: parseLocal(target.address) };
      }
      case 'used': {
        const sheet = this.sheet(target.sheet);
        return { sheet, box: sheet.usedBox(target.valuesOnly) };
      }
      case 'selection':
      case 'selectionAreas': {
        if (!this.selection) {
          const sheet = this.sheets[this.activeSheet]!;
          return { sheet, box: { r0: 0, c0: 0, r1: 0, c1: 0 } };
        }
        const sheet = this.sheet({ name: this.selection.sheet });
        // Like Excel: getSelectedRange() "will throw an error" when several ranges are selected.
        if (target.t === 'selection' && this.selection.boxes.length > 1)
          throw Object.assign(new Error('InvalidSelection: 当前选择对此操作无效（选中了多个区域）。'), {
            code: 'InvalidSelection',
          });
        return { sheet, box: this.selection.boxes[0] ?? null };
      }
      default:
        throw new Error(`InvalidArgument: ${target.t} 不是区域`);
    }
  }

  /** One sync(): executes the batch in order and returns one result per op. */
  execute(ops: Op[]): unknown[] {
    // Excel on the web's limit is on the UTF-8 body (a Chinese character is 3 bytes), not on characters.
    const bytes = new TextEncoder().encode(JSON.stringify(ops)).length;
    this.syncCount++;
    this.requests.push({ ops: ops.length, bytes });
    if (bytes > REQUEST_LIMIT_BYTES) {
      throw Object.assign(
        new Error('RequestPayloadSizeLimitExceeded: 请求超过 5 MB（Excel 网页版的限制）。'),
        {
          code: 'RequestPayloadSizeLimitExceeded',
        },
      );
    }
    const results = ops.map((op) => this.apply(op));
    if (ops.some((o) => o.op === 'suspendCalculation') && ops.some((o) => o.op === 'setValues'))
      this.staleFormulas = true;
    if (ops.some((o) => o.op === 'calculate')) this.staleFormulas = false;
    const responseBytes = new TextEncoder().encode(JSON.stringify(results)).length;
    this.requests[this.requests.length - 1]!.responseBytes = responseBytes;
    if (responseBytes > REQUEST_LIMIT_BYTES) {
      throw Object.assign(
        new Error('ResponsePayloadSizeLimitExceeded: 响应超过 5 MB（Excel 网页版的限制）。'),
        {
          code: 'ResponsePayloadSizeLimitExceeded',
        },
      );
    }
    return results;
  }

  private apply(op: Op): unknown {
    switch (op.op) {
      case 'calculate':
        return null;
      case 'suspendCalculation':
        if (!this.isSetSupported('ExcelApi', '1.6'))
          throw new Error('ApiNotFound: suspendApiCalculationUntilNextSync');
        this.suspendedCalculation++;
        return null;
      case 'suspendScreenUpdating':
        if (!this.isSetSupported('ExcelApi', '1.9'))
          throw new Error('ApiNotFound: suspendScreenUpdatingUntilNextSync');
        this.suspendedScreenUpdating++;
        return null;
      case 'activate': {
        if (op.target.t !== 'sheet') throw new Error('InvalidArgument');
        const s = this.sheet(op.target.sheet);
        this.activeSheet = this.sheets.indexOf(s);
        return null;
      }
      case 'load':
        return this.load(op.target, op.props);
      case 'addSheet': {
        const problem = sheetNameProblem(
          op.name,
          this.sheets.map((x) => x.name),
        );
        if (problem)
          throw Object.assign(
            new Error(`${/已有/.test(problem) ? 'ItemAlreadyExists' : 'InvalidArgument'}: ${problem}`),
            { code: /已有/.test(problem) ? 'ItemAlreadyExists' : 'InvalidArgument' },
          );
        this.sheets.push(new SimSheet(op.name));
        return null;
      }
      case 'deleteSheet': {
        const s = this.sheet(op.sheet);
        if (this.sheets.length === 1)
          throw Object.assign(new Error('InvalidOperation: 工作簿至少要保留一张工作表。'), {
            code: 'InvalidOperation',
          });
        const active = this.sheets[this.activeSheet];
        this.sheets.splice(this.sheets.indexOf(s), 1);
        this.activeSheet = active === s ? 0 : this.sheets.indexOf(active!);
        if (this.selection?.sheet === s.name) this.selection = null;
        return null;
      }
      case 'merge': {
        const { sheet, box } = this.box(op.target);
        if (!box) throw new Error('InvalidArgument');
        this.beforeWrite(sheet);
        this.merge(sheet.name, boxAddress('x', box).slice(2));
        return null;
      }
      case 'setStyle': {
        const { sheet, box } = this.box(op.target);
        if (!box) throw new Error('InvalidArgument');
        this.beforeWrite(sheet);
        for (let r = box.r0; r <= box.r1; r++)
          for (let c = box.c0; c <= box.c1; c++)
            sheet.styles.set(sheet.key(r, c), { ...sheet.styles.get(sheet.key(r, c)), [op.prop]: op.value });
        return null;
      }
      case 'setColumnWidth': {
        if (!this.isSetSupported('ExcelApi', '1.2')) throw new Error('ApiNotFound: format.columnWidth');
        const { sheet, box } = this.box(op.target);
        if (!box) throw new Error('InvalidArgument');
        this.beforeWrite(sheet);
        if (!(op.width >= 0 && op.width <= 255 * 7.5))
          throw Object.assign(new Error(`InvalidArgument: 列宽 ${op.width} 超出范围`), {
            code: 'InvalidArgument',
          });
        for (let c = box.c0; c <= box.c1; c++) sheet.columnWidths.set(c, op.width);
        return null;
      }
      case 'pageLayout': {
        if (!this.isSetSupported('ExcelApi', '1.9'))
          throw new Error('ApiNotFound: pageLayout 需要 ExcelApi 1.9');
        const s = this.sheet(op.sheet);
        if (op.prop === 'paperSize' && !PAPER_SIZES.has(String(op.value)))
          throw Object.assign(new Error(`InvalidArgument: 纸张 ${String(op.value)}`), {
            code: 'InvalidArgument',
          });
        if (op.prop === 'orientation' && op.value !== 'Portrait' && op.value !== 'Landscape')
          throw Object.assign(new Error(`InvalidArgument: 方向 ${String(op.value)}`), {
            code: 'InvalidArgument',
          });
        if (op.prop === 'printTitleRows' && !/^\$\d+:\$\d+$/.test(String(op.value)))
          throw Object.assign(new Error(`InvalidArgument: 打印标题行 ${String(op.value)}`), {
            code: 'InvalidArgument',
          });
        if (op.prop === 'printArea') parseLocal(String(op.value));
        s.pageLayout = { ...s.pageLayout, [op.prop]: op.value };
        return null;
      }
      case 'addChart': {
        const s = this.sheet(op.sheet);
        if (!CHART_TYPES.has(op.type))
          throw Object.assign(new Error(`InvalidArgument: 图表类型 ${op.type}`), { code: 'InvalidArgument' });
        const { sheet, box } = this.box(op.source);
        if (!box || sheet !== s)
          throw Object.assign(new Error('InvalidArgument: 图表数据区域'), { code: 'InvalidArgument' });
        this.beforeWrite(s);
        s.charts.push({
          id: op.id,
          type: op.type,
          source: box,
          seriesBy: op.seriesBy,
          title: null,
          showValues: false,
          position: null,
        });
        return null;
      }
      case 'setChart': {
        const chart = this.sheet(op.sheet).charts.find((c) => c.id === op.id);
        if (!chart) throw Object.assign(new Error('ItemNotFound: 图表'), { code: 'ItemNotFound' });
        if (op.prop === 'title') chart.title = String(op.value);
        else if (op.prop === 'showValues') chart.showValues = Boolean(op.value);
        else {
          const p = op.value as { from: string; to: string };
          parseLocal(p.from);
          parseLocal(p.to);
          chart.position = p;
        }
        return null;
      }
      case 'setSetting':
        this.settings.set(op.key, JSON.parse(JSON.stringify(op.value)));
        return null;
      case 'cellFills': {
        if (!this.isSetSupported('ExcelApi', '1.9')) throw new Error('ApiNotFound: getCellProperties');
        const { sheet, box } = this.box(op.target);
        if (!box) return [];
        const out: { format: { fill: { color: string } } }[][] = [];
        for (let r = box.r0; r <= box.r1; r++) {
          const row: { format: { fill: { color: string } } }[] = [];
          for (let c = box.c0; c <= box.c1; c++)
            row.push({ format: { fill: { color: sheet.get(r, c).fill ?? '#FFFFFF' } } });
          out.push(row);
        }
        return out;
      }
      case 'setValues': {
        const { sheet, box } = this.box(op.target);
        if (!box) throw new Error('InvalidArgument');
        this.beforeWrite(sheet);
        const rows = box.r1 - box.r0 + 1;
        const cols = box.c1 - box.c0 + 1;
        if (op.values.length !== rows || op.values.some((r) => r.length !== cols)) {
          throw new Error(`InvalidArgument: values 的行列数与区域 ${rows}×${cols} 不符`);
        }
        // Excel keeps a merged area's value in its top-left cell only: a value written into one of its
        // hidden cells is refused, never silently stored and read back as if visible.
        op.values.forEach((row, i) =>
          row.forEach((v, j) => {
            const hidden = sheet.merged.find(
              (m) =>
                m.r0 <= box.r0 + i &&
                box.r0 + i <= m.r1 &&
                m.c0 <= box.c0 + j &&
                box.c0 + j <= m.c1 &&
                (m.r0 !== box.r0 + i || m.c0 !== box.c0 + j),
            );
            if (hidden && v !== '' && v !== null)
              throw Object.assign(
                new Error(
                  `InvalidOperation: 不能更改合并单元格的一部分（${boxAddress(sheet.name, hidden)}）。`,
                ),
                { code: 'InvalidOperation' },
              );
          }),
        );
        op.values.forEach((row, i) =>
          row.forEach((v, j) => {
            const cell = sheet.get(box.r0 + i, box.c0 + j);
            sheet.put(box.r0 + i, box.c0 + j, interpretInput(v, cell.numberFormat));
          }),
        );
        return null;
      }
      case 'setNumberFormat': {
        const { sheet, box } = this.box(op.target);
        if (!box) throw new Error('InvalidArgument');
        this.beforeWrite(sheet);
        for (let r = box.r0; r <= box.r1; r++)
          for (let c = box.c0; c <= box.c1; c++) {
            const f = op.formats[r - box.r0]?.[c - box.c0] ?? op.formats[0]?.[0] ?? 'General';
            sheet.put(r, c, { numberFormat: f });
          }
        return null;
      }
      case 'setFill': {
        const { sheet, box } = this.box(op.target);
        if (!box) throw new Error('InvalidArgument');
        this.beforeWrite(sheet);
        for (let r = box.r0; r <= box.r1; r++)
          for (let c = box.c0; c <= box.c1; c++)
            sheet.put(r, c, { fill: op.color ? op.color.toUpperCase() : null });
        return null;
      }
      case 'select': {
        const { sheet, box } = this.box(op.target);
        if (box) this.selection = { sheet: sheet.name, boxes: [box] };
        return null;
      }
    }
  }

  /**
   * Test-side: the n-th cell write (values, number format or fill) of the next syncs fails, counting
   * from 1 — Excel's batches are not transactional, the writes before it stay applied.
   */
  private failWriteNumber: number | null = null;
  private writesSeen = 0;
  failWrite(n: number | null): void {
    this.failWriteNumber = n;
    this.writesSeen = 0;
  }

  private beforeWrite(sheet: SimSheet): void {
    if (sheet.protected)
      throw Object.assign(new Error('AccessDenied: 工作表受保护，无法更改单元格。'), {
        code: 'AccessDenied',
      });
    this.writesSeen++;
    if (this.failWriteNumber !== null && this.writesSeen === this.failWriteNumber)
      throw Object.assign(new Error('GeneralException: 写入失败（模拟）。'), { code: 'GeneralException' });
  }

  private load(target: Target, props: string[]): Record<string, unknown> {
    if (target.t === 'protection') return { protected: this.sheet(target.sheet).protected };
    if (target.t === 'sheet') {
      const s = this.sheet(target.sheet);
      return { name: s.name };
    }
    if (target.t === 'app') return {};
    if (target.t === 'sheets') return { items: this.sheets.map((s) => ({ name: s.name })) };
    if (target.t === 'setting') {
      return this.settings.has(target.key)
        ? {
            isNullObject: false,
            ...(props.includes('value') ? { value: this.settings.get(target.key) } : {}),
          }
        : { isNullObject: true };
    }
    if (target.t === 'merged') {
      const { sheet, box } = this.box(target.of);
      const inside = box
        ? sheet.merged.filter((m) => m.r0 <= box.r1 && m.r1 >= box.r0 && m.c0 <= box.c1 && m.c1 >= box.c0)
        : [];
      if (inside.length > MAX_MERGED_AREAS) {
        throw Object.assign(new Error(`GeneralException: 合并区域超过 ${MAX_MERGED_AREAS} 个，无法列出`), {
          code: 'GeneralException',
        });
      }
      if (inside.length === 0) return { isNullObject: true };
      const all: Record<string, unknown> = {
        address: inside.map((m) => boxAddress(sheet.name, m)).join(','),
        areaCount: inside.length,
      };
      return { isNullObject: false, ...Object.fromEntries(props.map((p) => [p, all[p]])) };
    }
    if (target.t === 'selectionAreas') {
      const sel = this.selection ?? {
        sheet: this.sheets[this.activeSheet]!.name,
        boxes: [{ r0: 0, c0: 0, r1: 0, c1: 0 }],
      };
      return {
        address: sel.boxes.map((b) => boxAddress(sel.sheet, b)).join(','),
        areaCount: sel.boxes.length,
      };
    }
    const { sheet, box } = this.box(target);
    if (!box) return { isNullObject: true };
    const out: Record<string, unknown> = { isNullObject: false };
    for (const p of props) {
      if (p === 'values' || p === 'formulas' || p === 'numberFormat') {
        const grid: unknown[][] = [];
        for (let r = box.r0; r <= box.r1; r++) {
          const row: unknown[] = [];
          for (let c = box.c0; c <= box.c1; c++) {
            const cell = sheet.get(r, c);
            row.push(
              p === 'values'
                ? cell.value
                : p === 'formulas'
                  ? (cell.formula ?? cell.value)
                  : cell.numberFormat,
            );
          }
          grid.push(row);
        }
        out[p] = grid;
      } else if (p === 'address') out[p] = boxAddress(sheet.name, box);
      else if (p === 'rowIndex') out[p] = box.r0;
      else if (p === 'columnIndex') out[p] = box.c0;
      else if (p === 'rowCount') out[p] = box.r1 - box.r0 + 1;
      else if (p === 'columnCount') out[p] = box.c1 - box.c0 + 1;
      else throw new Error(`PropertyNotImplemented: 模拟宿主不支持属性 ${p}`);
    }
    return out;
  }
}

// ---------------------------------------------------------------- the Office.js-shaped client side

export type Transport = (ops: Op[]) => Promise<unknown[]>;

class NotLoaded extends Error {
  constructor(prop: string) {
    super(
      `PropertyNotLoaded: The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
    );
    this.name = 'PropertyNotLoaded';
  }
}

class Proxy {
  protected loaded = new Map<string, unknown>();
  protected pending = new Set<string>();
  constructor(
    protected ctx: SimContext,
    readonly target: Target,
  ) {}
  load(props?: string | string[] | Record<string, unknown>): this {
    const list =
      typeof props === 'string'
        ? props.split(',').map((s) => s.trim())
        : Array.isArray(props)
          ? props
          : props
            ? Object.keys(props)
            : this.defaultProps();
    for (const p of list) this.pending.add(p);
    this.ctx.queue({ op: 'load', target: this.target, props: list }, (result) => {
      for (const [k, v] of Object.entries(result as Record<string, unknown>)) this.loaded.set(k, v);
    });
    return this;
  }
  protected defaultProps(): string[] {
    return [];
  }
  protected read(prop: string): unknown {
    if (!this.loaded.has(prop)) throw new NotLoaded(prop);
    return this.loaded.get(prop);
  }
}

class SimFill {
  constructor(private range: SimRange) {}
  set color(c: string) {
    this.range.ctxRef.queue({ op: 'setFill', target: this.range.target, color: c });
  }
  get color(): string {
    throw new NotLoaded('format/fill/color');
  }
  clear(): void {
    this.range.ctxRef.queue({ op: 'setFill', target: this.range.target, color: null });
  }
}

class SimFont {
  constructor(private range: SimRange) {}
  set bold(v: boolean) {
    this.range.ctxRef.queue({ op: 'setStyle', target: this.range.target, prop: 'bold', value: v });
  }
  set size(v: number) {
    this.range.ctxRef.queue({ op: 'setStyle', target: this.range.target, prop: 'fontSize', value: v });
  }
}

class SimFormat {
  readonly fill: SimFill;
  readonly font: SimFont;
  constructor(private range: SimRange) {
    this.fill = new SimFill(range);
    this.font = new SimFont(range);
  }
  set wrapText(v: boolean) {
    this.range.ctxRef.queue({ op: 'setStyle', target: this.range.target, prop: 'wrapText', value: v });
  }
  set horizontalAlignment(v: string) {
    this.range.ctxRef.queue({
      op: 'setStyle',
      target: this.range.target,
      prop: 'horizontalAlignment',
      value: v,
    });
  }
  set columnWidth(v: number) {
    this.range.ctxRef.queue({ op: 'setColumnWidth', target: this.range.target, width: v });
  }
}

class SimRange extends Proxy {
  readonly format: SimFormat;
  constructor(ctx: SimContext, target: Target) {
    super(ctx, target);
    this.format = new SimFormat(this);
  }
  merge(): void {
    this.ctx.queue({ op: 'merge', target: this.target });
  }
  get ctxRef(): SimContext {
    return this.ctx;
  }
  protected override defaultProps() {
    return ['values', 'address', 'rowIndex', 'columnIndex', 'rowCount', 'columnCount'];
  }
  get values(): SimCell[][] {
    return this.read('values') as SimCell[][];
  }
  set values(v: SimCell[][]) {
    this.ctx.queue({ op: 'setValues', target: this.target, values: v });
  }
  get numberFormat(): string[][] {
    return this.read('numberFormat') as string[][];
  }
  set numberFormat(f: string[][]) {
    this.ctx.queue({ op: 'setNumberFormat', target: this.target, formats: f });
  }
  get formulas(): unknown[][] {
    return this.read('formulas') as unknown[][];
  }
  get address(): string {
    return this.read('address') as string;
  }
  get rowIndex(): number {
    return this.read('rowIndex') as number;
  }
  get columnIndex(): number {
    return this.read('columnIndex') as number;
  }
  get rowCount(): number {
    return this.read('rowCount') as number;
  }
  get columnCount(): number {
    return this.read('columnCount') as number;
  }
  get isNullObject(): boolean {
    if (!this.loaded.has('isNullObject')) throw new NotLoaded('isNullObject');
    return this.loaded.get('isNullObject') as boolean;
  }
  select(): void {
    this.ctx.queue({ op: 'select', target: this.target });
  }
  getMergedAreasOrNullObject(): SimRangeAreas {
    if (!this.ctx.supports('ExcelApi', '1.13'))
      throw new Error('ApiNotFound: getMergedAreasOrNullObject 需要 ExcelApi 1.13');
    return new SimRangeAreas(this.ctx, { t: 'merged', of: this.target });
  }
  getCellProperties(_spec: unknown): { value: unknown } {
    const result: { value: unknown; _v?: unknown; _set?: boolean } = {
      get value() {
        if (!this._set) throw new NotLoaded('CellProperties.value');
        return this._v;
      },
    };
    this.ctx.queue({ op: 'cellFills', target: this.target }, (v) => {
      result._v = v;
      result._set = true;
    });
    return result;
  }
}

class SimRangeAreas extends Proxy {
  get address(): string {
    return this.read('address') as string;
  }
  get areaCount(): number {
    return this.read('areaCount') as number;
  }
  get isNullObject(): boolean {
    if (!this.loaded.has('isNullObject')) throw new NotLoaded('isNullObject');
    return this.loaded.get('isNullObject') as boolean;
  }
}

class SimSetting extends Proxy {
  get value(): unknown {
    return this.read('value');
  }
  get isNullObject(): boolean {
    if (!this.loaded.has('isNullObject')) throw new NotLoaded('isNullObject');
    return this.loaded.get('isNullObject') as boolean;
  }
}

class SimProtection extends Proxy {
  get protected(): boolean {
    return this.read('protected') as boolean;
  }
}

class SimWorksheet extends Proxy {
  constructor(
    ctx: SimContext,
    private sel: SheetSel,
  ) {
    super(ctx, { t: 'sheet', sheet: sel });
  }
  protected override defaultProps() {
    return ['name'];
  }
  get name(): string {
    return this.read('name') as string;
  }
  /** A collection's item comes with the properties loaded with it (items/name). */
  loadedName(name: string): void {
    this.loaded.set('name', name);
  }
  private protectionProxy: SimProtection | null = null;
  get protection(): SimProtection {
    this.protectionProxy ??= new SimProtection(this.ctx, { t: 'protection', sheet: this.sel });
    return this.protectionProxy;
  }
  getRange(address: string): SimRange {
    return new SimRange(this.ctx, { t: 'range', sheet: this.sel, address });
  }
  getUsedRangeOrNullObject(valuesOnly = false): SimRange {
    return new SimRange(this.ctx, { t: 'used', sheet: this.sel, valuesOnly });
  }
  getUsedRange(valuesOnly = false): SimRange {
    return new SimRange(this.ctx, { t: 'used', sheet: this.sel, valuesOnly });
  }
  activate(): void {
    this.ctx.queue({ op: 'activate', target: this.target });
  }
  delete(): void {
    this.ctx.queue({ op: 'deleteSheet', sheet: this.sel });
  }
  /** Worksheet.pageLayout: ExcelApi 1.9 (the sync fails below it, as Office.js does). */
  get pageLayout(): {
    paperSize: string;
    orientation: string;
    leftMargin: number;
    rightMargin: number;
    centerHorizontally: boolean;
    setPrintTitleRows(rows: string): void;
    setPrintArea(area: string): void;
  } {
    const set = (prop: keyof PageLayout, value: unknown) =>
      this.ctx.queue({ op: 'pageLayout', sheet: this.sel, prop, value });
    const notLoaded = (p: string) => () => {
      throw new NotLoaded(`pageLayout/${p}`);
    };
    const layout = {
      setPrintTitleRows: (rows: string) => set('printTitleRows', rows),
      setPrintArea: (a: string) => set('printArea', a),
    };
    for (const p of ['paperSize', 'orientation', 'leftMargin', 'rightMargin', 'centerHorizontally'] as const)
      Object.defineProperty(layout, p, { set: (v: unknown) => set(p, v), get: notLoaded(p) });
    return layout as never;
  }
  get charts(): { add(type: string, source: SimRange, seriesBy?: string): SimChartProxy } {
    return {
      add: (type, source, seriesBy = 'Auto') => {
        const id = `chart-${this.ctx.nextId()}`;
        this.ctx.queue({ op: 'addChart', sheet: this.sel, id, type, source: source.target, seriesBy });
        return new SimChartProxy(this.ctx, this.sel, id);
      },
    };
  }
}

class SimChartProxy {
  readonly title: { text: string };
  readonly dataLabels: { showValue: boolean };
  constructor(
    private ctx: SimContext,
    private sheet: SheetSel,
    private id: string,
  ) {
    const set = (prop: 'title' | 'showValues', value: unknown) =>
      ctx.queue({ op: 'setChart', sheet, id, prop, value });
    this.title = {
      set text(v: string) {
        set('title', v);
      },
      get text(): string {
        throw new NotLoaded('chart/title/text');
      },
    };
    this.dataLabels = {
      set showValue(v: boolean) {
        set('showValues', v);
      },
      get showValue(): boolean {
        throw new NotLoaded('chart/dataLabels/showValue');
      },
    };
  }
  setPosition(from: string, to: string): void {
    this.ctx.queue({ op: 'setChart', sheet: this.sheet, id: this.id, prop: 'position', value: { from, to } });
  }
}

class SimWorksheetCollection extends Proxy {
  /** The loaded sheets, as Worksheet objects (their name loaded), like Office.js's collection items. */
  get items(): SimWorksheet[] {
    return (this.read('items') as { name: string }[]).map((i) => {
      const sheet = new SimWorksheet(this.ctx, { name: i.name });
      sheet.loadedName(i.name);
      return sheet;
    });
  }
  getActiveWorksheet(): SimWorksheet {
    return new SimWorksheet(this.ctx, { active: true });
  }
  getItem(name: string): SimWorksheet {
    return new SimWorksheet(this.ctx, { name });
  }
  add(name: string): SimWorksheet {
    this.ctx.queue({ op: 'addSheet', name });
    return new SimWorksheet(this.ctx, { name });
  }
}

export class SimContext {
  private ops: Op[] = [];
  private callbacks: ((v: unknown) => void)[] = [];
  readonly workbook: unknown;
  constructor(
    private transport: Transport,
    readonly supports: (name: string, version: string) => boolean,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the workbook's methods create proxies of this context
    const ctx = this;
    this.workbook = {
      worksheets: new SimWorksheetCollection(ctx, { t: 'sheets' }),
      getSelectedRange: () => new SimRange(ctx, { t: 'selection' }),
      getSelectedRanges: () => {
        if (!supports('ExcelApi', '1.9')) throw new Error('ApiNotFound: getSelectedRanges 需要 ExcelApi 1.9');
        return new SimRangeAreas(ctx, { t: 'selectionAreas' });
      },
      settings: {
        getItemOrNullObject: (key: string) => new SimSetting(ctx, { t: 'setting', key }),
        add: (key: string, value: unknown) => ctx.queue({ op: 'setSetting', key, value }),
      },
      application: {
        suspendApiCalculationUntilNextSync: () => ctx.queue({ op: 'suspendCalculation' }),
        calculate: () => ctx.queue({ op: 'calculate' }),
        suspendScreenUpdatingUntilNextSync: () => ctx.queue({ op: 'suspendScreenUpdating' }),
      },
    };
  }
  /** Chart ids unique across contexts: a chart added in one Excel.run stays addressable in the next. */
  private static ids = 0;
  nextId(): number {
    return ++SimContext.ids;
  }
  queue(op: Op, onResult?: (v: unknown) => void): void {
    this.ops.push(op);
    this.callbacks.push(onResult ?? (() => undefined));
  }
  async sync(): Promise<void> {
    const ops = this.ops;
    const callbacks = this.callbacks;
    this.ops = [];
    this.callbacks = [];
    const results = await this.transport(JSON.parse(JSON.stringify(ops)) as Op[]);
    results.forEach((r, i) => callbacks[i]!(r));
  }
}

/** The `Excel` global over a transport: Excel.run gives a fresh context per batch. */
export function simulatedExcel(transport: Transport, supports: (name: string, version: string) => boolean) {
  return {
    run: async <T>(batch: (context: SimContext) => Promise<T>): Promise<T> =>
      batch(new SimContext(transport, supports)),
  };
}

/** A host for tests in one process: the adapter's `ExcelHost` and the workbook it drives. */
export function simulatedHost(workbook: SimWorkbook) {
  const transport: Transport = async (ops) => workbook.execute(ops);
  const excel = simulatedExcel(transport, (n, v) => workbook.isSetSupported(n, v));
  return {
    workbook,
    excel: excel as unknown as { run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> },
    isSetSupported: (n: string, v: string) => workbook.isSetSupported(n, v),
  };
}
