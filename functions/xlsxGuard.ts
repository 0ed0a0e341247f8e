// What a workbook file may be before exceljs sees it (R4): the office's ledger, never a file that takes
// the process's memory or minutes. The zip's directory is read here, its declared sizes are checked
// before anything is inflated, each part is inflated natively (never past its declared size), and each
// sheet's XML is measured (rows, columns, cells, merges, text lengths) before exceljs parses it. The
// inflated parts are what exceljs reads (xlsxLoad.ts): the zip is never opened a second time. Merged
// areas are taken out of the XML handed to exceljs (its merge bookkeeping is quadratic in their number)
// and applied by readWorkbookSheets itself, in time linear in their area. Positions are read here from
// the XML's text; the reader checks them again as exceljs parsed them (outsideLedger).
import { inflateRawSync } from 'node:zlib';

/** The limits of a ledger file: far above any ledger an office keeps, far below what hurts the process. */
export const LEDGER_LIMITS = {
  /** The file on disk. */
  fileBytes: 30 * 1024 * 1024,
  /** All parts of the zip, uncompressed, as the zip declares them (nothing larger is ever inflated). */
  unzippedBytes: 120 * 1024 * 1024,
  /** One part, uncompressed. */
  partBytes: 80 * 1024 * 1024,
  sheets: 100,
  /** Rows of one sheet (the last row with a cell, and the number of row elements). */
  rows: 20_000,
  /** Columns of one sheet: IV, the last column of Excel 97–2003. */
  columns: 256,
  /** Cell elements in one sheet, empty formatted ones included. */
  cells: 1_000_000,
  /** Merged areas in one sheet. */
  merges: 100_000,
  /** Characters in one cell: Excel's own limit. */
  cellChars: 32_767,
} as const;

/** A file refused before it is parsed: the message is for the clerk, in Chinese. */
export class WorkbookRefused extends Error {}

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export const SAVE_AS_XLSX =
  '请在 Excel 或 WPS 表格中打开它，点“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再用新文件运行';

/** One file in a zip, from its central directory. */
interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** Uncompressed size, as declared. */
  size: number;
  localOffset: number;
}

/**
 * The zip's central directory (no Zip64: a ledger is far below 4 GB). Reading it inflates nothing, so
 * the declared sizes can be checked before any byte is inflated.
 */
function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--)
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd === -1) throw new Error('找不到 zip 目录');
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const out: ZipEntry[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw new Error('zip 目录已损坏');
    const nameLength = view.getUint16(p + 28, true);
    const extra = view.getUint16(p + 30, true);
    const comment = view.getUint16(p + 32, true);
    out.push({
      name: decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    });
    p += 46 + nameLength + extra + comment;
  }
  return out;
}

/** One entry's bytes, inflated natively and never past its declared size (a lying size fails, it does not grow). */
function inflateEntry(bytes: Uint8Array, f: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = f.localOffset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== 0x04034b50) throw new Error(`${f.name} 已损坏`);
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  const data = bytes.subarray(start, start + f.compressedSize);
  if (f.method === 0) return data.length === f.size ? data : Uint8Array.from(data.subarray(0, f.size));
  if (f.method !== 8) throw new Error(`${f.name} 使用了不支持的压缩方式 ${f.method}`);
  if (f.size === 0) return new Uint8Array(0);
  return inflateRawSync(data, { maxOutputLength: f.size });
}

/** The Chinese refusal of an Excel 97–2003 (.xls) or WPS (.et) file, or an encrypted workbook. */
export function oldFormatMessage(file: string): string {
  return (
    `“${file}”是 Excel 97–2003（.xls）或 WPS 表格（.et）格式，或设置了打开密码，督办命令行只读 .xlsx 格式。` +
    `${SAVE_AS_XLSX}（如有打开密码，另存前先在“文件 → 信息 → 保护工作簿”中去掉）。在 Excel 中用督办加载项打开则不必转换。`
  );
}

function utf8(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
}

function isOle(bytes: Uint8Array): boolean {
  return OLE_MAGIC.every((b, i) => bytes[i] === b);
}

