// A ledger file's rows, cells, parts and sheets as exceljs parses them (R4): XML spells a position in
// more ways than the guard's patterns read (r='60000', r = "60000", a character reference, $A$2, a1, no r
// at all), a zip may name a part twice or with a leading "/", and a workbook written by another program may
// repeat a sheet's name or give a sheet any id. Each is read as Excel reads it, or refused in Chinese:
// never dropped, never read as another cell, never past the limits.
import { strToU8, unzipSync, zipSync } from 'fflate';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkbookSheets } from '../../functions/xlsx.js';
import { SAMPLE_HEADER } from '../support/sampleLayout.js';
import { minimalXlsx, xmlRow } from '../support/minimalXlsx.js';

const dir = mkdtempSync(join(tmpdir(), 'duban-positions-'));
let n = 0;
function file(bytes: Uint8Array): string {
  const path = join(dir, `p${++n}.xlsx`);
  writeFileSync(path, bytes);
  return path;
}

const header = xmlRow(1, [...SAMPLE_HEADER]);
const RESAVE = '文件可能由其他程序生成或已损坏；请在 Excel 或 WPS 表格中打开它，另存为 .xlsx 后再试';
const ROW_LIMIT =
  '工作表“台账”有第 60000 行（上限 20000 行），超出台账读取上限；请删除台账下方多余的行（选中这些行 → 右键“删除”）后保存，再试';

/** The same file with one part's text changed, renamed or added. */
function edit(bytes: Uint8Array, change: (parts: Record<string, Uint8Array>) => void): Uint8Array {
  const parts = unzipSync(bytes);
  change(parts);
  return zipSync(parts);
}
const text = (b: Uint8Array | undefined) => Buffer.from(b!).toString('utf8');

