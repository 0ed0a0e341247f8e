// A dev host over real HTTP on a free port, against the run's Azurite with a table prefix of its own,
// and a small client for the tests.
import { inject } from 'vitest';
import { startDevHost, type DevHost } from '../../../functions/devhost.js';
import { configureRuntime, runtimeStorage } from '../../../functions/runtime/index.js';
import { putLedger, writeTasks, type Storage } from '../../../functions/storage/index.js';
import { splitLeadUnits } from '../../../shared/ledger/leadUnits.js';
import type { LedgerTask } from '../../../shared/model.js';

export const KEY = 'test-function-key-0123456789';
export const LINK_SECRET = 'test-link-secret-0123456789abcdef';

export interface TestApi {
  host: DevHost;
  storage: Storage;
  prefix: string;
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is (for malformed JSON). */
  raw?: string | Buffer;
  key?: string | null;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

export function uniquePrefix(tag: string): string {
  return `t${tag}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function startApi(
  tag: string,
  opts: { now?: () => Date; env?: Record<string, string> } = {},
): Promise<TestApi> {
  const prefix = uniquePrefix(tag);
  const env: Record<string, string> = {
    DUBAN_STORAGE: inject('azuriteConnectionString'),
    DUBAN_TABLE_PREFIX: prefix,
    DUBAN_FUNCTION_KEY: KEY,
    DUBAN_LINK_SECRET: LINK_SECRET,
    ...opts.env,
  };
  if (opts.now) configureRuntime({ now: opts.now });
  const host = await startDevHost({ port: 0, env, timers: false, log: () => {} });
  const storage = await runtimeStorage();
  env.DUBAN_PUBLIC_URL = `http://localhost:${host.port}`;
  configureRuntime({ env: { DUBAN_PUBLIC_URL: env.DUBAN_PUBLIC_URL } });
  return {
    host,
    storage,
    prefix,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.key !== null) headers['x-functions-key'] = o.key ?? KEY;
      let body: string | Buffer | undefined;
      if (o.raw !== undefined) body = o.raw;
      else if (o.body !== undefined) body = JSON.stringify(o.body);
      if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const res = await fetch(host.url + path, { method, headers, body: body as BodyInit | undefined });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    close: () => host.close(),
  };
}

/** A ledger task as the add-in's reader would send it. */
export function task(
  id: string,
  over: Omit<Partial<LedgerTask & { startDate: string | null }>, 'id'> = {},
): LedgerTask & { id: string; startDate?: string | null } {
  return {
    row: 3,
    id,
    no: id.replace(/^T/, '') || null,
    parent: null,
    title: `任务${id}`,
    measures: '按计划推进',
    leadLeader: '张副县长',
    leadUnit: '县财政局',
    supportUnits: [],
    deadline: { text: '2026年12月31日', date: '2026-12-31', recurrence: null },
    category: 'routine',
    stars: null,
    suggestedStars: 3,
    closed: false,
    milestones: [],
    progress: null,
    target: null,
    ...over,
    leadUnits: over.leadUnits ?? splitLeadUnits(over.leadUnit === undefined ? '县财政局' : over.leadUnit),
  };
}

/** Every entity of every table with the prefix: to prove "storage unchanged" after a refused request. */
export async function snapshot(storage: Storage): Promise<string> {
  const { TABLES } = await import('../../../functions/storage/index.js');
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    const rows = await storage.list(t);
    out[t] = rows.map(({ etag: _e, timestamp: _t, ...r }) => r);
  }
  // The outbox is a table of its own (functions/notify): "nothing changed" covers it too.
  const { runtimeOutbox } = await import('../../../functions/runtime/outbox.js');
  const { runtimeEnv } = await import('../../../functions/runtime/index.js');
  const outbox = runtimeOutbox(runtimeEnv());
  const items: unknown[] = [];
  let token: string | undefined;
  do {
    const page = await outbox.listOutbox({ limit: 1000, continuationToken: token });
    items.push(...page.items.map(({ etag: _e, ...i }) => i));
    token = page.continuationToken ?? undefined;
  } while (token);
  out.Outbox = items;
  return JSON.stringify(out);
}

/** The write of one open, never-removed task with its stars (3★ unless told), as a sync writes it. */
export function openTask(
  t: LedgerTask & { id: string },
  stars: 3 | 4 | 5 = 3,
): Parameters<typeof writeTasks>[2][number] {
  return {
    next: { task: t, stars, closed: false, closedOn: null, closeNote: null, removed: false, removedOn: null },
    etag: null,
  };
}

/** Ledger `L` with one open 3★ task, Q1, led by 县财政局: its Q1 prompt is due on 17 March 2026 (R15: W−10). */
export async function seedQuarterlyTask(storage: Storage): Promise<void> {
  await writeTasks(storage, 'L', [openTask(task('Q1', { leadUnit: '县财政局' }))]);
  await putLedger(storage, {
    ledgerId: 'L',
    year: 2026,
    syncedAt: new Date().toISOString(),
    by: 't',
    tasks: 1,
  });
}

/** A command's standard output and error, collected line by line (the `duban` commands' Io). */
export function io() {
  const o = { out: '', err: '' };
  return {
    o,
    io: { out: (t: string) => void (o.out += t + '\n'), err: (t: string) => void (o.err += t + '\n') },
  };
}
