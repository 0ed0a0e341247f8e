// The configuration: every environment variable of the backend (the API, the unit's page and links,
// the storage, the channels, the delivery) is read here, checked with zod and handed on as a typed
// object. A bad value is named with what it should be, in Chinese, instead of quietly turning into a
// default: `DUBAN_ALLOW_KEY_IN_QUERY=yes` must not look like `false`. Each section is read on its own,
// so a typo in one setting does not stop what needs none of it (the morning run signs links whatever
// the allowed origins say).
import { z } from 'zod';
import { ApiError } from './errors.js';
import { describeIssues } from './zodMessages.js';
import { isLocalTableStorage } from './storage/local.js';
import type { StorageOptions } from './storage/client.js';
import type { ChannelsConfig } from './notify/channels/config.js';
import type { DeliveryPolicy } from './notify/deliver.js';

/** The process environment (or the dev host's and a test's overrides on top of it). */
export type Env = Record<string, string | undefined>;

export const DEFAULT_ALLOWED_ORIGINS = ['https://localhost:3000'];
export const DEFAULT_OFFICE_NAME = '县政府督办检查室';
export const DEFAULT_PORT = 7071;

/** An unset variable and an empty one mean the same: the default. */
const unset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(unset, schema.optional());

const Origin = z
  .string()
  .trim()
  .refine((o) => o === '*' || /^https?:\/\/[^/?#\s]+$/i.test(o), {
    message: '每一项应为 * 或 协议://主机[:端口]（如 https://localhost:3000，末尾不带 /）',
  });

const HttpSchema = z.object({
  DUBAN_FUNCTION_KEY: optional(z.string()),
  DUBAN_ALLOW_KEY_IN_QUERY: optional(
    z.enum(['true', 'false'], { message: '应为 true 或 false（默认 false：密钥只在请求头中）' }),
  ),
  DUBAN_ALLOWED_ORIGINS: optional(z.string()),
});

export interface HttpConfig {
  /** The office-wide key (x-functions-key); null: every request is refused (401 key_not_configured). */
  functionKey: string | null;
  /** Whether `?code=` may carry the key (a key in a URL lands in logs, histories and referrers). */
  allowKeyInQuery: boolean;
  /** The origins whose pages may call the API from a browser (the task pane). */
  allowedOrigins: string[];
}

const OfficeSchema = z.object({
  DUBAN_OFFICE_NAME: optional(z.string().trim().max(100, '最多 100 个字符')),
  DUBAN_OFFICE_PHONE: optional(
    z
      .string()
      .trim()
      .regex(
        /^[\d+\-()（）\s转、,，]{3,40}$/,
        '应为电话号码（数字、+、-、括号、空格，分机可写“转”，3–40 个字符）',
      ),
  ),
});

/** The office as units see it on their page and in the letters' signature line. */
export interface OfficeConfig {
  name: string;
  phone: string | null;
}

const LinkSecretSchema = z.object({ DUBAN_LINK_SECRET: optional(z.string()) });

const PublicUrlSchema = z.object({
  DUBAN_PUBLIC_URL: optional(
    z
      .string()
      .trim()
      .refine((u) => /^https?:\/\/[^\s]+$/i.test(u) && URL.canParse(u), {
        message: '应为网址，如 https://duban.example.gov.cn',
      }),
  ),
  DUBAN_PORT: optional(z.coerce.number().int().min(0).max(65535)),
});

const HostSchema = z.object({ DUBAN_PORT: optional(z.coerce.number().int().min(0).max(65535)) });

export interface HostConfig {
  /** The dev host's port (0: any free port). */
  port: number;
}

/** A configuration the server cannot run with: the client gets a fixed message, the log names the variable. */
export class ConfigError extends ApiError {
  constructor(readonly problems: string) {
    super(500, 'bad_config', '服务端配置有误，请联系管理员', problems);
  }
}

function read<S extends z.ZodObject>(schema: S, env: Env): z.output<S> {
  const picked = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]]));
  const r = schema.safeParse(picked);
  if (!r.success) throw new ConfigError(describeIssues(r.error, { lead: '环境变量有误', field: '' }));
  return r.data;
}

/** The office-wide function key (DUBAN_FUNCTION_KEY), or null when unset. */
export function functionKey(env: Env): string | null {
  return read(HttpSchema, env).DUBAN_FUNCTION_KEY || null;
}

