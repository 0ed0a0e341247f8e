// The local dev host: serves the registry's HTTP functions on http://localhost:7071/api (node:http)
// and fires its timers on their schedules (croner, UTC), calling the very handlers `func` would call
// with an @azure/functions HttpRequest and InvocationContext. For `npm start` where Azure Functions
// Core Tools is not installed, and for tests that drive the API over real HTTP.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import azf from '@azure/functions';
import type { HttpResponseInit, Timer } from '@azure/functions';
import { Cron } from 'croner';
import { MAX_BODY_BYTES } from '../shared/api.js';
import { FUNCTIONS, type FunctionEntry, type HttpFunction } from './registry.js';
import { errorBody, makeRequest } from './http/adapter.js';
import { presentsKey } from './http/auth.js';
import { functionDisabled, hostConfig, httpConfig } from './config.js';
import { configureRuntime, runtimeEnv, type Env } from './runtime/index.js';
import { startQueueTrigger } from './runtime/queue.js';

export interface DevHostOptions {
  /** Port (default env DUBAN_PORT or 7071; 0 = any free port). */
  port?: number;
  host?: string;
  /** Environment overrides (storage connection, table prefix, keys) for the handlers. */
  env?: Env;
  /** The handlers' clock (default the real one): tests pin it so that dates such as 〔2026〕 hold on any day. */
  now?: () => Date;
  /** Fire the timers on their schedules (default true). */
  timers?: boolean;
  /**
   * Serve the queue triggers (poll their queues, retry, poison), as `func` does (default false);
   * 'drain': only when drainQueues() is called (tests that wait for a queue to be done).
   */
  queues?: boolean | 'drain';
  functions?: FunctionEntry[];
  log?: (line: string) => void;
}

export interface DevHost {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Runs a timer now, as its schedule would (for operators and tests). */
  fireTimer(name: string): Promise<void>;
  /**
   * Fires, with isPastDue, every timer whose scheduled time passed more than a minute before `now`
   * without it running (a laptop asleep at 00:00 UTC); runs every minute by itself. Returns the names.
   */
  catchUpMissed(now?: Date): Promise<string[]>;
  /** Processes what the queue triggers' queues hold now, until they are empty; the number of messages. */
  drainQueues(): Promise<number>;
}

interface CompiledRoute {
  fn: HttpFunction;
  segments: string[];
}

function compile(fn: HttpFunction): CompiledRoute {
  return { fn, segments: fn.route.split('/') };
}

/** Matches raw (still percent-encoded) path segments, so `%2F` inside a unit name stays inside its segment. */
function match(route: CompiledRoute, parts: string[]): Record<string, string> | null {
  if (route.segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = route.segments[i] as string;
    const part = parts[i] as string;
    if (seg.startsWith('{') && seg.endsWith('}')) {
      try {
        params[seg.slice(1, -1)] = decodeURIComponent(part);
      } catch {
        return null;
      }
    } else if (seg.toLowerCase() !== part.toLowerCase()) return null;
  }
  return params;
}

function send(res: ServerResponse, r: HttpResponseInit): void {
  const headers = new Headers(r.headers as HeadersInit | undefined);
  let body: string | Buffer | undefined;
  if (r.jsonBody !== undefined) {
    body = JSON.stringify(r.jsonBody);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  } else if (typeof r.body === 'string') body = r.body;
  else if (r.body instanceof Uint8Array) body = Buffer.from(r.body);
  res.writeHead(r.status ?? 200, Object.fromEntries(headers.entries()));
  res.end(body);
}

/**
 * Reads a request body. `keep` false (a caller without the function key): the bytes are read and
 * dropped, never buffered. Past MAX_BODY_BYTES nothing more is kept ('tooLarge', answered 413); past
 * twice that the sender is not going to stop (an endless chunked upload), so the connection is cut.
 */
