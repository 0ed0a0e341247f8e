// The notify helper's outbox for the current environment (same connection and table prefix as the storage).
import { createOutbox, type Outbox } from '../notify/outbox.js';
import { storageOptionsFromEnv } from '../storage/index.js';
import type { Env } from './index.js';

const outboxes = new Map<string, Outbox>();

export function runtimeOutbox(env: Env): Outbox {
  const o = storageOptionsFromEnv(env as NodeJS.ProcessEnv);
  const key = `${o.connectionString}\u0000${o.prefix}`;
  let outbox = outboxes.get(key);
  if (!outbox) {
    outbox = createOutbox({ connectionString: o.connectionString, tablePrefix: o.prefix });
    outboxes.set(key, outbox);
  }
  return outbox;
}
