// The four prompt channels behind one call. Each channel has a stable id (kind + a hash of its
// address) so that a retry only re-sends through the channels that have not delivered yet, and a
// label for people that never shows a robot's access token.
import { createHash } from 'node:crypto';
import { ChannelSchema, type Channel } from '../../../shared/api.js';
import type { PromptMessage } from '../message.js';
import type { ChannelsConfig } from './config.js';
import { ChannelError } from './config.js';
import { sendEmail } from './email.js';
import { sendWecom } from './wecom.js';
import { sendDingtalk } from './dingtalk.js';
import { sendWebhook } from './webhook.js';
import { checkChannelUrl, ChannelPolicyError } from './policy.js';
import { issueLines } from '../../zodMessages.js';

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
    default:
      throw new ChannelError(`未知的渠道类型：${String((channel as { kind?: unknown }).kind)}`);
  }
}

export type CheckedChannel =
  | { ok: true; channel: Channel; id: string; label: string }
  | { ok: false; id: string; label: string; error: string };

/**
 * Stored channels are checked again before use: a malformed one, or one whose address the policy
 * refuses (a channel stored before the policy, or a setting narrowed since), fails visibly instead
 * of passing for sent, and is not retried: the office must fix it.
 */
export function checkChannel(raw: unknown, config?: Pick<ChannelsConfig, 'network'>): CheckedChannel {
  const parsed = ChannelSchema.safeParse(raw);
  if (parsed.success) {
    const id = channelId(parsed.data);
    const label = channelLabel(parsed.data);
    const refused = channelPolicyProblem(parsed.data, config);
    if (refused) return { ok: false, id, label, error: `渠道地址已拒绝：${refused}，请在单位设置中修改` };
    return { ok: true, channel: parsed.data, id, label };
  }
  const kind = (raw as { kind?: unknown } | null)?.kind;
  return {
    ok: false,
    id: `invalid:${createHash('sha256')
      .update(JSON.stringify(raw) ?? '')
      .digest('hex')
      .slice(0, 16)}`,
    label: `无效渠道${typeof kind === 'string' ? ` ${kind.slice(0, 20)}` : ''}`,
    error: `渠道配置无效（${issueLines(parsed.error, { field: '', whole: '渠道' })}），请在单位设置中修改`,
  };
}

/** Why the policy refuses the channel's address (no network needed), or null. */
export function channelPolicyProblem(
  channel: Channel,
  config?: Pick<ChannelsConfig, 'network'>,
): string | null {
  if (channel.kind === 'email') return null;
  try {
    checkChannelUrl(channel.kind, channel.url, config?.network);
    return null;
  } catch (e) {
    if (e instanceof ChannelPolicyError) return e.message;
    throw e;
  }
}
