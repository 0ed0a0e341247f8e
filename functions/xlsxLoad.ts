// Reads a workbook from the parts the guard (xlsxGuard.ts) has already inflated and checked, instead of
// handing exceljs a zip to open again. `Workbook.xlsx.load` would open the zip with JSZip, which copies
// the whole file byte by byte, inflates every part a second time in JavaScript (or, for stored parts,
// copies each one element by element) and decodes it again; then it turns the parsed model into a
// Worksheet, a Row and a Cell object for every cell. Together that is a quarter of a 10,000-row
// ledger's read, and the ledger reader needs neither.
//
// `parseParts` is exceljs 4.4.0's own `XLSX.load` loop (lib/xlsx/xlsx.js), part for part, fed from
// memory: each part goes to the same exceljs method with the same stream contents (XML as text in
// 16 KiB pieces, media and themes as bytes), and the model is reconciled as `load` does. `sheetRows`
// then reads the rows from that model as the Worksheet and Row objects would give them, each value made
// by exceljs's own Cell. test/functions/xlsxLoad.test.ts compares both with `load` on every kind of part.
// exceljs is pinned; a new version must be checked against its `load` before this file is trusted with it.
import type { Workbook } from 'exceljs';
import Cell from 'exceljs/lib/doc/cell.js';
import Enums from 'exceljs/lib/doc/enums.js';
import AppXform from 'exceljs/lib/xlsx/xform/core/app-xform.js';
import CoreXform from 'exceljs/lib/xlsx/xform/core/core-xform.js';
import StylesXform from 'exceljs/lib/xlsx/xform/style/styles-xform.js';
import SharedStringsXform from 'exceljs/lib/xlsx/xform/strings/shared-strings-xform.js';
import { PassThrough } from 'node:stream';

/** A part of the workbook, inflated: text already decoded, or bytes (decoded here when the part is XML). */
export type WorkbookPart = string | Uint8Array;

/** What the exceljs XLSX object offers `load` (internal to exceljs 4.4.0; not in its typings). */
interface XlsxInternals {
  parseRels(s: AsyncIterable<string> | Iterable<string>): Promise<unknown>;
  parseWorkbook(s: AsyncIterable<string> | Iterable<string>): Promise<Record<string, unknown>>;
  reconcile(model: Record<string, unknown>, options: unknown): void;
  [processor: `_process${string}Entry`]: (...args: unknown[]) => Promise<void>;
}

// exceljs writes XML into its parser in pieces of this many characters.
const CHUNK = 16 * 1024;

function text(part: WorkbookPart): string {
  return typeof part === 'string'
    ? part
    : Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('utf8');
}

function* pieces(xml: string): Generator<string> {
  for (let i = 0; i < xml.length; i += CHUNK) yield xml.substring(i, i + CHUNK);
}

/** A stream of the part's bytes, ended: what exceljs pipes media and themes from. */
function byteStream(part: WorkbookPart): PassThrough {
  const s = new PassThrough();
  s.end(typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part));
  return s;
}

// The parts exceljs reads by pattern (its `load`'s default branch), in its order of tests.
const BY_PATTERN: [RegExp, string, 'text' | 'bytes'][] = [
  [/xl\/worksheets\/sheet(\d+)[.]xml/, '_processWorksheetEntry', 'text'],
  [/xl\/worksheets\/_rels\/sheet(\d+)[.]xml.rels/, '_processWorksheetRelsEntry', 'text'],
  [/xl\/theme\/([a-zA-Z0-9]+)[.]xml/, '_processThemeEntry', 'bytes'],
  [/xl\/media\/([a-zA-Z0-9]+[.][a-zA-Z0-9]{3,4})$/, '_processMediaEntry', 'bytes'],
  [/xl\/drawings\/([a-zA-Z0-9]+)[.]xml/, '_processDrawingEntry', 'text'],
  [/xl\/(comments\d+)[.]xml/, '_processCommentEntry', 'text'],
  [/xl\/tables\/(table\d+)[.]xml/, '_processTableEntry', 'text'],
  [/xl\/drawings\/_rels\/([a-zA-Z0-9]+)[.]xml[.]rels/, '_processDrawingRelsEntry', 'text'],
  [/xl\/drawings\/(vmlDrawing\d+)[.]vml/, '_processVmlDrawingEntry', 'text'],
];

