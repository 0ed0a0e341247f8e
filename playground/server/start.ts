// For `npm start`: builds the playground, starts its backend as a child process on a free loopback
// port, and returns the routes the add-in server puts in front of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlayground } from '../build.js';
import { playgroundRoutes } from './routes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface StartedPlayground {
  child: ChildProcess;
  route: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export async function startPlayground(opts: {
  publicUrl: string;
  storage?: string;
}): Promise<StartedPlayground> {
  const { dir } = await buildPlayground();
  const key = randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DUBAN_PLAYGROUND_PUBLIC_URL: opts.publicUrl,
    DUBAN_PLAYGROUND_KEY: key,
    // The office backend's settings stay out of the playground's process.
    DUBAN_STORAGE: opts.storage ?? 'UseDevelopmentStorage=true',
    DUBAN_TABLE_PREFIX: '',
    DUBAN_FUNCTION_KEY: '',
    DUBAN_SMTP_URL: '',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'playground/server/main.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let backend: { url: string; key: string } | null = null;
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = /^PLAYGROUND_API (\S+)/.exec(line);
        if (m) {
          backend = { url: m[1]!, key };
          resolve();
        } else if (line.trim()) console.log(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`练习场后台已退出（${code}）`)));
  });
  return { child, route: playgroundRoutes({ dir, backend: () => backend }) };
}
