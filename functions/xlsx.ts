// The .xlsx side of the ledger reader: a workbook file → each sheet's cell values as Excel's
// `range.values` gives them (dates as serials, rich text as text, formulas as results), so that
// shared/ledger reads a file on disk exactly as it reads the open workbook in the add-in.
// The Workbook class alone, not the package's entry point (see exceljsInternals.d.ts).
import Workbook from 'exceljs/lib/doc/workbook.js';
import { access, constants, readFile, stat } from 'node:fs/promises';
import { type CellValue, type ColumnMap, columnLetter, headerScore } from '../shared/ledger/index.js';
import {
  OutsideBounds,
  parseParts,
  PartUnreadable,
  SheetProblem,
  type SheetRows,
  sheetRows,
} from './xlsxLoad.js';
import {
  checkFileSize,
  guardWorkbook,
  type GuardedWorkbook,
  LEDGER_LIMITS,
  type MergeArea,
  outsideLedger,
  SAVE_AS_XLSX,
  WorkbookRefused,
} from './xlsxGuard.js';

export interface SheetValues {
  name: string;
  /** Row 1 to the last row with a value, column A to the last column with a value. */
  values: CellValue[][];
}

const MS_PER_DAY = 86_400_000;
/** Excel serial of 1970-01-01 (1900 system). */
const UNIX_EPOCH_SERIAL = 25_569;

const richTexts = new WeakMap<object, string>();

/** One exceljs cell value → what Excel's `range.values` gives for it. */
export function toCellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'object':
      break;
    default:
      return String(v);
  }
  // exceljs gives dates as JS Dates at UTC midnight (plus the time of day, if any).
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isNaN(t) ? '' : t / MS_PER_DAY + UNIX_EPOCH_SERIAL;
  }
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) {
    // Cells that use one shared rich text share its object: joined once, not once a cell (a 30,000-
    // character text in a million cells would otherwise be a million copies).
    let text = richTexts.get(o);
    if (text === undefined)
      richTexts.set(
        o,
        (text = (o.richText as { text?: unknown }[]).map((r) => String(r.text ?? '')).join('')),
      );
    return text;
  }
  if ('formula' in o || 'sharedFormula' in o) return 'result' in o ? toCellValue(o.result) : '';
  if ('hyperlink' in o || 'text' in o) return toCellValue(o.text);
  if ('error' in o) return String(o.error);
  return '';
}

function isEmpty(v: CellValue): boolean {
  return v === '' || v === null || v === undefined;
}

/** Copies each merged area's top-left value into its empty cells, inside the values' own extent. */
function fillMerges(values: CellValue[][], merges: readonly MergeArea[], width: number): void {
  for (const m of merges) {
    if (m.top > values.length || m.left > width) continue;
    const v = values[m.top - 1]![m.left - 1];
    if (v === undefined || isEmpty(v)) continue;
    const bottom = Math.min(m.bottom, values.length);
    const right = Math.min(m.right, width);
    for (let r = m.top; r <= bottom; r++) {
      const row = values[r - 1]!;
      for (let c = m.left; c <= right; c++) if (isEmpty(row[c - 1]!)) row[c - 1] = v;
    }
  }
}

/**
 * Every worksheet of an .xlsx file with its values. Merged cells hold the merged value in each cell
 * of the area (as an xlsx reader gives it); the reader reads that the same as Excel's top-left-only values.
 * The file is checked against LEDGER_LIMITS before it is parsed (functions/xlsxGuard.ts).
 * Throws an Error with a printable message (中文 + English) when the file is missing or unreadable, and a
 * WorkbookRefused (Chinese) for an .xls/.et file or one past a limit.
 */
export async function readWorkbookSheets(path: string): Promise<SheetValues[]> {
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new Error(`找不到文件或无权读取：${path}`);
  }
  // The size on disk before a byte is read: a huge file is refused without loading it.
  const size = (await stat(path)).size;
  checkFileSize(size, path);
  const guarded = guardWorkbook(await readFile(path), path);
  let model;
  try {
    model = await parseParts(new Workbook(), guarded.parts);
  } catch (e) {
    // A part that is not well-formed XML (or parts that do not fit together) is a damaged file: said
    // in the guard's words, naming the part; exceljs's English account stays as the detail.
    const part = e instanceof PartUnreadable ? e.part : '';
    const why = e instanceof PartUnreadable ? e.detail : e instanceof Error ? e.message : String(e);
    const shown = why.length > 200 ? `${why.slice(0, 200)}…` : why;
    throw new WorkbookRefused(
      part
        ? `无法读取工作簿：“${path}”中的 ${part} 无法解析，不是完好的 .xlsx 文件（${shown}）；${SAVE_AS_XLSX}`
        : `无法读取工作簿：“${path}”的各部分之间对不上（引用了文件中没有的文字或样式），不是完好的 .xlsx 文件（${shown}）；${SAVE_AS_XLSX}`,
    );
  }
  try {
    return sheetValues(sheetRows(model, LEDGER_LIMITS), guarded.sheets);
  } catch (e) {
    // The guard reads positions from the XML text; exceljs's parse is what counts (an attribute in
    // single quotes or with a character reference is the same position to it).
    if (e instanceof OutsideBounds) throw outsideLedger(e.sheet, e.row, e.column);
    if (e instanceof SheetProblem) throw new WorkbookRefused(sheetProblemMessage(e));
    throw e;
  }
}

const RESAVE = '文件可能由其他程序生成或已损坏；请在 Excel 或 WPS 表格中打开它，另存为 .xlsx 后再试';

