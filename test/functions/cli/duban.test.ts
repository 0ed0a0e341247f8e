// The `duban` command as the office's admin runs it: a real process, the sample ledger, real files.
import { execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLedger } from '../../../shared/ledger/index.js';
import { scheduleTasksOf } from '../../../functions/cli/plan.js';
import { HEADER, taskRow } from '../../shared/ledger/sheet.js';
import { minimalXlsx, xmlRow } from '../../support/minimalXlsx.js';

const root = join(import.meta.dirname, '..', '..', '..');
const fixture = join(root, 'test', 'fixtures', 'ledger-2026.xlsx');

function duban(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin', 'duban.cjs'), ...args],
      // The compiled command, as `npm install` leaves it (test/setup/cli.ts builds it before the run):
      // refused rather than silently replaced by the TypeScript sources.
      { cwd: root, env: { ...process.env, DUBAN_REQUIRE_COMPILED: '1' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

interface LedgerJson {
  sheet: string;
  year: number;
  tasks: {
    row: number;
    no: string;
    parent: string | null;
    leadUnit: string;
    stars: number | null;
    suggestedStars: number | null;
    deadline: { date: string | null; recurrence: string | null };
  }[];
  rows: { row: number; kind: string; message?: string }[];
  problems: { row: number; column: string; rule: string; message: string }[];
}

describe('duban ledger', () => {
  it('R4: accounts for every row of the sample ledger, from the title to the note', async () => {
    const { code, stdout } = await duban('ledger', fixture, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as LedgerJson;
    expect(out.sheet).toBe('重点工作台账');
    expect(out.year).toBe(2026);
    expect(out.rows.map((r) => r.row)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const kind = (row: number) => out.rows.find((r) => r.row === row)?.kind;
    expect([kind(1), kind(2), kind(3), kind(4), kind(5), kind(23), kind(24)]).toEqual([
      'title',
      'title',
      'header',
      'section',
      'task',
      'blank',
      'note',
    ]);
    expect(out.tasks).toHaveLength(16);
    expect(out.tasks.find((t) => t.no === '3-2')).toMatchObject({
      parent: '3',
      leadUnit: '县商务局',
      stars: 3,
      deadline: { recurrence: 'quarterly' },
    });
    expect(out.tasks.find((t) => t.no === '1')?.deadline.date).toBe('2026-12-31');
  });

  it("R1: reports the sample's non-standard rows with row and column (no 牵头领导 on row 20, no 完成时限 on row 21)", async () => {
    const { stdout } = await duban('ledger', fixture, '--json');
    const out = JSON.parse(stdout) as LedgerJson;
    expect(out.problems).toContainEqual(expect.objectContaining({ row: 20, column: 'E', rule: 'R1' }));
    expect(out.problems).toContainEqual(expect.objectContaining({ row: 21, column: 'H', rule: 'R1' }));
    for (const p of out.problems) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('R5: prints a readable table with suggested stars by kind and the problems in Chinese', async () => {
    const { code, stdout } = await duban('ledger', fixture);
    expect(code).toBe(0);
    expect(stdout).toContain('重点工作台账');
    expect(stdout).toMatch(/21\s+13\s+提升城乡居民医保参保率/);
    expect(stdout).toContain('不规范');
    expect(stdout).toContain('★★★★★');
  });

  it('R4: a reader that stops early (`duban ledger … | head`) gets what it read, and no error is printed', async () => {
    // 3,000 tasks: the table is far more than a pipe holds, so the command is still writing when head exits.
    const rows = [xmlRow(1, HEADER)];
    for (let i = 1; i <= 3000; i++)
      rows.push(xmlRow(i + 1, taskRow(String(i), `第${i}项重点任务`) as (string | number)[]));
    const big = join(mkdtempSync(join(tmpdir(), 'duban-pipe-')), 'big.xlsx');
    writeFileSync(big, minimalXlsx([{ name: '台账', rows: rows.join('') }]));
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(
        'bash',
        [
          '-c',
          `set -o pipefail; "$0" bin/duban.cjs ledger "$1" | head -c 200; echo " exit=$?"`,
          process.execPath,
          big,
        ],
        { cwd: root, env: { ...process.env, DUBAN_REQUIRE_COMPILED: '1' } },
        (_err, stdout, stderr) => resolve({ stdout, stderr }),
      ),
    );
    expect(stdout).toContain('读取工作表“台账”');
    expect(stdout).toMatch(/ exit=0\n$/);
    expect(stderr).toBe('');
  });

  it('exits 2 with a clear message for a missing file, an unknown sheet and bad arguments', async () => {
    const notXlsx = join(mkdtempSync(join(tmpdir(), 'duban-')), 'bad.xlsx');
    writeFileSync(notXlsx, 'this is not a workbook');
    // Five compiled processes at once: each is a fraction of a second on its own.
    const [missing, sheet, bad, flag, nonsense] = await Promise.all([
      duban('ledger', join(root, 'no-such.xlsx')),
      duban('ledger', fixture, '--sheet', '不存在'),
      duban('ledger', notXlsx),
      duban('ledger', fixture, '--bogus'),
      duban('nonsense'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('找不到文件');
    expect(sheet.code).toBe(2);
    expect(sheet.stderr).toContain('不存在');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('无法读取工作簿');
    expect(flag.code).toBe(2);
    expect(nonsense.code).toBe(2);
  });
});

describe('the compiled command', () => {
  interface CliBuild {
    bundleStaleness(dist?: string, base?: string): string | null;
    currentHelp(dist?: string, base?: string): string | null;
    inputKey(base: string, source: string, paths?: typeof posix): string;
    HELP_SOURCE: string;
  }
  const build = () => import(pathToFileURL(join(root, 'bin', 'build-cli.mjs')).href) as Promise<CliBuild>;
  /** A checkout of its own holding the command's entry, the help's source and `files`; no bundle yet. */
  const entryCopy = (...files: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-entry-'));
    for (const sub of ['bin', join('dist', 'cli'), join('functions', 'cli')])
      mkdirSync(join(dir, sub), { recursive: true });
    for (const file of [
      join('bin', 'duban.cjs'),
      join('bin', 'staleness.cjs'),
      join('functions', 'cli', 'main.ts'),
      ...files,
    ])
      copyFileSync(join(root, file), join(dir, file));
    return dir;
  };

  it('runs compiled JavaScript: `duban --help` answers with DUBAN_REQUIRE_COMPILED (no TypeScript at run time)', async () => {
    const { bundleStaleness, currentHelp } = await build();
    expect(bundleStaleness()).toBeNull();
    // The build as npm install leaves it answers the help from its own file (the fast path fires).
    expect(currentHelp()).toContain('duban — 督办命令行工具');
    const { code, stdout, stderr } = await duban('--help');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('duban — 督办命令行工具');
  });

  it('prints the help of the code in force without loading the bundle: the same text, stream and exit code as main', async () => {
    const { main } = await import('../../../functions/cli/main.js');
    // A copy of the entry whose bundle throws as soon as it is loaded: the help must come without it.
    const dir = entryCopy(join('dist', 'cli', 'help.txt'));
    writeFileSync(join(dir, 'dist', 'cli', 'duban.mjs'), "throw new Error('bundle loaded');\n");
    const source = join(dir, 'functions', 'cli', 'main.ts');
    writeFileSync(
      join(dir, 'dist', 'cli', 'inputs.json'),
      JSON.stringify({ inputs: { 'functions/cli/main.ts': statSync(source).mtimeMs } }),
    );
    const entry = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [join(dir, 'bin', 'duban.cjs'), ...args],
          { env: { ...process.env, ...env } },
          (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
    const inProcess = async (args: string[]) => {
      let stdout = '';
      let stderr = '';
      const line = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
      const code = await main(args, { out: (t) => (stdout += line(t)), err: (t) => (stderr += line(t)) });
      return { code, stdout, stderr };
    };
    for (const args of [['--help'], ['-h'], ['help'], [], ['--verbose', '--help'], ['help', '--bogus']])
      expect(await entry(args), args.join(' ') || '(none)').toEqual(await inProcess(args));
    // Every other command loads the bundle (here the one that throws).
    const ledger = await entry(['ledger', 'x.xlsx']);
    expect(ledger.code).not.toBe(0);
    expect(ledger.stderr).toContain('bundle loaded');
    // The help's source edited after the build: the built text is not printed, the code answers (here
    // refused, as DUBAN_REQUIRE_COMPILED asks, naming the source).
    const later = new Date(statSync(source).mtimeMs + 60_000);
    utimesSync(source, later, later);
    expect(await entry(['--help'], { DUBAN_REQUIRE_COMPILED: '1' })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'duban：编译版本不可用：源文件 functions/cli/main.ts 在编译之后有改动；请运行 npm run build:cli（npm install 会自动编译）\n',
    });
  });

  it('the help to a reader that has already gone (EPIPE) is no error: exit 0, nothing on stderr', async () => {
    const child = spawn(process.execPath, [join(root, 'bin', 'duban.cjs'), '--help'], {
      cwd: root,
      env: { ...process.env, DUBAN_REQUIRE_COMPILED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader closes before the command has started: its write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('the entry a checkout npx ran before still links to (bin/duban.mjs) runs the same command', async () => {
    const old = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [join(root, 'bin', 'duban.mjs'), ...args],
          { cwd: root, env: { ...process.env, DUBAN_REQUIRE_COMPILED: '1' } },
          (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
    const [help, helpNew, none, ledger, ledgerNew] = await Promise.all([
      old('--help'),
      duban('--help'),
      old(),
      old('ledger', fixture, '--json'),
      duban('ledger', fixture, '--json'),
    ]);
    expect(help).toEqual(helpNew);
    expect(none.code).toBe(2);
    expect(ledger).toEqual(ledgerNew);
    expect(ledger.code).toBe(0);
  });

  it('records each source under its path with "/", on Windows too, where the help looks its source up so', async () => {
    const { inputKey, HELP_SOURCE } = await build();
    expect(inputKey('/repo', 'functions/cli/main.ts', posix)).toBe(HELP_SOURCE);
    expect(inputKey('C:\\repo', 'functions\\cli\\main.ts', win32)).toBe(HELP_SOURCE);
    expect(inputKey('C:\\repo', 'functions/cli/main.ts', win32)).toBe(HELP_SOURCE);
  });

  it('a stale bundle refused under DUBAN_REQUIRE_COMPILED exits 2 even when nobody reads stderr any more', async () => {
    const dir = entryCopy();
    // Recorded at a build before the source's last change: stale.
    writeFileSync(
      join(dir, 'dist', 'cli', 'inputs.json'),
      JSON.stringify({ inputs: { 'functions/cli/main.ts': 1 } }),
    );
    const child = spawn(process.execPath, [join(dir, 'bin', 'duban.cjs'), 'ledger', 'x.xlsx'], {
      env: { ...process.env, DUBAN_REQUIRE_COMPILED: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
  });

  it('never runs a bundle older than one of its sources: it names the source instead', async () => {
    const { bundleStaleness } = await build();
    const dir = mkdtempSync(join(tmpdir(), 'duban-bundle-'));
    writeFileSync(join(dir, 'main.ts'), 'export {};');
    const built = new Date('2026-03-17T01:00:00Z');
    utimesSync(join(dir, 'main.ts'), built, built);
    writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ inputs: { 'main.ts': built.getTime() } }));
    expect(bundleStaleness(dir, dir)).toBeNull();
    // Edited after the build (or put back to an older version): either way not what was compiled.
    for (const edited of [new Date(built.getTime() + 60_000), new Date(built.getTime() - 60_000)]) {
      utimesSync(join(dir, 'main.ts'), edited, edited);
      expect(bundleStaleness(dir, dir)).toBe('源文件 main.ts 在编译之后有改动');
    }
    expect(bundleStaleness(join(dir, 'none'), dir)).toBe('未编译（dist/cli 不存在）');
  });

  it('prints the built help only while its one source is the one built: edited, it is the code that answers', async () => {
    const { currentHelp, HELP_SOURCE } = await build();
    // The help is a literal in main.ts with nothing substituted: no other source can change its text.
    const source = readFileSync(join(root, HELP_SOURCE), 'utf8');
    const literal = /export const HELP = `([^`]*)`;/.exec(source);
    expect(literal?.[1]).toContain('duban — 督办命令行工具');
    expect(literal?.[1]).not.toContain('${');
    const dir = mkdtempSync(join(tmpdir(), 'duban-help-'));
    mkdirSync(join(dir, 'functions', 'cli'), { recursive: true });
    writeFileSync(join(dir, HELP_SOURCE), 'export const HELP = `帮助`;');
    writeFileSync(join(dir, 'help.txt'), '帮助');
    const built = new Date('2026-03-17T01:00:00Z');
    utimesSync(join(dir, HELP_SOURCE), built, built);
    writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ inputs: { [HELP_SOURCE]: built.getTime() } }));
    expect(currentHelp(dir, dir)).toBe('帮助');
    const edited = new Date(built.getTime() + 60_000);
    utimesSync(join(dir, HELP_SOURCE), edited, edited);
    expect(currentHelp(dir, dir)).toBeNull();
    expect(currentHelp(join(dir, 'none'), dir)).toBeNull();
  });
});

describe('duban plan', () => {
  it('R15: March 2026 — 3★ Q1 reminder on W−10, 4★ March reminder on W−5, 5★ weekly and milestone reminders', async () => {
    const { code, stdout } = await duban(
      'plan',
      fixture,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--json',
    );
    expect(code).toBe(0);
    const { reminders } = JSON.parse(stdout) as { reminders: Record<string, unknown>[] };
    // task 10 is 常规性 ★★★: Q1 (last working day Tue 31 Mar, 清明 4–6 Apr)
    expect(reminders).toContainEqual({
      taskNo: '10',
      leadUnit: '县乡村振兴局',
      stars: 3,
      period: '2026-Q1',
      reason: 'quarterly',
      sendOn: '2026-03-17',
      feedbackDue: '2026-03-26',
      roundupOn: '2026-04-08',
    });
    // task 1 is 指标类 ★★★★: March, W−5 = Tue 24 Mar, W−2 = Fri 27 Mar, W+3 = Fri 3 Apr
    expect(reminders).toContainEqual({
      taskNo: '1',
      leadUnit: '县发改局',
      stars: 4,
      period: '2026-03',
      reason: 'monthly',
      sendOn: '2026-03-24',
      feedbackDue: '2026-03-27',
      roundupOn: '2026-04-03',
    });
    // task 5 is 重大项目 ★★★★★: the first working day of each week, and 5 working days before 3月底前完成立项
    expect(reminders).toContainEqual(
      expect.objectContaining({
        taskNo: '5',
        period: '2026-W10',
        reason: 'weekly',
        sendOn: '2026-03-02',
        feedbackDue: '2026-03-04',
      }),
    );
    expect(reminders).toContainEqual(
      expect.objectContaining({ taskNo: '5', reason: 'milestone', sendOn: '2026-03-24' }),
    );
    // task 12 has no stars and 常规性: scheduled by its suggested 3 stars (R5)
    expect(reminders).toContainEqual(expect.objectContaining({ taskNo: '12', stars: 3, period: '2026-Q1' }));
    expect(
      reminders.every((r) => (r.sendOn as string) >= '2026-03-01' && (r.sendOn as string) <= '2026-03-31'),
    ).toBe(true);
  });

  it('R15: a second computation of the same range gives the same plan (nothing random, nothing lost)', async () => {
    const a = await duban('plan', fixture, '--from', '2026-01-01', '--to', '2026-12-31', '--json');
    const b = await duban('plan', fixture, '--from', '2026-01-01', '--to', '2026-12-31', '--json');
    expect(a.stdout).toBe(b.stdout);
    const { reminders } = JSON.parse(a.stdout) as { reminders: { taskNo: string; reason: string }[] };
    // 4 quarterly reminders a year for a 3★ task, 12 monthly for a 4★ one
    expect(reminders.filter((r) => r.taskNo === '11' && r.reason === 'quarterly')).toHaveLength(4);
    expect(reminders.filter((r) => r.taskNo === '9' && r.reason === 'monthly')).toHaveLength(12);
  });

  it('R16: a year without holiday data falls back to Monday–Friday and says so', async () => {
    const { code, stdout } = await duban(
      'plan',
      fixture,
      '--from',
      '2031-03-01',
      '--to',
      '2031-03-31',
      '--year',
      '2031',
      '--json',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { warnings: string[] };
    expect(out.warnings.join()).toContain('2031');
  });

  it('R2, R15: tasks sharing a 序号 (numbering restarting per section) are planned as two tasks, not one; unschedulable ones are listed', () => {
    const ledger = readLedger(
      [
        HEADER,
        ['一、经济发展'],
        taskRow('1', '甲', { 牵头单位: '县发改局' }),
        ['二、民生保障'],
        taskRow('1', '乙', { 牵头单位: '县民政局' }),
        taskRow('2', '丙', { 牵头单位: '' }),
        taskRow('3', '丁', { 星级: '', 工作类别: '' }),
      ],
      { year: 2026 },
    );
    const plan = scheduleTasksOf(ledger.tasks);
    expect(plan.tasks.map((t) => [t.id, t.leadUnit])).toEqual([
      ['row:3', '县发改局'],
      ['row:5', '县民政局'],
    ]);
    expect(plan.unscheduled).toEqual([
      { row: 6, taskNo: '2', reason: '牵头单位为空，无法提示' },
      { row: 7, taskNo: '3', reason: '未赋星且工作类别无法确定，无法确定提示频次' },
    ]);
  });

  it('R15, R16: --settings applies the office’s W−n and its 2031 calendar; a bad settings file exits 2 naming the field in Chinese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-settings-'));
    const file = join(dir, 'settings.json');
    writeFileSync(
      file,
      JSON.stringify({
        schedule: { four: { send: 3, feedback: 1 } },
        holidays: { '2031': { holidays: ['2031-03-31'], workdays: [] } },
      }),
    );
    const { code, stdout } = await duban(
      'plan',
      fixture,
      '--from',
      '2031-03-01',
      '--to',
      '2031-03-31',
      '--year',
      '2031',
      '--settings',
      file,
      '--json',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { reminders: Record<string, unknown>[]; warnings: string[] };
    // March 2031: 31 Mar is the office's day off, so the last working day is Fri 28 Mar; W−3 = Tue 25 Mar.
    expect(out.reminders).toContainEqual(
      expect.objectContaining({
        taskNo: '1',
        period: '2031-03',
        sendOn: '2031-03-25',
        feedbackDue: '2031-03-27',
      }),
    );
    expect(out.warnings.join()).not.toContain('2031');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schedule: { four: { send: -1 } } }));
    const r = await duban('plan', fixture, '--from', '2026-03-01', '--to', '2026-03-31', '--settings', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/设置文件 .*bad\.json 有误：字段 schedule\.four\.send：.*[\u4e00-\u9fff]/);
    const missing = await duban(
      'plan',
      fixture,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--settings',
      join(dir, 'none.json'),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('找不到设置文件');
  });

  it('exits 2 on a bad date or a reversed range', async () => {
    expect((await duban('plan', fixture, '--from', '2026-02-30', '--to', '2026-03-31')).code).toBe(2);
    const rev = await duban('plan', fixture, '--from', '2026-04-01', '--to', '2026-03-01');
    expect(rev.code).toBe(2);
    expect(rev.stderr).toContain('晚于');
  });
});

describe('duban cards', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duban-cards-'));
  const events = join(dir, 'events.json');
  writeFileSync(
    events,
    JSON.stringify([
      { type: 'card', unit: '县住建局', color: 'yellow', date: '2026-02-10' },
      { type: 'card', unit: '县商务局', color: 'orange', date: '2026-03-05' },
      { type: 'interview', unit: '县商务局', date: '2026-03-12' },
      { type: 'card', unit: '县教育局', color: 'orange', date: '2026-12-01' },
      { type: 'interview', unit: '县教育局', date: '2026-12-20' },
      { type: 'interview', unit: '县教育局', date: '2027-01-05' },
      { type: 'card', unit: '县医保局', color: 'orange', date: '2026-04-01' },
      { type: 'interview', unit: '县医保局', date: '2026-04-08' },
      { type: 'interview', unit: '县医保局', date: '2026-09-08' },
    ]),
  );

  it('R12: two interviews in one calendar year make a unit red; R13: yellow and orange are the most severe card', async () => {
    const { code, stdout } = await duban('cards', '--events', events, '--as-of', '2026-10-01', '--json');
    expect(code).toBe(0);
    const { units } = JSON.parse(stdout) as { units: { unit: string; state: string; interviews: number }[] };
    const of = (u: string) => units.find((x) => x.unit === u);
    expect(of('县医保局')).toEqual({ unit: '县医保局', state: 'red', interviews: 2 });
    expect(of('县商务局')).toEqual({ unit: '县商务局', state: 'orange', interviews: 1 });
    expect(of('县住建局')).toEqual({ unit: '县住建局', state: 'yellow', interviews: 0 });
  });

  it('R12: interviews on 20 Dec and 5 Jan are one year apart by the calendar, but within a rolling year', async () => {
    const cal = JSON.parse(
      (await duban('cards', '--events', events, '--as-of', '2027-01-10', '--json')).stdout,
    ) as { units: { unit: string; state: string }[] };
    // 2026's orange card is last year's; of the two interviews only 5 Jan 2027 is in this calendar year.
    expect(cal.units.find((u) => u.unit === '县教育局')).toMatchObject({
      unit: '县教育局',
      state: 'none',
      interviews: 1,
    });
    const roll = JSON.parse(
      (await duban('cards', '--events', events, '--as-of', '2027-01-10', '--window', 'rolling', '--json'))
        .stdout,
    ) as {
      units: { unit: string; state: string; interviews: number }[];
    };
    expect(roll.units.find((u) => u.unit === '县教育局')).toMatchObject({ state: 'red', interviews: 2 });
  });

  it('R12, R8: an interview exported twice is counted twice (history is not rewritten) but the clerk is warned', async () => {
    const dup = join(dir, 'dup.json');
    const interview = { type: 'interview', unit: '县水务局', date: '2026-05-06', leader: '王志刚' };
    writeFileSync(
      dup,
      JSON.stringify([
        interview,
        { leader: '王志刚', date: '2026-05-06', unit: '县水务局', type: 'interview' },
      ]),
    );
    const r = await duban('cards', '--events', dup, '--as-of', '2026-06-01', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { units: unknown[]; warnings: string[] };
    expect(out.units).toEqual([{ unit: '县水务局', state: 'red', interviews: 2 }]);
    expect(out.warnings).toEqual([
      '第2个事件与第1个事件完全相同（是否重复导出？），两次都已计入；约谈重复会多计一次约谈',
    ]);
    expect(r.stderr).toContain('第2个事件与第1个事件完全相同');
  });

  it('R12: --settings applies the office’s window (rolling) unless --window says otherwise; a bad file exits 2 naming the field', async () => {
    const rolling = join(dir, 'rolling.json');
    writeFileSync(rolling, JSON.stringify({ redWindow: 'rolling' }));
    const roll = JSON.parse(
      (await duban('cards', '--events', events, '--as-of', '2027-01-10', '--settings', rolling, '--json'))
        .stdout,
    ) as { window: string; units: { unit: string; state: string }[] };
    expect(roll.window).toBe('rolling');
    expect(roll.units.find((u) => u.unit === '县教育局')).toMatchObject({ state: 'red' });
    const cal = JSON.parse(
      (
        await duban(
          'cards',
          '--events',
          events,
          '--as-of',
          '2027-01-10',
          '--settings',
          rolling,
          '--window',
          'calendar',
          '--json',
        )
      ).stdout,
    ) as { units: { unit: string; state: string }[] };
    expect(cal.units.find((u) => u.unit === '县教育局')).toMatchObject({ state: 'none' });
    const bad = join(dir, 'bad-settings.json');
    writeFileSync(bad, JSON.stringify({ redInterviewCount: 0 }));
    const r = await duban('cards', '--events', events, '--as-of', '2027-01-10', '--settings', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/设置文件 .*bad-settings\.json 有误：字段 redInterviewCount：.*[\u4e00-\u9fff]/);
  });

  it('exits 2 naming the bad event when the history is malformed', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify([
        { type: 'card', unit: '县财政局', color: 'yellow', date: '2026-01-05' },
        { type: 'card', unit: '县财政局', color: 'purple', date: '2026-01-06' },
      ]),
    );
    const r = await duban('cards', '--events', bad, '--as-of', '2026-02-01');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('第2个事件');
    expect(r.stderr).toContain('第2个事件 (events[1].color)：颜色应为 yellow、orange 或 red');
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{oops');
    expect((await duban('cards', '--events', notJson, '--as-of', '2026-02-01')).code).toBe(2);
    expect((await duban('cards', '--events', events, '--as-of', 'tomorrow')).code).toBe(2);
  });
});
