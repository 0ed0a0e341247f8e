// A workbook file read in the browser (ExcelJS) into the in-browser Excel: every sheet, values as
// Excel's range.values gives them (a merged area's value in its top-left cell only, dates as serial
// numbers shown with a date format, formulas by their last result), and the merged areas.
import ExcelJS from 'exceljs';
import { SimWorkbook, type SimCell } from '../simulatedExcel.js';

/** The most rows the playground takes from one sheet (a browser tab, not a server). */
export const MAX_ROWS = 5000;
export const MAX_COLUMNS = 100;

function excelValue(cell: ExcelJS.Cell): { value: SimCell; date: boolean } {
  if (cell.isMerged && cell.master !== cell) return { value: '', date: false };
  const v = cell.value;
  if (v === null || v === undefined) return { value: '', date: false };
  if (v instanceof Date) return { value: (v.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000, date: true };
  if (typeof v === 'object') {
    if ('richText' in v) return { value: v.richText.map((t) => t.text).join(''), date: false };
    if ('result' in v) {
      const r = v.result;
      if (r instanceof Date)
        return { value: (r.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000, date: true };
      return { value: (r as SimCell) ?? '', date: false };
    }
    if ('text' in v) return { value: String(v.text), date: false };
    if ('error' in v) return { value: String(v.error), date: false };
    return { value: String(v), date: false };
  }
  return { value: v as SimCell, date: false };
}

export interface LoadedWorkbook {
  workbook: SimWorkbook;
  /** What was left out (rows or columns past the limits), in Chinese; empty when nothing. */
  warnings: string[];
}

export async function loadXlsx(data: ArrayBuffer, excelApi = '1.13'): Promise<LoadedWorkbook> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data);
  } catch (e) {
    throw new Error(`无法读取此文件（仅支持 .xlsx）：${e instanceof Error ? e.message : String(e)}`);
  }
  const workbook = new SimWorkbook({ excelApi });
  const warnings: string[] = [];
  for (const ws of wb.worksheets) {
    const rows = Math.min(ws.rowCount, MAX_ROWS);
    const cols = Math.min(ws.columnCount, MAX_COLUMNS);
    if (ws.rowCount > MAX_ROWS) warnings.push(`工作表「${ws.name}」只载入了前 ${MAX_ROWS} 行`);
    if (ws.columnCount > MAX_COLUMNS) warnings.push(`工作表「${ws.name}」只载入了前 ${MAX_COLUMNS} 列`);
    const values: SimCell[][] = [];
    const dates: string[] = [];
    for (let r = 1; r <= rows; r++) {
      const row: SimCell[] = [];
      for (let c = 1; c <= cols; c++) {
        const cell = ws.getCell(r, c);
        const { value, date } = excelValue(cell);
        if (date) dates.push(cell.address);
        row.push(value);
      }
      values.push(row);
    }
    workbook.addSheet(ws.name, values);
    for (const address of dates) workbook.setFormat(ws.name, address, 'yyyy-mm-dd');
    const merges = ((ws.model as { merges?: string[] }).merges ?? []).filter((m) => {
      const end = /([A-Z]+)(\d+)$/.exec(m);
      return !end || Number(end[2]) <= rows;
    });
    if (merges.length) workbook.merge(ws.name, ...merges);
  }
  if (workbook.sheets.length === 0) throw new Error('此文件没有工作表');
  return { workbook, warnings };
}
