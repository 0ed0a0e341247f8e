// Small malicious files against `duban ledger`'s file reader (R4): each is refused with a Chinese message
// saying what exceeds which limit and what to do, before it can take the process's memory or minutes.
// Time and memory of each refusal are measured by `npm run bench -- ledger`, not asserted here.
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkbookSheets, pickLedgerSheet } from '../../functions/xlsx.js';
import { LEDGER_LIMITS } from '../../functions/xlsxGuard.js';
import { readLedger } from '../../shared/ledger/index.js';
import { SAMPLE_HEADER } from '../support/sampleLayout.js';
import { minimalXlsx, xmlRow } from '../support/minimalXlsx.js';

const dir = mkdtempSync(join(tmpdir(), 'duban-limits-'));
let n = 0;
function file(bytes: Uint8Array | string, ext = 'xlsx'): string {
  const path = join(dir, `f${++n}.${ext}`);
  writeFileSync(path, bytes);
  return path;
}

const header = xmlRow(1, [...SAMPLE_HEADER]);

describe('R4: files past the ledger limits are refused before they are parsed', () => {
  it('a 2 KB file with one cell at XFD1048576 names the cell and the range a ledger may use', async () => {
    const bytes = minimalXlsx([
      { name: '台账', rows: header + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' },
    ]);
    expect(bytes.length).toBeLessThan(2048);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(
      /工作表“台账”有第 1048576 行（上限 20000 行）.*删除台账下方多余的行/,
    );
    // The same cell on a row inside the limits: its column is out of range.
    const wide = minimalXlsx([{ name: '台账', rows: header + '<row r="5"><c r="XFD5"><v>1</v></c></row>' }]);
    await expect(readWorkbookSheets(file(wide))).rejects.toThrow(
      '工作表“台账”的单元格 XFD5 在台账范围 A1:IV20000 之外，超出台账读取上限；请删除该单元格（或其所在的行、列）后保存，再试',
    );
  });

  it('a declared used range of A1:XFD1048576 is refused as declared, before any row is read', async () => {
    const bytes = minimalXlsx([{ name: '台账', rows: header, dimension: 'A1:XFD1048576' }]);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(
      /声明的使用区域为 A1:XFD1048576（1048576 行 × 16384 列，上限 20000 行 × 256 列/,
    );
  });

  it('a merge E1:XFD1048576 is refused, naming the merge', async () => {
    const bytes = minimalXlsx([{ name: '台账', rows: header, merges: ['E1:XFD1048576'] }]);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(
      /合并区域 E1:XFD1048576 超出台账范围 A1:IV20000.*取消该合并/,
    );
  });

  it('overlapping merges (which Excel never writes) are refused', async () => {
    const merges = Array.from({ length: 300 }, () => 'A2:IV20000');
    const bytes = minimalXlsx([{ name: '台账', rows: header, merges }]);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(/合并区域相互重叠/);
  });

  it('50,000 small merges are read, each merged value in every cell of its area; 100,001 are refused', async () => {
    const rows: string[] = [header];
    const merges: string[] = [];
    for (let r = 2; r <= 10_001; r++) {
      rows.push(xmlRow(r, ['甲', '', '乙', '', '丙', '', '丁', '', '戊', '']));
      for (const c of ['A', 'C', 'E', 'G', 'I'])
        merges.push(`${c}${r}:${String.fromCharCode(c.charCodeAt(0) + 1)}${r}`);
    }
    expect(merges).toHaveLength(50_000);
    const [sheet] = await readWorkbookSheets(
      file(minimalXlsx([{ name: '台账', rows: rows.join(''), merges }], 1)),
    );
    expect(sheet!.values).toHaveLength(10_001);
    expect(sheet!.values[1]!.slice(0, 10)).toEqual([
      '甲',
      '甲',
      '乙',
      '乙',
      '丙',
      '丙',
      '丁',
      '丁',
      '戊',
      '戊',
    ]);
    expect(sheet!.values[10_000]!.slice(8, 10)).toEqual(['戊', '戊']);

    // One-cell areas inside the limits, six to a row: only their number is too much.
    const tooMany = Array.from(
      { length: LEDGER_LIMITS.merges + 1 },
      (_, i) => `${'ABCDEF'[i % 6]}${Math.floor(i / 6) + 1}`,
    );
    const bytes = minimalXlsx([{ name: '台账', rows: header, merges: tooMany }], 1);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(
      /有超过 100000 个合并区域.*取消多余的合并单元格/,
    );
  });

  it('a 1,000,000-row sheet is refused at row 20,001', async () => {
    // Rows and cells without `r` take the next position, as Excel reads them.
    const bytes = minimalXlsx([{ name: '台账', rows: '<row><c><v>1</v></c></row>'.repeat(1_000_000) }], 1);
    expect(bytes.length).toBeLessThan(200_000);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(/有第 20001 行（上限 20000 行）/);
  });

  it('more than a million cells inside the row and column limits are refused', async () => {
    // 4,000 rows of 251 formatted empty cells: 1,004,000 cells, each row and column within its limit.
    const row = `<row>${'<c s="1"/>'.repeat(251)}</row>`;
    const bytes = minimalXlsx([{ name: '台账', rows: row.repeat(4000) }], 1);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(/有超过 1000000 个单元格/);
  });

  it('a cell longer than Excel allows (32,767 characters) is refused', async () => {
    const bytes = minimalXlsx([{ name: '台账', rows: header + xmlRow(2, ['1', '长'.repeat(40_000)]) }]);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(
      /工作表“台账”有一个单元格含 40000 个字符，超过单元格上限 32767 个字符/,
    );
  });

  it('a zip declaring a part larger than the limit is refused without inflating it', async () => {
    const bytes = minimalXlsx([{ name: '台账', rows: header }], 0);
    // Rewrite the sheet's declared uncompressed size in the central directory to 2 GB.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < bytes.length - 46; i++) {
      if (view.getUint32(i, true) !== 0x02014b50) continue;
      const nameLength = view.getUint16(i + 28, true);
      const name = new TextDecoder().decode(bytes.subarray(i + 46, i + 46 + nameLength));
      if (name === 'xl/worksheets/sheet1.xml') view.setUint32(i + 24, 0x7fffffff, true);
    }
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(
      /xl\/worksheets\/sheet1\.xml 解压后有 2048 MB，超过上限 80 MB/,
    );
  });

  it('a file over 30 MB is refused from its size on disk', async () => {
    const path = file('');
    truncateSync(path, 31 * 1024 * 1024);
    await expect(readWorkbookSheets(path)).rejects.toThrow(/有 31 MB，超过台账文件上限 30 MB/);
  });

  it('.xls (Excel 97–2003) and WPS .et files are refused with how to save them as .xlsx', async () => {
    // The compound-file signature every .xls and .et (and password-protected .xlsx) starts with.
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    for (const ext of ['xls', 'et']) {
      const path = file(ole, ext);
      await expect(readWorkbookSheets(path)).rejects.toThrow(
        /Excel 97–2003（\.xls）或 WPS 表格（\.et）格式.*另存为.*Excel 工作簿（\*\.xlsx）/,
      );
    }
  });

  it('the largest ledger within the limits reads every row', async () => {
    const rows: string[] = [header];
    const last = LEDGER_LIMITS.rows;
    for (let r = 2; r <= last; r++)
      rows.push(
        xmlRow(r, [
          String(r - 1),
          '',
          `任务${r - 1}`,
          '措施',
          '张三',
          '县发改局',
          '县财政局',
          '2026-12-31',
          '常规性',
          '★★★',
          '',
          '',
        ]),
      );
    const sheets = await readWorkbookSheets(file(minimalXlsx([{ name: '台账', rows: rows.join('') }], 1)));
    const ledger = readLedger(pickLedgerSheet(sheets).values, { today: '2026-03-01', year: 2026 });
    expect(ledger.rows).toHaveLength(last);
    expect(ledger.tasks).toHaveLength(last - 1);
    expect(ledger.problems).toEqual([]);
  });
});
