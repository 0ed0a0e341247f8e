// What every handler needs beside its request: the environment, the storage, the clock. Both hosts
// (`func` and the dev host) use the process environment; the dev host and tests may override it.
import { openStorage, storageOptionsFromEnv, type Storage } from '../storage/index.js';

export type Env = Record<string, string | undefined>;

let overrides: Env = {};
let clock: () => Date = () => new Date();
const storages = new Map<string, Promise<Storage>>();

/** The environment in force: process.env with the dev host's (or a test's) overrides on top. */
export function runtimeEnv(): Env {
  return { ...process.env, ...overrides };
}

export function configureRuntime(opts: { env?: Env; now?: () => Date }): void {
  if (opts.env) overrides = { ...overrides, ...opts.env };
  if (opts.now) clock = opts.now;
}

export function now(): Date {
  return clock();
}

/** The storage for the current environment, opened (tables created) once per connection and prefix. */
export function runtimeStorage(env: Env = runtimeEnv()): Promise<Storage> {
  const options = storageOptionsFromEnv(env as NodeJS.ProcessEnv);
  const key = `${options.connectionString}\u0000${options.prefix}`;
  let s = storages.get(key);
  if (!s) {
    s = openStorage(options);
    storages.set(key, s);
    s.catch(() => storages.delete(key));
  }
  return s;
}
