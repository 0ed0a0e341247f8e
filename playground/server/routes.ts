// The playground's routes on the add-in's HTTPS server (served in front of the add-in's own):
//   /                         the playground page (grid, ribbon, task pane, units' side, clock, tour)
//   /playground/*             its scripts, the add-in pages wired to the in-browser Excel, the example
//   /playground/config.json   the playground backend's API base and key (this page's only backend)
//   /playground/api/*         forwarded to the playground backend — never to the office's backend
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.map': 'application/json',
  '.json': 'application/json; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface PlaygroundRouteOptions {
  /** The built playground (playground/build.ts). */
  dir: string;
  /** The playground backend (null while it starts): its API base ending in /api, and its key. */
  backend: () => { url: string; key: string } | null;
}

export function playgroundRoutes(
  opts: PlaygroundRouteOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const dir = resolve(opts.dir);
  const fail = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({ error: { code: status === 503 ? 'playground_unavailable' : 'not_found', message } }),
    );
    return true;
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname;
    if (path.startsWith('/playground/api/')) {
      const backend = opts.backend();
      if (!backend) return fail(res, 503, '练习场后台尚未启动');
      const target = new URL(
        backend.url.replace(/\/api$/, '') + path.slice('/playground'.length) + url.search,
      );
      const upstream = httpRequest(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host } },
        (up) => {
          const headers = { ...up.headers };
          // The unit's page opens inside the playground's phone frame (same origin), nowhere else.
          const csp = headers['content-security-policy'];
          if (typeof csp === 'string')
            headers['content-security-policy'] = csp.replace(
              "frame-ancestors 'none'",
              "frame-ancestors 'self'",
            );
          res.writeHead(up.statusCode ?? 502, headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) fail(res, 503, '练习场后台没有响应');
        else res.end();
      });
      req.pipe(upstream);
      return true;
    }
    if (path === '/playground/config.json') {
      const backend = opts.backend();
      if (!backend) return fail(res, 503, '练习场后台尚未启动');
      res.writeHead(200, { 'content-type': TYPES['.json']!, 'cache-control': 'no-store' });
      res.end(JSON.stringify({ apiBase: '/playground/api', key: backend.key }));
      return true;
    }
    if (path !== '/' && path !== '/index.html' && !path.startsWith('/playground/')) return false;
    let rel: string;
    try {
      rel =
        path === '/' || path === '/index.html'
          ? 'index.html'
          : decodeURIComponent(path.slice('/playground/'.length));
    } catch {
      return fail(res, 404, '未找到');
    }
    const file = join(dir, normalize(rel));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile())
      return fail(res, 404, '未找到');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
    return true;
  };
}
