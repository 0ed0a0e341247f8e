// What `npm start` sets up before it starts anything: local.settings.json (the configuration every
// `duban` command reads too) and free ports. Kept apart from start.mjs so that the README's commands
// test gives a fresh copy exactly the configuration a newcomer's first `npm start` writes.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Writes `<root>/local.settings.json` (git-ignored) from local.settings.example.json with a new random
 * function key and link secret, unless it exists. Returns its Values and whether it was created.
 */
export function ensureLocalSettings(root) {
  const file = join(root, 'local.settings.json');
  let created = false;
  if (!existsSync(file)) {
    const example = JSON.parse(readFileSync(join(root, 'local.settings.example.json'), 'utf8'));
    example.Values.DUBAN_FUNCTION_KEY = randomBytes(24).toString('base64url');
    example.Values.DUBAN_LINK_SECRET = randomBytes(32).toString('base64url');
    writeFileSync(file, JSON.stringify(example, null, 2) + '\n');
    created = true;
  }
  const values = JSON.parse(readFileSync(file, 'utf8')).Values ?? {};
  return { file, created, values };
}

/** Whether `port` on 127.0.0.1 can be listened on now. */
function portFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The process listening on `port`, as far as the system tells (ss on Linux, lsof elsewhere), or null. */
export function whoListens(port) {
  const ss = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const fromSs = /users:\(\("([^"]+)",pid=(\d+)/.exec(ss.stdout ?? '');
  let name = fromSs?.[1];
  let pid = fromSs?.[2];
  if (!pid) {
    const lsof = spawnSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { encoding: 'utf8' });
    pid = /^p(\d+)/m.exec(lsof.stdout ?? '')?.[1];
    name = /^c(.+)$/m.exec(lsof.stdout ?? '')?.[1];
  }
  if (!pid) return null;
  const ps = spawnSync('ps', ['-o', 'args=', '-p', pid], { encoding: 'utf8' });
  const args = (ps.stdout ?? '').trim().slice(0, 160);
  return `${name ?? '进程'}，pid ${pid}${args ? `：${args}` : ''}`;
}

/**
 * The ports `npm start` needs that are taken, each as one Chinese line naming the port, what it is for
 * and what holds it — checked before anything starts, so a second `npm start` explains itself instead
 * of dying with EADDRINUSE.
 */
export async function takenPorts(ports) {
  const lines = [];
  for (const { port, what } of ports) {
    if (await portFree(port)) continue;
    const who = whoListens(port);
    lines.push(`端口 ${port}（${what}）已被占用${who ? `：${who}` : '（无法查到占用的进程）'}`);
  }
  return lines;
}
