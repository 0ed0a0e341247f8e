// Units answer a prompt through a signed link (no account, no function key): the link names the
// ledger, unit, task and period and an expiry date, and carries an HMAC-SHA256 of them keyed with
// env DUBAN_LINK_SECRET. Changing any part of the link breaks the signature. The link also carries the
// unit's link generation when it was signed: the office revokes a leaked link by raising the unit's
// generation (storage/links.ts), and every link signed before no longer opens.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { IsoDateSchema } from '../shared/model.js';
import { ApiError } from './errors.js';
import { linkSecret, publicUrl, type Env } from './config.js';

export interface FeedbackLink {
  ledgerId: string;
  unit: string;
  taskId: string;
  period: string;
  /** Last CST date the link is accepted (inclusive). */
  expires: string;
  /** The unit's link generation when the link was signed (0 before any revocation). */
  generation?: number;
}

const Payload = z.object({
  v: z.literal(1),
  l: z.string(),
  u: z.string(),
  t: z.string(),
  p: z.string(),
  e: IsoDateSchema,
  g: z.number().int().min(0).optional(),
});

function secretOf(env: Env): string {
  const s = linkSecret(env);
  if (!s) {
    // The server's setup, not the caller's link, is at fault (503); a unit's page names no setting.
    throw new ApiError(
      503,
      'link_secret_missing',
      '反馈链接服务尚未配置完成，暂时无法生成或验证反馈链接，请联系督查室',
      'DUBAN_LINK_SECRET 未设置或少于 16 个字符',
    );
  }
  return s;
}

const sign = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url');

export function signFeedbackToken(link: FeedbackLink, env: Env): string {
  return signWith(secretOf(env), link);
}

function signWith(secret: string, link: FeedbackLink): string {
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      l: link.ledgerId,
      u: link.unit,
      t: link.taskId,
      p: link.period,
      e: link.expires,
      ...(link.generation ? { g: link.generation } : {}),
    }),
  ).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** The link's content if the signature is right and it has not expired on `today`; 401 otherwise. */
export function verifyFeedbackToken(token: string, today: string, env: Env): FeedbackLink {
  const secret = secretOf(env);
  const [payload, mac, extra] = token.split('.');
  const bad = new ApiError(401, 'invalid_link', '反馈链接无效（签名不符），请使用提示消息中的原始链接');
  if (!payload || !mac || extra !== undefined) throw bad;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw bad;
  let parsed: z.infer<typeof Payload>;
  try {
    parsed = Payload.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw bad;
  }
  if (parsed.e < today)
    throw new ApiError(401, 'link_expired', `反馈链接已于 ${parsed.e} 过期，请联系县政府督办检查室`);
  return {
    ledgerId: parsed.l,
    unit: parsed.u,
    taskId: parsed.t,
    period: parsed.p,
    expires: parsed.e,
    generation: parsed.g ?? 0,
  };
}

export function feedbackUrl(token: string, env: Env): string {
  return `${publicUrl(env)}/api/feedback/${token}`;
}

/**
 * Signs many links with one reading of the secret and the public address (the daily run signs one a
 * prompt): `link → URL`, the same URL `feedbackUrl(signFeedbackToken(link, env), env)` gives.
 */
export function feedbackLinker(env: Env): (link: FeedbackLink) => string {
  const secret = secretOf(env);
  const base = publicUrl(env);
  return (link) => `${base}/api/feedback/${signWith(secret, link)}`;
}
