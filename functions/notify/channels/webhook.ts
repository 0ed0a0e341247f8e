// A generic JSON webhook, e.g. the county's SMS gateway: POST `{ phone, text, unit, items }`;
// any 2xx is delivered. The gateway decides how to fit the text into SMS.
import type { PromptMessage } from '../message.js';
import { ChannelError, type ChannelsConfig } from './config.js';
import { postJson, statusMessage } from './http.js';

export interface WebhookPayload {
  phone: string | null;
  title: string;
  text: string;
  unit: string;
  items: {
    taskId: string;
    no: string | null;
    title: string;
    period: string;
    reason: string;
    feedbackDue: string;
    feedbackUrl: string;
  }[];
}

export function webhookPayload(message: PromptMessage, phone: string | undefined): WebhookPayload {
  return {
    phone: phone ?? null,
    title: message.title,
    text: message.sms,
    unit: message.unit,
    items: message.items.map((it) => ({
      taskId: it.taskId,
      no: it.taskNo,
      title: it.taskTitle,
      period: it.period,
      reason: it.reason,
      feedbackDue: it.feedbackDue,
      feedbackUrl: it.feedbackUrl,
    })),
  };
}

export async function sendWebhook(
  channel: { url: string; phone?: string },
  message: PromptMessage,
  config: ChannelsConfig,
): Promise<string> {
  const res = await postJson(
    'webhook',
    channel.url,
    webhookPayload(message, channel.phone),
    config.timeoutMs,
    '短信网关',
    config.network,
  );
  if (res.status < 200 || res.status >= 300) {
    throw new ChannelError(`短信网关返回 HTTP ${res.status}：${statusMessage(res.status)}`);
  }
  return `HTTP ${res.status}`;
}
