// The first hour of a newcomer and an operator: `duban` reads npm start's configuration, says which
// storage it talks to, turns every failure into one Chinese line, never queues a past day's prompts
// by accident, and a second `npm start` or a disabled timer explains itself.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main, HELP } from '../../../functions/cli/main.js';
import { describeStorage, loadCliConfig } from '../../../functions/cli/config.js';
import { createOutbox } from '../../../functions/notify/outbox.js';
import { openStorage } from '../../../functions/storage/index.js';
import { startDevHost } from '../../../functions/devhost.js';
import { AZURITE_KEY, freePort } from '../../support/azurite.js';
import { io, LINK_SECRET, seedQuarterlyTask, startApi, uniquePrefix, type TestApi } from '../support/api.js';

const root = join(import.meta.dirname, '..', '..', '..');
const fixture = join(root, 'test', 'fixtures', 'ledger-2026.xlsx');

function duban(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin', 'duban.cjs'), ...args],
      { cwd: root, env },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A ledger with one 3★ task whose Q1 prompt is due on 17 March 2026 (R15: W−10). */
async function seed(env: Record<string, string>) {
  await seedQuarterlyTask(
    await openStorage({ connectionString: env.DUBAN_STORAGE!, prefix: env.DUBAN_TABLE_PREFIX }),
  );
}

describe('duban reads the configuration npm start uses', () => {
  it('environment first, then local.settings.json (empty values there count as unset)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-config-'));
    const file = join(dir, 'local.settings.json');
    writeFileSync(
      file,
      JSON.stringify({
        Values: {
          DUBAN_LINK_SECRET: 'from-the-file-0123456789',
          DUBAN_TABLE_PREFIX: 'filed',
          DUBAN_STORAGE: '',
        },
      }),
    );
    const { env, settingsFile } = loadCliConfig({ DUBAN_TABLE_PREFIX: 'fromenv' }, file);
    expect(settingsFile).toBe(file);
    expect(env).toMatchObject({
      DUBAN_LINK_SECRET: 'from-the-file-0123456789',
      DUBAN_TABLE_PREFIX: 'fromenv',
    });
    expect(env.DUBAN_STORAGE).toBeUndefined();
    expect(loadCliConfig({}, join(dir, 'none.json')).settingsFile).toBeNull();
  });

  it('names the storage it talks to, never its key', () => {
    const conn = `DefaultEndpointsProtocol=https;AccountName=dubanprod;AccountKey=${AZURITE_KEY};EndpointSuffix=core.chinacloudapi.cn`;
    const line = describeStorage({ DUBAN_STORAGE: conn, DUBAN_TABLE_PREFIX: 'duban' });
    expect(line).toBe(
      '存储（来自 DUBAN_STORAGE）：存储账户 dubanprod（https://dubanprod.table.core.chinacloudapi.cn），表前缀 duban',
    );
    expect(line).not.toContain(AZURITE_KEY.slice(0, 10));
    expect(describeStorage({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' })).toBe(
      '存储（来自 AzureWebJobsStorage）：本机 Azurite（UseDevelopmentStorage=true，http://127.0.0.1:10002），表前缀 duban',
    );
  });

  it('R17: run-daily reads the link secret from local.settings.json (the crash of the first hour)', async () => {
    const prefix = uniquePrefix('cfg');
    const dir = mkdtempSync(join(tmpdir(), 'duban-config-'));
    const file = join(dir, 'local.settings.json');
    writeFileSync(file, JSON.stringify({ Values: { DUBAN_LINK_SECRET: LINK_SECRET } }));
    const env = { DUBAN_STORAGE: inject('azuriteConnectionString'), DUBAN_TABLE_PREFIX: prefix };
    await seed(env);
    const r = io();
    const code = await main(['run-daily'], r.io, {
      env: { ...env, DUBAN_SETTINGS_FILE: file },
      now: () => new Date('2026-03-17T01:00:00Z'),
    });
    expect(r.o.err).not.toContain('DUBAN_LINK_SECRET');
    expect(code).toBe(0);
    expect(r.o.out).toContain('新入队 1 条');
    expect(r.o.err).toContain(`存储（来自 DUBAN_STORAGE）`);
    expect(r.o.err).toContain(`表前缀 ${prefix}`);
  });
});

