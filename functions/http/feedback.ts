// GET/POST /api/feedback/{token} — a unit's feedback through its signed link (R19). No function key:
// the HMAC signature is the authorisation. GET gives the phone page (or JSON for a program); POST takes
// `application/json` or the page's own form with its anti-forgery token, anything else is 415.
// A unit may correct its answer (the latest counts, every answer stays in the history), up to
// MAX_POSTS_PER_LINK_PER_DAY posts a day per link (429 beyond). A revoked link (the unit's link
// generation raised), an expired one, and feedback on a task closed or removed meanwhile get a clear
// answer and count nothing.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { FeedbackRequestSchema } from '../../shared/api.js';
import type { Feedback } from '../../shared/model.js';
import { chinaToday } from '../../shared/dates.js';
import { cleanDeep } from '../../shared/text.js';
import { ApiError } from '../errors.js';
import { signFeedbackToken, verifyFeedbackToken, type FeedbackLink } from '../feedbackLink.js';
import {
  appendEvents,
  encodeKey,
  joinKey,
  listFeedback,
  listReminders,
  listTasks,
  recordFeedback,
  type Storage,
  type StoredTask,
} from '../storage/index.js';
import { countLinkPost, linkGeneration, linkHash } from '../storage/links.js';
import { api, validate, type ApiCall, type ApiResult } from './adapter.js';
import {
  pageCsp,
  renderFeedbackPage,
  renderResultPage,
  type PageItem,
  type PageLast,
} from './feedbackPage.js';
import { unknownMilestones } from '../../shared/rules/milestones.js';
import { markMilestones } from './tickMilestone.js';

/** The largest form post the unit's page can make (every task of a message, each answer at its longest). */
const MAX_FORM_BYTES = 512 * 1024;

/** Posts one link takes in a CST day: enough to correct an answer many times, too few to flood the history. */
export const MAX_POSTS_PER_LINK_PER_DAY = 20;
/** How long the page's anti-forgery token stays valid. */
const FORM_TOKEN_TTL_MS = 24 * 3_600_000;
const DEFAULT_OFFICE = '县政府督办检查室';

const office = (call: ApiCall) => call.env.DUBAN_OFFICE_NAME || DEFAULT_OFFICE;
const phone = (call: ApiCall) => call.env.DUBAN_OFFICE_PHONE || null;

function formSecret(call: ApiCall): string {
  return `form|${call.env.DUBAN_LINK_SECRET ?? ''}`;
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

async function linkedTask(
  call: ApiCall,
): Promise<{ link: FeedbackLink; task: StoredTask; tasks: StoredTask[]; storage: Storage }> {
  const link = verifyFeedbackToken(call.param('token'), chinaToday(call.now), call.env);
  const storage = await call.storage();
  if ((link.generation ?? 0) < (await linkGeneration(storage, link.unit)))
    throw new ApiError(410, 'link_revoked', `此反馈链接已被${office(call)}作废，请使用最新提示消息中的链接`);
  const tasks = await listTasks(storage, link.ledgerId, { includeRemoved: true });
  const task = tasks.find((t) => t.task.id === link.taskId);
  if (!task)
    throw new ApiError(404, 'task_not_found', `链接所指的任务 ${link.taskId} 已不在台账中，无需再反馈`);
  return { link, task, tasks, storage };
}

/** A task closed (销号) or removed since the link was sent takes no feedback: nothing is counted. */
function closedMessage(t: StoredTask): string | null {
  if (t.closed) return `该任务已${t.closedOn ? `于 ${t.closedOn} ` : ''}销号，本次反馈不再计入，无需填报`;
  if (t.removed)
    return `该任务已${t.removedOn ? `于 ${t.removedOn} ` : ''}从台账中移除，本次反馈不再计入，无需填报`;
  return null;
}

const wantsHtml = (call: ApiCall) => (call.req.headers.get('accept') ?? '').includes('text/html');

function html(status: number, text: string, nonce: string): ApiResult {
  return {
    status,
    text,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      // The token is in the URL: never cached, never sent as a referrer, never framed.
      'Cache-Control': 'no-store',
      'Content-Security-Policy': pageCsp(nonce),
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
    },
  };
}

const HEADINGS: Record<string, string> = {
  link_expired: '链接已过期',
  link_revoked: '链接已作废',
  invalid_link: '链接无效',
  task_closed: '任务已销号',
  task_removed: '任务已移除',
  task_not_found: '任务已移除',
  too_many_posts: '今日提交次数已满',
};

/** Errors of a page request as a page: what happened and whom to call. */
async function asPage(call: ApiCall, run: () => Promise<ApiResult>): Promise<ApiResult> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status >= 500) throw e;
    const nonce = randomBytes(16).toString('base64');
    const heading = HEADINGS[e.code] ?? '无法提交';
    return html(
      e.status,
      renderResultPage('error', office(call), phone(call), heading, e.message, nonce),
      nonce,
    );
  }
}

