// The unit's feedback page (R19), made for a phone: units open it from a WeCom, DingTalk, SMS or email
// message, mostly inside the apps' Chromium WebViews. System fonts, no script, no external resource;
// one column that never scrolls sideways at 390 px; tap targets of 44 px and more. The form posts
// to the page's own address with an anti-forgery token (no script needed), and answers with a page.
import { randomBytes } from 'node:crypto';
import { cleanText } from '../../shared/text.js';
import { periodName } from '../../shared/documents/content.js';
import type { Milestone, Stars, Target } from '../../shared/model.js';
import type { OfficeConfig } from '../config.js';
import { ApiError } from '../errors.js';
import type { ApiResult } from './adapter.js';

export interface PageTask {
  taskNo: string | null;
  title: string;
  measures: string | null;
  deadline: string | null;
  stars: Stars | null;
  target: Target | null;
  milestones: Milestone[];
}

export interface PageLast {
  receivedOn: string;
  period: string;
  text: string;
  value: number | null;
  milestonesDone: string[];
}

/** One task of the page: the link's own first, then the unit's other tasks of the same message. */
export interface PageItem {
  /** The task's own signed link token (a hidden field: the post names each task it answers). */
  token: string;
  period: string;
  /** Feedback due (CST date) if the schedule says so. */
  feedbackDue: string | null;
  task: PageTask;
  last: PageLast | null;
}

export interface FeedbackPageModel {
  office: string;
  phone: string | null;
  unit: string;
  today: string;
  items: PageItem[];
  csrf: string;
  /** Posts left today through this link. */
  postsLeft: number;
}

