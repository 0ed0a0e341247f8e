// Sync 1 of every command: the active sheet's values, selection, fills, merged areas, protection and the
// add-in's workbook settings in one context.sync (in blocks of rows past Excel on the web's 5 MB limit).
import {
  COLUMN_MAP_SETTING,
  PAINTED_SETTING,
  WorkbookError,
  cellAddress,
  excelCode,
  parseAddress,
  type Cell,
  type SetSupported,
  type SheetRead,
} from './host.js';

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