function lastAnswer(all: Feedback[], link: FeedbackLink): PageLast | null {
  // The latest for this period if the unit already answered it, else its latest for the task.
  const mine = all.filter((f) => f.taskId === link.taskId && f.unit === link.unit);
  const pick = (list: Feedback[]) => list[list.length - 1];
  const f = pick(mine.filter((x) => x.period === link.period)) ?? pick(mine);
  if (!f) return null;
  return {
    receivedOn: f.receivedOn,
    period: f.period,
    text: f.text,
    value: f.value ?? null,
    milestonesDone: f.milestonesDone ?? [],
  };
}

async function postsToday(storage: Storage, token: string, day: string): Promise<number> {
  const row = await storage.get('Counters', `posts|${day}`, linkHash(token));
  return Number(row?.n ?? 0);
}

export const getFeedbackForm = api({ auth: 'link' }, async (call) => {
  const page = wantsHtml(call);
  const run = async (): Promise<ApiResult> => {
    const { link, task, tasks, storage } = await linkedTask(call);
    const closed = closedMessage(task);
    const info = {
      unit: link.unit,
      ledgerId: link.ledgerId,
      taskId: link.taskId,
      taskNo: task.task.no,
      taskTitle: task.task.title,
      period: link.period,
      expires: link.expires,
      milestones: task.task.milestones.filter((m) => !m.done).map((m) => m.text),
      target: task.task.target,
      closed: closed !== null,
    };
    if (!page) return { body: info };
    if (closed) throw new ApiError(409, task.closed ? 'task_closed' : 'task_removed', closed);
    const today = chinaToday(call.now);
    const [feedback, reminders, used] = await Promise.all([
      listFeedback(storage, link.ledgerId),
      listReminders(storage, link.ledgerId),
      postsToday(storage, call.param('token'), today),
    ]);
    const reminder = reminders.find((r) => r.taskId === link.taskId && r.period === link.period);
    // One message lists all of a unit's tasks of the day: the page answers them all at once. The
    // unit's other open tasks prompted the same day get links of their own (same unit, generation
    // and expiry), carried in the form, so the post names and proves each task it answers.
    const byId = new Map(tasks.map((t) => [t.task.id, t]));
    const seen = new Set([`${link.taskId}|${link.period}`]);
    const siblings = reminder
      ? reminders.filter((r) => {
          const k = `${r.taskId}|${r.period}`;
          const t = byId.get(r.taskId);
          if (
            r.leadUnit !== link.unit ||
            r.sendOn !== reminder.sendOn ||
            seen.has(k) ||
            !t ||
            closedMessage(t)
          )
            return false;
          seen.add(k);
          return true;
        })
      : [];
    const item = (t: StoredTask, period: string, due: string | null, token: string): PageItem => ({
      token,
      period,
      feedbackDue: due,
      task: {
        taskNo: t.task.no,
        title: t.task.title,
        measures: t.task.measures,
        deadline: t.task.deadline.text || null,
        stars: t.stars,
        target: t.task.target,
        milestones: t.task.milestones,
      },
      last: lastAnswer(feedback, { ...link, taskId: t.task.id, period }),
    });
    const nonce = randomBytes(16).toString('base64');
    const text = renderFeedbackPage(
      {
        office: office(call),
        phone: phone(call),
        unit: link.unit,
        today,
        items: [
          item(task, link.period, reminder?.feedbackDue ?? null, call.param('token')),
          ...siblings.map((r) =>
            item(
              byId.get(r.taskId)!,
              r.period,
              r.feedbackDue,
              signFeedbackToken(
                { ...link, taskId: r.taskId, period: r.period, generation: link.generation ?? 0 },
                call.env,
              ),
            ),
          ),
        ],
        csrf: formToken(call.param('token'), call.now.getTime(), formSecret(call)),
        postsLeft: Math.max(0, MAX_POSTS_PER_LINK_PER_DAY - used),
      },
      nonce,
    );
    return html(200, text, nonce);
  };
  return page ? asPage(call, run) : run();
});

type FeedbackBody = ReturnType<typeof FeedbackRequestSchema.parse>;

/**
 * What a post answers: JSON exactly (the link's own task), or the page's own form with a valid
 * anti-forgery token (the link's task first, then any other task of the same message the page
 * carried, each proved by its own signed token); any other content type is 415.
 */
