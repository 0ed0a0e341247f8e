// Starts a real Azurite Table service (and, when asked, its Queue service) on free loopback ports, for
// tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The public, well-known Azurite development account (documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number, queuePort?: number): string {
  const queue = queuePort ? `QueueEndpoint=http://127.0.0.1:${queuePort}/${AZURITE_ACCOUNT};` : '';
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};${queue}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningAzurite {
  port: number;
  /** The Queue service's port, when started with `queue: true`. */
  queuePort?: number;
  location: string;
  connectionString: string;
  /**
   * CPU time the Table service's JavaScript thread has used so far, in ms (user + system, from /proc:
   * Linux only, else null). Only that thread: V8's helper threads (garbage collection, compiling) run
   * beside it, so the process's total can exceed the wall time, while this is a floor under it. The
   * benchmarks report what the emulator itself spends on a run beside the run's own time.
   */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

/** USER_HZ: the unit of /proc/<pid>/stat's CPU times, 100 on every Linux the project runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    // The main thread's own stat (its task id is the process id). Fields after the command name
    // (which may hold spaces, hence the split on its closing paren): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Start azurite-table; `location` keeps data across a stop/start (used by the fault tests).
 * `inMemory`: Azurite keeps nothing on disk. Its disk store saves the whole account as one JSON file
 * every 5 s, which with a city's 200,000 rows takes most of its one thread; Azure has no such cost, so
 * the city's benchmark runs without it.
 */
export async function startAzurite(
  opts: { port?: number; location?: string; queue?: boolean; inMemory?: boolean } = {},
): Promise<RunningAzurite> {
  const port = opts.port ?? (await freePort());
  const location = opts.location ?? mkdtempSync(join(tmpdir(), 'duban-azurite-'));
  // A data folder made here is removed when the process ends — not at stop(), because the fault
  // tests stop Azurite and start it again on the same data.
  if (opts.location === undefined)
    process.once('exit', () => rmSync(location, { recursive: true, force: true }));
  const child = await startService('table', port, location, opts.inMemory);
  const queue = opts.queue ? await startQueue(location, opts.inMemory) : undefined;
  const stopChild = (c: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      // SIGINT: Azurite saves its data and exits; SIGTERM kills it before the save (data lost).
      c.kill('SIGINT');
    });
  return {
    port,
    queuePort: queue?.port,
    location,
    connectionString: azuriteConnectionString(port, queue?.port),
    cpuMs: () => processCpuMs(child.pid),
    stop: async () => {
      await Promise.all([stopChild(child), ...(queue ? [stopChild(queue.child)] : [])]);
    },
  };
}

/** Azurite's Queue service beside the Table service (its own free port, the same data folder). */
async function startQueue(
  location: string,
  inMemory?: boolean,
): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  return { port, child: await startService('queue', port, location, inMemory) };
}

/** One Azurite service on loopback, answered once it answers its listing (a 30 s limit). */
async function startService(
  kind: 'table' | 'queue',
  port: number,
  location: string,
  inMemory = false,
): Promise<ChildProcess> {
  const bin = join(root, 'node_modules', 'azurite', 'dist', 'src', kind, 'main.js');
  const child = spawn(
    process.execPath,
    [
      bin,
      `--${kind}Host`,
      '127.0.0.1',
      `--${kind}Port`,
      String(port),
      // Azurite refuses a location together with in-memory persistence.
      ...(inMemory ? ['--inMemoryPersistence'] : ['--location', location]),
      '--silent',
      '--skipApiVersionCheck',
      '--disableProductStyleUrl',
      '--disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const listing =
    kind === 'table'
      ? `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}/Tables`
      : `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}?comp=list`;
  const name = kind === 'table' ? 'Azurite' : 'Azurite Queue';
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${output}`);
    try {
      await fetch(listing);
      return child;
    } catch {
      if (Date.now() > deadline) throw new Error(`${name} did not start on ${port}: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
