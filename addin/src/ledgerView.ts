// The ledger as the add-in sees it: what readLedger (shared/ledger) makes of the sheet's values, in
// sheet coordinates, and the writes a command makes from it. No Excel calls here (those are in excel/).
import {
  type ColumnMap,
  columnIndex,
  LEDGER_FIELDS,
  type LedgerField,
  readLedger,
  type LedgerResult,
  type LedgerTaskRead,
} from '../../shared/ledger/index.js';
import type { CardState, IsoDate, LedgerTask, Problem, Stars } from '../../shared/model.js';
import type { Settings } from '../../shared/settings.js';
import type { CellWrite, FillWrite, SheetRead } from './excel/workbook.js';

export const ID_HEADER = '督办编号';
export const STATUS_HEADER = '办理状态';
/** Non-standard cells (R1) get Excel's own "Bad" fill, distinct from the three card colours (R13). */
export const PROBLEM_FILL = '#FFC7CE';

// A1 ranges and merged areas are read by the ledger's one merges module, in the sheet coordinates used
// here (sheet rows, 0-based columns); the pane and the commands take them from this module.
export { columnIndex, hiddenByMerge } from '../../shared/ledger/index.js';

export class LedgerError extends Error {}

type Field = keyof LedgerResult['header']['columns'];

export interface LedgerView {
  read: SheetRead;
  ledger: LedgerResult;
  /** The sheet column (0-based) of a field, or null when the ledger has no such column. */
  column(field: Field): number | null;
  /** First and last sheet columns of the ledger (the id/status columns included once added). */
  firstColumn: number;
  lastColumn: number;
  /** The header row the 督办编号 and 办理状态 headers go in. */
  headerRow: number;
  taskAt(row: number): LedgerTask | undefined;
  /** Selected rows that are tasks, in sheet order. */
  selectedTasks: LedgerTask[];
}

function parseColumnMaps(setting: unknown): Record<string, Record<string, LedgerField>> {
  if (typeof setting !== 'string' || setting === '') return {};
  try {
    const v = JSON.parse(setting) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, Record<string, LedgerField>>)
      : {};
  } catch {
    return {}; // a damaged setting maps nothing; the next mapping rewrites it
  }
}

/**
 * The clerk's header mapping of a sheet (R4): the backend's copy (settings.columnMaps) with the
 * workbook's own (COLUMN_MAP_SETTING) over it. Only known fields are kept.
 */
export function columnMapOf(setting: unknown, settings: Settings, sheetName: string): ColumnMap {
  const out: Record<string, LedgerField> = {};
  const fields = new Set<string>(LEDGER_FIELDS);
  for (const source of [settings.columnMaps?.[sheetName], parseColumnMaps(setting)[sheetName]])
    for (const [label, field] of Object.entries(source ?? {}))
      if (typeof field === 'string' && fields.has(field)) out[label] = field;
  return out;
}

/** The workbook setting's new value with `map` added to the sheet's mapping. */
export function withColumnMap(setting: unknown, sheetName: string, map: ColumnMap): string {
  const all = parseColumnMaps(setting);
  return JSON.stringify({ ...all, [sheetName]: { ...(all[sheetName] ?? {}), ...map } });
}

/** `today` (CST, the env's clock) gives the ledger's year when neither its title nor the settings do (R22). */
export function viewLedger(read: SheetRead, settings: Settings, today?: IsoDate): LedgerView {
  if (read.values.length === 0)
    throw new LedgerError(`工作表“${read.sheetName}”是空的，请切换到台账工作表后再试。`);
  // Sheet coordinates throughout: rows and column letters of problems are the sheet's, and the merged
  // areas (R4: Excel gives a merged value in the top-left cell only) are placed by them.
  const ledger = readLedger(read.values, {
    firstRow: read.firstRow,
    firstColumn: read.firstColumn + 1,
    ...(read.merges ? { merges: read.merges } : { inferMerges: true }),
    columnMap: columnMapOf(read.columnMap, settings, read.sheetName),
    settings,
    ...(today ? { today } : {}),
  });
  if (ledger.header.rows.length === 0) {
    throw new LedgerError(
      `工作表“${read.sheetName}”中没有找到台账表头（工作任务、牵头单位、完成时限等），请切换到台账工作表后再试。`,
    );
  }
  const columns = ledger.header.columns as Partial<Record<Field, number>>;
  const width = read.values.reduce((m, r) => Math.max(m, r.length), 0);
  const byRow = new Map(ledger.tasks.map((t) => [t.row, t]));
  return {
    read,
    ledger,
    column: (field) => {
      const c = columns[field];
      return c === undefined ? null : read.firstColumn + c;
    },
    firstColumn: read.firstColumn,
    lastColumn: read.firstColumn + width - 1,
    headerRow: ledger.header.rows.reduce((m, r) => Math.min(m, r), Infinity),
    taskAt: (row) => byRow.get(row),
    selectedTasks: read.selectedRows
      .map((r) => byRow.get(r))
      .filter((t): t is LedgerTaskRead => t !== undefined),
  };
}

