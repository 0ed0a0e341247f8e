// Real services on loopback for the channel tests: an SMTP server (smtp-server) that keeps every
// message it accepts, and an HTTP receiver that answers like a WeCom/DingTalk robot or an SMS
// gateway, can be taken down and brought back on the same port, and keeps what arrived.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  parsed: ParsedMail;
}

export interface RunningSmtp {
  port: number;
  url: string;
  mails: ReceivedMail[];
  stop(): Promise<void>;
}

/** An SMTP server requiring login `duban`/`pa55word` (over plain TCP: loopback only). */
export async function startSmtp(): Promise<RunningSmtp> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    // No reverse DNS lookup of the client: it would send a query off loopback, and wait for it.
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'duban' && auth.password === 'pa55word')
        return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            parsed,
          });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://duban:pa55word@127.0.0.1:${port}`,
    mails,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** Set by the DingTalk receiver: whether `sign` matched `timestamp` and the secret. */
  signatureOk?: boolean;
  /** When it arrived, on the receiver's clock (`RunningReceiver.clock`). */
  at: number;
}

/**
 * How the receiver answers: like a robot (errcode 0), an HTTP error, a robot error, a robot saying
 * "too many messages" (errcode 45009), or never.
 */
export type ReceiverMode = 'ok' | 'http500' | 'errcode' | 'busy' | 'hang';

export interface RunningReceiver {
  port: number;
  url(path: string): string;
  requests: ReceivedRequest[];
  mode: ReceiverMode;
  /** Secrets of DingTalk robots by path: requests to those paths are verified like DingTalk does. */
  dingtalkSecrets: Map<string, string>;
  /** The clock arrivals are stamped with (`ReceivedRequest.at`): the wall clock, or a test's injected one. */
  clock: () => number;
  /** Stops listening (connections refused) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

function verifyDingtalk(query: URLSearchParams, secret: string, nowMs: number): boolean {
  const timestamp = query.get('timestamp');
  const sign = query.get('sign');
  if (!timestamp || !sign || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowMs - Number(timestamp)) > 3_600_000) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest();
  const given = Buffer.from(sign, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startReceiver(): Promise<RunningReceiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let port = 0;
  let server: Server | undefined;

  const receiver: RunningReceiver = {
    port: 0,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    mode: 'ok',
    dingtalkSecrets: new Map(),
    clock: () => Date.now(),
    down: async () => {
      const s = server;
      server = undefined;
      if (!s) return;
      for (const res of hanging) res.destroy();
      hanging.clear();
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    up: async () => {
      if (server) return;
      server = createServer(handle);
      const s = server;
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
      port = (s.address() as AddressInfo).port;
      receiver.port = port;
    },
    stop: () => receiver.down(),
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      const record: ReceivedRequest = {
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        at: receiver.clock(),
      };
      const secret = receiver.dingtalkSecrets.get(url.pathname);
      if (secret !== undefined) record.signatureOk = verifyDingtalk(url.searchParams, secret, Date.now());
      if (receiver.mode === 'hang') {
        hanging.add(res);
        return;
      }
      requests.push(record);
      if (receiver.mode === 'http500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('gateway down');
        return;
      }
      if (record.signatureOk === false) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errcode: 310000, errmsg: 'sign not match' }));
        return;
      }
      const answer =
        receiver.mode === 'errcode'
          ? { errcode: 93000, errmsg: 'invalid webhook url' }
          : receiver.mode === 'busy'
            ? { errcode: 45009, errmsg: 'api freq out of limit' }
            : { errcode: 0, errmsg: 'ok' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  }

  await receiver.up();
  return receiver;
}

/**
 * The test-only allow-list that lets channels post to these loopback receivers (they stand in for
 * the robots and gateways): as a ChannelsConfig network, and as the environment setting.
 */
export function loopbackNetwork(...receivers: { port: number }[]): { testLoopback: string[] } {
  return { testLoopback: receivers.map((r) => `127.0.0.1:${r.port}`) };
}
export function loopbackEnv(...receivers: { port: number }[]): { DUBAN_TEST_LOOPBACK_CHANNELS: string } {
  return { DUBAN_TEST_LOOPBACK_CHANNELS: loopbackNetwork(...receivers).testLoopback.join(',') };
}
