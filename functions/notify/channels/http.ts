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
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new ChannelError(`${what}无法连接：${describeError(e)}`);
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