describe('R4: a ledger file read as exceljs parses its positions, parts and sheets', () => {
  it('a row or cell whose position is written another way XML allows (single quotes, spaces, a character reference) is refused past the limits, as written the usual way', async () => {
    for (const attr of ["r='60000'", 'r = "60000"', 'r=" 60000"', 'r="&#54;0000"']) {
      const bytes = minimalXlsx([{ name: '台账', rows: header + `<row ${attr}><c><v>1</v></c></row>` }]);
      await expect(readWorkbookSheets(file(bytes)), attr).rejects.toThrow(ROW_LIMIT);
    }
    for (const [attr, cell] of [
      ["r='ZZ5'", 'ZZ5'],
      ['r = "ZZ5"', 'ZZ5'],
      ['r="&#90;Z5"', 'ZZ5'],
      ["r='XFD5'", 'XFD5'],
    ]) {
      const bytes = minimalXlsx([
        { name: '台账', rows: header + `<row r="5"><c ${attr}><v>1</v></c></row>` },
      ]);
      await expect(readWorkbookSheets(file(bytes)), attr).rejects.toThrow(
        `工作表“台账”的单元格 ${cell} 在台账范围 A1:IV20000 之外，超出台账读取上限；请删除该单元格（或其所在的行、列）后保存，再试`,
      );
    }
  });

  it('rows and cells without r, and addresses written $A$2 or a2, read as the same ledger as the usual A2', async () => {
    const rows = [
      header,
      xmlRow(2, [1, '老旧小区改造', '住建局']),
      xmlRow(3, [2, '道路硬化', '交通局']),
    ].join('');
    const [usual] = await readWorkbookSheets(file(minimalXlsx([{ name: '台账', rows }])));
    expect(usual!.values[2]!.slice(0, 3)).toEqual([2, '道路硬化', '交通局']);
    const spellings = {
      'no r on rows or cells': rows.replace(/ r="[A-Z]*\d+"/g, ''),
      $A$2: rows
        .replace(/ r="([A-Z]+)(\d+)"/g, (_, c: string, r: string) => ` r="$${c}$${r}"`)
        .replace(/<row r="\$\$?(\d+)"/g, '<row r="$1"'),
      a2: rows.replace(/<c r="([A-Z]+)(\d+)"/g, (_, c: string, r: string) => `<c r="${c.toLowerCase()}${r}"`),
    };
    for (const [what, written] of Object.entries(spellings)) {
      expect(written, what).not.toBe(rows);
      const [sheet] = await readWorkbookSheets(file(minimalXlsx([{ name: '台账', rows: written }])));
      expect(sheet!.values, what).toEqual(usual!.values);
    }
  });

  it('a cell whose r is not a position, or is past XFD, is refused naming its row, never read as another cell', async () => {
    const addresses: [string, string][] = [
      ['12', '12'],
      ['A1B2', 'A1B2'],
      ['ABCD2', 'ABCD2'],
      ['Z'.repeat(300) + '2', 'Z'.repeat(20) + '…'],
    ];
    for (const [r, shown] of addresses) {
      const bytes = minimalXlsx([
        { name: '台账', rows: header + `<row r="2"><c r="${r}"><v>1</v></c></row>` },
      ]);
      await expect(readWorkbookSheets(file(bytes)), r.slice(0, 8)).rejects.toThrow(
        `工作表“台账”第 2 行有一个单元格的位置写作“${shown}”，无法识别，${RESAVE}`,
      );
    }
  });

  it('a row or a cell at a position another one already has is refused, never one dropped for the other', async () => {
    const cases: [string, string][] = [
      // A row without r is row 2 (after the header); then a row r="2".
      ['<row><c><v>10</v></c></row><row r="2"><c><v>20</v></c></row>', '工作表“台账”的第 2 行出现了两次'],
      // r="1e5" is row 1 to exceljs (parseInt): it would replace the header.
      ['<row r="1e5"><c><v>99</v></c></row>', '工作表“台账”的第 1 行出现了两次'],
      // B2, A2, then a cell without r: it follows A2, onto B2.
      [
        '<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>2</v></c><c><v>3</v></c></row>',
        '工作表“台账”的单元格 B2 出现了两次',
      ],
    ];
    for (const [rows, message] of cases) {
      const bytes = minimalXlsx([{ name: '台账', rows: header + rows }]);
      await expect(readWorkbookSheets(file(bytes)), rows).rejects.toThrow(`${message}，${RESAVE}`);
    }
  });

  it('a text cell pointing into shared strings the file does not have is refused, not read as its index', async () => {
    const bytes = minimalXlsx([{ name: '台账', rows: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' }]);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(
      `工作表“台账”第 1 行的文字存放在共享文本中，但文件中没有共享文本（xl/sharedStrings.xml），${RESAVE}`,
    );
  });

  it("a sheet with any sheetId reads (4,294,967,294 and 4,294,967,295 included), in the workbook's order; two sheets sharing one are refused", async () => {
    const two = minimalXlsx([
      { name: '台账', rows: header },
      { name: '说明', rows: xmlRow(1, ['本表由督查室维护']) },
    ]);
    for (const id of ['4294967294', '4294967295', '0']) {
      const bytes = edit(two, (p) => {
        p['xl/workbook.xml'] = strToU8(text(p['xl/workbook.xml']).replace('sheetId="1"', `sheetId="${id}"`));
      });
      const sheets = await readWorkbookSheets(file(bytes));
      expect(
        sheets.map((s) => s.name),
        id,
      ).toEqual(['台账', '说明']);
      expect(sheets[1]!.values).toEqual([['本表由督查室维护']]);
    }
    const shared = edit(two, (p) => {
      p['xl/workbook.xml'] = strToU8(text(p['xl/workbook.xml']).replace('sheetId="2"', 'sheetId="1"'));
    });
    await expect(readWorkbookSheets(file(shared))).rejects.toThrow(
      `工作表“说明”的编号（sheetId）“1”无法识别或与另一工作表相同，${RESAVE}`,
    );
  });

  it('a sheet part named with a leading "/" is checked against the limits like any other; a part named twice is refused', async () => {
    // 1,004,000 formatted empty cells: refused at the usual name, and so at /xl/worksheets/sheet1.xml.
    const big = minimalXlsx(
      [{ name: '台账', rows: `<row>${'<c s="1"/>'.repeat(251)}</row>`.repeat(4000) }],
      1,
    );
    const slash = edit(big, (p) => {
      p['/xl/worksheets/sheet1.xml'] = p['xl/worksheets/sheet1.xml']!;
      delete p['xl/worksheets/sheet1.xml'];
    });
    await expect(readWorkbookSheets(file(slash))).rejects.toThrow(/工作表“台账”有超过 1000000 个单元格/);
    const twice = edit(minimalXlsx([{ name: '台账', rows: header }]), (p) => {
      p['/xl/worksheets/sheet1.xml'] = strToU8(
        text(p['xl/worksheets/sheet1.xml']).replace('</sheetData>', '<row r="9"/></sheetData>'),
      );
    });
    await expect(readWorkbookSheets(file(twice))).rejects.toThrow(
      /“.*\.xlsx”中的 xl\/worksheets\/sheet1\.xml 出现了两次，不是完好的 \.xlsx 文件/,
    );
  });

  it("two sheets named alike (but for case, or spelt with a character reference or single quotes) are refused; each sheet's merged areas are its own", async () => {
    const alike = minimalXlsx([
      { name: 'Sheet', rows: header, merges: ['A2:A4'] },
      { name: 'SHEET', rows: header },
    ]);
    await expect(readWorkbookSheets(file(alike))).rejects.toThrow(
      `工作簿中有两个工作表都名为“SHEET”（Excel 不允许同名的工作表），${RESAVE}`,
    );
    const two = minimalXlsx([
      { name: '台账', rows: header + xmlRow(2, ['X']) + xmlRow(3, ['', '', 'z']), merges: ['A2:A3'] },
      { name: '别表', rows: header + xmlRow(2, ['', 'Y']) + xmlRow(3, ['', '', 'z']), merges: ['B2:B3'] },
    ]);
    for (const spelt of ['name="&#21488;账"', "name='台账'"]) {
      const bytes = edit(two, (p) => {
        p['xl/workbook.xml'] = strToU8(text(p['xl/workbook.xml']).replace('name="别表"', spelt));
      });
      await expect(readWorkbookSheets(file(bytes)), spelt).rejects.toThrow(/有两个工作表都名为“台账”/);
    }
    // Named apart, each sheet gets its own merged area, however its name is spelt.
    const apart = edit(two, (p) => {
      p['xl/workbook.xml'] = strToU8(text(p['xl/workbook.xml']).replace('name="别表"', "name='别&#34920;'"));
    });
    const [first, second] = await readWorkbookSheets(file(apart));
    expect(second!.name).toBe('别表');
    expect(first!.values.slice(1).map((r) => r[0])).toEqual(['X', 'X']);
    expect(second!.values.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['', 'Y'],
      ['', 'Y'],
    ]);
  });

  it('a cell whose address names another row than the row holding it is refused naming both, never read into the row', async () => {
    // exceljs would read <row r="2"><c r="B9"> as B2; LibreOffice as B9. Excel never writes it.
    const bytes = minimalXlsx([
      {
        name: '台账',
        rows:
          header + '<row r="2"><c r="A2"><v>1</v></c><c r="B9" t="inlineStr"><is><t>改造</t></is></c></row>',
      },
    ]);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(
      `工作表“台账”第 2 行中有一个单元格写作“B9”，位置却在另一行（Excel 不会这样保存），${RESAVE}`,
    );
    // A crafted address of thousands of digits is named cut short, not copied whole into the message.
    const long = minimalXlsx([
      { name: '台账', rows: header + `<row r="2"><c r="B${'9'.repeat(5000)}"><v>1</v></c></row>` },
    ]);
    await expect(readWorkbookSheets(file(long))).rejects.toThrow(
      `工作表“台账”第 2 行中有一个单元格写作“B${'9'.repeat(19)}…”，位置却在另一行`,
    );
    // The same row's address in any spelling still reads: $B$2, b2.
    for (const address of ['$B$2', 'b2']) {
      const same = minimalXlsx([
        {
          name: '台账',
          rows: header + `<row r="2"><c r="${address}" t="inlineStr"><is><t>改造</t></is></c></row>`,
        },
      ]);
      const [sheet] = await readWorkbookSheets(file(same));
      expect(sheet!.values[1]![1], address).toBe('改造');
    }
  });

  it("a part that is not well-formed XML is refused in Chinese, naming the part, with the parser's place in it", async () => {
    const good = minimalXlsx([{ name: '台账', rows: header + xmlRow(2, [1, '老旧小区改造', '住建局']) }]);
    const broken = edit(good, (p) => {
      const name = Object.keys(p).find((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k))!;
      p[name] = strToU8(text(p[name]).replace('</sheetData>', '</sheetData></row>'));
    });
    const path = file(broken);
    const refused = await readWorkbookSheets(path).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(refused).toMatch(
      new RegExp(
        `^无法读取工作簿：“${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”中的 xl/worksheets/sheet1\\.xml 无法解析，不是完好的 \\.xlsx 文件（\\d+:\\d+: .+）；请在 Excel 或 WPS 表格中打开它`,
      ),
    );
  });

  it('parts that parse but do not fit together (a text cell pointing past the shared strings) are refused in Chinese, saying so', async () => {
    const bytes = edit(
      minimalXlsx([{ name: '台账', rows: header + '<row r="2"><c r="B2" t="s"><v>5</v></c></row>' }]),
      (p) => {
        p['xl/sharedStrings.xml'] = strToU8(
          '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>一</t></si></sst>',
        );
      },
    );
    const path = file(bytes);
    await expect(readWorkbookSheets(path)).rejects.toThrow(
      `无法读取工作簿：“${path}”的各部分之间对不上（引用了文件中没有的文字或样式），不是完好的 .xlsx 文件（`,
    );
  });

  it('a cell of several rich-text runs longer than Excel allows in all is refused, as one long run is', async () => {
    const run = `<r><t>${'办'.repeat(20_000)}</t></r>`;
    const bytes = minimalXlsx([
      { name: '台账', rows: header + `<row r="2"><c r="B2" t="inlineStr"><is>${run}${run}</is></c></row>` },
    ]);
    await expect(readWorkbookSheets(file(bytes))).rejects.toThrow(
      '工作表“台账”的单元格 B2 含 40000 个字符，超过单元格上限 32767 个字符，不像台账；请检查该工作表后再试',
    );
  });
});
