// What the channels need from the deployment: the SMTP server for email, a timeout for every call,
// and where robots and gateways may post (policy.ts).
import type { ChannelNetwork } from './policy.js';
import { channelsConfig, DEFAULT_CHANNEL_TIMEOUT_MS } from '../../config.js';

export interface ChannelsConfig {
  /** `smtp://user:pass@host:port` (or `smtps://`); email channels fail visibly when it is missing. */
  smtpUrl?: string;
  /** The sender address, e.g. `县政府督办检查室 <duban@example.gov.cn>`. */
  mailFrom?: string;
  /** Upper bound for each network call (connect, greeting, socket idle, HTTP request), in ms. */
  timeoutMs: number;
  /** Signature line at the end of each prompt. */
  office?: string;
  /** Plain-http hosts, the test-only loopback receivers and the resolver (policy.ts). */
  network?: ChannelNetwork;
}

export { DEFAULT_CHANNEL_TIMEOUT_MS };

/** The channels' configuration from the environment, as functions/config.ts reads and checks it. */
export function channelsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelsConfig {
  return channelsConfig(env);
}

/** A channel call that did not deliver; the message is Chinese and names the channel. */
export class ChannelError extends Error {
  override readonly name: string = 'ChannelError';
}

/**
 * A robot said it takes no more messages for now (HTTP 429, errcode 45009 or 130101): the message is
 * not lost, it waits for the robot's next window like one the rate limit held back.
 */
export class RobotBusyError extends ChannelError {
  override readonly name = 'RobotBusyError';
}

/** Turns fetch/abort/socket errors into one readable line. */
export function describeError(e: unknown): string {
  if (e instanceof ChannelError) return e.message;
  const err = e as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string; message?: string };
  };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return '请求超时';
  const code = err?.cause?.code ?? err?.code;
  const msg = err?.cause?.message ?? err?.message ?? String(e);
  return code && !msg.includes(code) ? `${code} ${msg}` : msg;
}
