// What a post to a unit's link answers: JSON exactly (the link's own task), or the feedback page's own
// form with its anti-forgery token (the link's task first, then any other task of the same message
// the page carried, each proved by its own signed token); any other content type is 415.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { FeedbackRequestSchema } from '../../shared/api.js';
import { cleanDeep } from '../../shared/text.js';
import { linkSecret } from '../config.js';
import { ApiError } from '../errors.js';
import { verifyFeedbackToken, type FeedbackLink } from '../feedbackLink.js';
import { linkHash } from '../storage/links.js';
import { validate, type ApiCall } from './adapter.js';

/** The largest form post the unit's page can make (every task of a message, each answer at its longest). */
const MAX_FORM_BYTES = 512 * 1024;
/** How long the page's anti-forgery token stays valid. */
const FORM_TOKEN_TTL_MS = 24 * 3_600_000;

/** The key of the page's anti-forgery tokens: the links' own, kept apart by its prefix. */
export function formSecret(call: ApiCall): string {
  return `form|${linkSecret(call.env) ?? ''}`;
}

/** `<issued ms>.<HMAC(link, issued)>`: only a page this server rendered for this link has it. */
export function formToken(token: string, issuedMs: number, secret: string): string {
  const mac = createHmac('sha256', secret)
    .update(`${linkHash(token)}|${issuedMs}`)
    .digest('base64url');
  return `${issuedMs}.${mac}`;
}

function formTokenValid(given: string, token: string, nowMs: number, secret: string): boolean {
  const [issued, mac] = given.split('.');
  const ms = Number(issued);
  if (!mac || !Number.isSafeInteger(ms) || ms > nowMs + 60_000 || nowMs - ms > FORM_TOKEN_TTL_MS)
    return false;
  const expected = Buffer.from(formToken(token, ms, secret));
  const got = Buffer.from(given);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

export type FeedbackBody = ReturnType<typeof FeedbackRequestSchema.parse>;

/** Whether the post comes from the page (a form: answered with a page) rather than a program. */
export const isFormPost = (call: ApiCall) =>
  (call.req.headers.get('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

/** The answers a post carries, each with the link that proves it may answer that task. */
export async function postedAnswers(
  call: ApiCall,
  link: FeedbackLink,
): Promise<{ link: FeedbackLink; body: FeedbackBody }[]> {
  const type = (call.req.headers.get('content-type') ?? '').toLowerCase();
  const media = type.split(';')[0]!.trim();
  const params = type
    .split(';')
    .slice(1)
    .map((p) => p.trim())
    .filter(Boolean);
  const charsetOk = params.every((p) => /^charset="?utf-8"?$/.test(p));
  if (media === 'application/json' && charsetOk)
    return [{ link, body: await call.body(FeedbackRequestSchema) }];
  if (media !== 'application/x-www-form-urlencoded' || !charsetOk)
    throw new ApiError(
      415,
      'unsupported_media_type',
      '只接受 JSON（Content-Type: application/json）或反馈页面的表单提交',
    );
  // The declared length is checked before the body is read, so an oversized post is never kept.
  const declared = Number(call.req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES)
    throw new ApiError(413, 'body_too_large', '提交内容过长');
  const raw = Buffer.from(await call.req.arrayBuffer());
  if (raw.byteLength > MAX_FORM_BYTES) throw new ApiError(413, 'body_too_large', '提交内容过长');
  const form = new URLSearchParams(raw.toString('utf8'));
  const token = call.param('token');
  if (!formTokenValid(form.get('csrf') ?? '', token, call.now.getTime(), formSecret(call)))
    throw new ApiError(
      403,
      'invalid_form_token',
      '页面已过期或不是从反馈页面提交的，请重新打开提示消息中的链接后再提交',
    );
  const answers: { link: FeedbackLink; body: FeedbackBody }[] = [];
  for (let i = 0; i < 50; i++) {
    const tok = form.get(`tok.${i}`) ?? (i === 0 ? token : null);
    if (tok === null) break;
    const text = form.get(`text.${i}`) ?? (i === 0 ? form.get('text') : null) ?? '';
    // The link's own task must be answered; another task of the message left empty is not answered.
    if (i > 0 && !text.trim()) continue;
    let target = link;
    if (i > 0 || tok !== token) {
      const other = verifyFeedbackToken(tok, call.today, call.env);
      if (
        other.unit !== link.unit ||
        other.ledgerId !== link.ledgerId ||
        (other.generation ?? 0) < (link.generation ?? 0)
      )
        throw new ApiError(
          403,
          'invalid_form_token',
          '提交的任务不属于本链接的单位，请重新打开提示消息中的链接',
        );
      target = other;
    }
    const value = (form.get(`value.${i}`) ?? (i === 0 ? form.get('value') : null) ?? '').trim();
    const milestones = form.getAll(`m.${i}`).concat(i === 0 ? form.getAll('m') : []);
    const body = validate(
      FeedbackRequestSchema,
      cleanDeep({
        text,
        ...(value !== '' ? { value: Number(value) } : {}),
        ...(milestones.length ? { milestonesDone: milestones } : {}),
      }),
    );
    answers.push({ link: target, body });
  }
  return answers;
}