export const escapeHtml = (s: string) => cleanText(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The period in words (2026年第49周, 2026年第一季度, 2026年3月), as the letters and the round-up say it. */
export const periodInWords = periodName;

const dateInWords = (d: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : d;
};

const STAR_NAMES: Record<Stars, string> = { 3: '三星 常规工作', 4: '四星 指标任务', 5: '五星 重大项目' };

// Sizes in rem/%, wrapping everywhere (long Chinese titles, long numbers, URLs): nothing wider than
// the screen. 16 px inputs keep iOS and WebViews from zooming in on focus.
const CSS = `*{box-sizing:border-box}html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f2f3f5;color:#1d2129;font:16px/1.6 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;overflow-wrap:anywhere;word-break:break-word}
header{background:#b3261e;color:#fff;padding:14px 16px}header .office{font-size:.9rem;opacity:.9}
header h1{margin:2px 0 0;font-size:1.25rem;line-height:1.4}
main{padding:12px;max-width:640px;margin:0 auto}
.card{background:#fff;border-radius:10px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card h2{margin:0 0 8px;font-size:1.1rem;line-height:1.45}.card h2 .n{color:#86909c;font-weight:400;font-size:.9rem}
.intro{margin:0 0 12px;padding:0 4px}.task .due{margin:10px 0 0}
dl{margin:0;display:grid;grid-template-columns:5.5em minmax(0,1fr);gap:4px 8px}dt{color:#86909c}dd{margin:0;min-width:0}
.stars{color:#d48806;letter-spacing:1px}.late{color:#b3261e;font-weight:600}.ok{color:#00875a}
.due{font-size:1rem;padding:10px 12px;border-radius:8px;background:#fff7e6;margin:0 0 12px}.due.late{background:#fdecea}
label{display:block;font-weight:600;margin:12px 0 6px}
textarea,input[type=number]{display:block;width:100%;max-width:100%;font:inherit;font-size:16px;padding:10px 12px;border:1px solid #c9cdd4;border-radius:8px;background:#fff}
textarea{min-height:9em;resize:vertical}
.ms{list-style:none;margin:0;padding:0}.ms li{display:flex;align-items:flex-start;gap:10px;padding:8px 0;border-top:1px solid #eef0f3}
.ms li:first-child{border-top:0}.ms input{width:24px;height:24px;margin:2px 0 0;flex:none}.ms label{margin:0;font-weight:400;min-height:44px;flex:1}
.ms .done{color:#00875a}.hint{color:#86909c;font-size:.9rem;margin:4px 0 0}
.last{white-space:pre-wrap;background:#f7f8fa;border-radius:8px;padding:8px 10px;margin:6px 0 0}
button{display:block;width:100%;min-height:48px;margin:4px 0;border:0;border-radius:10px;background:#b3261e;color:#fff;font:inherit;font-size:1.1rem;font-weight:600}
.result{text-align:center;padding:28px 16px}.result .big{font-size:3rem;line-height:1}.result h2{font-size:1.3rem}
a.tel{display:inline-block;min-height:44px;padding:10px 16px;margin-top:8px;border-radius:10px;background:#fff;border:1px solid #c9cdd4;color:#1d2129;text-decoration:none}
footer{color:#86909c;font-size:.85rem;text-align:center;padding:8px 16px 24px}`;

function shell(title: string, office: string, heading: string, body: string, nonce: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="format-detection" content="telephone=no">
<title>${escapeHtml(title)}</title><style nonce="${nonce}">${CSS}</style></head>
<body><header><div class="office">${escapeHtml(office)}</div><h1>${escapeHtml(heading)}</h1></header>
<main>${body}</main></body></html>`;
}

function contact(office: string, phone: string | null): string {
  return phone
    ? `<p>如有疑问，请致电${escapeHtml(office)}：</p><a class="tel" href="tel:${escapeHtml(phone.replace(/[^\d+-]/g, ''))}">${escapeHtml(phone)}</a>`
    : `<p>如有疑问，请联系${escapeHtml(office)}。</p>`;
}

function renderItem(it: PageItem, i: number, today: string, count: number): string {
  const t = it.task;
  const late = it.feedbackDue !== null && today > it.feedbackDue;
  const due = it.feedbackDue
    ? `<p class="due${late ? ' late' : ''}">${
        late
          ? `反馈已逾期：应于 ${dateInWords(it.feedbackDue)} 前反馈，请尽快填报`
          : `请于 <strong>${dateInWords(it.feedbackDue)}</strong> 前反馈`
      }</p>`
    : '';
  const stars = t.stars
    ? `<dt>星级</dt><dd><span class="stars" aria-hidden="true">${'★'.repeat(t.stars)}</span> ${STAR_NAMES[t.stars]}</dd>`
    : '';
  const lastValue = it.last?.value ?? null;
  const target = t.target
    ? `<label for="value-${i}">指标完成值（${escapeHtml(t.target.unit)}）</label>
<input id="value-${i}" name="value.${i}" type="number" step="any" inputmode="decimal" value="${lastValue ?? ''}">
<p class="hint">目标：${t.target.value} ${escapeHtml(t.target.unit)}${lastValue !== null ? `；上次填报 ${lastValue} ${escapeHtml(t.target.unit)}` : ''}</p>`
    : '';
  const doneBefore = new Set(it.last?.milestonesDone ?? []);
  const milestones = t.milestones.length
    ? `<label>节点完成情况</label><ul class="ms">${t.milestones
        .map((ms, k) => {
          const when = ms.date ? `${dateInWords(ms.date)}：` : '';
          if (ms.done)
            return `<li><span class="done" aria-label="已完成">✓</span><span>${escapeHtml(when + ms.text)}（已完成）</span></li>`;
          const checked = doneBefore.has(ms.text) ? ' checked' : '';
          return `<li><input type="checkbox" id="m-${i}-${k}" name="m.${i}" value="${escapeHtml(ms.text)}"${checked}><label for="m-${i}-${k}">${escapeHtml(when + ms.text)}</label></li>`;
        })
        .join('')}</ul><p class="hint">勾选本期已完成的节点</p>`
    : '';
  const last = it.last
    ? `<p class="hint">上次反馈（${dateInWords(it.last.receivedOn)}，${escapeHtml(periodInWords(it.last.period))}）已预先填入，只需修改有变化的内容。</p>`
    : '';
  return `<section class="card task"><h2>${count > 1 ? `<span class="n">${i + 1}/${count}</span> ` : ''}${t.taskNo ? `〔${escapeHtml(t.taskNo)}〕` : ''}${escapeHtml(t.title)}</h2><dl>
<dt>反馈期</dt><dd>${escapeHtml(periodInWords(it.period))}</dd>
${t.measures ? `<dt>工作措施</dt><dd>${escapeHtml(t.measures)}</dd>` : ''}
${t.deadline ? `<dt>完成时限</dt><dd>${escapeHtml(t.deadline)}</dd>` : ''}
${stars}</dl>
${due}<input type="hidden" name="tok.${i}" value="${escapeHtml(it.token)}">
<label for="text-${i}">工作进展</label>
<textarea id="text-${i}" name="text.${i}"${i === 0 ? ' required' : ''} maxlength="5000" placeholder="本期工作进展、存在问题和下步打算">${escapeHtml(it.last?.text ?? '')}</textarea>
${last}${target}${milestones}</section>`;
}

export function renderFeedbackPage(m: FeedbackPageModel, nonce: string): string {
  const n = m.items.length;
  const intro =
    n > 1 ? `<p class="intro">本次提示共 ${n} 项任务，可在本页一次填报；未填写的任务不计入。</p>` : '';
  const body = `${intro}<form method="post" accept-charset="utf-8">
<input type="hidden" name="csrf" value="${escapeHtml(m.csrf)}">
${m.items.map((it, i) => renderItem(it, i, m.today, n)).join('\n')}
<div class="card"><button type="submit">提交反馈</button>
<p class="hint">提交后仍可修改，以最后一次提交为准（今日还可提交 ${m.postsLeft} 次）。</p></div>
</form>`;
  return shell(`督办反馈 · ${m.unit}`, m.office, `${m.unit}：督办反馈`, body, nonce);
}

export function renderResultPage(
  kind: 'ok' | 'error',
  office: string,
  phone: string | null,
  heading: string,
  message: string,
  nonce: string,
): string {
  const body = `<div class="card result"><div class="big ${kind === 'ok' ? 'ok' : 'late'}" aria-hidden="true">${
    kind === 'ok' ? '✓' : '!'
  }</div><h2>${escapeHtml(heading)}</h2><p>${escapeHtml(message)}</p>${contact(office, phone)}</div>`;
  return shell(heading, office, heading, body, nonce);
}

/** The page's CSP: its one style block by nonce, forms to itself only, nothing else at all. */
export const pageCsp = (nonce: string) =>
  `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** A page as the adapter sends it: never cached, never sent as a referrer, never framed (the token is in the URL). */
export function htmlResult(status: number, text: string, nonce: string): ApiResult {
  return {
    status,
    text,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': pageCsp(nonce),
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
    },
  };
}

export const newNonce = () => randomBytes(16).toString('base64');

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
export async function asPage(office: OfficeConfig, run: () => Promise<ApiResult>): Promise<ApiResult> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status >= 500) throw e;
    const nonce = newNonce();
    const heading = HEADINGS[e.code] ?? '无法提交';
    return htmlResult(
      e.status,
      renderResultPage('error', office.name, office.phone, heading, e.message, nonce),
      nonce,
    );
  }
}
