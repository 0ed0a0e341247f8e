// What the channels need from the deployment: the SMTP server for email and a timeout for every call.
export interface ChannelsConfig {
  /** `smtp://user:pass@host:port` (or `smtps://`); email channels fail visibly when it is missing. */
  smtpUrl?: string;
  /** The sender address, e.g. `县政府督办检查室 <duban@example.gov.cn>`. */
  mailFrom?: string;
  /** Upper bound for each network call (connect, greeting, socket idle, HTTP request), in ms. */
  timeoutMs: number;
  /** Signature line at the end of each prompt. */
  office?: string;
}

export const DEFAULT_CHANNEL_TIMEOUT_MS = 15_000;

/** Reads DUBAN_SMTP_URL, DUBAN_MAIL_FROM, DUBAN_CHANNEL_TIMEOUT_MS and DUBAN_OFFICE_NAME. */
export function channelsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelsConfig {
  const timeout = Number(env.DUBAN_CHANNEL_TIMEOUT_MS);
  return {
    smtpUrl: env.DUBAN_SMTP_URL || undefined,
    mailFrom: env.DUBAN_MAIL_FROM || undefined,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_CHANNEL_TIMEOUT_MS,
    office: env.DUBAN_OFFICE_NAME || undefined,
  };
}

/** A channel call that did not deliver; the message is Chinese and names the channel. */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
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
