// Issue 12, the compiled command: whole `duban` processes against baselines started the same way in
// the same run — `duban --help` against a bare `node` start, `duban ledger` on a 10,000-row ledger
// (as a clerk runs it, and with --json) against a bare exceljs read of the same file in its own
// process (bench/bareRead.mjs). The runs alternate so that the machine's noise falls on all alike.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLedger } from './generate.js';
import { median, type BenchResult } from './measure.js';

const root = join(import.meta.dirname, '..');

/** Wall time of one process from spawn to exit, its output discarded (as into a file). */
function processMs(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${err.slice(0, 300)}`));
    });
  });
}

export async function benchCli(rows = 10_000, runs = 7): Promise<BenchResult[]> {
  // The command measured is the one `npm install` leaves: compiled, and refused if it is not.
  execFileSync(process.execPath, [join(root, 'bin', 'build-cli.mjs')], { cwd: root, stdio: 'ignore' });
  const env = { ...process.env, DUBAN_REQUIRE_COMPILED: '1' };
  const duban = join(root, 'bin', 'duban.cjs');
  const file = join(mkdtempSync(join(tmpdir(), 'duban-bench-cli-')), 'ledger-10k.xlsx');
  await writeLedger(file, rows);

  // Node reads the whole file NODE_EXTRA_CA_CERTS names at every start, before any script runs. This
  // machine sets it (to the system's CA bundle): ≈ 80 ms of each process, whatever the process does.
  // Start-up is measured both ways, each against a bare node started the same way: without it (a
  // machine that does not set it) and with it (one that does, as an office's network may require).
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  const plainEnv: NodeJS.ProcessEnv = { ...env };
  delete plainEnv.NODE_EXTRA_CA_CERTS;
  const node: number[] = [];
  const help: number[] = [];
  const nodeCa: number[] = [];
  const helpCa: number[] = [];
  const bare: number[] = [];
  const table: number[] = [];
  const json: number[] = [];
  // Start-ups are a tenth of a second each and the machine's noise is a few milliseconds: three times
  // as many runs of them as of the ledger reads.
  for (let i = 0; i < runs * 3; i++) {
    node.push(await processMs(['-e', '0'], plainEnv));
    help.push(await processMs([duban, '--help'], plainEnv));
    if (extraCa) {
      nodeCa.push(await processMs(['-e', '0'], env));
      helpCa.push(await processMs([duban, '--help'], env));
    }
  }
  for (let i = 0; i < runs; i++) {
    bare.push(await processMs([join(root, 'bench', 'bareRead.mjs'), file], plainEnv));
    table.push(await processMs([duban, 'ledger', file], plainEnv));
    json.push(await processMs([duban, 'ledger', file, '--json'], plainEnv));
  }
  const baseNode = median(node);
  const baseRead = median(bare);
  const withCa: BenchResult[] = extraCa
    ? [
        {
          name: "bare `node -e 0` with this machine's NODE_EXTRA_CA_CERTS (baseline)",
          value: median(nodeCa),
          unit: 'ms',
        },
        {
          name: '`duban --help` with it',
          value: median(helpCa),
          unit: 'ms',
          ratio: median(helpCa) / median(nodeCa),
          goal: '< 150 ms',
        },
      ]
    : [];
  return [
    { name: 'bare `node -e 0` (baseline)', value: baseNode, unit: 'ms' },
    {
      name: '`duban --help`, compiled',
      value: median(help),
      unit: 'ms',
      ratio: median(help) / baseNode,
      goal: '< 150 ms',
    },
    ...withCa,
    {
      name: `bare exceljs read of a ${rows}-row ledger, own process (baseline)`,
      value: baseRead,
      unit: 'ms',
    },
    {
      name: `\`duban ledger\` on the same file (the table a clerk reads)`,
      value: median(table),
      unit: 'ms',
      ratio: median(table) / baseRead,
      goal: '≤ 1.15×',
    },
    {
      name: '`duban ledger --json` on the same file',
      value: median(json),
      unit: 'ms',
      ratio: median(json) / baseRead,
      goal: '≤ 1.15×',
    },
  ];
}
