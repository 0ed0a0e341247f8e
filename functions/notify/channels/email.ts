// Email over SMTP (nodemailer). The server comes from DUBAN_SMTP_URL (`smtp://user:pass@host:port`);
// every phase of the SMTP conversation has the channel timeout.
import nodemailer from 'nodemailer';
import type { PromptMessage } from '../message.js';
import { ChannelError, type ChannelsConfig } from './config.js';

export interface Mailer {
  send(to: string, message: PromptMessage): Promise<string>;
  close(): void;
}

/**
 * A delivery run's connection to the SMTP server: up to `connections` sessions kept open and reused
 * for the run's messages (a login per connection, not per message), closed with the run.
 */
export function openMailer(config: ChannelsConfig, connections = 1): Mailer {
  if (!config.smtpUrl)
    return {
      send: async () => {
        throw new ChannelError('未配置邮件服务器（DUBAN_SMTP_URL），无法发送邮件');
      },
      close: () => {},
    };
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: connections > 1,
    maxConnections: connections,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    dnsTimeout: config.timeoutMs,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    send: async (to, message) => {
      try {
        const info = await transport.sendMail({
          from: config.mailFrom ?? 'duban@localhost',
          to,
          subject: message.title,
          text: message.text,
          html: message.html,
        });
        const rejected = (info.rejected ?? []).map(String);
        if (rejected.length > 0) throw new ChannelError(`邮件服务器拒收：${rejected.join('、')}`);
        return String(info.messageId ?? '已发送');
      } catch (e) {
        throw e instanceof ChannelError ? e : new ChannelError(`邮件发送失败：${describeMailError(e)}`);
      }
    },
    close: () => transport.close(),
  };
}

export async function sendEmail(to: string, message: PromptMessage, config: ChannelsConfig): Promise<string> {
  const mailer = openMailer(config);
  try {
    return await mailer.send(to, message);
  } finally {
    mailer.close();
  }
}

/**
 * A fixed Chinese reason for a failed send: the SMTP server's own reply (its host, its text) is never
 * kept, since the outbox and its answers show the reason to every key holder.
 */
export function describeMailError(e: unknown): string {
  const err = e as { code?: string; responseCode?: number; name?: string } | null;
  if (err?.name === 'TimeoutError' || err?.code === 'ETIMEDOUT') return '连接邮件服务器超时';
  if (err?.code === 'EAUTH') return '邮件服务器拒绝登录（账户或密码不正确）';
  if (err?.code === 'EENVELOPE') return '邮件服务器拒收该收件地址';
  if (err?.code === 'ECONNECTION' || err?.code === 'ECONNREFUSED' || err?.code === 'ESOCKET')
    return '无法连接邮件服务器';
  if (err?.code === 'EDNS' || err?.code === 'ENOTFOUND') return '找不到邮件服务器（域名无法解析）';
  if (err?.code === 'ETLS') return '与邮件服务器的加密连接失败';
  if (typeof err?.responseCode === 'number') return `邮件服务器返回错误代码 ${err.responseCode}`;
  return '邮件服务器未能接收该邮件';
}
