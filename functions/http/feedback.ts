// GET/POST /api/feedback/{token} — a unit's feedback through its signed link (R19). No function key:
// the HMAC signature is the authorisation. GET says what the link is for (JSON, or a small form for a
// browser); POST records the feedback for the link's task and period.
import { randomBytes } from 'node:crypto';
import { FeedbackRequestSchema } from '../../shared/api.js';
import type { Feedback } from '../../shared/model.js';
import { chinaToday } from '../../shared/dates.js';
import { ApiError } from '../errors.js';
import { verifyFeedbackToken } from '../feedbackLink.js';
import { appendEvents, listTasks, recordFeedback } from '../storage/index.js';
import { unknownMilestones } from '../../shared/rules/milestones.js';
import { api, type ApiCall } from './adapter.js';
import { markMilestones } from './tickMilestone.js';

async function linkedTask(call: ApiCall) {
  const link = verifyFeedbackToken(call.param('token'), chinaToday(call.now), call.env);
  const storage = await call.storage();
  const task = (await listTasks(storage, link.ledgerId, { includeRemoved: true })).find(
    (t) => t.task.id === link.taskId,
  );
  if (!task) throw new ApiError(404, 'task_not_found', `链接所指的任务 ${link.taskId} 已不在台账中`);
  return { link, task, storage };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const getFeedbackForm = api({ auth: 'link' }, async (call) => {
  const { link, task } = await linkedTask(call);
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
  };
  if (!(call.req.headers.get('accept') ?? '').includes('text/html')) return { body: info };
  // The page's one script carries a fresh nonce; the CSP allows nothing else (defence in depth: the
  // ledger's text is escaped too). The token is in the URL: never cached, never sent as a referrer.
  const nonce = randomBytes(16).toString('base64');
  const milestones = info.milestones.length
    ? `<fieldset><legend>已完成的节点</legend>${info.milestones
        .map(
          (m) =>
            `<label><input type="checkbox" name="m" value="${escapeHtml(m)}"> ${escapeHtml(m)}</label><br>`,
        )
        .join('')}</fieldset>`
    : '';
  const html = `<!doctype html><meta charset="utf-8"><title>督办反馈</title>
<h1>${escapeHtml(info.unit)}：督办反馈</h1>
<p>任务：${escapeHtml(info.taskNo ? `〔${info.taskNo}〕` : '')}${escapeHtml(info.taskTitle)}（${escapeHtml(info.period)}）</p>
<form id="f"><textarea name="text" rows="8" cols="60" required placeholder="工作进展"></textarea><br>
${info.target ? `<label>指标完成值（${escapeHtml(info.target.unit)}）<input name="value" type="number" step="any"></label><br>` : ''}${milestones}
<button>提交</button></form><p id="r"></p>
<script nonce="${nonce}">document.getElementById('f').onsubmit=async(e)=>{e.preventDefault();const d=new FormData(e.target);
const body={text:d.get('text')};if(d.get('value'))body.value=Number(d.get('value'));
const m=d.getAll('m');if(m.length)body.milestonesDone=m;
const r=await fetch(location.href,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(body)});
const j=await r.json();document.getElementById('r').textContent=r.ok?'已收到，谢谢。':j.error.message;};</script>`;
  return {
    text: html,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
    },
  };
});

export const submitFeedback = api({ auth: 'link' }, async (call) => {
  const { link, storage, task } = await linkedTask(call);
  const body = await call.body(FeedbackRequestSchema);
  // R7: the milestones a unit reports done must be the task's own (nothing recorded otherwise).
  const unknown = unknownMilestones(task.task.milestones, body.milestonesDone ?? []);
  if (unknown.length)
    throw new ApiError(
      400,
      'unknown_milestone',
      `该任务没有节点「${unknown.join('」「')}」，请刷新页面后重新勾选`,
    );
  const receivedOn = chinaToday(call.now);
  const at = call.now.toISOString();
  const feedback: Feedback = {
    taskId: link.taskId,
    unit: link.unit,
    period: link.period,
    receivedOn,
    text: body.text,
    ...(body.value !== undefined ? { value: body.value } : {}),
    ...(body.milestonesDone ? { milestonesDone: body.milestonesDone } : {}),
  };
  const keptAt = await recordFeedback(storage, link.ledgerId, feedback, at);
  await appendEvents(
    storage,
    [
      {
        subject: { ledgerId: link.ledgerId, taskId: link.taskId },
        type: 'feedback',
        date: receivedOn,
        by: link.unit,
        data: feedback,
        at: keptAt,
      },
    ],
    call.now,
  );
  // R7: the milestones the unit reports done are done from today, by that unit (in the task's history).
  if (body.milestonesDone?.length)
    await markMilestones(
      storage,
      link.ledgerId,
      link.taskId,
      body.milestonesDone.map((text) => ({
        text,
        done: true,
        on: receivedOn,
        by: link.unit,
        source: 'feedback' as const,
      })),
      call.now,
      receivedOn,
    );
  return { status: 201, body: { feedback } };
});