/**
 * The workbook model exceljs's `load` builds from `parts` (zip path → content, in the zip's order),
 * reconciled (shared strings, styles, dates, hyperlinks, notes in place), before it is applied to a
 * Workbook. Directories are not parts; a leading "/" of a path is dropped, as exceljs does.
 */
export async function parseParts(
  wb: Workbook,
  parts: Iterable<[string, WorkbookPart]>,
): Promise<Record<string, unknown>> {
  const xlsx = wb.xlsx as unknown as XlsxInternals;
  const model: Record<string, unknown> = {
    worksheets: [],
    worksheetHash: {},
    worksheetRels: [],
    themes: {},
    media: [],
    mediaIndex: {},
    drawings: {},
    drawingRels: {},
    comments: {},
    tables: {},
    vmlDrawings: {},
  };
  for (const [path, part] of parts) {
    const name = path.startsWith('/') ? path.slice(1) : path;
    try {
      await parsePart(xlsx, model, name, part);
    } catch (e) {
      throw new PartUnreadable(name, e);
    }
  }
  // Each worksheet model keeps the part it came from (reconcile drops the map of them): the guard's
  // facts (its merges) are the part's, whatever name the sheet has.
  for (const [path, ws] of Object.entries(model.worksheetHash as Record<string, SheetModel>)) ws.part = path;
  try {
    xlsx.reconcile(model, undefined);
  } catch (e) {
    // The parts parsed, but refer to one another wrongly (a style or a string that is not there).
    throw new PartUnreadable('', e);
  }
  return model;
}

/**
 * A part of the workbook exceljs could not parse (`part`; '' when the parts parsed but do not fit
 * together), with exceljs's own account of why (`detail`, English).
 */