describe('failures are one Chinese line', () => {
  it('storage not running: exit 1, one line saying to start it, no stack; --verbose adds the details', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      DUBAN_SETTINGS_FILE: join(tmpdir(), 'no-such-local.settings.json'),
      DUBAN_STORAGE: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
      DUBAN_LINK_SECRET: LINK_SECRET,
    };
    const plain = await duban(['run-daily'], env);
    expect(plain.code).toBe(1);
    const lines = plain.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^存储（来自 [^）]+）：存储账户 devstoreaccount1/);
    expect(lines.slice(1)).toEqual([
      'duban run-daily：连接被拒绝：存储服务没有运行。本机开发请先在另一个终端运行 npm start（它会启动 Azurite）',
      '（加 --verbose 查看详细信息）',
    ]);
    const verbose = await duban(['run-daily', '--verbose'], env);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  }, 120_000);

  it('bad arguments: exit 2 in Chinese, naming the option', async () => {
    const r = io();
    expect(await main(['run-daily', '--at', '2026-03-17'], r.io)).toBe(2);
    expect(r.o.err).toBe('duban run-daily：参数错误：未知选项 --at（见 duban --help）\n');
  });

  it('--help is Chinese first, English after', () => {
    expect(HELP.indexOf('用法：')).toBeGreaterThan(0);
    expect(HELP.indexOf('English:')).toBeGreaterThan(HELP.indexOf('退出码'));
    expect(HELP).toContain('duban sync');
    expect(HELP).toContain('--backfill');
  });
});

describe('R17: a past day never messages units by accident', () => {
  it('run-daily for a past day refuses without --backfill; with it, it says so, and delivery marks the prompts stale instead of sending', async () => {
    const prefix = uniquePrefix('backfill');
    const env = {
      DUBAN_STORAGE: inject('azuriteConnectionString'),
      DUBAN_TABLE_PREFIX: prefix,
      DUBAN_LINK_SECRET: LINK_SECRET,
      DUBAN_SETTINGS_FILE: join(tmpdir(), 'no-such-local.settings.json'),
    };
    await seed(env);
    const outbox = await createOutbox({ connectionString: env.DUBAN_STORAGE, tablePrefix: prefix }).init();
    const november = () => new Date('2026-11-30T02:00:00Z');

    const refused = io();
    expect(await main(['run-daily', '--on', '2026-03-17'], refused.io, { env, now: november })).toBe(2);
    expect(refused.o.err).toContain('2026-03-17 早于今天（2026-11-30）');
    expect(refused.o.err).toContain('--backfill');
    expect((await outbox.listOutbox({})).items).toHaveLength(0);

    const backfilled = io();
    expect(
      await main(['run-daily', '--on', '2026-03-17', '--backfill'], backfilled.io, { env, now: november }),
    ).toBe(0);
    expect(backfilled.o.err).toContain('补跑 2026-03-17（今天是 2026-11-30）');
    expect(backfilled.o.out).toContain('新入队 1 条');

    const delivered = io();
    expect(await main(['deliver'], delivered.io, { env, now: november })).toBe(0);
    expect(delivered.o.out).toContain('已过反馈期限或链接过期而未发1项（标为已过期）');
    expect(delivered.o.out).toContain(
      '已过期未发 县财政局 序号Q1（2026-Q1，2026-03-17 发送）：已过反馈期限（2026-03-26），提示未发出',
    );
    const [entry] = (await outbox.listOutbox({})).items;
    expect(entry).toMatchObject({ status: 'stale', sentAt: null });
  });

  it('--backfill is only for past days', async () => {
    const r = io();
    expect(
      await main(['run-daily', '--backfill'], r.io, {
        env: { DUBAN_SETTINGS_FILE: '/nonexistent' },
        now: () => new Date(),
      }),
    ).toBe(2);
    expect(r.o.err).toContain('--backfill 只用于早于今天');
  });

  it('R17: a day after today is refused before anything is queued (prompts never go out early)', async () => {
    const r = io();
    expect(
      await main(['run-daily', '--on', '2027-01-01'], r.io, {
        env: { DUBAN_SETTINGS_FILE: '/nonexistent' },
        now: () => new Date('2026-11-30T02:00:00Z'),
      }),
    ).toBe(2);
    expect(r.o.err).toContain('2027-01-01 晚于今天（2026-11-30）');
    expect(r.o.err).not.toContain('存储（来自');
  });
});

