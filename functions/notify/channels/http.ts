// JSON over HTTP(S) with a timeout, shared by the robot and webhook channels. The connection goes to
// the address the policy checked (policy.ts), never to a second DNS answer; a redirect is not followed;
// the answer's body is read (bounded) only to find a robot's errcode and is never stored or echoed:
// failures are a status and a fixed Chinese message.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { ChannelError, RobotBusyError } from './config.js';
import { ChannelPolicyError, resolveChannelTarget, type ChannelNetwork } from './policy.js';

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** A robot answers with a few hundred bytes; more than this is not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** Fixed wording for the statuses people meet; never the answer's text. */
export function statusMessage(status: number): string {
  if (status === 400) return '请求被拒绝';
  if (status === 401 || status === 403) return '无权访问，请检查地址中的密钥';
  if (status === 404) return '地址不存在，请检查网址';
  if (status === 413) return '消息过长';
  if (status === 429) return '发送过于频繁';
  if (status >= 500) return '对方服务故障';
  return '未能送达';
}

/** Socket and TLS failures as fixed Chinese words (no addresses or ports: they would map a network). */
export function networkMessage(e: unknown): string {
  const err = e as { name?: string; code?: string; cause?: { code?: string } } | null;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return '请求超时';
  const code = String(err?.code ?? err?.cause?.code ?? '');
  if (code === 'ECONNREFUSED') return '连接被拒绝';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return '域名无法解析';
  if (code === 'ETIMEDOUT' || code === 'ABORT_ERR') return '请求超时';
  if (code === 'ECONNRESET' || code === 'EPIPE') return '连接被中断';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return '网络不可达';
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return '证书校验失败';
  return '网络错误';
}

function readBounded(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_ANSWER_BYTES) chunks.push(c);
      else res.destroy();
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

export async function postJson(
  kind: 'wecom' | 'dingtalk' | 'webhook',
  url: string,
  payload: unknown,
  timeoutMs: number,
  what: string,
  net: ChannelNetwork = {},
): Promise<JsonResponse> {
  let target: Awaited<ReturnType<typeof resolveChannelTarget>>;
  try {
    target = await resolveChannelTarget(kind, url, net);
  } catch (e) {
    if (e instanceof ChannelPolicyError) throw new ChannelError(`${what}地址已拒绝：${e.message}`);
    throw e;
  }
  const { url: u, address } = target;
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const auth =
    u.username || u.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`
      : undefined;
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  let res: { status: number; text: string };
  try {
    res = await new Promise((resolve, reject) => {
      const req = send(
        {
          // The checked address, not the name: the certificate is still checked against the name.
          host: address.address,
          family: address.family,
          port: u.port || undefined,
          path: `${u.pathname}${u.search}`,
          method: 'POST',
          ...(u.protocol === 'https:' && isIP(hostname) === 0 ? { servername: hostname } : {}),
          headers: {
            host: u.host,
            'content-type': 'application/json; charset=utf-8',
            'content-length': String(body.length),
            ...(auth ? { authorization: auth } : {}),
          },
          agent: false,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (r) => {
          readBounded(r).then((text) => resolve({ status: r.statusCode ?? 0, text }), reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  } catch (e) {
    throw new ChannelError(`${what}无法连接：${networkMessage(e)}`);
  }
  if (res.status >= 300 && res.status < 400) {
    throw new ChannelError(`${what}返回重定向 HTTP ${res.status}，未跟随：请填写最终地址`);
  }
  let parsed: unknown = undefined;
  try {
    parsed = res.text ? JSON.parse(res.text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed };
}

/** What the robots' own error codes mean; any other code is named by its number only. */
const ROBOT_ERRCODES: Record<number, string> = {
  93000: '机器人地址无效或已被删除',
  310000: '签名不符、关键词或 IP 不在机器人的安全设置内（请检查加签密钥）',
  300001: '机器人地址中的 access_token 无效',
  45009: '发送过于频繁',
  130101: '发送过于频繁',
  40058: '消息格式不被接受',
};

/** "Too many messages": WeCom 45009, DingTalk 130101. */
const BUSY_ERRCODES = new Set([45009, 130101]);

/** The robots answer 200 with `{ errcode, errmsg }`; anything but errcode 0 is a failure. */
export function checkErrcode(res: JsonResponse, what: string): void {
  if (res.status < 200 || res.status >= 300) {
    const Err = res.status === 429 ? RobotBusyError : ChannelError;
    throw new Err(`${what}返回 HTTP ${res.status}：${statusMessage(res.status)}`);
  }
  const body = res.body as { errcode?: unknown } | undefined;
  if (!body || typeof body !== 'object' || body.errcode === undefined) {
    throw new ChannelError(`${what}响应无法识别：不是机器人的应答，请检查地址`);
  }
  const code = Number(body.errcode);
  if (code !== 0) {
    const known = Number.isInteger(code) ? ROBOT_ERRCODES[code] : undefined;
    const Err = BUSY_ERRCODES.has(code) ? RobotBusyError : ChannelError;
    throw new Err(`${what}拒绝：errcode ${Number.isFinite(code) ? code : '无效'}${known ? ` ${known}` : ''}`);
  }
}
