// The ledger reader hands exceljs the parts the guard already inflated (functions/xlsxLoad.ts) instead of
// the zip. The workbook it gets must be the one exceljs's own `load` makes of the same file: every value a
// clerk's ledger may hold, and every part exceljs reads (styles, shared strings, hyperlinks, comments,
// images, tables, document properties).
import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadParts, parseParts, sheetRows } from '../../functions/xlsxLoad.js';
import { guardWorkbook, LEDGER_LIMITS } from '../../functions/xlsxGuard.js';

// A 1×1 PNG: an image part and its drawing.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

async function everyPart(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '县政府督查室';
  wb.company = '友好区人民政府办公室';
  const ws = wb.addWorksheet('重点工作台账');
  ws.addRow(['序号', '重点任务', '完成时限', '牵头单位', '进展']);
  ws.addRow([
    1,
    '老旧小区改造',
    new Date(Date.UTC(2026, 5, 30)),
    '住建局',
    { richText: [{ text: '已完成' }, { text: '80%', font: { bold: true } }] },
  ]);
  ws.addRow([
    2,
    { text: '项目清单', hyperlink: 'https://example.invalid/list' },
    46203,
    '发改委',
    { formula: 'A2+A3', result: 3 },
  ]);
  ws.getCell('C3').numFmt = 'yyyy"年"m"月"d"日"';
  ws.getCell('F2').value = true;
  ws.getCell('F3').value = { error: '#DIV/0!' } as ExcelJS.CellValue;
  ws.getCell('F4').value = { formula: 'A2-A2', result: 0 };
  ws.getCell('A8').value = '（第7行空）';
  ws.getCell('E4').value = {
    formula: 'A2*2',
    result: 2,
    shareType: 'shared',
    ref: 'E4:E5',
  } as ExcelJS.CellValue;
  ws.getCell('E5').value = { sharedFormula: 'E4', result: 4 } as ExcelJS.CellValue;
  ws.getCell('B2').note = '督查室：请附照片';
  ws.mergeCells('D4:D6');
  ws.getCell('D4').value = '交通局';
  ws.addImage(wb.addImage({ buffer: PNG as unknown as ExcelJS.Buffer, extension: 'png' }), 'G2:H4');
  ws.addTable({
    name: '附表',
    ref: 'A10',
    columns: [{ name: '单位' }, { name: '得分' }],
    rows: [
      ['住建局', 98],
      ['交通局', 95],
    ],
  });
  const second = wb.addWorksheet('说明');
  second.getCell('A1').value = '本表由督查室维护';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function both(file: Buffer): Promise<[ExcelJS.Workbook, ExcelJS.Workbook]> {
  const byLoad = await new ExcelJS.Workbook().xlsx.load(file as unknown as ExcelJS.Buffer);
  const parts = Object.entries(unzipSync(new Uint8Array(file))).filter(([p]) => !p.endsWith('/'));
  // The guard hands the sheets and the shared strings over as text, the rest as bytes.
  const mixed = parts.map(([p, bytes]): [string, string | Uint8Array] =>
    /^xl\/(worksheets\/[^/]+|sharedStrings)\.xml$/.test(p)
      ? [p, Buffer.from(bytes).toString('utf8')]
      : [p, bytes],
  );
  const byParts = await loadParts(new ExcelJS.Workbook(), mixed);
  return [byLoad, byParts];
}

/**
 * The rows the ledger reader takes (sheetRows, from the guard's parts: merged areas taken out) against
 * the worksheets of exceljs's own load of those parts, zipped.
 */
async function sameRows(parts: Record<string, Uint8Array>): Promise<number> {
  const guarded = guardWorkbook(zipSync(parts), 'test.xlsx').parts;
  const bytes = Object.fromEntries(
    [...guarded].map(([p, c]) => [p, typeof c === 'string' ? strToU8(c) : c] as const),
  );
  const wb = await new ExcelJS.Workbook().xlsx.load(Buffer.from(zipSync(bytes)) as unknown as ExcelJS.Buffer);
  const read = sheetRows(await parseParts(new ExcelJS.Workbook(), guarded), LEDGER_LIMITS);
  expect(read.map((s) => [s.name, s.rowCount])).toEqual(wb.worksheets.map((w) => [w.name, w.rowCount]));
  let cells = 0;
  wb.worksheets.forEach((ws, i) => {
    for (let r = 1; r <= ws.rowCount; r++) {
      const values = read[i]!.rowValues(r);
      const row = ws.findRow(r);
      const expected = (row?.values ?? []) as unknown[];
      // The one difference: a formula keeps a result that is 0, FALSE or "" (exceljs's value drops it).
      expected.forEach((v, c) => {
        const result = row!.getCell(c).result;
        if (
          v &&
          typeof v === 'object' &&
          ('formula' in v || 'sharedFormula' in v) &&
          !('result' in v) &&
          result !== undefined
        )
          expected[c] = { ...v, result };
      });
      expect(values, `${ws.name} 第${r}行`).toStrictEqual(expected);
      cells += values.filter((v) => v !== undefined).length;
    }
  });
  return cells;
}

describe('a workbook read from its inflated parts (functions/xlsxLoad.ts)', () => {
  it('R4: a workbook with every kind of part reads as exceljs reads the file — values, dates, rich text, formulas, hyperlinks, notes, images, merges, a table, two sheets', async () => {
    const [byLoad, byParts] = await both(await everyPart());
    expect(JSON.stringify(byParts.model)).toBe(JSON.stringify(byLoad.model));
    const sheet = byParts.getWorksheet('重点工作台账')!;
    // What the ledger reader takes from it, checked directly (the comparison above must compare something).
    expect(sheet.getCell('C2').value).toEqual(new Date(Date.UTC(2026, 5, 30)));
    expect(sheet.getCell('E2').text).toBe('已完成80%');
    expect(sheet.getCell('B3').hyperlink).toBe('https://example.invalid/list');
    expect(sheet.getCell('B2').note).toBe('督查室：请附照片');
    expect(sheet.getImages()).toHaveLength(1);
    expect(byParts.worksheets.map((w) => w.name)).toEqual(['重点工作台账', '说明']);
    expect(byParts.company).toBe('友好区人民政府办公室');
  });

  it('R4: the office ledger fixture reads as exceljs reads the file', async () => {
    const [byLoad, byParts] = await both(
      readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ledger-2026.xlsx')),
    );
    expect(JSON.stringify(byParts.model)).toBe(JSON.stringify(byLoad.model));
    expect(byParts.worksheets[0]!.rowCount).toBeGreaterThan(20);
  });

  it("R4: the rows the ledger reader takes from the model are the worksheets' rows — every kind of value, an empty row, two sheets", async () => {
    const parts = unzipSync(new Uint8Array(await everyPart()));
    expect(await sameRows(parts)).toBeGreaterThan(20);
  });

  it("R4: the sheets come in the workbook's order, not the order of their parts, and a cell without an address follows the one before it", async () => {
    const parts = unzipSync(new Uint8Array(await everyPart()));
    const text = (p: string) => Buffer.from(parts[p]!).toString('utf8');
    // 说明 listed first in workbook.xml, though its part is sheet2.xml.
    const book = text('xl/workbook.xml').replace(/(<sheet [^>]*\/>)(<sheet [^>]*\/>)/, '$2$1');
    expect(book).toMatch(/name="说明"[^]*name="重点工作台账"/);
    parts['xl/workbook.xml'] = strToU8(book);
    // Row 2's cells after B2 lose their address (a file written by another program may leave it out).
    const sheet = text('xl/worksheets/sheet1.xml').replace(/<c r="[C-F]2"/g, '<c');
    expect(sheet).toMatch(/<c r="B2"[^>]*>(?:(?!<c r=).)*?<c [st]=/);
    parts['xl/worksheets/sheet1.xml'] = strToU8(sheet);
    await sameRows(parts);
    const read = sheetRows(
      await parseParts(new ExcelJS.Workbook(), guardWorkbook(zipSync(parts), 't.xlsx').parts),
      LEDGER_LIMITS,
    );
    expect(read.map((s) => s.name)).toEqual(['说明', '重点工作台账']);
    expect(read[1]!.rowValues(2).slice(3, 7)).toEqual([
      new Date(Date.UTC(2026, 5, 30)),
      '住建局',
      { richText: [{ text: '已完成' }, { text: '80%', font: { bold: true } }] },
      true,
    ]);
  });

  it('R4: the office fixture gives the same rows as the worksheets (its merged title and group cells included)', async () => {
    const fixture = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ledger-2026.xlsx'));
    expect(await sameRows(unzipSync(new Uint8Array(fixture)))).toBeGreaterThan(100);
  });
});
