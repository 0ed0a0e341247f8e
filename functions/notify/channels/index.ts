// The four prompt channels behind one call. Each channel has a stable id (kind + a hash of its
// address) so that a retry only re-sends through the channels that have not delivered yet, and a
// label for people that never shows a robot's access token.
import { createHash } from 'node:crypto';
import type { Channel } from '../../../shared/api.js';
import type { PromptMessage } from '../message.js';
import type { ChannelsConfig } from './config.js';
import { sendEmail } from './email.js';
import { sendWecom } from './wecom.js';
import { sendDingtalk } from './dingtalk.js';
import { sendWebhook } from './webhook.js';

export {
  channelsConfigFromEnv,
  ChannelError,
  DEFAULT_CHANNEL_TIMEOUT_MS,
  type ChannelsConfig,
} from './config.js';

export const CHANNEL_NAMES: Record<Channel['kind'], string> = {
  email: '邮件',
  wecom: '企业微信',
  dingtalk: '钉钉',
  webhook: '短信网关',
};

function address(channel: Channel): string {
  switch (channel.kind) {
    case 'email':
      return channel.to.toLowerCase();
    case 'webhook':
      return `${channel.url}|${channel.phone ?? ''}`;
    default:
      return channel.url;
  }
}

export function channelId(channel: Channel): string {
  return `${channel.kind}:${createHash('sha256').update(address(channel)).digest('hex').slice(0, 16)}`;
}

/** 邮件 a@b.cn, 企业微信 qyapi.weixin.qq.com, ... (hosts only: robot URLs carry their keys). */
export function channelLabel(channel: Channel): string {
  if (channel.kind === 'email') return `${CHANNEL_NAMES.email} ${channel.to}`;
  let host = '';
  try {
    host = new URL(channel.url).host;
  } catch {
    host = '地址无效';
  }
  const phone = channel.kind === 'webhook' && channel.phone ? ` ${channel.phone}` : '';
  return `${CHANNEL_NAMES[channel.kind]} ${host}${phone}`;
}

/** Sends one prompt through one channel; resolves with a short receipt, rejects with a ChannelError. */
export async function sendThroughChannel(
  channel: Channel,
  message: PromptMessage,
  config: ChannelsConfig,
): Promise<string> {
  switch (channel.kind) {
    case 'email':
      return sendEmail(channel.to, message, config);
    case 'wecom':
      return sendWecom(channel.url, message, config);
    case 'dingtalk':
      return sendDingtalk(channel, message, config);
    case 'webhook':
      return sendWebhook(channel, message, config);
  }
}
