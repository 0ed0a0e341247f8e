// Email over SMTP (nodemailer). The server comes from DUBAN_SMTP_URL (`smtp://user:pass@host:port`);
// every phase of the SMTP conversation has the channel timeout.
import nodemailer from 'nodemailer';
import type { PromptMessage } from '../message.js';
import { ChannelError, describeError, type ChannelsConfig } from './config.js';

export async function sendEmail(to: string, message: PromptMessage, config: ChannelsConfig): Promise<string> {
  if (!config.smtpUrl) throw new ChannelError('未配置邮件服务器（DUBAN_SMTP_URL），无法发送邮件');
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    dnsTimeout: config.timeoutMs,
  });
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
    throw e instanceof ChannelError ? e : new ChannelError(`邮件发送失败：${describeError(e)}`);
  } finally {
    transport.close();
  }
}
