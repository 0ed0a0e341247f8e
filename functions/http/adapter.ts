// The thin layer between a host and a handler: key check, CORS, body size, JSON parsing, zod
// validation, and errors as `{ error: { code, message } }` in Chinese. Every HTTP function is
// `api(options, run)`; both hosts call the resulting azf HttpHandler the same way.
import { timingSafeEqual } from 'node:crypto';
import azf from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { MAX_BODY_BYTES } from '../../shared/api.js';
import { cleanDeep, deepNeedsCleaning } from '../../shared/text.js';
import { ApiError, describeIssues } from '../errors.js';
import {
  clerkOfKey,
  hasActiveClerk,
  looksLikeClerkKey,
  transactionError,
  type Storage,
} from '../storage/index.js';
import { asClerk } from '../actor.js';
import { now, runtimeEnv, runtimeStorage, type Env } from '../runtime/index.js';
import { useChineseZodMessages } from '../zodMessages.js';

useChineseZodMessages();

export const DEFAULT_ALLOWED_ORIGINS = ['https://localhost:3000'];

export interface ApiCall {
  req: HttpRequest;
  ctx: InvocationContext;
  env: Env;
  now: Date;
  storage(): Promise<Storage>;
  /** The body parsed as JSON and validated; 400 with the fields named when it does not fit. */
  body<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
  /** The raw JSON body (after `body()` was called), to tell which fields the client actually sent. */
  rawBody(): unknown;
  query<S extends z.ZodType>(schema: S): z.output<S>;
  param(name: string): string;
  /** The client's If-Match header (an ETag it read before), or null. */
  ifMatch(): string | null;
  /** The clerk whose key the request carries; null for the office-wide key or a unit's link. */
  clerk: string | null;
}

export interface ApiResult {
  status?: number;
  body?: unknown;
  etag?: string | null;
  headers?: Record<string, string>;
  /** A non-JSON body (e.g. the feedback form's HTML); give its Content-Type in `headers`. */
  text?: string;
}

export type ApiRun = (call: ApiCall) => Promise<ApiResult>;

function allowedOrigins(env: Env): string[] {
  const list = env.DUBAN_ALLOWED_ORIGINS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list && list.length ? list : DEFAULT_ALLOWED_ORIGINS;
}

export function corsHeaders(req: HttpRequest, env: Env): Record<string, string> {
  const origin = req.headers.get('origin');
  if (!origin) return {};
  const list = allowedOrigins(env);
  if (!list.includes(origin) && !list.includes('*')) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    'Access-Control-Expose-Headers': 'ETag',
  };
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