describe('duban sync', () => {
  it('R1: --write puts the 督办编号 into the file itself; a second sync changes nothing and keeps every id', async () => {
    const prefix = uniquePrefix('sync');
    const dir = mkdtempSync(join(tmpdir(), 'duban-sync-'));
    const file = join(dir, '台账.xlsx');
    copyFileSync(fixture, file);
    const env = {
      DUBAN_STORAGE: inject('azuriteConnectionString'),
      DUBAN_TABLE_PREFIX: prefix,
      DUBAN_SETTINGS_FILE: '/nonexistent',
    };
    const first = io();
    expect(await main(['sync', file, '--write', '--ledger', '县2026', '--json'], first.io, { env })).toBe(0);
    const out = JSON.parse(first.o.out) as {
      ledgerId: string;
      assigned: number;
      written: string;
      sync: { added: string[] };
    };
    expect(out).toMatchObject({ ledgerId: '县2026', assigned: 16, written: file });
    expect(out.sync.added).toHaveLength(16);
    const second = io();
    expect(await main(['sync', file, '--ledger', '县2026'], second.io, { env })).toBe(0);
    expect(second.o.out).toContain('每项任务都已有督办编号，工作簿未改动');
    expect(second.o.out).toContain('已同步：新增 0，更新 0，移除 0，恢复 0，未变 16');
  });

  it('R1: the copy with the ids is never overwritten by a second sync of the original (the clerk may have edited it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-sync-'));
    const file = join(dir, '台账.xlsx');
    copyFileSync(fixture, file);
    const copy = join(dir, '台账.duban.xlsx');
    writeFileSync(copy, 'the clerk’s edited copy');
    const r = io();
    const env = {
      DUBAN_STORAGE: inject('azuriteConnectionString'),
      DUBAN_TABLE_PREFIX: uniquePrefix('synccopy'),
      DUBAN_SETTINGS_FILE: '/nonexistent',
    };
    expect(await main(['sync', file], r.io, { env })).toBe(2);
    expect(r.o.err).toContain(`副本 ${copy} 已存在`);
    expect(r.o.err).toContain(`duban sync ${copy}`);
    expect(readFileSync(copy, 'utf8')).toBe('the clerk’s edited copy');
  });

  it('a WPS .et file or a missing file: exit 2 with what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-sync-'));
    const et = join(dir, '台账.et');
    writeFileSync(et, 'not a workbook');
    const r = io();
    expect(await main(['sync', et], r.io, { env: { DUBAN_SETTINGS_FILE: '/nonexistent' } })).toBe(2);
    expect(r.o.err).toContain('另存为” Excel 工作簿（.xlsx）');
    const missing = io();
    expect(await main(['sync', join(dir, 'none.xlsx')], missing.io, { env: {} })).toBe(2);
    expect(missing.o.err).toContain('找不到文件');
  });
});

describe('npm start and the dev host', () => {
  let server: Server;
  afterAll(() => server?.close());

  it('a taken port is named with the process holding it (no raw EADDRINUSE)', async () => {
    const port = await freePort();
    server = createServer();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    const local = (await import(pathToFileURL(join(root, 'bin', 'local.mjs')).href)) as {
      takenPorts(p: { port: number; what: string }[]): Promise<string[]>;
    };
    const lines = await local.takenPorts([{ port, what: 'Azurite 表存储' }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^端口 ${port}（Azurite 表存储）已被占用：\\S+，pid ${process.pid}`));
  });

  it('R17: the delivery timer can be switched off with AzureWebJobs.delivery.Disabled; the daily one still runs', async () => {
    const lines: string[] = [];
    const host = await startDevHost({
      port: 0,
      env: { 'AzureWebJobs.delivery.Disabled': 'true' },
      timers: true,
      log: (l) => void lines.push(l),
    });
    await host.close();
    expect(lines).toContain('计时器 delivery 已关闭（AzureWebJobs.delivery.Disabled=true），不按计划运行');
    expect(lines.join('\n')).not.toContain('计时器 dailySupervision 已关闭');
  });
});

describe('validation messages name the allowed values (API)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi('zodzh');
  });
  afterAll(() => api.close());

  it('R5: stars must be 3, 4, 5 or byKind; a channel kind one of four; a missing field says so in Chinese', async () => {
    const stars = await api.call('POST', '/stars', {
      body: { ledgerId: 'L', taskIds: ['T'], stars: 6, by: '张三' },
    });
    expect(stars.status).toBe(400);
    expect(stars.body.error.message).toContain('字段 stars：必须是以下之一：3、4、5、byKind（实际为 6）');
    const kind = await api.call('PUT', `/units/${encodeURIComponent('县财政局')}`, {
      body: { channels: [{ kind: 'sms', phone: '139' }] },
    });
    expect(kind.status).toBe(400);
    expect(kind.body.error.message).toContain(
      '字段 channels[0].kind：必须是以下之一：email、wecom、dingtalk、webhook（实际为 sms）',
    );
    const missing = await api.call('POST', '/stars', { body: { taskIds: ['T'], stars: 3, by: '张三' } });
    expect(missing.body.error.message).toContain('字段 ledgerId：缺少该字段（应为文本）');
    for (const r of [stars, kind, missing])
      expect(r.body.error.message).not.toMatch(/string|undefined|number/);
  });
});
