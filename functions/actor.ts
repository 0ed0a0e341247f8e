// Who caused what is being written: the clerk whose key a request carries. The adapter runs each
// request inside `asClerk`; the history names that clerk on every event the request writes (R8).
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

export function asClerk<T>(clerk: string | null, run: () => T): T {
  return clerk ? current.run(clerk, run) : run();
}

/** The clerk of the request in progress, or undefined (the office key, a timer, a unit's link). */
export function currentClerk(): string | undefined {
  return current.getStore();
}
