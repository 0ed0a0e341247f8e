// JSON over HTTP with a timeout, shared by the robot and webhook channels.
import { ChannelError, describeError } from './config.js';

export interface JsonResponse {
  status: number;
  body: unknown;
  text: string;
}

export async function postJson(
  url: string,
  payload: unknown,
  timeoutMs: number,
  what: string,
): Promise<JsonResponse> {
  // A robot or gateway address is set by a key holder; it must not reach the Function App's own
  // link-local services (the cloud's instance metadata at 169.254.169.254), and a redirect is not
  // followed (the robots never redirect; a redirect could point anywhere).
  if (isLinkLocal(url)) throw new ChannelError(`${what}地址指向本机链路地址，已拒绝：${new URL(url).host}`);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
  } catch (e) {
    throw new ChannelError(`${what}无法连接：${describeError(e)}`);
  }
  if (res.status >= 300 && res.status < 400) {
    throw new ChannelError(`${what}返回重定向 HTTP ${res.status}，未跟随：请填写最终地址`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new ChannelError(`${what}响应读取失败：${describeError(e)}`);
  }
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

/** A URL whose host is a link-local address (IPv4 169.254.0.0/16, IPv6 fe80::/10). */
export function isLinkLocal(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  return /^169\.254\.\d{1,3}\.\d{1,3}$/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host);
}

/** The robots answer 200 with `{ errcode, errmsg }`; anything but errcode 0 is a failure. */
export function checkErrcode(res: JsonResponse, what: string): void {
  if (res.status < 200 || res.status >= 300) {
    throw new ChannelError(`${what}返回 HTTP ${res.status}${res.text ? `：${res.text.slice(0, 200)}` : ''}`);
  }
  const body = res.body as { errcode?: unknown; errmsg?: unknown } | undefined;
  if (!body || typeof body !== 'object' || body.errcode === undefined) {
    throw new ChannelError(`${what}响应无法识别：${res.text.slice(0, 200)}`);
  }
  if (Number(body.errcode) !== 0) {
    throw new ChannelError(
      `${what}拒绝：errcode ${String(body.errcode)} ${String(body.errmsg ?? '')}`.trim(),
    );
  }
}
