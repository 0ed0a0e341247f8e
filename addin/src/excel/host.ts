// The Excel adapter's vocabulary: what a read gives and a write takes, Excel's errors and addresses,
// the workbook settings the add-in keeps, the host (the real Excel, office-addin-mock or the simulated
// host) and jump-to-cell. Reading is in read.ts, writing in write.ts, the round-up sheet in roundupSheet.ts.
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

/** The workbook setting that records the cells the add-in painted (ledgerView: paintedOf/withPainted). */
export const PAINTED_SETTING = 'duban.painted';
/** The workbook setting that keeps the clerk's header mapping per sheet (ledgerView: columnMapOf/withColumnMap). */
export const COLUMN_MAP_SETTING = 'duban.columnMap';

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
