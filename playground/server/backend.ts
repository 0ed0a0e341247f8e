// The playground's backend: the product's functions (the same registry, the same handlers) on the dev
// host, started only with the playground flag, on local storage (Azurite) under a table prefix of its
// own, with the visitor's clock, a reset, a "morning" button (the daily run and a delivery for the
// visitor's day) and the units' side (loopback mail server and robots, see receivers.ts).
import { randomBytes } from 'node:crypto';
import { TableServiceClient } from '@azure/data-tables';
import { z } from 'zod';
import { chinaToday } from '../../shared/dates.js';
import { IsoDateSchema, type IsoDate } from '../../shared/model.js';
import type { Channel } from '../../shared/api.js';
import { startDevHost, type DevHost } from '../../functions/devhost.js';
import { FUNCTIONS, type FunctionEntry, type HttpFunction } from '../../functions/registry.js';
import { api } from '../../functions/http/adapter.js';
import { ApiError } from '../../functions/errors.js';
import { configureRuntime, runtimeEnv, runtimeStorage } from '../../functions/runtime/index.js';
import { runtimeOutbox } from '../../functions/runtime/outbox.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { runDelivery } from '../../functions/timers/delivery.js';
import { getUnitContacts, putUnitContacts } from '../../functions/storage/index.js';
import { isLocalTableStorage } from '../../functions/storage/local.js';
import { addressOfUnit, startReceivers, type InboxMessage, type Receivers } from './receivers.js';

/** The flag a backend must be started with to answer the playground's calls. */
export const PLAYGROUND_FLAG = 'DUBAN_PLAYGROUND';
/** Every playground table name starts with this; a production prefix (default `duban`) never does. */
export const PLAYGROUND_PREFIX = 'playground';

/**
 * Refuses to run the playground anywhere but on local storage under a playground prefix: the page
 * resets and rewinds its data, which must never be an office's real ledger history.
 */
export function assertPlaygroundStorage(connectionString: string, prefix: string): void {
  if (!isLocalTableStorage(connectionString))
    throw new Error('练习场只能使用本机存储（Azurite），不能连接正式的 Azure 存储：请检查 DUBAN_STORAGE。');
  if (!prefix.toLowerCase().startsWith(PLAYGROUND_PREFIX))
    throw new Error(`练习场的表名前缀须以 ${PLAYGROUND_PREFIX} 开头（现为 ${prefix}），以免碰到正式数据。`);
}

export interface PlaygroundBackendOptions {
  /** An Azurite connection string (anything else is refused). */
  storage: string;
  /** Table prefix base (default `playground`); each reset adds a fresh generation to it. */
  prefix?: string;
  /** Port of the functions (default 0: any free loopback port). */
  port?: number;
  /** The function key the playground page uses (default: a fresh random one). */
  key?: string;
  /** Where the units' pages are reached, e.g. https://localhost:3000/playground (feedback links). */
  publicUrl: string;
  /** The visitor's first "today" (default: today in Beijing). */
  today?: IsoDate;
  log?: (line: string) => void;
}

export interface PlaygroundBackend {
  host: DevHost;
  /** The API base, ending in /api. */
  url: string;
  key: string;
  today(): IsoDate;
  prefix(): string;
  receivers: Receivers;
  close(): Promise<void>;
}

/** The visitor's morning: 09:00 in Beijing, after the 08:00 daily run (R22). */
const MORNING_UTC_HOUR = 1;

/** Each unit gets email and one robot or SMS, so every kind of prompt appears in the playground. */
function channelsFor(unit: string, base: string): Channel[] {
  const kinds = ['wecom', 'dingtalk', 'sms'] as const;
  let h = 0;
  for (const ch of unit) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  const kind = kinds[h % kinds.length]!;
  const path = `${base}/${kind}/${encodeURIComponent(unit)}`;
  const second: Channel =
    kind === 'wecom'
      ? { kind: 'wecom', url: path }
      : kind === 'dingtalk'
        ? { kind: 'dingtalk', url: path }
        : { kind: 'webhook', url: path, phone: `1380000${String(h % 10000).padStart(4, '0')}` };
  return [{ kind: 'email', to: addressOfUnit(unit) }, second];
}

