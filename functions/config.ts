// The configuration: every environment variable of the HTTP layer, the unit's page and the signed
// links is read here, checked with zod and handed on as a typed object. A bad value is named with
// what it should be, in Chinese, instead of quietly turning into a default: `DUBAN_ALLOW_KEY_IN_QUERY=yes`
// must not look like `false`. Each section is read on its own, so a typo in one setting does not stop
// what needs none of it (the morning run signs links whatever the allowed origins say).
import { z } from 'zod';
import { ApiError } from './errors.js';
import { describeIssues } from './zodMessages.js';

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

/** Everything the HTTP layer needs, read once per request. */
export interface Config {
  http: HttpConfig;
  office: OfficeConfig;
}

export function loadConfig(env: Env): Config {
  return { http: httpConfig(env), office: officeConfig(env) };
}
