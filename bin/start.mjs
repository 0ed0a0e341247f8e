#!/usr/bin/env node
// `npm start`: the whole product locally. Azurite (Table service on 10002, data under ./.azurite),
// then the functions — with `func start` where Azure Functions Core Tools is installed, otherwise with
// the local dev host serving the same registered functions on http://localhost:7071/api — and the
// add-in built and served on https://localhost:3000, with the playground at its root.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const children = [];
const stopAll = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', () => (stopAll(), process.exit(0)));
process.on('SIGTERM', () => (stopAll(), process.exit(0)));

// Local secrets live in local.settings.json (git-ignored), made on first start: never in the repo.
const settingsFile = join(root, 'local.settings.json');
if (!existsSync(settingsFile)) {
  const example = JSON.parse(readFileSync(join(root, 'local.settings.example.json'), 'utf8'));
  example.Values.DUBAN_FUNCTION_KEY = randomBytes(24).toString('base64url');
  example.Values.DUBAN_LINK_SECRET = randomBytes(32).toString('base64url');
  writeFileSync(settingsFile, JSON.stringify(example, null, 2) + '\n');
  console.log('Created local.settings.json with a new function key and link secret.');
}
const local = JSON.parse(readFileSync(settingsFile, 'utf8'));
for (const [k, v] of Object.entries(local.Values ?? {}))
  if (process.env[k] === undefined) process.env[k] = String(v);

// 1. Azurite: the embedded default for Table Storage. With `func`, the Functions host also keeps its
//    timer leases in Blob storage and may use Queues (AzureWebJobsStorage), so all three services run.
// On Windows `func` and `npm` are .cmd shims, which spawn finds only through a shell (fixed args only).
const shell = process.platform === 'win32';
const func = spawnSync('func', ['--version'], { encoding: 'utf8', shell });
const withFunc = func.status === 0;
mkdirSync(join(root, '.azurite'), { recursive: true });
const azurite = spawn(
  process.execPath,
  [
    join(
      root,
      withFunc ? 'node_modules/azurite/dist/src/azurite.js' : 'node_modules/azurite/dist/src/table/main.js',
    ),
    ...(withFunc ? ['--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1'] : []),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    '10002',
    '--location',
    join(root, '.azurite'),
    '--silent',
    '--skipApiVersionCheck',
    '--disableTelemetry', // a county office's data stays in the county: no telemetry
  ],
  { stdio: 'inherit' },
);
children.push(azurite);
for (let i = 0; i < 100; i++) {
  try {
    await fetch('http://127.0.0.1:10002/devstoreaccount1/Tables');
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}
console.log(
  `Azurite ${withFunc ? 'Blob (10000), Queue (10001) and ' : ''}Table service: http://127.0.0.1:10002 (data in ./.azurite)`,
);

// 2. The functions.
register();
if (withFunc) {
  console.log(`Azure Functions Core Tools ${func.stdout.trim()} found: building and running \`func start\`.`);
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell });
  if (build.status !== 0) process.exit(build.status ?? 1);
  children.push(spawn('func', ['start', '--port', '7071'], { stdio: 'inherit', shell }));
} else {
  const { startDevHost } = await import('../functions/devhost.ts');
  const host = await startDevHost({ port: Number(process.env.DUBAN_PORT ?? 7071) });
  console.log(`func not installed: the local dev host serves the registered functions on ${host.url}`);
}

// 3. The add-in, over HTTPS with the Office dev certificates.
const { buildAddin, serveAddin } = await import('../addin/build.ts');
await buildAddin();
// 4. The playground (https://localhost:3000/): the add-in over an in-browser Excel, on a backend of its
//    own (playground flag, playground tables), for trying the product and training clerks without Excel.
const { startPlayground } = await import('../playground/server/start.ts');
const playground = await startPlayground({ publicUrl: 'https://localhost:3000/playground' });
children.push(playground.child);
const served = await serveAddin({ port: 3000, before: playground.route });
console.log(`Add-in served on ${served.url}`);
console.log(`Playground (no Excel needed): ${served.url}/`);
console.log(`
Sideload: Excel on the web → 插入/Insert → 加载项/Add-ins → 上传我的加载项/Upload My Add-in → manifest.xml
          Excel desktop (Windows) → npx office-addin-debugging@7.0.0 start manifest.xml desktop
In the task pane's 设置 tab enter the backend URL /api (forwarded to the functions) and the function key
from local.settings.json (DUBAN_FUNCTION_KEY). Ctrl+C stops everything.`);
