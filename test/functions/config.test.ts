// The configuration (functions/config.ts): every variable of the API, the unit's page and the links is
// checked, and a value that cannot be right is named — never quietly taken for the default.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import azf from '@azure/functions';
import {
  ConfigError,
  hostConfig,
  httpConfig,
  officeConfig,
  publicUrl,
  DEFAULT_ALLOWED_ORIGINS,
  dailyConfig,
  deliveryConfig,
  functionKey,
  isTestRun,
  settingsFile,
  storageSource,
} from '../../functions/config.js';
import { DEFAULT_DELIVERY_POLICY } from '../../functions/notify/deliveryRules.js';
import { feedbackUrl } from '../../functions/feedbackLink.js';
import { httpFunction } from '../../functions/http/route.js';
import { makeRequest } from '../../functions/http/adapter.js';
import { configureRuntime } from '../../functions/runtime/index.js';

const KEY = 'config-test-function-key-0123';

/** The Chinese text a ConfigError gives the log, or null when `run` does not throw one. */
function problem(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
}

describe('the configuration', () => {
  afterEach(() =>
    configureRuntime({ env: { DUBAN_ALLOW_KEY_IN_QUERY: undefined, DUBAN_FUNCTION_KEY: undefined } }),
  );

  it('R19: a unit’s link starts with DUBAN_PUBLIC_URL (a trailing / dropped); without it, the local host on DUBAN_PORT', () => {
    expect(feedbackUrl('tok', { DUBAN_PUBLIC_URL: 'https://duban.example.gov.cn/' })).toBe(
      'https://duban.example.gov.cn/api/feedback/tok',
    );
    expect(feedbackUrl('tok', { DUBAN_PORT: '7072' })).toBe('http://localhost:7072/api/feedback/tok');
    expect(feedbackUrl('tok', { DUBAN_PUBLIC_URL: '' })).toBe('http://localhost:7071/api/feedback/tok');
  });

  it('R19: a DUBAN_PUBLIC_URL that is no web address makes no link a unit could not open; the message names it, in Chinese', () => {
    const said = problem(() => publicUrl({ DUBAN_PUBLIC_URL: 'duban.example.gov.cn' }));
    expect(said).toMatch(/^环境变量有误：DUBAN_PUBLIC_URL：应为网址/);
    expect(problem(() => hostConfig({ DUBAN_PORT: '70710' }))).toMatch(/DUBAN_PORT：应不大于 65535/);
  });

  it('R17: delivery’s units in flight and a robot’s messages a minute come from the environment; a value that is no whole number ≥ 1 is named', () => {
    const policy = deliveryConfig(
      { DUBAN_DELIVERY_CONCURRENCY: '4', DUBAN_ROBOT_RATE_PER_MINUTE: '10' },
      DEFAULT_DELIVERY_POLICY,
    );
    expect(policy.concurrency).toBe(4);
    expect(policy.robotRate).toEqual({ limit: 10, windowMs: 60_000 });
    expect(deliveryConfig({}, DEFAULT_DELIVERY_POLICY).robotRate).toEqual(DEFAULT_DELIVERY_POLICY.robotRate);
    expect(
      problem(() => deliveryConfig({ DUBAN_ROBOT_RATE_PER_MINUTE: '0' }, DEFAULT_DELIVERY_POLICY)),
    ).toMatch(/DUBAN_ROBOT_RATE_PER_MINUTE：至少为 1/);
    expect(
      problem(() => deliveryConfig({ DUBAN_DELIVERY_CONCURRENCY: '2.5' }, DEFAULT_DELIVERY_POLICY)),
    ).toMatch(/DUBAN_DELIVERY_CONCURRENCY：应为整数/);
  });

  it('R22: DUBAN_DAILY_FANOUT=queue fans the morning run out per ledger; unset or none runs it in one invocation; anything else is named, not taken for none', () => {
    expect(dailyConfig({ DUBAN_DAILY_FANOUT: ' Queue ' })).toEqual({ fanOut: true });
    expect(dailyConfig({})).toEqual({ fanOut: false });
    expect(dailyConfig({ DUBAN_DAILY_FANOUT: 'none' })).toEqual({ fanOut: false });
    expect(problem(() => dailyConfig({ DUBAN_DAILY_FANOUT: 'true' }))).toMatch(
      /DUBAN_DAILY_FANOUT：应为 queue/,
    );
  });

  it('R19: the unit’s page names the office and the phone to call; a phone that is no number is named', () => {
    expect(officeConfig({})).toEqual({ name: '县政府督办检查室', phone: null });
    expect(
      officeConfig({ DUBAN_OFFICE_NAME: ' 友谊县督办室 ', DUBAN_OFFICE_PHONE: '0469-5123456 转 801' }),
    ).toEqual({
      name: '友谊县督办室',
      phone: '0469-5123456 转 801',
    });
    expect(problem(() => officeConfig({ DUBAN_OFFICE_PHONE: 'call us' }))).toMatch(
      /^环境变量有误：DUBAN_OFFICE_PHONE：应为电话号码/,
    );
  });

  it('R8: the key travels in the query only with DUBAN_ALLOW_KEY_IN_QUERY=true; `yes` is named as wrong, not taken for false', () => {
    expect(httpConfig({}).allowKeyInQuery).toBe(false);
    expect(httpConfig({ DUBAN_ALLOW_KEY_IN_QUERY: 'true' }).allowKeyInQuery).toBe(true);
    expect(problem(() => httpConfig({ DUBAN_ALLOW_KEY_IN_QUERY: 'yes' }))).toMatch(
      /DUBAN_ALLOW_KEY_IN_QUERY：应为 true 或 false/,
    );
    expect(httpConfig({}).allowedOrigins).toEqual(DEFAULT_ALLOWED_ORIGINS);
    expect(
      problem(() => httpConfig({ DUBAN_ALLOWED_ORIGINS: 'https://a.example, https://b.example/' })),
    ).toBe(
      '环境变量有误：DUBAN_ALLOWED_ORIGINS 中的 https://b.example/ 不是来源：每一项应为 * 或 协议://主机[:端口]（如 https://localhost:3000，末尾不带 /）',
    );
  });

  it('R8: under a bad configuration every request is a 500 with the invocation id to quote; the log, not the client, names the variable', async () => {
    configureRuntime({ env: { DUBAN_FUNCTION_KEY: KEY, DUBAN_ALLOW_KEY_IN_QUERY: 'yes' } });
    const fn = httpFunction('probe', {
      route: 'probe',
      methods: { GET: async () => ({ body: { ok: true } }) },
    });
    const logged: string[] = [];
    const ctx = new azf.InvocationContext({
      invocationId: 'inv-42',
      logHandler: (_level, ...args) => void logged.push(args.map(String).join(' ')),
    });
    const req = makeRequest({
      method: 'GET',
      url: 'http://localhost/api/probe',
      headers: { 'x-functions-key': KEY },
    });
    const res = await fn.handler(req, ctx);
    expect(res.status).toBe(500);
    const body = JSON.parse(String(res.body));
    expect(body.error).toEqual({
      code: 'bad_config',
      message: '服务端配置有误，请联系管理员（调用编号 inv-42）',
    });
    expect(logged.join('\n')).toMatch(/DUBAN_ALLOW_KEY_IN_QUERY：应为 true 或 false/);

    configureRuntime({ env: { DUBAN_ALLOW_KEY_IN_QUERY: 'false' } });
    const ok = await fn.handler(req, new azf.InvocationContext());
    expect(ok.status).toBe(200);
    expect(JSON.parse(String(ok.body))).toEqual({ ok: true });
  });

  it('R17: every environment variable is read by name in functions/config.ts alone, where zod checks it; the rest of the backend is handed what it needs', () => {
    const root = join(import.meta.dirname, '..', '..', 'functions');
    const files = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && f !== 'config.ts')
      .map((f) => join(root, f));
    // `process.env.X`, `process.env['X']`, and any object's `.DUBAN_X`, `['AzureWebJobsX']`, `.NODE_ENV`…
    const byName =
      /\bprocess\.env\s*(?:\.|\[)|(?:\.\s*|\[\s*['"`])(?:DUBAN_|AzureWebJobs|NODE_ENV|FUNCTIONS_|WEBSITE_)/;
    const readers = files
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(root, f)}:${i + 1}` })),
      )
      .filter(({ line }) => !/^\s*(\/\/|\*|\/\*)/.test(line) && byName.test(line))
      .map(({ at, line }) => `${at} ${line.trim()}`);
    expect(readers).toEqual([]);
    // What the three that used to read their own variables now ask the configuration.
    expect(functionKey({ DUBAN_FUNCTION_KEY: '' })).toBeNull();
    expect(functionKey({ DUBAN_FUNCTION_KEY: KEY })).toBe(KEY);
    expect(storageSource({})).toBeNull();
    expect(storageSource({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' })).toBe('AzureWebJobsStorage');
    expect(storageSource({ DUBAN_STORAGE: 'UseDevelopmentStorage=true', AzureWebJobsStorage: 'x' })).toBe(
      'DUBAN_STORAGE',
    );
    expect(isTestRun({ NODE_ENV: 'production' })).toBe(false);
    expect(isTestRun({ NODE_ENV: 'test' })).toBe(true);
    expect(settingsFile({})).toBeNull();
    expect(settingsFile({ DUBAN_SETTINGS_FILE: '/srv/duban/local.settings.json' })).toBe(
      '/srv/duban/local.settings.json',
    );
  });
});
