// WeCom (企业微信) group robot: POST `{ msgtype: 'markdown', markdown: { content } }` to the robot's
// webhook URL; success is `errcode: 0`. A markdown message is capped at 4096 bytes, so a long list
// goes out in numbered parts.
import type { PromptMessage } from '../message.js';
import { splitMarkdown } from '../message.js';
import type { ChannelsConfig } from './config.js';
import { checkErrcode, postJson } from './http.js';

export const WECOM_MAX_BYTES = 4096;

/** The markdown parts a prompt goes out in (one unless it is over 4,096 bytes). */
export function wecomParts(message: PromptMessage): string[] {
  return splitMarkdown(message, WECOM_MAX_BYTES);
}

/** Posts one part; resolves when the robot accepted it (errcode 0). */
export async function sendWecomPart(url: string, content: string, config: ChannelsConfig): Promise<void> {
  const res = await postJson(
    'wecom',
    url,
    { msgtype: 'markdown', markdown: { content } },
    config.timeoutMs,
    '企业微信机器人',
    config.network,
  );
  checkErrcode(res, '企业微信机器人');
}

export async function sendWecom(
  url: string,
  message: PromptMessage,
  config: ChannelsConfig,
): Promise<string> {
  const parts = wecomParts(message);
  for (const content of parts) await sendWecomPart(url, content, config);
  return parts.length > 1 ? `已分${parts.length}条发送` : '已发送';
}
