// The real backend for the add-in's tests: the functions' dev host over HTTP on a free port, on the
// run's Azurite with a table prefix of its own. Restartable on the same port and prefix (backend-down tests).
import { inject } from 'vitest';
import { startDevHost, type DevHost } from '../../../functions/devhost.js';

export const FUNCTION_KEY = 'addin-test-function-key-0123456789';

export interface Backend {
  host: DevHost;
  /** The API base, ending in /api. */
  url: string;
  key: string;
  prefix: string;
  close(): Promise<void>;
}

/**
 * A clock that reads `start` now and runs on from it at the real pace: the backend's dates (document
 * numbers 〔2026〕, receivedOn) stay those the tests expect on any day the suite runs, while stamps still
 * advance (feedback cursors, ordering).
 */
export function clockFrom(start: string | Date): () => Date {
  const offset = new Date(start).getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

export async function startBackend(
  tag: string,
  opts: { port?: number; prefix?: string; now?: () => Date } = {},
): Promise<Backend> {
  const prefix =
    opts.prefix ?? `a${tag}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const host = await startDevHost({
    port: opts.port ?? 0,
    timers: false,
    now: opts.now,
    log: () => undefined,
    env: {
      DUBAN_STORAGE: inject('azuriteConnectionString'),
      DUBAN_TABLE_PREFIX: prefix,
      DUBAN_FUNCTION_KEY: FUNCTION_KEY,
      DUBAN_LINK_SECRET: 'addin-test-link-secret-0123456789abcdef',
    },
  });
  return { host, url: host.url.replace(/\/$/, ''), key: FUNCTION_KEY, prefix, close: () => host.close() };
}
