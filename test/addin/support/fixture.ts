// The sample ledger as Excel's range.values gives it: a merged area's value only in its top-left
// cell, dates as serial numbers, '' for empty cells.
import ExcelJS from 'exceljs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimCell } from '../../../playground/simulatedExcel.js';

export const FIXTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'fixtures',
  'ledger-2026.xlsx',
);

function excelValue(cell: ExcelJS.Cell): SimCell {
  if (cell.isMerged && cell.master !== cell) return '';
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return (v.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return (v.result as SimCell) ?? '';
    if ('text' in v) return String(v.text);
    return String(v);
  }
  return v as SimCell;
}

/** The sample ledger's first sheet: its values as Excel gives them, and its merged areas (`A1:L1`…). */
export async function fixtureSheet(
  file = FIXTURE,
): Promise<{ name: string; values: SimCell[][]; merges: string[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0]!;
  const values: SimCell[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row: SimCell[] = [];
    for (let c = 1; c <= ws.columnCount; c++) row.push(excelValue(ws.getCell(r, c)));
    values.push(row);
  }
  return { name: ws.name, values, merges: [...((ws.model as { merges?: string[] }).merges ?? [])] };
}
