// Issue 9: malicious ledger files are refused quickly and in little memory, and the largest ledger
// within the limits (and one with 50,000 merges) reads in full. Each file is read in a fresh process
// (bench/readOne.ts) so that its peak memory (max RSS) is its own; a bare `node` start is the baseline.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LEDGER_LIMITS } from '../functions/xlsxGuard.js';
import { SAMPLE_HEADER } from '../test/support/sampleLayout.js';
import { minimalXlsx, xmlRow } from '../test/support/minimalXlsx.js';
import { writeLedger } from './generate.js';
import type { BenchResult } from './measure.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');

async function readInChild(file: string): Promise<{ ms: number; maxRssMB: number; outcome: string }> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'readOne.ts'), file],
    {
      cwd: root,
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number; maxRssMB: number; outcome: string };
}

export async function benchLimits(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-limits-'));
  const header = xmlRow(1, [...SAMPLE_HEADER]);
  const files: [string, Uint8Array][] = [
    [
      'one cell at XFD1048576 (2 KB)',
      minimalXlsx([{ name: '台账', rows: header + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' }]),
    ],
    [
      'declared range A1:XFD1048576',
      minimalXlsx([{ name: '台账', rows: header, dimension: 'A1:XFD1048576' }]),
    ],
    ['merge E1:XFD1048576', minimalXlsx([{ name: '台账', rows: header, merges: ['E1:XFD1048576'] }])],
    [
      '1,000,000 rows',
      minimalXlsx([{ name: '台账', rows: '<row><c><v>1</v></c></row>'.repeat(1_000_000) }], 1),
    ],
    [
      '100,001 merges',
      minimalXlsx(
        [
          {
            name: '台账',
            rows: header,
            merges: Array.from(
              { length: LEDGER_LIMITS.merges + 1 },
              (_, i) => `${'ABCDEF'[i % 6]}${Math.floor(i / 6) + 1}`,
            ),
          },
        ],
        1,
      ),
    ],
    [
      '1,004,000 formatted empty cells',
      minimalXlsx([{ name: '台账', rows: `<row>${'<c s="1"/>'.repeat(251)}</row>`.repeat(4000) }], 1),
    ],
    [
      'a 40,000-character cell',
      minimalXlsx([{ name: '台账', rows: header + xmlRow(2, ['1', '长'.repeat(40_000)]) }]),
    ],
  ];
  // 50,000 one-row merges of two cells over 10,000 rows: within the limits, read in full.
  const rows: string[] = [header];
  const merges: string[] = [];
  for (let r = 2; r <= 10_001; r++) {
    rows.push(xmlRow(r, ['甲', '', '乙', '', '丙', '', '丁', '', '戊', '']));
    for (const c of ['A', 'C', 'E', 'G', 'I'])
      merges.push(`${c}${r}:${String.fromCharCode(c.charCodeAt(0) + 1)}${r}`);
  }
  files.push(['50,000 merges (accepted)', minimalXlsx([{ name: '台账', rows: rows.join(''), merges }], 1)]);

  const paths = files.map(([name, bytes], i) => {
    const path = join(dir, `case${i}.xlsx`);
    writeFileSync(path, bytes);
    return [name, path] as const;
  });
  const largest = join(dir, 'largest.xlsx');
  // The generated office ledger adds a title, a 填报单位 line, the header, a section every 50 tasks and a note.
  await writeLedger(largest, Math.floor((LEDGER_LIMITS.rows - 10) / 1.02));
  paths.push(['largest ledger within the limits (accepted)', largest]);

  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '');
  const base = await readInChild(empty);
  const out: BenchResult[] = [
    {
      name: 'baseline: a fresh process reading nothing (max RSS)',
      value: Math.round(base.maxRssMB),
      unit: 'MB',
    },
  ];
  for (const [name, path] of paths) {
    const r = await readInChild(path);
    out.push({
      name: `${name}: ${r.outcome}; peak memory ${Math.round(r.maxRssMB)} MB`,
      value: r.ms,
      unit: 'ms',
      ratio: r.maxRssMB / base.maxRssMB,
      goal: name.includes('accepted') ? undefined : '< 2 s and < 300 MB',
    });
  }
  return out;
}