export class PartUnreadable extends Error {
  /** exceljs's own words (the XML parser's, with its line and column). */
  readonly detail: string;
  constructor(
    readonly part: string,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${part || 'workbook'}: ${detail}`, { cause });
    this.detail = detail;
  }
}

/** One part into the model, as exceljs's `load` loop body does it. */
async function parsePart(
  xlsx: XlsxInternals,
  model: Record<string, unknown>,
  name: string,
  part: WorkbookPart,
): Promise<void> {
  switch (name) {
    case '_rels/.rels':
      model.globalRels = await xlsx.parseRels(pieces(text(part)));
      return;
    case 'xl/workbook.xml': {
      const workbook = await xlsx.parseWorkbook(pieces(text(part)));
      model.sheets = workbook.sheets;
      model.definedNames = workbook.definedNames;
      model.views = workbook.views;
      model.properties = workbook.properties;
      model.calcProperties = workbook.calcProperties;
      return;
    }
    case 'xl/_rels/workbook.xml.rels':
      model.workbookRels = await xlsx.parseRels(pieces(text(part)));
      return;
    case 'xl/sharedStrings.xml': {
      const xform = new SharedStringsXform();
      await xform.parseStream(pieces(text(part)));
      model.sharedStrings = xform;
      return;
    }
    case 'xl/styles.xml': {
      const xform = new StylesXform();
      await xform.parseStream(pieces(text(part)));
      model.styles = xform;
      return;
    }
    case 'docProps/app.xml': {
      const app = (await new AppXform().parseStream(pieces(text(part)))) as Record<string, unknown>;
      model.company = app.company;
      model.manager = app.manager;
      return;
    }
    case 'docProps/core.xml':
      Object.assign(model, await new CoreXform().parseStream(pieces(text(part))));
      return;
  }
  for (const [pattern, method, kind] of BY_PATTERN) {
    const match = pattern.exec(name);
    if (!match) continue;
    const content = kind === 'bytes' ? byteStream(part) : pieces(text(part));
    const args: unknown[] =
      method === '_processWorksheetEntry'
        ? [content, model, match[1], undefined, name]
        : [content, model, match[1]];
    await xlsx[method as `_process${string}Entry`]!(...args);
    return;
  }
}

/** Loads `parts` into `wb`, as `wb.xlsx.load` loads the zip they came from. */
export async function loadParts(wb: Workbook, parts: Iterable<[string, WorkbookPart]>): Promise<Workbook> {
  (wb as unknown as { model: unknown }).model = await parseParts(wb, parts);
  return wb;
}

/**
 * A worksheet's cells as `Worksheet.findRow(r).values` gives them (`rowValues(r)[c]` is column c's
 * value), except that a formula keeps a falsy result (see below), and that what Excel never writes and
 * exceljs would read by losing a value throws SheetProblem.
 */
export interface SheetRows {
  name: string;
  /** The zip path of the sheet's part. */
  part: string;
  /** `Worksheet.rowCount`: the last row number that has a row. */
  rowCount: number;
  rowValues(row: number): unknown[];
}

interface CellModel {
  type: number;
  address?: string;
  value?: unknown;
  /** A formula's result as the file caches it. */
  result?: unknown;
}
interface RowModel {
  number: number;
  cells: CellModel[];
}
interface SheetModel {
  id?: number;
  name?: string;
  rows: RowModel[];
  /** The zip path of its part (set by parseParts). */
  part?: string;
}

// exceljs's Cell turns a cell's model into its value (`cell.value`); one Cell, given each model in turn,
// gives every value exactly as the workbook's own cells would, without building them.
const { ValueType } = Enums;
const CELL = new Cell({ style: {} }, { style: {} }, 'A1');

// A cell's position as exceljs's address parser reads it: letters then digits, each maybe after a "$"
// (Excel writes A1; other programs $A$1 or a1). Three letters at most: Excel's last column is XFD.
const ADDRESS = /^\$?([A-Za-z]{1,3})\$?(\d+)$/;

/** The column of a cell's address (1 = A) when it is an address in row `row`; 0 when it is not one, -1 when it is another row's. */
function columnOf(address: string, row: number): number {
  const parts = ADDRESS.exec(address);
  if (!parts) return 0;
  // exceljs places a cell by its address's column and its row's number, ignoring the address's row:
  // `<row r="2"><c r="B9">` would read as B2. Excel never writes that, so it is refused, not guessed.
  if (Number(parts[2]) !== row) return -1;
  const letters = parts[1]!;
  let col = 0;
  for (let i = 0; i < letters.length; i++) col = col * 26 + (letters.charCodeAt(i) & 0x5f) - 64;
  return col;
}

/** The last row and column a reader accepts: past them, `sheetRows` throws OutsideBounds. */
export interface SheetBounds {
  rows: number;
  columns: number;
}

/**
 * What a sheet holds that Excel never writes, and that read as exceljs reads it would lose or misplace a
 * value: refused, never read as some other cell, never dropped.
 * - `address`: a cell whose address is not one (`r="12"`, `r="A-1"`, four letters or more);
 * - `cellRow`: a cell whose address is in another row than the row holding it (`<row r="2"><c r="B9">`);
 * - `cell` / `row`: a cell or a row at a position another one already has (the later would replace it);
 * - `sharedText`: a text cell that points into shared strings the file does not have;
 * - `sheetName`: a second sheet of the same name (but for case);
 * - `sheetId`: a sheet whose id exceljs cannot list it by (it would be left out).
 */
export class SheetProblem extends Error {
  constructor(
    readonly kind: 'address' | 'cellRow' | 'cell' | 'row' | 'sharedText' | 'sheetName' | 'sheetId',
    readonly sheet: string,
    readonly row = 0,
    readonly detail = '',
  ) {
    super(`${sheet}: ${kind} problem at row ${row} ${detail}`);
  }
}

/** A row (`column` undefined) or a cell of a sheet past the SheetBounds. */
export class OutsideBounds extends Error {
  constructor(
    readonly sheet: string,
    readonly row: number,
    readonly column?: number,
  ) {
    super(
      `${sheet}: ${column === undefined ? `row ${row}` : `column ${column} of row ${row}`} is out of bounds`,
    );
  }
}

/**
 * The worksheets of a parsed model as `Workbook.worksheets` lists them (by their order in the workbook)
 * with each row's values as `Row.values` gives them (a formula's falsy result kept), without making the
 * Worksheet, Row and Cell objects that applying the model to a Workbook makes (a fifth of a large
 * ledger's read). A row or a cell past `bounds` throws OutsideBounds.
 */
export function sheetRows(model: Record<string, unknown>, bounds: SheetBounds): SheetRows[] {
  const defs = (model.sheets ?? []) as { id: number }[];
  // Workbook.model: the workbook's worksheets, listed by id and then ordered by their place among the
  // workbook's sheets.
  const byId = new Map<number, SheetModel>();
  const names = new Set<string>();
  for (const ws of model.worksheets as SheetModel[]) {
    // A sheet the workbook lists has a name (reconcile gives it); a part it does not list has none and
    // is not a sheet, for exceljs as for Excel.
    if (ws.name === undefined) continue;
    if (names.has(ws.name.toLowerCase())) throw new SheetProblem('sheetName', ws.name);
    names.add(ws.name.toLowerCase());
    // Kept in a map, not an array indexed by id as exceljs does: any id reads (4,294,967,295 included),
    // and a sheet is never left out for its id; only two sheets sharing one are refused.
    const id = ws.id;
    if (typeof id !== 'number' || !Number.isFinite(id) || byId.has(id))
      throw new SheetProblem('sheetId', ws.name, 0, String(id));
    byId.set(id, ws);
  }
  const sheets = [...byId.values()]
    .map((ws) => ({ ws, order: defs.findIndex((d) => d.id === ws.id) }))
    .sort((a, b) => a.order - b.order || a.ws.id! - b.ws.id!);
  return sheets.map(({ ws }) => {
    // Worksheet._parseRows: a row's place is its number; a row without a number follows the one before
    // it, as in Excel (and as the guard counts it). Two rows at one place are refused: exceljs would
    // let the later replace the earlier.
    // Positions as exceljs parsed them (whatever spelling of the XML gave them) are bounded before any
    // row is laid out: a row past the bounds would make the reader walk every row number up to it.
    const rows: RowModel[] = [];
    let previous = 0;
    const name = ws.name!;
    for (const r of ws.rows) {
      const number = Number.isInteger(r.number) && r.number >= 1 ? r.number : previous + 1;
      if (number > bounds.rows) throw new OutsideBounds(name, number);
      if (rows[number - 1] !== undefined) throw new SheetProblem('row', name, number);
      rows[number - 1] = r;
      previous = number;
    }
    const rowCount = rows.length;
    return {
      name,
      part: ws.part ?? '',
      rowCount,
      rowValues(row: number): unknown[] {
        const model = rows[row - 1];
        const values: unknown[] = [];
        if (!model) return values;
        // Row.model: a cell's column is its address's; a cell without one follows the previous cell
        // (the first such cell of a row is column A, as in Excel). A merged cell's model is skipped;
        // two cells at one column are refused (exceljs would keep the later).
        const byColumn: CellModel[] = [];
        let col = 0;
        for (const cell of model.cells) {
          if (cell.type === ValueType.Merge) continue;
          if (cell.address) {
            col = columnOf(cell.address, row);
            if (col === 0) throw new SheetProblem('address', name, row, cell.address);
            if (col === -1) throw new SheetProblem('cellRow', name, row, cell.address);
          } else col++;
          // A cell far to the right would make the row's values that long.
          if (col > bounds.columns) throw new OutsideBounds(name, row, col);
          if (byColumn[col] !== undefined) throw new SheetProblem('cell', name, row, String(col));
          // A text cell still holding an index: the file has no shared strings to look it up in.
          if (cell.type === ValueType.String && typeof cell.value === 'number')
            throw new SheetProblem('sharedText', name, row);
          byColumn[col] = cell;
        }
        for (let c = 1; c < byColumn.length; c++) {
          const cell = byColumn[c];
          if (!cell || cell.type === ValueType.Null) continue;
          CELL.model = cell;
          const value = CELL.value;
          // A formula's value keeps its result even when that is 0, FALSE or "": exceljs's own copy
          // leaves a falsy result out, which would read a formula that sums to 0 as an empty cell
          // where Excel's range.values (the add-in's read) gives 0.
          if (cell.type === ValueType.Formula && cell.result !== undefined)
            values[c] = { ...(value as object), result: cell.result };
          else values[c] = value;
        }
        return values;
      },
    };
  });
}
