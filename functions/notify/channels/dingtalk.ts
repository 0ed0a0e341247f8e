// DingTalk (钉钉) custom robot. With 加签 security the URL gets `timestamp` (ms) and `sign` =
// urlencode(base64(HMAC-SHA256(key = secret, data = `${timestamp}\n${secret}`))); the service refuses
// a timestamp more than an hour off. Message: `{ msgtype: 'markdown', markdown: { title, text } }`,
// success is `errcode: 0`.
import { createHmac } from 'node:crypto';
import type { PromptMessage } from '../message.js';
import { splitMarkdown } from '../message.js';
import type { ChannelsConfig } from './config.js';
import { checkErrcode, postJson } from './http.js';

/** Kept well below what the robot accepts, so that long lists go out in parts rather than fail. */
export const DINGTALK_MAX_BYTES = 15_000;

export function dingtalkSign(timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

export function signedDingtalkUrl(url: string, secret: string | undefined, now: number): string {
  if (!secret) return url;
  const u = new URL(url);
  u.searchParams.set('timestamp', String(now));
  u.searchParams.set('sign', dingtalkSign(now, secret));
  return u.toString();
}

/** The markdown parts a prompt goes out in (one unless it is over DINGTALK_MAX_BYTES). */
export function dingtalkParts(message: PromptMessage): string[] {
  return splitMarkdown(message, DINGTALK_MAX_BYTES);
}

/** Posts one part; resolves when the robot accepted it (errcode 0). */
export async function sendDingtalkPart(
  channel: { url: string; secret?: string },
  title: string,
  text: string,
  config: ChannelsConfig,
): Promise<void> {
  // Signed per request: the timestamp must be the request's own.
  const url = signedDingtalkUrl(channel.url, channel.secret, Date.now());
  const res = await postJson(
    'dingtalk',
    url,
    { msgtype: 'markdown', markdown: { title, text } },
    config.timeoutMs,
    '钉钉机器人',
    config.network,
  );
  checkErrcode(res, '钉钉机器人');
}

export async function sendDingtalk(
  channel: { url: string; secret?: string },
  message: PromptMessage,
  config: ChannelsConfig,
): Promise<string> {
  const parts = dingtalkParts(message);
  for (const text of parts) await sendDingtalkPart(channel, message.title, text, config);
  return parts.length > 1 ? `已分${parts.length}条发送` : '已发送';
}