async function postedAnswers(
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
  const today = chinaToday(call.now);
  const answers: { link: FeedbackLink; body: FeedbackBody }[] = [];
  for (let i = 0; i < 50; i++) {
    const tok = form.get(`tok.${i}`) ?? (i === 0 ? token : null);
    if (tok === null) break;
    const text = form.get(`text.${i}`) ?? (i === 0 ? form.get('text') : null) ?? '';
    // The link's own task must be answered; another task of the message left empty is not answered.
    if (i > 0 && !text.trim()) continue;
    let target = link;
    if (i > 0 || tok !== token) {
      const other = verifyFeedbackToken(tok, today, call.env);
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

export const submitFeedback = api({ auth: 'link' }, async (call) => {
  const type = (call.req.headers.get('content-type') ?? '').toLowerCase();
  const page = type.startsWith('application/x-www-form-urlencoded');
  const run = async (): Promise<ApiResult> => {
    const { link, task, tasks, storage } = await linkedTask(call);
    const receivedOn = chinaToday(call.now);
    // Every post through a valid link counts, refused or not: the bound is on what a leaked link can do.
    const n = await countLinkPost(storage, call.param('token'), receivedOn);
    if (n > MAX_POSTS_PER_LINK_PER_DAY)
      throw new ApiError(
        429,
        'too_many_posts',
        `此链接今日已提交 ${MAX_POSTS_PER_LINK_PER_DAY} 次，已达上限，请明天再提交；如需更正请联系${office(call)}`,
      );
    const answers = await postedAnswers(call, link);
    const closed = closedMessage(task);
    if (closed) throw new ApiError(409, task.closed ? 'task_closed' : 'task_removed', closed);
    const byId = new Map(tasks.map((t) => [t.task.id, t]));
    // R7: the milestones a unit reports done must be the task's own (nothing recorded otherwise).
    for (const { link: l, body } of answers) {
      const t = byId.get(l.taskId);
      const unknown = t ? unknownMilestones(t.task.milestones, body.milestonesDone ?? []) : [];
      if (unknown.length)
        throw new ApiError(
          400,
          'unknown_milestone',
          `该任务没有节点「${unknown.join('」「')}」，请刷新页面后重新勾选`,
        );
    }
    const at = call.now.toISOString();
    const kept: Feedback[] = [];
    const skipped: string[] = [];
    for (const { link: l, body } of answers) {
      const t = byId.get(l.taskId);
      // Another task of the message closed or removed since the page was opened: not counted, said so.
      if (!t || closedMessage(t)) {
        skipped.push(t?.task.title ?? l.taskId);
        continue;
      }
      const feedback: Feedback = {
        taskId: l.taskId,
        unit: l.unit,
        period: l.period,
        receivedOn,
        text: body.text,
        ...(body.value !== undefined ? { value: body.value } : {}),
        ...(body.milestonesDone ? { milestonesDone: body.milestonesDone } : {}),
      };
      const keptAt = await recordFeedback(storage, l.ledgerId, feedback, at);
      await recordEvent(storage, l, feedback, keptAt, call.now);
      // R7: the milestones the unit reports done are done from today, by that unit (in the task's history).
      if (body.milestonesDone?.length)
        await markMilestones(
          storage,
          l.ledgerId,
          l.taskId,
          body.milestonesDone.map((text) => ({
            text,
            done: true,
            on: receivedOn,
            by: l.unit,
            source: 'feedback' as const,
          })),
          call.now,
          receivedOn,
        );
      kept.push(feedback);
    }
    if (page) {
      const nonce = randomBytes(16).toString('base64');
      const count = kept.length > 1 ? ` ${kept.length} 项` : '';
      const note = skipped.length ? `（${skipped.join('、')} 已销号或移除，未计入）` : '';
      return html(
        201,
        renderResultPage(
          'ok',
          office(call),
          phone(call),
          '反馈已提交',
          `${link.unit}的${count}反馈已收到（${receivedOn}）${note}。如需更正，可重新打开链接修改后再次提交，以最后一次为准。`,
          nonce,
        ),
        nonce,
      );
    }
    return { status: 201, body: { feedback: kept[0] } };
  };
  return page ? asPage(call, run) : run();
});

/**
 * The feedback's history event, with an id of the record's own (a retry writes the same row). A
 * record never stands without its event: after three failed writes the record is taken back and the
 * unit is asked to submit again, so both land or neither.
 */
async function recordEvent(
  storage: Storage,
  link: FeedbackLink,
  feedback: Feedback,
  keptAt: string,
  now: Date,
): Promise<void> {
  const event = {
    subject: { ledgerId: link.ledgerId, taskId: link.taskId },
    type: 'feedback' as const,
    date: feedback.receivedOn,
    by: link.unit,
    data: feedback,
    at: keptAt,
    id: `feedback-${feedback.period}-${keptAt}`,
  };
  let failure: unknown;
  for (let i = 0; i < 3; i++) {
    try {
      await appendEvents(storage, [event], now);
      return;
    } catch (e) {
      failure = e;
      await new Promise((r) => setTimeout(r, 200 * (i + 1)));
    }
  }
  await storage
    .table('Feedback')
    .deleteEntity(encodeKey(link.ledgerId), joinKey(feedback.taskId, feedback.period, keptAt))
    .catch(() => undefined);
  throw new ApiError(
    503,
    'history_unavailable',
    '反馈暂未保存（历史记录写入失败），请稍后再次提交',
    String(failure),
  );
}
