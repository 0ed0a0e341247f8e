// Sync 2 of every command: the cells, fills and workbook settings of a WritePlan in one batch (more only
// past Excel on the web's 5 MB limit), text that looks like a formula kept as text.
import {
  MAX_BATCH_BYTES,
  cellAddress,
  looksLikeFormula,
  type CellWrite,
  type FillWrite,
  type SetSupported,
  type WritePlan,
} from './host.js';

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