export async function startPlaygroundBackend(opts: PlaygroundBackendOptions): Promise<PlaygroundBackend> {
  const base = opts.prefix ?? PLAYGROUND_PREFIX;
  assertPlaygroundStorage(opts.storage, base);
  const key = opts.key ?? randomBytes(24).toString('base64url');
  const log = opts.log ?? (() => undefined);
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const setToday = (day: IsoDate) => {
    offsetMs = Date.parse(`${day}T0${MORNING_UTC_HOUR}:00:00Z`) - Date.now();
  };
  const firstDay = opts.today ?? chinaToday(new Date());
  setToday(firstDay);
  const receivers = await startReceivers(now);
  let generation = 0;
  const prefixOf = (g: number) => `${base}${Date.now().toString(36)}${g}`;
  let prefix = prefixOf(generation);

  /** Every playground call checks the flag again: a production host never answers them. */
  const guard = () => {
    const env = runtimeEnv();
    if (env[PLAYGROUND_FLAG] !== '1')
      throw new ApiError(404, 'not_found', '此后台不是练习场后台（未以练习场方式启动）');
    assertPlaygroundStorage(env.DUBAN_STORAGE ?? '', env.DUBAN_TABLE_PREFIX ?? '');
    return env;
  };
  const state = () => ({
    playground: true,
    today: chinaToday(now()),
    prefix,
    messages: receivers.messages.length,
  });

  const route = (name: string, path: string, method: 'GET' | 'POST', handler: HttpFunction['handler']) =>
    ({ name, kind: 'http', route: path, methods: [method, 'OPTIONS'], auth: 'key', handler }) as HttpFunction;

  const playgroundFunctions: FunctionEntry[] = [
    route(
      'playgroundState',
      'playground',
      'GET',
      api({}, async () => {
        guard();
        return { body: state() };
      }),
    ),
    route(
      'playgroundClock',
      'playground/clock',
      'POST',
      api({}, async (call) => {
        guard();
        const { today } = await call.body(z.object({ today: IsoDateSchema }));
        setToday(today);
        log(`练习场：今天是 ${today}`);
        return { body: state() };
      }),
    ),
    route(
      'playgroundMorning',
      'playground/morning',
      'POST',
      api({}, async () => {
        const env = guard();
        const storage = await runtimeStorage(env);
        const on = chinaToday(now());
        const before = receivers.messages.length;
        const daily = await runDaily({ on, storage, now: now(), env, log });
        // The units of this ledger get their playground channels the first time they are prompted
        // (whatever ledger the visitor opened), so no prompt fails for want of a contact.
        const queued = await runtimeOutbox(env).listOutbox({ status: 'queued', limit: 1000 });
        for (const unit of new Set(queued.items.map((i) => i.unit))) {
          if (!(await getUnitContacts(storage, unit)))
            await putUnitContacts(storage, unit, { channels: channelsFor(unit, receivers.httpBase) }, null);
        }
        const delivery = await runDelivery({ now: now(), env, log });
        return {
          body: {
            ...state(),
            daily: { from: daily.from, due: daily.due, queued: daily.queued, candidates: daily.candidates },
            delivery,
            arrived: receivers.messages.length - before,
          },
        };
      }),
    ),
    route(
      'playgroundInbox',
      'playground/inbox',
      'GET',
      api({}, async (call) => {
        guard();
        const { after } = call.query(z.object({ after: z.coerce.number().int().min(0).default(0) }));
        const messages: InboxMessage[] = receivers.messages.filter((m) => m.n > after);
        return { body: { messages } };
      }),
    ),
    route(
      'playgroundReset',
      'playground/reset',
      'POST',
      api({}, async (call) => {
        const env = guard();
        const { today } = await call.body(z.object({ today: IsoDateSchema.optional() }));
        const old = prefix;
        generation++;
        prefix = prefixOf(generation);
        configureRuntime({ env: { DUBAN_TABLE_PREFIX: prefix } });
        receivers.clear();
        setToday(today ?? firstDay);
        void dropTables(env.DUBAN_STORAGE ?? '', old).catch((e: unknown) =>
          log(`练习场：旧数据未能删除：${String(e)}`),
        );
        return { body: state() };
      }),
    ),
  ];

  const host = await startDevHost({
    port: opts.port ?? 0,
    host: '127.0.0.1',
    timers: false,
    now,
    log,
    functions: [...FUNCTIONS, ...playgroundFunctions],
    env: {
      [PLAYGROUND_FLAG]: '1',
      DUBAN_STORAGE: opts.storage,
      DUBAN_TABLE_PREFIX: prefix,
      DUBAN_FUNCTION_KEY: key,
      DUBAN_LINK_SECRET: randomBytes(32).toString('base64url'),
      DUBAN_PUBLIC_URL: opts.publicUrl,
      DUBAN_SMTP_URL: receivers.smtpUrl,
      // The receivers are on loopback: the channel policy allows them only in a playground backend.
      DUBAN_PLAYGROUND_RECEIVERS: new URL(receivers.httpBase).host,
      DUBAN_MAIL_FROM: '县政府督办检查室（练习场） <duban@duban-playground.test>',
      DUBAN_OFFICE_NAME: '县政府督办检查室（练习场）',
    },
  });
  return {
    host,
    url: host.url.replace(/\/$/, ''),
    key,
    today: () => chinaToday(now()),
    prefix: () => prefix,
    receivers,
    close: async () => {
      await host.close();
      await receivers.close();
    },
  };
}

/** Removes the tables of an earlier playground generation (after a reset). */
async function dropTables(connectionString: string, prefix: string): Promise<void> {
  const service = TableServiceClient.fromConnectionString(connectionString, {
    allowInsecureConnection: true,
  });
  for await (const t of service.listTables()) {
    if (t.name?.startsWith(prefix)) await service.deleteTable(t.name);
  }
}
