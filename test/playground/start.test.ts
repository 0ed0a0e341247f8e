// `npm start`'s playground: its backend runs as a process of its own (its runtime never the office
// backend's), the add-in server answers the playground page at / and forwards /playground/api to it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { localhostCertificates, serveAddin, type ServedAddin } from '../../addin/build.js';
import { startPlayground, type StartedPlayground } from '../../playground/server/start.js';

let tmp: string | undefined;
let served: ServedAddin | undefined;
let playground: StartedPlayground | undefined;

afterAll(async () => {
  playground?.child.kill('SIGTERM');
  await served?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm start serves the playground at the root of the add-in server', () => {
  it('R8: / is the playground; its API reaches the playground process (flag on, playground tables), /api stays the office’s', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'duban-pgstart-'));
    const tls = await localhostCertificates(join(tmp, 'certs'));
    playground = await startPlayground({
      publicUrl: 'https://localhost:3000/playground',
      storage: inject('azuriteConnectionString'),
    });
    served = await serveAddin({
      port: 0,
      dir: tmp,
      cert: tls.cert,
      key: tls.key,
      apiProxy: 'http://127.0.0.1:9',
      before: playground.route,
    });
    const ca = readFileSync(tls.ca);
    // node:https with the test's own CA, and the path sent as written (no client-side normalising).
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: served!.port, path, headers, ca, servername: 'localhost' },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('督办 · 练习场');
    const config = JSON.parse((await get('/playground/config.json')).text) as {
      apiBase: string;
      key: string;
    };
    expect(config.apiBase).toBe('/playground/api');
    const state = await get('/playground/api/playground', { 'x-functions-key': config.key });
    expect(state.status).toBe(200);
    const body = JSON.parse(state.text) as { playground: boolean; prefix: string };
    expect(body.playground).toBe(true);
    expect(body.prefix.startsWith('playground')).toBe(true);
    // The office's API is not the playground's: /api goes to the office backend (down here: 502).
    expect((await get('/api/playground', { 'x-functions-key': config.key })).status).toBe(502);
    expect((await get('/playground/../package.json')).status).toBe(404);
  }, 120_000);
});
