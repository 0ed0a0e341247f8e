// A unit's feedback through its signed link (R19). No function key: the HMAC signature is the
// authorisation. GET gives the phone page (or JSON for a program); POST takes `application/json` or the
// page's own form with its anti-forgery token (feedbackForm.ts), anything else is 415.
// A unit may correct its answer (the latest counts, every answer stays in the history), up to
// MAX_POSTS_PER_LINK_PER_DAY posts a day per link (429 beyond). A revoked link (the unit's link
// generation raised), an expired one, and feedback on a task closed or removed meanwhile get a clear
// answer and count nothing.
import type { Feedback } from '../../shared/model.js';
import { ApiError } from '../errors.js';
import { signFeedbackToken, verifyFeedbackToken, type FeedbackLink } from '../feedbackLink.js';
import { listFeedback, listReminders, listTasks, type Storage, type StoredTask } from '../storage/index.js';
import { countLinkPost, linkGeneration, linkHash } from '../storage/links.js';
import { unknownMilestones } from '../../shared/rules/milestones.js';
import { keepFeedback } from '../services/feedback.js';
import type { ApiCall, ApiResult, ApiRun } from './adapter.js';
import { formSecret, formToken, isFormPost, postedAnswers } from './feedbackForm.js';
import {
  asPage,
  htmlResult,
  newNonce,
  renderFeedbackPage,
  renderResultPage,
  type PageItem,
  type PageLast,
} from './feedbackPage.js';
import { httpFunction } from './route.js';

/** Posts one link takes in a CST day: enough to correct an answer many times, too few to flood the history. */
export const MAX_POSTS_PER_LINK_PER_DAY = 20;

/** The link's task, once the link is proved, not expired and not revoked. */
async function linkedTask(
  call: ApiCall,
): Promise<{ link: FeedbackLink; task: StoredTask; tasks: StoredTask[]; storage: Storage }> {
  const link = verifyFeedbackToken(call.param('token'), call.today, call.env);
  const storage = await call.storage();
  if ((link.generation ?? 0) < (await linkGeneration(storage, link.unit)))
    throw new ApiError(
      410,
      'link_revoked',
      `此反馈链接已被${call.config.office.name}作废，请使用最新提示消息中的链接`,
    );
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

const getFeedbackForm: ApiRun = async (call) => {
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
    const today = call.today;
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
    const nonce = newNonce();
    const text = renderFeedbackPage(
      {
        office: call.config.office.name,
        phone: call.config.office.phone,
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
    return htmlResult(200, text, nonce);
  };
  return page ? asPage(call.config.office, run) : run();
};

const submitFeedback: ApiRun = async (call) => {
  const page = isFormPost(call);
  const run = async (): Promise<ApiResult> => {
    const { link, task, tasks, storage } = await linkedTask(call);
    const receivedOn = call.today;
    // Every post through a valid link counts, refused or not: the bound is on what a leaked link can do.
    const n = await countLinkPost(storage, call.param('token'), receivedOn);
    if (n > MAX_POSTS_PER_LINK_PER_DAY)
      throw new ApiError(
        429,
        'too_many_posts',
        `此链接今日已提交 ${MAX_POSTS_PER_LINK_PER_DAY} 次，已达上限，请明天再提交；如需更正请联系${call.config.office.name}`,
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
      await keepFeedback(storage, l, feedback, call.now);
      kept.push(feedback);
    }
    if (page) {
      const nonce = newNonce();
      const count = kept.length > 1 ? ` ${kept.length} 项` : '';
      const note = skipped.length ? `（${skipped.join('、')} 已销号或移除，未计入）` : '';
      return htmlResult(
        201,
        renderResultPage(
          'ok',
          call.config.office.name,
          call.config.office.phone,
          '反馈已提交',
          `${link.unit}的${count}反馈已收到（${receivedOn}）${note}。如需更正，可重新打开链接修改后再次提交，以最后一次为准。`,
          nonce,
        ),
        nonce,
      );
    }
    return { status: 201, body: { feedback: kept[0] } };
  };
  return page ? asPage(call.config.office, run) : run();
};

export default httpFunction('feedback', {
  route: 'feedback/{token}',
  auth: 'link',
  methods: { GET: getFeedbackForm, POST: submitFeedback },
});
