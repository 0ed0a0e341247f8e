// The playground backend as its own process (`npm start` spawns it): its runtime — environment, clock,
// table prefix — is its own, never the office backend's that runs beside it. Reads DUBAN_STORAGE
// (Azurite), DUBAN_PLAYGROUND_KEY and DUBAN_PLAYGROUND_PUBLIC_URL; prints one line with its API base.
import { startPlaygroundBackend } from './backend.js';

const publicUrl = process.env.DUBAN_PLAYGROUND_PUBLIC_URL;
const key = process.env.DUBAN_PLAYGROUND_KEY;
if (!publicUrl || !key) {
  console.error('练习场后台需要 DUBAN_PLAYGROUND_PUBLIC_URL 和 DUBAN_PLAYGROUND_KEY（由 npm start 设置）');
  process.exit(2);
}
try {
  const backend = await startPlaygroundBackend({
    storage: process.env.DUBAN_STORAGE || 'UseDevelopmentStorage=true',
    publicUrl,
    key,
    log: (line) => console.log(`[练习场] ${line}`),
  });
  console.log(`PLAYGROUND_API ${backend.url}`);
  const stop = () => void backend.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (e) {
  console.error(`练习场后台未能启动：${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