export function httpConfig(env: Env): HttpConfig {
  const c = read(HttpSchema, env);
  const origins = (c.DUBAN_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = origins.filter((o) => !Origin.safeParse(o).success);
  if (bad.length)
    throw new ConfigError(
      `环境变量有误：DUBAN_ALLOWED_ORIGINS 中的 ${bad.join('、')} 不是来源：每一项应为 * 或 协议://主机[:端口]（如 https://localhost:3000，末尾不带 /）`,
    );
  return {
    functionKey: c.DUBAN_FUNCTION_KEY ?? null,
    allowKeyInQuery: c.DUBAN_ALLOW_KEY_IN_QUERY === 'true',
    allowedOrigins: origins.length ? origins : DEFAULT_ALLOWED_ORIGINS,
  };
}

export function officeConfig(env: Env): OfficeConfig {
  const c = read(OfficeSchema, env);
  return { name: c.DUBAN_OFFICE_NAME || DEFAULT_OFFICE_NAME, phone: c.DUBAN_OFFICE_PHONE ?? null };
}

/** The HMAC key of the units' links; null when unset or shorter than 16 characters (links refused, 503). */
export function linkSecret(env: Env): string | null {
  const s = read(LinkSecretSchema, env).DUBAN_LINK_SECRET;
  return s && s.length >= 16 ? s : null;
}

/** What a unit's link starts with: DUBAN_PUBLIC_URL, else the local host's own address. */
export function publicUrl(env: Env): string {
  const c = read(PublicUrlSchema, env);
  return (c.DUBAN_PUBLIC_URL ?? `http://localhost:${c.DUBAN_PORT ?? DEFAULT_PORT}`).replace(/\/+$/, '');
}

export function hostConfig(env: Env): HostConfig {
  return { port: read(HostSchema, env).DUBAN_PORT ?? DEFAULT_PORT };
}

/** Azure Functions' own setting `AzureWebJobs.<name>.Disabled` (true/1): the function does not run. */
export function functionDisabled(name: string, env: Env): boolean {
  return /^(true|1)$/i.test((env[`AzureWebJobs.${name}.Disabled`] ?? '').trim());
}

export const DEFAULT_CONNECTION = 'UseDevelopmentStorage=true';
/** Requests in flight by default: 8 × 100 entities per transaction stays under 20,000 entities/s per account. */
export const DEFAULT_CONCURRENCY = 8;
/** The most requests in flight a setting may ask for (an account's target allows no more, see functions/storage/README.md). */
export const MAX_CONCURRENCY = 32;

const StorageSchema = z.object({
  DUBAN_STORAGE: optional(z.string()),
  AzureWebJobsStorage: optional(z.string()),
  DUBAN_TABLE_PREFIX: optional(
    z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, '只能包含字母和数字，并以字母开头（最多 41 个字符）'),
  ),
  DUBAN_STORAGE_CONCURRENCY: optional(
    z.coerce
      .number()
      .int('应为整数（同时进行的存储请求数）')
      .min(1, '至少为 1')
      .max(MAX_CONCURRENCY, `至多为 ${MAX_CONCURRENCY}`),
  ),
});

/** Connection, table prefix and requests in flight: `DUBAN_STORAGE`, else `AzureWebJobsStorage`, else Azurite; prefix `duban`. */
export function storageConfig(env: Env): StorageOptions {
  const c = read(StorageSchema, env);
  return {
    connectionString: c.DUBAN_STORAGE ?? c.AzureWebJobsStorage ?? DEFAULT_CONNECTION,
    prefix: c.DUBAN_TABLE_PREFIX ?? 'duban',
    concurrency: c.DUBAN_STORAGE_CONCURRENCY ?? DEFAULT_CONCURRENCY,
  };
}

/** Which setting the storage's connection came from, as `storageConfig` chose it (for people: `duban`'s header line). */
export function storageSource(env: Env): 'DUBAN_STORAGE' | 'AzureWebJobsStorage' | null {
  const c = read(StorageSchema, env);
  return c.DUBAN_STORAGE ? 'DUBAN_STORAGE' : c.AzureWebJobsStorage ? 'AzureWebJobsStorage' : null;
}

const CliSchema = z.object({ DUBAN_SETTINGS_FILE: optional(z.string()) });

/** Where `duban` reads the settings the environment does not set (DUBAN_SETTINGS_FILE), or null for the default. */
export function settingsFile(env: Env): string | null {
  return read(CliSchema, env).DUBAN_SETTINGS_FILE ?? null;
}

/** Whether this process runs the tests (NODE_ENV `test`): only then are the test-only loopback receivers honoured. */
export function isTestRun(env: Env = process.env): boolean {
  return env.NODE_ENV === 'test';
}

/**
 * The account of the queues: the runtime's own (`AzureWebJobsStorage`, where `app.storageQueue`
 * listens), else `DUBAN_STORAGE`, else Azurite.
 */
export function queueConfig(env: Env): { connectionString: string } {
  const c = read(StorageSchema, env);
  return { connectionString: c.AzureWebJobsStorage ?? c.DUBAN_STORAGE ?? DEFAULT_CONNECTION };
}