function mb(n: number): string {
  return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

function columnName(n: number): string {
  // A column past Excel's last (XFD, 16,384) is only ever named to refuse it: its letters are capped.
  if (!Number.isFinite(n) || n > 16_384) return 'XFD+';
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

const REF = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/;

function parseRef(ref: string): { row: number; col: number } | null {
  const m = REF.exec(ref);
  return m ? { row: Number(m[2]), col: columnNumber(m[1]!) } : null;
}

/** A merged area as read from a sheet's XML (1-based, inclusive). */
export interface MergeArea {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** What the guard learnt of one sheet. */
export interface SheetFacts {
  /** The zip path of the sheet's XML. */
  part: string;
  /** The sheet's merged areas (Excel never lets two overlap; a file where they do is refused). */
  merges: MergeArea[];
}

export interface GuardedWorkbook {
  /**
   * The parts to hand to exceljs (xlsxLoad.ts), inflated, in the zip's order: the sheets and the shared
   * strings as text (decoded once, here), each sheet without its merged areas; every other part as bytes.
   */
  parts: Map<string, string | Uint8Array>;
  /** Each worksheet's facts, by its part's zip path (a name may be spelt many ways; a path is one). */
  sheets: Map<string, SheetFacts>;
}

/** The sheet names of the workbook by their zip path (xl/workbook.xml + its relationships), for messages. */
function sheetNames(files: Record<string, Uint8Array>): Map<string, string> {
  const names = new Map<string, string>();
  const wb = files['xl/workbook.xml'];
  const rels = files['xl/_rels/workbook.xml.rels'];
  if (!wb || !rels) return names;
  const targets = new Map<string, string>();
  for (const m of utf8(rels).matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.replace(/^\/?(?:xl\/)?/, 'xl/'));
  }
  for (const m of utf8(wb).matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const id = /\br:id="([^"]+)"/.exec(m[0])?.[1] ?? /\bid="([^"]+)"/.exec(m[0])?.[1];
    const part = id ? targets.get(id) : undefined;
    if (name !== undefined && part) names.set(part, decodeXml(name));
  }
  return names;
}

function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The length a text has once its XML entities are decoded (an entity is one character). */
function decodedLength(raw: string): number {
  let n = raw.length;
  for (const m of raw.matchAll(/&[^;&]{1,10};/g)) n -= m[0].length - 1;
  return n;
}

// A text run (<t>) or a value (<v>) longer than a cell may hold; the XML is at least as long as the text.
const LONG_TEXT = new RegExp(`<(t|v)(?:\\s[^>]*)?>([^<]{${LEDGER_LIMITS.cellChars + 1},})<`, 'g');

function checkTextLengths(xml: string, where: string): void {
  for (const m of xml.matchAll(LONG_TEXT)) {
    const n = decodedLength(m[2]!);
    if (n > LEDGER_LIMITS.cellChars)
      throw new WorkbookRefused(
        `${where}有一个单元格含 ${n} 个字符，超过单元格上限 ${LEDGER_LIMITS.cellChars} 个字符，不像台账；请检查该工作表后再试`,
      );
  }
}

/**
 * The refusal of a sheet with a row past LEDGER_LIMITS.rows, or a cell (`col` given) outside the range
 * A1:IV20000. The guard finds them from the XML's row and cell positions; the reader checks the
 * positions exceljs parsed too (xlsxLoad.ts sheetRows), which no spelling of the XML can get past.
 */
export function outsideLedger(sheet: string, row: number, col?: number): WorkbookRefused {
  const where = `工作表“${sheet}”`;
  const range = `A1:${columnName(LEDGER_LIMITS.columns)}${LEDGER_LIMITS.rows}`;
  return col === undefined
    ? new WorkbookRefused(
        `${where}有第 ${row} 行（上限 ${LEDGER_LIMITS.rows} 行），超出台账读取上限；` +
          '请删除台账下方多余的行（选中这些行 → 右键“删除”）后保存，再试',
      )
    : new WorkbookRefused(
        `${where}的单元格 ${columnName(col)}${row} 在台账范围 ${range} 之外，超出台账读取上限；` +
          '请删除该单元格（或其所在的行、列）后保存，再试',
      );
}

/**
 * Measures one sheet's XML against the limits, and gives back its merged areas and the XML without them.
 * Rows and cells without an `r` attribute take the position after the previous one, as in Excel.
 */
function inspectSheet(xml: string, name: string): { merges: MergeArea[]; xml: string } {
  const where = `工作表“${name}”`;
  const over = (what: string, advice: string) =>
    new WorkbookRefused(`${where}${what}，超出台账读取上限；${advice}`);
  const trim = '请在 Excel 中删除多余的行、列或单元格内容后保存，再试';

  const dim = /<dimension\b[^>]*\bref="([^"]+)"/.exec(xml)?.[1];
  if (dim) {
    const end = parseRef(dim.split(':').pop()!);
    if (end && (end.row > LEDGER_LIMITS.rows || end.col > LEDGER_LIMITS.columns))
      throw over(
        `声明的使用区域为 ${dim}（${end.row} 行 × ${end.col} 列，上限 ${LEDGER_LIMITS.rows} 行 × ${LEDGER_LIMITS.columns} 列，即 A1:${columnName(LEDGER_LIMITS.columns)}${LEDGER_LIMITS.rows}）`,
        trim,
      );
  }

  // Rows and cells, in one pass over the tags that carry positions.
  let rowElements = 0;
  let cellElements = 0;
  let row = 0;
  let col = 0;
  const TAG = /<(row|c)\b([^>]*)>/g;
  for (let m = TAG.exec(xml); m !== null; m = TAG.exec(xml)) {
    const attrs = m[2]!;
    if (m[1] === 'row') {
      rowElements++;
      const r = /\br="(\d+)"/.exec(attrs);
      row = r ? Number(r[1]) : row + 1;
      col = 0;
      if (row > LEDGER_LIMITS.rows || rowElements > LEDGER_LIMITS.rows)
        throw outsideLedger(name, Math.max(row, rowElements));
      continue;
    }
    cellElements++;
    const r = /\br="([A-Z]{1,3})(\d{1,7})"/.exec(attrs);
    if (r) {
      col = columnNumber(r[1]!);
      row = Number(r[2]);
    } else col++;
    if (col > LEDGER_LIMITS.columns || row > LEDGER_LIMITS.rows) throw outsideLedger(name, row, col);
    if (cellElements > LEDGER_LIMITS.cells) throw over(`有超过 ${LEDGER_LIMITS.cells} 个单元格`, trim);
  }

  // Merged areas: counted, bounded, taken out of the XML.
  const merges: MergeArea[] = [];
  // Merged areas never overlap in Excel, so inside the limits their total area is at most rows × columns;
  // more means overlapping areas, which would make filling them cost their count times their size.
  let mergedArea = 0;
  const start = xml.indexOf('<mergeCells');
  let out = xml;
  if (start !== -1) {
    const close = xml.indexOf('</mergeCells>', start);
    const selfClosing = /^<mergeCells\b[^>]*\/>/.exec(xml.slice(start, start + 200));
    const end = selfClosing ? start + selfClosing[0].length : close + '</mergeCells>'.length;
    if (!selfClosing && close === -1)
      throw new WorkbookRefused(`${where}的合并单元格信息不完整，文件可能已损坏`);
    const block = xml.slice(start, end);
    const MERGE = /<mergeCell\b[^>]*\bref="([^"]+)"/g;
    for (let m = MERGE.exec(block); m !== null; m = MERGE.exec(block)) {
      if (merges.length >= LEDGER_LIMITS.merges)
        throw over(`有超过 ${LEDGER_LIMITS.merges} 个合并区域`, '请取消多余的合并单元格后保存，再试');
      const [a, b] = m[1]!.split(':');
      const tl = parseRef(a ?? '');
      const br = parseRef(b ?? a ?? '');
      if (!tl || !br) continue;
      if (br.row > LEDGER_LIMITS.rows || br.col > LEDGER_LIMITS.columns)
        throw over(
          `的合并区域 ${m[1]} 超出台账范围 A1:${columnName(LEDGER_LIMITS.columns)}${LEDGER_LIMITS.rows}`,
          '请取消该合并（“开始 → 合并后居中”再点一次）后保存，再试',
        );
      const area = {
        top: Math.min(tl.row, br.row),
        left: Math.min(tl.col, br.col),
        bottom: Math.max(tl.row, br.row),
        right: Math.max(tl.col, br.col),
      };
      mergedArea += (area.bottom - area.top + 1) * (area.right - area.left + 1);
      if (mergedArea > LEDGER_LIMITS.rows * LEDGER_LIMITS.columns)
        throw over('的合并区域相互重叠', '请取消重叠的合并单元格后保存，再试');
      merges.push(area);
    }
    out = xml.slice(0, start) + xml.slice(end);
  }
  checkTextLengths(xml, where);
  return { merges, xml: out };
}

