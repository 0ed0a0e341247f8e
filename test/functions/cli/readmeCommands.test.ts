// The README's `duban` commands, as a newcomer runs them: taken from README.md itself (so this test
// breaks when the README drifts), run in order with `npx` on a fresh copy of the repository, with the
// configuration a first `npm start` writes (local.settings.json from the same function), against an
// Azurite this test starts. `npm start` itself binds fixed ports (10002, 7071, 3000) that parallel test
// runs cannot share, so its Azurite is replaced by the test's, given through the environment — which,
// as the README says, comes before local.settings.json. "Today" is pinned for whole processes with
// faketime: 17 March 2026, a working day on which the example ledger has prompts due.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbookSheets } from '../../../functions/xlsx.js';
import { startAzurite, type RunningAzurite } from '../../support/azurite.js';

const root = join(import.meta.dirname, '..', '..', '..');
const TODAY = '2026-03-17';

/** The `npx duban …` lines of the README's command block, comments removed, in order. */
export function readmeCommands(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## The `duban` command'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#\s.*$/, '').trim())
    .filter((l) => l.startsWith('npx duban '));
}

/** The repository as a clone has it: tracked and new (not ignored) files; node_modules linked. */
function freshCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'duban-readme-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f && existsSync(join(root, f)));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(root, f), join(dir, f));
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

interface Run {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

let copy: string;
let azurite: RunningAzurite;
const runs: Run[] = [];
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const commands = readmeCommands(readme);

function run(command: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const args = command.split(/\s+/);
  return new Promise((resolve) => {
    execFile(
      'faketime',
      [`${TODAY} 09:00:00`, ...args],
      { cwd: copy, env, maxBuffer: 20 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({ command, code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const output = (sub: string) => runs.find((r) => r.command.startsWith(`npx duban ${sub}`))!;

beforeAll(async () => {
  copy = freshCopy();
  // What `npm install` does on a clone (its `prepare` script): compile the command.
  execFileSync(process.execPath, [join(copy, 'bin', 'build-cli.mjs')], { cwd: copy, stdio: 'pipe' });
  azurite = await startAzurite();
  // What the first `npm start` writes: local.settings.json with a new function key and link secret.
  const local = (await import(pathToFileURL(join(copy, 'bin', 'local.mjs')).href)) as {
    ensureLocalSettings(dir: string): { created: boolean };
  };
  expect(local.ensureLocalSettings(copy).created).toBe(true);
  // A newcomer's shell: none of the project's variables set, except where the test's Azurite is.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(DUBAN_|AzureWebJobs)/.test(k) && !k.startsWith('VITEST')) env[k] = v;
  Object.assign(env, {
    AzureWebJobsStorage: azurite.connectionString,
    TZ: 'UTC',
    // The installed bin must run its compiled JavaScript; a missing build fails instead of falling back.
    DUBAN_REQUIRE_COMPILED: '1',
    // npx finds the package's own bin; nothing is to be fetched from the registry.
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
  });
  for (const command of commands) runs.push(await run(command, env));
}, 600_000);

afterAll(async () => {
  await azurite?.stop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe("the README's duban commands on a fresh copy", () => {
  it('the README lists the commands a newcomer needs, sync and a run for today included', () => {
    expect(commands.map((c) => c.split(' ')[2])).toEqual([
      'ledger',
      'ledger',
      'plan',
      'cards',
      'cards',
      'sync',
      'run-daily',
      'deliver',
    ]);
    expect(commands).toContain('npx duban sync examples/ledger-2026.xlsx');
    expect(commands).toContain('npx duban run-daily');
  });

  it('every command succeeds as written: exit 0, no stack trace', () => {
    expect(runs).toHaveLength(commands.length);
    for (const r of runs) {
      expect({ command: r.command, code: r.code, stderr: r.stderr }).toEqual({
        command: r.command,
        code: 0,
        stderr: expect.not.stringMatching(/\n\s+at /),
      });
    }
  });

  it('R1, R4: `duban ledger` prints what the README shows', () => {
    const sample = /`duban ledger` on the sample ledger:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = sample.split('\n').filter((l) => l && l !== '...');
    expect(lines.length).toBeGreaterThan(3);
    const printed = output('ledger examples/ledger-2026.xlsx').stdout.split('\n');
    expect(printed[0]).toBe(lines[0]);
    for (const line of lines.slice(1)) expect(printed).toContain(line);
  });

  it('R1: `duban sync` gives the 16 tasks their 督办编号 in a copy, syncs them, and says which storage it used', async () => {
    const sync = output('sync');
    expect(sync.stdout).toContain('台账 ledger-2026（2026年，工作表 重点工作台账）：16 项任务');
    expect(sync.stdout).toContain('新编督办编号 16 个');
    expect(sync.stdout).toContain('已同步：新增 16，更新 0，移除 0，恢复 0，未变 0');
    expect(sync.stdout).toContain('第20行E列（牵头领导）为空');
    expect(sync.stderr).toContain(
      `存储（来自 AzureWebJobsStorage）：存储账户 devstoreaccount1（http://127.0.0.1:${azurite.port}/devstoreaccount1），表前缀 duban`,
    );
    const [sheet] = await readWorkbookSheets(join(copy, 'examples', 'ledger-2026.duban.xlsx'));
    const header = sheet!.values[2]!;
    const idColumn = header.indexOf('督办编号');
    expect(idColumn).toBeGreaterThan(0);
    expect(sheet!.values[4]![idColumn]).toBe('DB-2026-0001');
    // The original is left as it was: ids go into the copy unless --write.
    const [original] = await readWorkbookSheets(join(copy, 'examples', 'ledger-2026.xlsx'));
    expect(original!.values[2]).not.toContain('督办编号');
  });

  it('R15, R17: `duban run-daily` runs today (pinned to 17 March 2026) with the key and link secret of local.settings.json and queues the prompts due', () => {
    const daily = output('run-daily');
    expect(daily.stdout).toContain(`每日督办 ${TODAY}：台账 1 本`);
    const queued = Number(/新入队 (\d+) 条/.exec(daily.stdout)?.[1]);
    expect(queued).toBeGreaterThan(0);
    expect(daily.stderr).not.toContain('补跑');
  });

  it('R17: `duban deliver` sends nothing to units without channels and prints each failure with its reason', () => {
    const deliver = output('deliver');
    expect(deliver.stdout).toMatch(/督办提示投递：发出0条消息/);
    expect(deliver.stdout).toMatch(/未送达 \d+ 项：/);
    expect(deliver.stdout).toMatch(
      /失败 \S+ 序号\S+（2026-\S+，2026-03-17 发送）：单位“\S+”未配置任何提示渠道/,
    );
  });
});