function json(status: number, body: unknown, headers: Record<string, string>): HttpResponseInit {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type PresentedKey = { kind: 'office' } | { kind: 'clerk'; key: string };

/**
 * The key check that needs no storage: header `x-functions-key` (the query `?code=` only when
 * DUBAN_ALLOW_KEY_IN_QUERY=true: a key in a URL lands in logs, histories and referrers). The
 * office-wide DUBAN_FUNCTION_KEY passes; a clerk's key (`dbk_…`) passes here by its shape and is
 * checked against its stored hash by the adapter.
 */
export function checkKey(req: HttpRequest, env: Env): PresentedKey {
  const expected = env.DUBAN_FUNCTION_KEY;
  if (!expected)
    throw new ApiError(401, 'key_not_configured', '服务端未设置访问密钥（DUBAN_FUNCTION_KEY），拒绝所有请求');
  const inQuery = env.DUBAN_ALLOW_KEY_IN_QUERY === 'true' ? req.query.get('code') : null;
  const given = req.headers.get('x-functions-key') ?? inQuery;
  if (!given) {
    const hint = req.query.get('code') ? '（不接受网址中的 ?code= 密钥）' : '';
    throw new ApiError(401, 'missing_key', `缺少访问密钥：请在请求头 x-functions-key 中提供${hint}`);
  }
  if (sameSecret(given, expected)) return { kind: 'office' };
  if (looksLikeClerkKey(given)) return { kind: 'clerk', key: given };
  throw new ApiError(401, 'wrong_key', '访问密钥不正确');
}

const WRONG_CLERK_KEY = () => new ApiError(401, 'wrong_key', '访问密钥不正确或已被吊销，请向管理员重新申请');

/** The body with `by` taken from the clerk's key: who did it is who holds the key, not what was typed. */
function withClerk(raw: unknown, schema: z.ZodType, clerk: string | null): unknown {
  if (!clerk || !raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const takesBy = schema instanceof z.ZodObject && 'by' in schema.shape;
  return takesBy || 'by' in raw ? { ...(raw as object), by: clerk } : raw;
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(400, 'invalid_request', describeIssues(r.error));
  return r.data;
}

export interface ApiOptions {
  /** 'key' (default): the function key is required; 'link': the handler checks a signed link itself. */
  auth?: 'key' | 'link';
}

export function api(
  options: ApiOptions,
  run: ApiRun,
): (req: HttpRequest, ctx: InvocationContext) => Promise<HttpResponseInit> {
  return async (req, ctx) => {
    const env = runtimeEnv();
    const cors = corsHeaders(req, env);
    if (req.method === 'OPTIONS') {
      return {
        status: 204,
        headers: {
          ...cors,
          'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type, x-functions-key, If-Match',
          'Access-Control-Max-Age': '600',
        },
      };
    }
    let raw: unknown = undefined;
    try {
      let clerk: string | null = null;
      if ((options.auth ?? 'key') === 'key') {
        const presented = checkKey(req, env);
        if (presented.kind === 'clerk') {
          const found = await clerkOfKey(await runtimeStorage(env), presented.key);
          if (!found) throw WRONG_CLERK_KEY();
          clerk = found.name;
        } else if (req.method !== 'GET' && (await hasActiveClerk(await runtimeStorage(env)))) {
          // Once the office has issued clerks their own keys, every change names the clerk who made it:
          // the office-wide key stays for the timers and the admin's reading, never a clerk's write.
          throw new ApiError(
            403,
            'clerk_key_required',
            '本办已启用经办人密钥：请在“设置”中填写您本人的密钥（由管理员用 duban clerk add 姓名 发放）；办公室密钥只供定时任务和管理员查询',
          );
        }
      }
      const call: ApiCall = {
        clerk,
        req,
        ctx,
        env,
        now: now(),
        storage: () => runtimeStorage(env),
        async body(schema) {
          raw = withClerk(await readJson(req), schema, clerk);
          // Names and ids refuse what cleaning would change (their schemas say so, in Chinese);
          // free text is then cleaned once here (shared/text.ts) and checked again as cleaned.
          const checked = validate(schema, raw);
          return deepNeedsCleaning(raw) ? validate(schema, cleanDeep(raw)) : checked;
        },
        rawBody: () => raw,
        query(schema) {
          return validate(schema, Object.fromEntries(req.query.entries()));
        },
        param(name) {
          const v = req.params[name];
          if (v === undefined) throw new ApiError(404, 'not_found', '路径不完整');
          return v;
        },
        ifMatch() {
          const v = req.headers.get('if-match');
          return v && v !== '*' ? v : null;
        },
      };
      const result = await asClerk(clerk, () => run(call));
      const headers = { ...cors, ...(result.headers ?? {}), ...(result.etag ? { ETag: result.etag } : {}) };
      if (result.text !== undefined) return { status: result.status ?? 200, headers, body: result.text };
      return json(result.status ?? 200, result.body, headers);
    } catch (e) {
      // A server-side failure is logged in full and answered with a fixed Chinese message and the
      // invocation id to quote: storage host names, request ids and the service's English text stay
      // in the log (the link-only feedback endpoints are public).
      const serverSide = (err: ApiError) => {
        ctx.error(`${err.code}: ${err.message}${err.detail ? ` — ${err.detail}` : ''}`);
        return json(err.status, errorBody(err.code, `${err.message}（调用编号 ${ctx.invocationId}）`), cors);
      };
      if (e instanceof ApiError) {
        if (e.status >= 500) return serverSide(e);
        return json(e.status, errorBody(e.code, e.message), cors);
      }
      if ((e as Error | null)?.name === 'RestError') {
        // A storage call outside the helpers that already translate (e.g. a paged query while Azurite is down).
        const mapped = transactionError(e);
        if (mapped instanceof ApiError) {
          if (mapped.status >= 500) return serverSide(mapped);
          return json(mapped.status, errorBody(mapped.code, mapped.message), cors);
        }
      }
      ctx.error(e);
      return json(
        500,
        errorBody(
          'internal',
          `服务器内部错误，请稍后重试；如仍失败请联系管理员（调用编号 ${ctx.invocationId}）`,
        ),
        cors,
      );
    }
  };
}

async function readJson(req: HttpRequest): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  const buf = Buffer.from(await req.arrayBuffer());
  if (buf.byteLength > MAX_BODY_BYTES) throw tooLarge();
  if (buf.byteLength === 0) throw new ApiError(400, 'empty_body', '请求体为空：需要 JSON 内容');
  const type = req.headers.get('content-type') ?? 'application/json';
  if (!/json/i.test(type))
    throw new ApiError(415, 'unsupported_media_type', '请求体应为 JSON（Content-Type: application/json）');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    // The parser's own words are English: the client gets where it broke, the log gets the rest.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new ApiError(
      400,
      'invalid_json',
      `请求体不是有效的 JSON${at !== undefined ? `（第 ${Number(at) + 1} 个字符附近有误）` : ''}，请检查引号、逗号和括号`,
      (e as Error).message,
    );
  }
}

function tooLarge(): ApiError {
  return new ApiError(
    413,
    'body_too_large',
    `请求体过大：最多 ${Math.floor(MAX_BODY_BYTES / 1024 / 1024)} MB`,
  );
}

/** For hosts: an HttpRequest from plain parts (the dev host, tests). */
export function makeRequest(init: ConstructorParameters<typeof azf.HttpRequest>[0]): HttpRequest {
  return new azf.HttpRequest(init);
}