function readBody(req: IncomingMessage, keep: boolean): Promise<Buffer | 'tooLarge' | 'cut'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const declared = Number(req.headers['content-length'] ?? NaN);
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > MAX_BODY_BYTES;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge && keep) chunks.push(c);
      if (size > 2 * MAX_BODY_BYTES) {
        req.destroy();
        resolve('cut');
      }
    });
    req.on('end', () => resolve(tooLarge ? 'tooLarge' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Whether the request carries the function key (checked before its body is read, so no stranger's upload is buffered). */
function hasKey(req: IncomingMessage, url: URL, env: Env): boolean {
  let config;
  try {
    config = httpConfig(env);
  } catch {
    return false; // the handler answers the bad configuration
  }
  return presentsKey(
    makeRequest({
      method: 'GET',
      url: url.toString(),
      headers: Object.fromEntries(
        Object.entries(req.headers).flatMap(([k, v]) =>
          typeof v === 'string' ? [[k, v]] : Array.isArray(v) ? [[k, v.join(', ')]] : [],
        ),
      ),
      query: Object.fromEntries(url.searchParams.entries()),
    }),
    config,
  );
}

/** Azure Functions' setting `AzureWebJobs.<name>.Disabled` (true/1): the timer does not run. */
export const timerDisabled = functionDisabled;

export async function startDevHost(options: DevHostOptions = {}): Promise<DevHost> {
  const env = options.env ?? {};
  configureRuntime({ env, now: options.now });
  const log = options.log ?? ((line: string) => console.log(line));
  const fns = options.functions ?? FUNCTIONS;
  const routes = fns.filter((f): f is HttpFunction => f.kind === 'http').map(compile);
  const timers = fns.filter((f) => f.kind === 'timer');

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      log(`dev host: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent)
        send(res, {
          status: 500,
          jsonBody: errorBody('internal', '服务器内部错误，请稍后重试；如仍失败请联系管理员'),
        });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? `localhost:${port}`;
    const url = new URL(req.url ?? '/', `http://${host}`);
    const rawPath = (req.url ?? '/').split('?')[0] as string;
    if (!rawPath.startsWith('/api/')) {
      return send(res, {
        status: 404,
        jsonBody: errorBody('not_found', `没有这个地址：${url.pathname}（API 在 /api 下）`),
      });
    }
    const parts = rawPath.slice('/api/'.length).replace(/\/+$/, '').split('/');
    let found: { route: CompiledRoute; params: Record<string, string> } | null = null;
    for (const route of routes) {
      const params = match(route, parts);
      if (params) {
        found = { route, params };
        break;
      }
    }
    if (!found)
      return send(res, { status: 404, jsonBody: errorBody('not_found', `没有这个接口：${url.pathname}`) });
    const method = (req.method ?? 'GET').toUpperCase();
    if (!found.route.fn.methods.includes(method as never)) {
      return send(res, {
        status: 405,
        jsonBody: errorBody('method_not_allowed', `${url.pathname} 不支持 ${method} 方法`),
      });
    }
    // The key is checked before the body is read: a caller without it gets its 401 from the handler
    // (with the CORS headers) and its upload is dropped, not buffered.
    const keyed = found.route.fn.auth !== 'key' || method === 'OPTIONS' || hasKey(req, url, runtimeEnv());
    const read = await readBody(req, keyed);
    if (read === 'cut') return;
    const body = keyed ? read : Buffer.alloc(0);
    if (body === 'tooLarge') {
      return send(res, {
        status: 413,
        jsonBody: errorBody(
          'body_too_large',
          `请求体过大：最多 ${Math.floor(MAX_BODY_BYTES / 1024 / 1024)} MB`,
        ),
      });
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || k === 'host' || k === 'connection' || k === 'transfer-encoding') continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const request = new azf.HttpRequest({
      method,
      url: url.toString(),
      headers,
      query: Object.fromEntries(url.searchParams.entries()),
      params: found.params,
      body: body.length ? { bytes: body } : undefined,
    });
    const context = new azf.InvocationContext({
      functionName: found.route.fn.name,
      invocationId: randomUUID(),
    });
    const result = await found.route.fn.handler(request, context);
    send(res, (result ?? { status: 204 }) as HttpResponseInit);
  }

  async function fire(name: string, cron?: Cron, isPastDue = false): Promise<void> {
    const t = timers.find((f) => f.name === name);
    if (!t || t.kind !== 'timer') throw new Error(`没有这个计时器：${name}`);
    const timer: Timer = {
      isPastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: {
        last: new Date().toISOString(),
        next: cron?.nextRun()?.toISOString() ?? '',
        lastUpdated: new Date().toISOString(),
      },
    };
    const context = new azf.InvocationContext({ functionName: t.name, invocationId: randomUUID() });
    await t.handler(timer, context);
  }

  const crons: Cron[] = [];
  /** Per timer: the scheduled time it is waiting for (what Azure's isPastDue compares with). */
  const expected = new Map<string, { cron: Cron; at: Date | null }>();
  const LATE_MS = 60_000;
  async function run(name: string, cron: Cron, isPastDue: boolean): Promise<void> {
    try {
      if (isPastDue) log(`计时器 ${name} 错过了计划时间（休眠或停机），现补跑（isPastDue）`);
      await fire(name, cron, isPastDue);
    } catch (e) {
      log(`计时器 ${name} 失败：${(e as Error).message}`);
    }
  }
  async function catchUpMissed(now = new Date()): Promise<string[]> {
    const fired: string[] = [];
    for (const [name, slot] of expected) {
      if (!slot.at || now.getTime() - slot.at.getTime() <= LATE_MS) continue;
      slot.at = slot.cron.nextRun(now);
      fired.push(name);
      await run(name, slot.cron, true);
    }
    return fired;
  }
  let watchdog: NodeJS.Timeout | null = null;
  if (options.timers ?? true) {
    for (const t of timers) {
      if (t.kind !== 'timer') continue;
      // Azure's own switch, honoured alike by `func` and Azure: app setting AzureWebJobs.<name>.Disabled.
      if (timerDisabled(t.name, runtimeEnv())) {
        log(`计时器 ${t.name} 已关闭（AzureWebJobs.${t.name}.Disabled=true），不按计划运行`);
        continue;
      }
      const cron: Cron = new Cron(t.schedule, { timezone: 'UTC', protect: true }, async () => {
        const slot = expected.get(t.name);
        const late = slot?.at ? Date.now() - slot.at.getTime() > LATE_MS : false;
        if (slot) slot.at = cron.nextRun();
        await run(t.name, cron, late);
      });
      crons.push(cron);
      expected.set(t.name, { cron, at: cron.nextRun() });
    }
    // croner does not run a time that passed while the machine slept; this notices it.
    watchdog = setInterval(() => void catchUpMissed(), LATE_MS);
    watchdog.unref();
  }

  const queueTriggers = options.queues
    ? await Promise.all(
        fns.flatMap((q) =>
          q.kind === 'queue'
            ? [
                startQueueTrigger({
                  env: runtimeEnv(),
                  queueName: q.queueName,
                  handler: q.handler,
                  poll: options.queues === true,
                  log,
                  context: (id) => new azf.InvocationContext({ functionName: q.name, invocationId: id }),
                }),
              ]
            : [],
        ),
      )
    : [];

  const wanted = options.port ?? hostConfig(runtimeEnv()).port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wanted, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}/api`;
  return {
    url,
    port,
    fireTimer: (name) => fire(name),
    catchUpMissed,
    drainQueues: async () =>
      (await Promise.all(queueTriggers.map((t) => t.drain()))).reduce((a, b) => a + b, 0),
    close: async () => {
      await Promise.all(queueTriggers.map((t) => t.stop()));
      if (watchdog) clearInterval(watchdog);
      for (const c of crons) c.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
