// The units' side of the playground: a real SMTP server and an HTTP receiver on loopback that answer
// like a mail server, a WeCom/DingTalk robot and an SMS gateway. The delivery timer sends to them
// through the product's own channels, and the playground shows what arrived (the 外发提示 panel).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export type InboxChannel = 'email' | 'wecom' | 'dingtalk' | 'sms';

/** One message as a unit receives it. */
export interface InboxMessage {
  n: number;
  channel: InboxChannel;
  unit: string;
  to: string;
  at: string;
  subject: string;
  text: string;
}

export interface Receivers {
  smtpUrl: string;
  /** Where a unit's robot/gateway posts: `${httpBase}/wecom/<unit>` etc. */
  httpBase: string;
  messages: InboxMessage[];
  clear(): void;
  close(): Promise<void>;
}

const MAX_MESSAGES = 2000;
export const MAIL_DOMAIN = 'units.duban-playground.test';

/** A unit's playground mailbox: its name in UTF-8 hex (an address's local part is ASCII). */
export function addressOfUnit(unit: string): string {
  return `u${Buffer.from(unit, 'utf8').toString('hex')}@${MAIL_DOMAIN}`;
}
function unitOfAddress(address: string): string {
  const m = /^u([0-9a-f]+)@/i.exec(address);
  return m ? Buffer.from(m[1]!, 'hex').toString('utf8') : address;
}
const MAX_BODY = 256 * 1024;

export async function startReceivers(now: () => Date): Promise<Receivers> {
  const messages: InboxMessage[] = [];
  let n = 0;
  const keep = (m: Omit<InboxMessage, 'n' | 'at'>) => {
    messages.push({ ...m, n: ++n, at: now().toISOString() });
    // A long training session must not grow the process without bound: the oldest go first.
    if (messages.length > MAX_MESSAGES) messages.splice(0, messages.length - MAX_MESSAGES);
  };

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: MAX_BODY,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          keep({
            channel: 'email',
            unit: unitOfAddress(session.envelope.rcptTo[0]?.address ?? ''),
            to: '单位邮箱',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const [, kind, rawUnit] = (req.url ?? '').split('?')[0]!.split('/');
      const unit = (() => {
        try {
          return decodeURIComponent(rawUnit ?? '');
        } catch {
          return rawUnit ?? '';
        }
      })();
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errcode: 40001, errmsg: 'invalid json' }));
        return;
      }
      const md = (body.markdown ?? {}) as { content?: string; title?: string; text?: string };
      if (kind === 'wecom')
        keep({ channel: 'wecom', unit, to: '企业微信群机器人', subject: '', text: md.content ?? '' });
      else if (kind === 'dingtalk')
        keep({ channel: 'dingtalk', unit, to: '钉钉群机器人', subject: md.title ?? '', text: md.text ?? '' });
      else if (kind === 'sms')
        keep({
          channel: 'sms',
          unit,
          to: String(body.phone ?? ''),
          subject: String(body.title ?? ''),
          text: String(body.text ?? ''),
        });
      else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errcode: 404, errmsg: 'not found' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const httpPort = (http.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    httpBase: `http://127.0.0.1:${httpPort}`,
    messages,
    clear: () => messages.splice(0, messages.length),
    close: async () => {
      http.closeAllConnections();
      await Promise.all([
        new Promise<void>((r) => http.close(() => r())),
        new Promise<void>((r) => smtp.close(() => r())),
      ]);
    },
  };
}
