#!/usr/bin/env node
// `npm start`: the whole product locally. Azurite (Table service on 10002, data under ./.azurite),
// then the functions — with `func start` where Azure Functions Core Tools is installed, otherwise with
// the local dev host serving the same registered functions on http://localhost:7071/api — and the
// add-in built and served on https://localhost:3000, with the playground at its root.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { ensureLocalSettings, takenPorts } from './local.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const children = [];
const stopAll = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', () => (stopAll(), process.exit(0)));
process.on('SIGTERM', () => (stopAll(), process.exit(0)));

// Local secrets live in local.settings.json (git-ignored), made on first start: never in the repo.
// The `duban` command reads the same file (the environment first).
const local = ensureLocalSettings(root);
if (local.created)
  console.log('已生成 local.settings.json（新的访问密钥和反馈链接密钥）Created local.settings.json.');
for (const [k, v] of Object.entries(local.values))
  if (process.env[k] === undefined) process.env[k] = String(v);

// 1. Azurite: the embedded default for Table Storage, and Queue Storage for the morning run fanned out
//    one message per ledger (DUBAN_DAILY_FANOUT=queue). With `func`, the Functions host also keeps its
//    timer leases in Blob storage (AzureWebJobsStorage), so all three services run.
// On Windows `func` and `npm` are .cmd shims, which spawn finds only through a shell (fixed args only).
const shell = process.platform === 'win32';
const func = spawnSync('func', ['--version'], { encoding: 'utf8', shell });
const withFunc = func.status === 0;
// A second `npm start` (or another program on these ports) is named before anything starts.
const functionsPort = Number(process.env.DUBAN_PORT ?? 7071);
const taken = await takenPorts([
  ...(withFunc ? [{ port: 10000, what: 'Azurite Blob' }] : []),
  { port: 10001, what: 'Azurite 队列' },
  { port: 10002, what: 'Azurite 表存储' },
  { port: functionsPort, what: '函数 /api' },
  { port: 3000, what: '加载项 https://localhost:3000' },
]);
if (taken.length) {
  console.error(
    `npm start 无法启动：\n  ${taken.join('\n  ')}\n` +
      '多半是另一个 npm start 仍在运行：在它的终端按 Ctrl+C 停止，或结束上面列出的进程后再试。\n' +
      `Ports in use: ${taken.map((t) => t.split('（')[0].replace('端口 ', '')).join(', ')}.`,
  );
  process.exit(1);
}
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
// Without `func`, the Queue service runs beside the Table service (the dev host serves the queue trigger).
if (!withFunc)
  children.push(
    spawn(
      process.execPath,
      [
        join(root, 'node_modules/azurite/dist/src/queue/main.js'),
        '--queueHost',
        '127.0.0.1',
        '--queuePort',
        '10001',
        '--location',
        join(root, '.azurite'),
        '--silent',
        '--skipApiVersionCheck',
        '--disableTelemetry',
      ],
      { stdio: 'inherit' },
    ),
  );
for (let i = 0; i < 100; i++) {
  try {
    await fetch('http://127.0.0.1:10002/devstoreaccount1/Tables');
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}
console.log(
  `Azurite ${withFunc ? 'Blob (10000), ' : ''}Queue (10001) and Table service: http://127.0.0.1:10002 (data in ./.azurite)`,
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
  const host = await startDevHost({ port: functionsPort, queues: true });
  console.log(`func not installed: the local dev host serves the registered functions on ${host.url}`);
  if (/^(true|1)$/i.test(process.env['AzureWebJobs.delivery.Disabled'] ?? ''))
    console.log('提示投递计时器已关闭（AzureWebJobs.delivery.Disabled）：提示只入队，不发出');
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