/**
 * Stable ids (督办编号) for tasks that have none: `DB-<year>-<nnnn>`, numbered after the highest
 * number already in the ledger, so a row keeps its id when rows are inserted or sorted (序号 does not).
 */
export function assignIds(view: LedgerView): {
  tasks: (LedgerTask & { id: string })[];
  writes: CellWrite[];
  /** Rows whose id repeated an earlier row's (a copied row): they got a new id, and say so. */
  renumbered: string[];
} {
  const year = view.ledger.year;
  const prefix = `DB-${year}-`;
  let max = 0;
  for (const t of view.ledger.tasks) {
    if (t.id?.startsWith(prefix)) {
      const n = Number(t.id.slice(prefix.length));
      if (Number.isInteger(n) && n > max) max = n;
    }
  }
  let idColumn = view.column('id');
  const writes: CellWrite[] = [];
  if (idColumn === null) {
    idColumn = view.lastColumn + 1;
    writes.push({ row: view.headerRow, column: idColumn, value: ID_HEADER });
  }
  const seen = new Map<string, number>();
  const renumbered: string[] = [];
  const tasks = view.ledger.tasks.map((t) => {
    const existing = t.id?.trim();
    if (existing && !seen.has(existing)) {
      seen.set(existing, t.row);
      return { ...t, id: existing };
    }
    const id = `${prefix}${String(++max).padStart(4, '0')}`;
    if (existing)
      renumbered.push(
        `第${t.row}行的督办编号 ${existing} 与第${seen.get(existing)}行重复（复制的行？），已改为 ${id}`,
      );
    writes.push({ row: t.row, column: idColumn, value: id });
    return { ...t, id };
  });
  return { tasks, writes, renumbered };
}

export function starText(stars: Stars): string {
  return '★'.repeat(stars);
}

/** The cells of one sheet the add-in painted: row → column → the colour it wrote. */
export type Painted = Map<number, Map<number, string>>;

type PaintedSetting = Record<string, Record<string, [number, number, string][]>>;

function parsePainted(setting: unknown): PaintedSetting {
  try {
    const v: unknown = typeof setting === 'string' ? JSON.parse(setting) : setting;
    return v && typeof v === 'object' ? (v as PaintedSetting) : {};
  } catch {
    return {};
  }
}

/** The record (workbook setting PAINTED_SETTING) of the cells the add-in painted on `sheetName`. */
export function paintedOf(setting: unknown, sheetName: string): Painted {
  const out: Painted = new Map();
  for (const [row, runs] of Object.entries(parsePainted(setting)[sheetName] ?? {})) {
    if (!Array.isArray(runs)) continue;
    const cols = new Map<number, string>();
    for (const run of runs) {
      if (!Array.isArray(run)) continue;
      const [c0, c1, color] = run;
      if (typeof c0 !== 'number' || typeof c1 !== 'number' || typeof color !== 'string') continue;
      for (let c = c0; c <= c1; c++) cols.set(c, color.toUpperCase());
    }
    if (cols.size) out.set(Number(row), cols);
  }
  return out;
}

/**
 * The record after `fills` are written (a colour recorded, a clear forgotten), as the setting's new
 * value: written in the same batch as the fills, so the record and the cells never disagree.
 */
