// Builds the add-in (esbuild: the task pane and the function file, with their HTML pages and icons)
// into addin/dist, and serves it over HTTPS as Office requires. `npm start` (bin/start.mjs) calls both.
import { build, type Plugin } from 'esbuild';
import { createServer, type Server } from 'node:https';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ADDIN_DIST = join(here, 'dist');

export interface BuildResult {
  dir: string;
  /** Bytes of each script, e.g. { 'taskpane.js': 61234, 'commands.js': 40321 }. */
  sizes: Record<string, number>;
}

/**
 * zod's classic entry re-exports every locale (~40 languages, most of its size); the add-in's messages
 * are its own Chinese ones, so only zod's default English locale is bundled.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * zod builds JSON Schema (`toJSONSchema`, `fromJSONSchema`, each schema's `~standard.jsonSchema`) in
 * four modules, about a third of its size; the add-in only parses. Each is bundled as a module with the
 * same exports that throw when called, so the pane stays under its 90 KiB gzip budget (the bench's
 * figure) and every schema still parses as on the server.
 */
const ZOD_JSON_SCHEMA =
  /[\\/]zod[\\/]v4[\\/](core[\\/](json-schema-processors|to-json-schema|json-schema-generator)|classic[\\/]from-json-schema)\.js$/;
const zodWithoutJsonSchema: Plugin = {
  name: 'zod-without-json-schema',
  setup(b) {
    b.onLoad({ filter: ZOD_JSON_SCHEMA }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const lines = ['const off = () => { throw new Error("JSON Schema is not bundled in the add-in"); };'];
      for (const [, kind, name] of source.matchAll(/^export (function|const|class) (\w+)/gm)) {
        // The create… factories run when a schema's `~standard` is read: they return the refusing method.
        if (kind === 'class') lines.push(`export class ${name} { constructor() { off(); } }`);
        else if (name!.startsWith('create')) lines.push(`export const ${name} = () => off;`);
        else if (name === 'allProcessors') lines.push(`export const ${name} = {};`);
        else lines.push(`export const ${name} = off;`);
      }
      for (const [, name, alias] of source.matchAll(/^export \{ (\w+) as (\w+) \};?$/gm))
        lines.push(`export { ${name} as ${alias} };`);
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/** The add-in bundle's esbuild plugins (also used by the test that parses with the bundled zod). */
export const ADDIN_PLUGINS: Plugin[] = [zodEnglishOnly, zodWithoutJsonSchema];

export async function buildAddin(
  opts: { outdir?: string; minify?: boolean; sourcemap?: boolean } = {},
): Promise<BuildResult> {
  const outdir = opts.outdir ?? ADDIN_DIST;
  mkdirSync(join(outdir, 'assets'), { recursive: true });
  // A map left by an earlier debugging build would still be served: only this build's files ship.
  if (!opts.sourcemap)
    for (const f of readdirSync(outdir)) if (f.endsWith('.map')) rmSync(join(outdir, f), { force: true });
  await build({
    entryPoints: {
      taskpane: join(here, 'src/taskpane/index.ts'),
      commands: join(here, 'src/commands/index.ts'),
      notice: join(here, 'src/taskpane/notice.ts'),
    },
    outdir,
    bundle: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'edge100', 'safari15'],
    minify: opts.minify ?? true,
    // No source maps unless asked for (debugging): the production build ships no .map files.
    sourcemap: opts.sourcemap ? 'linked' : false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: ADDIN_PLUGINS,
  });
  for (const page of [
    'taskpane.html',
    'commands.html',
    'notice.html',
    'help.html',
    'taskpane.css',
    'oldHost.js',
  ]) {
    copyFileSync(join(here, 'src/taskpane', page), join(outdir, page));
  }
  for (const icon of readdirSync(join(here, 'assets')).filter((f) => f.endsWith('.png'))) {
    copyFileSync(join(here, 'assets', icon), join(outdir, 'assets', icon));
  }
  const sizes: Record<string, number> = {};
  for (const f of ['taskpane.js', 'commands.js', 'taskpane.css']) sizes[f] = statSync(join(outdir, f)).size;
  return { dir: outdir, sizes };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.map': 'application/json',
  '.xml': 'text/xml; charset=utf-8',
};

export interface ServeOptions {
  port?: number;
  dir?: string;
  /** PEM certificate and key; default: the office-addin-dev-certs certificates for localhost (installed on first use). */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Where /api/* is forwarded (the functions), so the pane's default backend '/api' works without CORS. */
  apiProxy?: string | null;
  host?: string;
  /** Routes served in front of the add-in's own (the playground's pages and API); true = answered. */
  before?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface ServedAddin {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface DevCertsModule {
  getHttpsServerOptions(): Promise<{ cert: Buffer; key: Buffer }>;
  generateCertificates(
    ca: string,
    cert: string,
    key: string,
    days?: number,
    domains?: string[],
  ): Promise<void>;
}

async function devCertsModule(): Promise<DevCertsModule> {
  const m = (await import('office-addin-dev-certs')) as unknown as DevCertsModule & {
    default?: DevCertsModule;
  };
  return typeof m.getHttpsServerOptions === 'function' ? m : (m.default as DevCertsModule);
}

/**
 * Certificates for https://localhost from office-addin-dev-certs, without touching the OS trust store:
 * a CA and a localhost certificate it signs, written to `dir` (git-ignored .certs/ by default).
 */
export async function localhostCertificates(
  dir: string,
  days = 30,
): Promise<{ cert: Buffer; key: Buffer; ca: string }> {
  const certs = await devCertsModule();
  const ca = join(dir, 'ca.crt');
  const cert = join(dir, 'localhost.crt');
  const key = join(dir, 'localhost.key');
  if (!existsSync(cert) || !existsSync(key)) {
    mkdirSync(dir, { recursive: true });
    await certs.generateCertificates(ca, cert, key, days, ['127.0.0.1', 'localhost']);
  }
  return { cert: readFileSync(cert), key: readFileSync(key), ca };
}

/** The Office dev certificates (installed and trusted on first use); where installing is impossible, local ones. */
async function devCerts(): Promise<{ cert: Buffer | string; key: Buffer | string }> {
  try {
    return await (await devCertsModule()).getHttpsServerOptions();
  } catch (err) {
    const dir = join(here, '..', '.certs');
    const local = await localhostCertificates(dir);
    console.warn(
      `office-addin-dev-certs could not install its CA (${err instanceof Error ? err.message : String(err)}).\n` +
        `Serving with a certificate signed by ${local.ca}: trust that CA in the browser or OS to load the add-in.`,
    );
    return local;
  }
}

/** Serves `dir` over HTTPS; /api/* goes to `apiProxy` (default http://127.0.0.1:7071). */
export async function serveAddin(opts: ServeOptions = {}): Promise<ServedAddin> {
  const dir = resolve(opts.dir ?? ADDIN_DIST);
  const tls = opts.cert && opts.key ? { cert: opts.cert, key: opts.key } : await devCerts();
  const proxy = opts.apiProxy === undefined ? 'http://127.0.0.1:7071' : opts.apiProxy;
  const server: Server = createServer(tls, (req, res) => {
    if (opts.before?.(req, res)) return;
    const url = new URL(req.url ?? '/', 'https://localhost');
    if (proxy && url.pathname.startsWith('/api/')) {
      const target = new URL(url.pathname + url.search, proxy);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const upstream = send(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: { code: 'backend_unreachable', message: '督办后台没有响应' } }));
      });
      req.pipe(upstream);
      return;
    }
    let path: string;
    try {
      path = normalize(decodeURIComponent(url.pathname === '/' ? '/taskpane.html' : url.pathname));
    } catch {
      // A malformed %-sequence must not take the server down (decodeURIComponent throws).
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('请求地址无效');
      return;
    }
    const file = join(dir, path);
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('未找到');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 3000, opts.host ?? '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 3000);
  return {
    url: `https://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
