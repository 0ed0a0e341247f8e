// The thin layer between a host and a handler: key check, CORS, body size, JSON parsing, zod
// validation, and errors as `{ error: { code, message } }` in Chinese. A handler is an `ApiRun`: it
// gets an `ApiCall` (the request, the configuration, the storage, the clock and the pieces every
// handler needs) and returns an `ApiResult` (JSON, text or bytes). `httpFunction` (route.ts) wraps
// it with `api`; both hosts call the resulting handler the same way.
import azf from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { MAX_BODY_BYTES } from '../../shared/api.js';
import { chinaToday } from '../../shared/dates.js';
import type { IsoDate } from '../../shared/model.js';
import { cleanDeep, deepNeedsCleaning } from '../../shared/text.js';
import { ApiError, ledgerNotFound } from '../errors.js';
import { loadConfig, type Config, type HttpConfig } from '../config.js';
import {
  appendEvents,
  getLedger,
  transactionError,
  type LedgerInfo,
  type NewEvent,
  type Storage,
} from '../storage/index.js';
import { asClerk } from '../actor.js';
import { now, runtimeEnv, runtimeStorage, type Env } from '../runtime/index.js';
import { describeIssues, useChineseZodMessages } from '../zodMessages.js';
import { callerOf } from './auth.js';

useChineseZodMessages();

/** A history row as a handler writes it: dated today unless it says otherwise. */
export type HistoryEntry = Omit<NewEvent, 'date'> & { date?: IsoDate };

export interface ApiCall {
  req: HttpRequest;
  ctx: InvocationContext;
  env: Env;
  config: Config;
  now: Date;
  /** Today in China (CST), the date history rows and defaults count from (R22). */
  today: IsoDate;
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
  /** Writes what the request did to the history (R8), each row dated today unless it names its date. */
  history(events: HistoryEntry[]): Promise<void>;
  /** The synced ledger of that id; 404 `ledger_not_found` when there is none. */
  ledger(ledgerId: string): Promise<LedgerInfo>;
  /**
   * One page of a paged read. A continuation the store does not understand (edited, truncated, from
   * another list) is a 400 asking to start again from the first page, never a 500.
   */
  page<T>(continuation: string | undefined, read: () => Promise<T>): Promise<T>;
}

export interface ApiResult {
  status?: number;
  body?: unknown;
  etag?: string | null;
  headers?: Record<string, string>;
  /** A non-JSON body (e.g. the feedback form's HTML); give its Content-Type in `headers`. */
  text?: string;
  /** A file (e.g. a .docx); give its Content-Type in `headers`. */
  bytes?: Buffer;
  /** Headers besides ETag that a page of another origin (the task pane) may read. */
  exposeHeaders?: string[];
}

export type ApiRun = (call: ApiCall) => Promise<ApiResult>;

export type ApiHandler = (req: HttpRequest, ctx: InvocationContext) => Promise<HttpResponseInit>;

export function corsHeaders(req: HttpRequest, config: HttpConfig): Record<string, string> {
  const origin = req.headers.get('origin');
  if (!origin) return {};
  const list = config.allowedOrigins;
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

function respond(result: ApiResult, cors: Record<string, string>): HttpResponseInit {
  const headers: Record<string, string> = {
    ...cors,
    ...(result.headers ?? {}),
    ...(result.etag ? { ETag: result.etag } : {}),
  };
  if (result.exposeHeaders?.length && headers['Access-Control-Allow-Origin'])
    headers['Access-Control-Expose-Headers'] = ['ETag', ...result.exposeHeaders].join(', ');
  const status = result.status ?? 200;
  if (result.bytes !== undefined) return { status, headers, body: result.bytes };
  if (result.text !== undefined) return { status, headers, body: result.text };
  return json(status, result.body, headers);
}

export function api(options: ApiOptions, run: ApiRun): ApiHandler {
  return async (req, ctx) => {
    const env = runtimeEnv();
    let cors: Record<string, string> = {};
    // A server-side failure is logged in full and answered with a fixed Chinese message and the
    // invocation id to quote: storage host names, request ids and the service's English text stay
    // in the log (the link-only feedback endpoints are public).
    const serverSide = (err: ApiError) => {
      ctx.error(`${err.code}: ${err.message}${err.detail ? ` — ${err.detail}` : ''}`);
      return json(err.status, errorBody(err.code, `${err.message}（调用编号 ${ctx.invocationId}）`), cors);
    };
    let raw: unknown = undefined;
    try {
      const config = loadConfig(env);
      cors = corsHeaders(req, config.http);
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
      const storage = () => runtimeStorage(env);
      const clerk = (options.auth ?? 'key') === 'key' ? await callerOf(req, config.http, storage) : null;
      const at = now();
      const today = chinaToday(at);
      const call: ApiCall = {
        clerk,
        req,
        ctx,
        env,
        config,
        now: at,
        today,
        storage,
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
        async history(events) {
          if (events.length === 0) return;
          await appendEvents(
            await storage(),
            events.map((e) => ({ ...e, date: e.date ?? today })),
            at,
          );
        },
        async ledger(ledgerId) {
          const found = await getLedger(await storage(), ledgerId);
          if (!found) throw ledgerNotFound(ledgerId);
          return found;
        },
        async page(continuation, read) {
          try {
            return await read();
          } catch (e) {
            const err = e as { name?: string; statusCode?: number } | null;
            if (continuation && (err?.name !== 'RestError' || err.statusCode === 400))
              throw new ApiError(
                400,
                'invalid_continuation',
                '翻页标记（continuation）无效，请从第一页重新读取',
              );
            throw e;
          }
        },
      };
      return respond(await asClerk(clerk, () => run(call)), cors);
    } catch (e) {
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
