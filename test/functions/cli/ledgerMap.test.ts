// `duban ledger` on a workbook laid out like a township office's (R4): several sheets, a deadline column
// under a name no vocabulary knows, mapped once on the command line or in a file; old formats refused.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { minimalXlsx, xmlRow } from '../../support/minimalXlsx.js';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'duban-map-'));

function duban(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin', 'duban.cjs'), ...args],
      { cwd: root },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const HEADER = ['序号', '工作任务', '牵头领导', '牵头单位', '工作措施', '最迟办结', '进展情况'];
const workbook = join(dir, '乡镇台账.xlsx');
writeFileSync(
  workbook,
  minimalXlsx([
    { name: '说明', rows: xmlRow(1, ['本台账按乡镇分表，每月25日前更新。']) },
    {
      name: '城关镇',
      rows: [
        xmlRow(1, ['城关镇2026年重点工作任务台账']),
        xmlRow(2, HEADER),
        xmlRow(3, ['1', '老旧小区改造', '王志刚', '城关镇、县住建局', '分片推进。', '2026年6月30日', '']),
        xmlRow(4, ['2', '农贸市场提升', '李明', '城关镇', '按月调度。', '年底前', '']),
        xmlRow(5, ['填表人：李明', '', '联系电话：0000-1234567']),
      ].join(''),
    },
    {
      name: '汇总',
      rows: [xmlRow(1, ['序号', '工作任务', '牵头单位']), xmlRow(2, ['1', '见各乡镇表', '各乡镇'])].join(''),
    },
  ]),
);

interface Json {
  sheet: string;
  sheetReason: string;
  year: number;
  yearSource: string;
  tasks: { row: number; leadUnit: string; deadline: { date: string | null } }[];
  rows: { row: number; kind: string }[];
  problems: { message: string }[];
}

describe('duban ledger on a workbook of several sheets with an unknown header (R4)', () => {
  it('says which sheet it read and why, the ledger year and its source, and the header to map', async () => {
    const { code, stdout } = await duban('ledger', workbook);
    expect(code).toBe(0);
    expect(stdout).toContain(
      '读取工作表“城关镇”：表头识别出的列最多（6 列）；其他工作表：说明（无台账表头）、汇总（识别出 3 列）。如不是这张，请用 --sheet 指定',
    );
    expect(stdout).toContain('台账年份：2026年（取自标题）');
    expect(stdout).toContain('未能识别的表头：F列“最迟办结”');
    expect(stdout).toContain('duban ledger --map 完成时限=最迟办结');
  });

  it('--map 完成时限=最迟办结 reads every deadline; every row is accounted for', async () => {
    const { code, stdout } = await duban('ledger', workbook, '--map', '完成时限=最迟办结', '--json');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as Json;
    expect([r.sheet, r.year, r.yearSource]).toEqual(['城关镇', 2026, 'title']);
    expect(r.problems).toEqual([]);
    expect(r.tasks.map((t) => t.deadline.date)).toEqual(['2026-06-30', '2026-12-31']);
    expect(r.tasks[0]!.leadUnit).toBe('城关镇、县住建局');
    expect(r.rows.map((x) => x.kind)).toEqual(['title', 'header', 'task', 'task', 'note']);
  });

  it('a mapping file does the same, and --sheet names the sheet', async () => {
    const file = join(dir, 'map.json');
    writeFileSync(file, JSON.stringify({ 完成时限: '最迟办结' }));
    const { stdout } = await duban('ledger', workbook, '--map-file', file, '--sheet', '城关镇', '--json');
    const r = JSON.parse(stdout) as Json;
    expect(r.sheetReason).toBe('按 --sheet 指定');
    expect(r.problems).toEqual([]);
  });

  it('a bad --map or an unknown field is refused in Chinese (exit 2)', async () => {
    const bad = await duban('ledger', workbook, '--map', '完成时限');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--map 应写作 字段=表头');
    const unknown = await duban('ledger', workbook, '--map', '截止=最迟办结');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('不认识的字段“截止”');
  });

  it('R4: a --map naming a header the sheet does not have is said, never silently unused', async () => {
    const missing = await duban('ledger', workbook, '--map', '完成时限=办结日期');
    expect(missing.stderr).toContain('--map 完成时限=办结日期：工作表');
    expect(missing.stderr).toContain('的表头中没有“办结日期”，此对应未使用');
    expect(missing.stderr).toContain('F列“最迟办结”');
  });

  it('.xls and .et files are refused with how to save them as .xlsx (exit 2)', async () => {
    const ole = new Uint8Array(2048);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    for (const name of ['台账.xls', '台账.et']) {
      const path = join(dir, name);
      writeFileSync(path, ole);
      const { code, stderr } = await duban('ledger', path);
      expect(code).toBe(2);
      expect(stderr).toContain('Excel 97–2003（.xls）或 WPS 表格（.et）格式');
      expect(stderr).toContain('保存类型选“Excel 工作簿（*.xlsx）”');
    }
  });
});
