// How a handler file declares its function, as the Azure Functions v4 model does it with
// `app.http(name, { route, methods, authLevel, handler })`: the name, the route, the handler of each
// method, who may call it and the query parameters each method reads, next to the handlers. The
// registry lists these declarations; both hosts register them as they are.
import type { HttpMethod, HttpRequest, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { httpConfig } from '../config.js';
import { runtimeEnv } from '../runtime/index.js';
import { api, corsHeaders, errorBody, type ApiHandler, type ApiRun } from './adapter.js';
import { presentsKey } from './auth.js';

/** 'key': x-functions-key required (checked by the adapter, so both hosts behave alike); 'link': a signed link. */
export type Auth = 'key' | 'link';

export interface HttpFunction {
  name: string;
  kind: 'http';
  /** Relative to /api; `{name}` is one path segment. */
  route: string;
  methods: HttpMethod[];
  auth: Auth;
  /**
   * The query parameters each method reads (besides `code`, the function key). Any other parameter is
   * a 400 naming it, never silently ignored: `?date=` where `?on=` is meant must not look like success.
   */
  query: Partial<Record<HttpMethod, readonly string[]>>;
  handler: ApiHandler;
}

type Method = 'GET' | 'POST' | 'PUT';

export interface HttpFunctionOptions {
  route: string;
  /** Default 'key'. */
  auth?: Auth;
  /** One handler per method; OPTIONS (CORS preflight) is answered by the adapter. */
  methods: Partial<Record<Method, ApiRun>>;
  /** The query schema of each method that reads one; a method without takes no query parameters. */
  query?: Partial<Record<Method, z.ZodObject>>;
}

/** The function key may always come as `?code=` (Azure's own convention). */
const ALWAYS_ALLOWED = ['code'];

/**
 * One handler per method on one route; OPTIONS goes to the first, which answers it. A query
 * parameter the method does not read is refused before the handler runs.
 */
function byMethod(
  handlers: Partial<Record<HttpMethod, ApiHandler>>,
  query: Partial<Record<HttpMethod, readonly string[]>>,
  auth: Auth,
): ApiHandler {
  return async (req: HttpRequest, ctx: InvocationContext) => {
    const method = req.method as HttpMethod;
    const h = handlers[method] ?? (method === 'OPTIONS' ? Object.values(handlers)[0] : undefined);
    if (!h) return { status: 405, jsonBody: errorBody('method_not_allowed', `不支持 ${req.method} 方法`) };
    // The unit's page (a signed link) is exempt: WeChat and other apps append their own parameters
    // (`?from=singlemessage&isappinstalled=0`) to links shared in chats, and the unit must still get in.
    if (method !== 'OPTIONS' && auth === 'key') {
      const allowed = [...(query[method] ?? []), ...ALWAYS_ALLOWED];
      const unknown = [...new Set(req.query.keys())].filter((k) => !allowed.includes(k));
      // Only a caller with the key learns what a route reads; without it the handler answers 401.
      if (unknown.length) {
        let config;
        try {
          config = httpConfig(runtimeEnv());
        } catch {
          return h(req, ctx); // the adapter answers a bad configuration
        }
        if (presentsKey(req, config)) {
          const known = allowed.filter((k) => !ALWAYS_ALLOWED.includes(k));
          return {
            status: 400,
            headers: corsHeaders(req, config),
            jsonBody: errorBody(
              'unknown_query_parameter',
              `不支持的查询参数：${unknown.join('、')}（${req.method} 本接口${
                known.length ? `可用的查询参数：${known.join('、')}` : '不接受查询参数'
              }）`,
            ),
          };
        }
      }
    }
    return h(req, ctx);
  };
}

export function httpFunction(name: string, options: HttpFunctionOptions): HttpFunction {
  const auth = options.auth ?? 'key';
  const query = Object.fromEntries(
    Object.entries(options.query ?? {}).map(([m, schema]) => [m, Object.keys(schema.shape)]),
  ) as Partial<Record<HttpMethod, readonly string[]>>;
  const handlers = Object.fromEntries(
    Object.entries(options.methods).map(([m, run]) => [m, api({ auth }, run)]),
  ) as Partial<Record<HttpMethod, ApiHandler>>;
  return {
    name,
    kind: 'http',
    route: options.route,
    methods: [...(Object.keys(handlers) as HttpMethod[]), 'OPTIONS'],
    auth,
    query,
    handler: byMethod(handlers, query, auth),
  };
}