/** Refuses a file larger than LEDGER_LIMITS.fileBytes (called with the size on disk before reading it). */
export function checkFileSize(size: number, file: string): void {
  if (size > LEDGER_LIMITS.fileBytes)
    throw new WorkbookRefused(
      `“${file}”有 ${mb(size)}，超过台账文件上限 ${mb(LEDGER_LIMITS.fileBytes)}；请删除其中的图片等大对象，或只保留台账工作表另存后再试`,
    );
}

/** The parts exceljs's `load` parses as worksheets (lib/xlsx/xlsx.js). */
const EXCELJS_SHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;

/**
 * Checks a workbook file's bytes against LEDGER_LIMITS and prepares it for exceljs. Throws WorkbookRefused
 * with a Chinese message (what exceeds which limit, and what to do) for an old or encrypted format, a file
 * that is not a workbook, or one past a limit. `file` names the file in messages.
 */
export function guardWorkbook(bytes: Uint8Array, file: string): GuardedWorkbook {
  checkFileSize(bytes.length, file);
  if (isOle(bytes)) throw new WorkbookRefused(oldFormatMessage(file));
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b)
    throw new WorkbookRefused(`无法读取工作簿：“${file}”不是 Excel 工作簿（.xlsx）；${SAVE_AS_XLSX}`);

  // Declared sizes first: nothing is inflated past what the zip declares, and nothing when that is too much.
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (e) {
    throw new WorkbookRefused(
      `无法读取工作簿：“${file}”无法解压，不是完好的 .xlsx 文件（${(e as Error).message}）；${SAVE_AS_XLSX}`,
    );
  }
  let total = 0;
  for (const f of entries) {
    total += f.size;
    if (f.size > LEDGER_LIMITS.partBytes)
      throw new WorkbookRefused(
        `“${file}”中的 ${f.name} 解压后有 ${mb(f.size)}，超过上限 ${mb(LEDGER_LIMITS.partBytes)}，不像台账；请只保留台账工作表另存后再试`,
      );
    if (total > LEDGER_LIMITS.unzippedBytes)
      throw new WorkbookRefused(
        `“${file}”解压后超过 ${mb(LEDGER_LIMITS.unzippedBytes)}，不像台账；请只保留台账工作表另存后再试`,
      );
  }
  // Each part by the name exceljs reads it by (without a leading "/"): a part that two entries would
  // both be is refused, so no second copy can reach exceljs unchecked.
  const files: Record<string, Uint8Array> = {};
  try {
    for (const f of entries) {
      if (f.name.endsWith('/')) continue;
      const name = f.name.startsWith('/') ? f.name.slice(1) : f.name;
      if (Object.hasOwn(files, name))
        throw new WorkbookRefused(
          `无法读取工作簿：“${file}”中的 ${name} 出现了两次，不是完好的 .xlsx 文件；${SAVE_AS_XLSX}`,
        );
      files[name] = inflateEntry(bytes, f);
    }
  } catch (e) {
    if (e instanceof WorkbookRefused) throw e;
    throw new WorkbookRefused(
      `无法读取工作簿：“${file}”无法解压，不是完好的 .xlsx 文件（${(e as Error).message}）；${SAVE_AS_XLSX}`,
    );
  }
  if (!files['xl/workbook.xml'])
    throw new WorkbookRefused(
      `无法读取工作簿：“${file}”中没有 xl/workbook.xml，不是 .xlsx 文件；${SAVE_AS_XLSX}`,
    );

  const names = sheetNames(files);
  // Every part exceljs would read as a worksheet (its pattern, which matches anywhere in a name) is
  // inspected, and every worksheet-like part besides.
  const sheetParts = Object.keys(files).filter(
    (p) => /^xl\/worksheets\/[^/]+\.xml$/.test(p) || EXCELJS_SHEET.test(p),
  );
  if (sheetParts.length > LEDGER_LIMITS.sheets)
    throw new WorkbookRefused(
      `“${file}”有 ${sheetParts.length} 个工作表，超过上限 ${LEDGER_LIMITS.sheets} 个；请只保留台账工作表另存后再试`,
    );
  const parts = new Map<string, string | Uint8Array>(Object.entries(files));
  const shared = files['xl/sharedStrings.xml'];
  if (shared) {
    const xml = utf8(shared);
    checkTextLengths(xml, '共享文本中');
    parts.set('xl/sharedStrings.xml', xml);
  }

  const sheets = new Map<string, SheetFacts>();
  for (const part of sheetParts) {
    const name = names.get(part) ?? part;
    const { merges, xml } = inspectSheet(utf8(files[part]!), name);
    sheets.set(part, { part, merges });
    parts.set(part, xml);
  }
  return { parts, sheets };
}