export function withPainted(setting: unknown, sheetName: string, fills: FillWrite[]): string {
  const painted = paintedOf(setting, sheetName);
  for (const f of fills) {
    const cols = painted.get(f.row) ?? new Map<number, string>();
    for (let c = f.column; c <= f.columnEnd; c++) {
      if (f.color === null) cols.delete(c);
      else cols.set(c, f.color.toUpperCase());
    }
    if (cols.size) painted.set(f.row, cols);
    else painted.delete(f.row);
  }
  const rows: Record<string, [number, number, string][]> = {};
  for (const [row, cols] of [...painted].sort((a, b) => a[0] - b[0])) {
    const runs: [number, number, string][] = [];
    for (const [c, color] of [...cols].sort((a, b) => a[0] - b[0])) {
      const last = runs[runs.length - 1];
      if (last && last[1] === c - 1 && last[2] === color) last[1] = c;
      else runs.push([c, c, color]);
    }
    rows[String(row)] = runs;
  }
  return JSON.stringify({ ...parsePainted(setting), [sheetName]: rows });
}

/**
 * Fills for rows of the ledger: each task row in its lead unit's card colour (R13), each non-standard
 * cell (R1) marked. `states` null means card states are unknown (backend not reached): card colours
 * are then left as they are. With `current` fills (ExcelApi 1.9) only differing cells are written, and
 * a fill is cleared only when the add-in painted that cell with that very colour (`painted`, the
 * workbook's record) — a clerk's own colours are never erased, even in the same palette colours
 * (#FFD966 and #F4B183 are swatches of Excel's default theme, #FFC7CE its “Bad” style).
 */
export function paintRows(input: {
  view: LedgerView;
  rows: Iterable<number>;
  states: Map<string, CardState> | null;
  problems: Problem[];
  colors: Settings['cardColors'];
  current?: (string | null)[][] | null;
  lastColumn?: number;
  painted?: Painted;
}): FillWrite[] {
  const { view, states, colors } = input;
  const first = view.firstColumn;
  const last = input.lastColumn ?? view.lastColumn;
  const ours = (row: number, col: number, current: string) => input.painted?.get(row)?.get(col) === current;
  const marks = new Map<number, Set<number>>();
  for (const p of input.problems) {
    const set = marks.get(p.row) ?? new Set<number>();
    set.add(p.column ? columnIndex(p.column) : first);
    marks.set(p.row, set);
  }
  const out: FillWrite[] = [];
  for (const row of new Set(input.rows)) {
    const task = view.taskAt(row);
    let rowColor: string | null | undefined;
    if (states === null) rowColor = undefined;
    else {
      // A jointly led task's row shows the most severe card state of its lead units (R13).
      let state: CardState = 'none';
      for (const unit of task?.leadUnits ?? []) {
        const s = states.get(unit) ?? 'none';
        if (SEVERITY[s] > SEVERITY[state]) state = s;
      }
      rowColor = state === 'none' ? null : colors[state].toUpperCase();
    }
    const currentRow = input.current?.[row - view.read.firstRow];
    let run: FillWrite | null = null;
    for (let col = first; col <= last; col++) {
      const marked = marks.get(row)?.has(col) ?? false;
      const current = currentRow ? (currentRow[col - first] ?? null) : undefined;
      let desired: string | null | undefined = marked ? PROBLEM_FILL : rowColor;
      if (desired === undefined && current === PROBLEM_FILL && ours(row, col, current)) desired = null;
      let write = false;
      if (desired !== undefined) {
        if (current === undefined) write = desired !== null;
        else if (desired === null) write = current !== null && ours(row, col, current);
        else write = current !== desired;
      }
      if (write && run && run.color === desired && run.columnEnd === col - 1) {
        run.columnEnd = col;
        continue;
      }
      if (run) out.push(run);
      run = write ? { row, column: col, columnEnd: col, color: desired ?? null } : null;
    }
    if (run) out.push(run);
  }
  return out;
}

const SEVERITY: Record<CardState, number> = { none: 0, yellow: 1, orange: 2, red: 3 };

/** The rows of every task whose lead unit is one of `units` (R13 colours the unit's rows). */
export function rowsOfUnits(view: LedgerView, units: Iterable<string>): number[] {
  const set = new Set(units);
  return view.ledger.tasks.filter((t) => t.leadUnits.some((u) => set.has(u))).map((t) => t.row);
}