/** What a sheet holds that Excel never writes, for the clerk (SheetProblem). */
function sheetProblemMessage(e: SheetProblem): string {
  const where = `工作表“${e.sheet}”`;
  // An address as the file spells it, cut to 20 characters (a crafted one may be megabytes of digits).
  const shown = e.detail.length > 20 ? `${e.detail.slice(0, 20)}…` : e.detail;
  switch (e.kind) {
    case 'address':
      return `${where}第 ${e.row} 行有一个单元格的位置写作“${shown}”，无法识别，${RESAVE}`;
    case 'cellRow':
      return `${where}第 ${e.row} 行中有一个单元格写作“${shown}”，位置却在另一行（Excel 不会这样保存），${RESAVE}`;
    case 'cell':
      return `${where}的单元格 ${columnLetter(Number(e.detail) - 1)}${e.row} 出现了两次，${RESAVE}`;
    case 'row':
      return `${where}的第 ${e.row} 行出现了两次，${RESAVE}`;
    case 'sharedText':
      return `${where}第 ${e.row} 行的文字存放在共享文本中，但文件中没有共享文本（xl/sharedStrings.xml），${RESAVE}`;
    case 'sheetName':
      return `工作簿中有两个工作表都名为“${e.sheet}”（Excel 不允许同名的工作表），${RESAVE}`;
    case 'sheetId':
      return `${where}的编号（sheetId）“${e.detail}”无法识别或与另一工作表相同，${RESAVE}`;
  }
}

/** Each sheet's values from its rows (the model exceljs would apply to a Workbook, read directly). */
function sheetValues(parsed: SheetRows[], facts: GuardedWorkbook['sheets']): SheetValues[] {
  const sheets: SheetValues[] = [];
  for (const ws of parsed) {
    const rows: CellValue[][] = [];
    let lastRow = 0;
    let lastCol = 0;
    const rowCount = ws.rowCount;
    for (let r = 1; r <= rowCount; r++) {
      // Row.values is 1-based and sparse: index c is column c.
      const raw = ws.rowValues(r);
      const out: CellValue[] = [];
      for (let c = 1; c < raw.length; c++) {
        const v = toCellValue(raw[c]);
        // The guard measures each text run; a cell of several runs (rich text) is measured whole here.
        if (typeof v === 'string' && v.length > LEDGER_LIMITS.cellChars)
          throw new WorkbookRefused(
            `工作表“${ws.name}”的单元格 ${columnLetter(c - 1)}${r} 含 ${v.length} 个字符，超过单元格上限 ` +
              `${LEDGER_LIMITS.cellChars} 个字符，不像台账；请检查该工作表后再试`,
          );
        out.push(v);
        if (!isEmpty(v)) {
          if (c > lastCol) lastCol = c;
          lastRow = r;
        }
      }
      rows.push(out);
    }
    rows.length = lastRow;
    const values = rows.map((row) => {
      if (row.length > lastCol) row.length = lastCol;
      while (row.length < lastCol) row.push('');
      return row;
    });
    fillMerges(values, facts.get(ws.part)?.merges ?? [], lastCol);
    sheets.push({ name: ws.name, values });
  }
  return sheets;
}

export { WorkbookRefused };

/**
 * The ledger sheet: the one named (exactly, spaces trimmed), else the one whose header matches best
 * (the first such sheet on a tie). Throws a printable Error when the named sheet does not exist.
 */
export function pickLedgerSheet(sheets: SheetValues[], name?: string): SheetValues {
  if (sheets.length === 0) throw new Error('工作簿中没有工作表');
  if (name !== undefined) {
    const wanted = name.trim();
    const hit = sheets.find((s) => s.name === wanted) ?? sheets.find((s) => s.name.trim() === wanted);
    if (!hit)
      throw new Error(`工作簿中没有名为“${wanted}”的工作表（现有：${sheets.map((s) => s.name).join('、')}）`);
    return hit;
  }
  let best = sheets[0]!;
  let bestScore = headerScore(best.values);
  for (const s of sheets.slice(1)) {
    const score = headerScore(s.values);
    if (score > bestScore) [best, bestScore] = [s, score];
  }
  return best;
}

/** The picked sheet and, in Chinese, why it was picked (`duban ledger` says so when no --sheet is given). */
export function pickLedgerSheetWhy(
  sheets: SheetValues[],
  name?: string,
  maps: Readonly<Record<string, ColumnMap>> = {},
): { sheet: SheetValues; why: string } {
  if (name !== undefined) return { sheet: pickLedgerSheet(sheets, name), why: '按 --sheet 指定' };
  if (sheets.length === 1) return { sheet: pickLedgerSheet(sheets), why: '工作簿只有这一个工作表' };
  const scored = sheets.map((s) => ({ s, score: headerScore(s.values, maps[s.name]) }));
  let best = scored[0]!;
  for (const x of scored.slice(1)) if (x.score > best.score) best = x;
  if (best.score === 0)
    return { sheet: best.s, why: '各工作表都没有台账表头，读取第一个工作表；请用 --sheet 指定台账工作表' };
  const others = scored
    .filter((x) => x !== best)
    .map((x) => `${x.s.name}（${x.score ? `识别出 ${x.score} 列` : '无台账表头'}）`)
    .join('、');
  return {
    sheet: best.s,
    why: `表头识别出的列最多（${best.score} 列）；其他工作表：${others}。如不是这张，请用 --sheet 指定`,
  };
}