const positiveNumber = z.coerce.number().positive('应为正数');
const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const ChannelsSchema = z.object({
  DUBAN_SMTP_URL: optional(
    z
      .string()
      .trim()
      .regex(/^smtps?:\/\/\S+$/i, '应为 smtp:// 或 smtps:// 开头的地址'),
  ),
  DUBAN_MAIL_FROM: optional(z.string().trim()),
  DUBAN_CHANNEL_TIMEOUT_MS: optional(positiveNumber),
  DUBAN_OFFICE_NAME: optional(z.string().trim()),
  DUBAN_CHANNEL_HTTP_HOSTS: optional(z.string()),
  DUBAN_TEST_LOOPBACK_CHANNELS: optional(z.string()),
  DUBAN_PLAYGROUND: optional(z.string()),
  DUBAN_PLAYGROUND_RECEIVERS: optional(z.string()),
  DUBAN_TABLE_PREFIX: optional(z.string()),
  DUBAN_STORAGE: optional(z.string()),
  AzureWebJobsStorage: optional(z.string()),
});

export const DEFAULT_CHANNEL_TIMEOUT_MS = 15_000;

/**
 * What the channels need: the SMTP server and sender, the timeout of every call, the office's name
 * for the signature line, the plain-http hosts, the test-only loopback receivers (honoured only when
 * NODE_ENV is `test`) and the playground's receivers (only with the playground flag on `playground*`
 * tables of a local storage).
 */
export function channelsConfig(env: Env): ChannelsConfig {
  const c = read(ChannelsSchema, env);
  return {
    smtpUrl: c.DUBAN_SMTP_URL,
    mailFrom: c.DUBAN_MAIL_FROM,
    timeoutMs: c.DUBAN_CHANNEL_TIMEOUT_MS ?? DEFAULT_CHANNEL_TIMEOUT_MS,
    office: c.DUBAN_OFFICE_NAME,
    network: {
      httpHosts: list(c.DUBAN_CHANNEL_HTTP_HOSTS),
      testLoopback: list(c.DUBAN_TEST_LOOPBACK_CHANNELS),
      playgroundLoopback:
        c.DUBAN_PLAYGROUND === '1' &&
        /^playground/.test(c.DUBAN_TABLE_PREFIX ?? '') &&
        isLocalTableStorage(c.DUBAN_STORAGE ?? c.AzureWebJobsStorage ?? DEFAULT_CONNECTION)
          ? list(c.DUBAN_PLAYGROUND_RECEIVERS)
          : [],
    },
  };
}

const DailySchema = z.object({
  DUBAN_DAILY_FANOUT: optional(
    z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
      z.enum(['queue', 'none'], { message: '应为 queue（每个台账一条队列消息）或 none' }),
    ),
  ),
});

/** The morning run: one invocation (default), or one queue message per ledger (`DUBAN_DAILY_FANOUT=queue`). */
export function dailyConfig(env: Env): { fanOut: boolean } {
  return { fanOut: read(DailySchema, env).DUBAN_DAILY_FANOUT === 'queue' };
}

const DeliverySchema = z.object({
  DUBAN_DELIVERY_MAX_ATTEMPTS: optional(z.coerce.number().int('应为整数').min(1, '至少为 1')),
  DUBAN_DELIVERY_BACKOFF_MINUTES: optional(positiveNumber),
  DUBAN_DELIVERY_CONCURRENCY: optional(z.coerce.number().int('应为整数').min(1, '至少为 1')),
  DUBAN_ROBOT_RATE_PER_MINUTE: optional(z.coerce.number().int('应为整数').min(1, '至少为 1')),
});

/** The delivery's attempts, backoff, units in flight and robots' rate over `defaults`. */
export function deliveryConfig(env: Env, defaults: DeliveryPolicy): DeliveryPolicy {
  const c = read(DeliverySchema, env);
  return {
    ...defaults,
    maxAttempts: c.DUBAN_DELIVERY_MAX_ATTEMPTS ?? defaults.maxAttempts,
    backoffBaseMs:
      c.DUBAN_DELIVERY_BACKOFF_MINUTES !== undefined
        ? c.DUBAN_DELIVERY_BACKOFF_MINUTES * 60_000
        : defaults.backoffBaseMs,
    concurrency: c.DUBAN_DELIVERY_CONCURRENCY ?? defaults.concurrency,
    robotRate:
      c.DUBAN_ROBOT_RATE_PER_MINUTE !== undefined
        ? { limit: c.DUBAN_ROBOT_RATE_PER_MINUTE, windowMs: 60_000 }
        : defaults.robotRate,
  };
}

/** Everything the HTTP layer needs, read once per request. */
export interface Config {
  http: HttpConfig;
  office: OfficeConfig;
}

export function loadConfig(env: Env): Config {
  return { http: httpConfig(env), office: officeConfig(env) };
}
