// The prompt (督办提示) a unit receives: one message per unit per day listing its tasks, each with
// its period, the kind of reminder, the feedback due date and the unit's signed feedback link.
// Every channel renders the same content: markdown for the robots, text and HTML for email, a
// short text plus the items for the SMS gateway.
import type { ReminderReason } from '../../shared/model.js';
import { periodName } from '../../shared/documents/content.js';

/** One task in a prompt: what the outbox keeps of a queued reminder. */
export interface PromptItem {
  taskId: string;
  taskNo: string | null;
  taskTitle: string;
  period: string;
  reason: ReminderReason;
  feedbackDue: string;
  feedbackUrl: string;
  note?: string;
}

export interface PromptMessage {
  unit: string;
  /** e.g. 【督办提示】县财政局：3项重点工作请于3月26日前反馈 */
  title: string;
  /** The items in the order the message lists them. */
  items: PromptItem[];
  markdown: string;
  text: string;
  html: string;
  /** Text for SMS: the title, then each task with its link. */
  sms: string;
}

export const REASON_LABELS: Record<ReminderReason, string> = {
  quarterly: '季度提示',
  monthly: '月度提示',
  weekly: '周提示',
  milestone: '节点提示',
};

/** 2026-03-26 → 3月26日 */
export function monthDay(isoDate: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${Number(m[1])}月${Number(m[2])}日` : isoDate;
}

/** Periods as clerks say them (2026年第一季度, 2026年3月, 2026年第9周): the documents' own wording. */
export const periodLabel = periodName;

const collator = new Intl.Collator('zh-CN', { numeric: true });

function orderItems(items: PromptItem[]): PromptItem[] {
  return [...items].sort(
    (a, b) =>
      a.feedbackDue.localeCompare(b.feedbackDue) ||
      collator.compare(a.taskNo ?? '', b.taskNo ?? '') ||
      collator.compare(a.taskTitle, b.taskTitle) ||
      a.taskId.localeCompare(b.taskId),
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Markdown link targets must not break on parentheses or spaces. */
export function markdownUrl(url: string): string {
  return url.replace(/[()\s]/g, (c) => encodeURIComponent(c));
}

function shorten(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

function itemHeading(item: PromptItem): string {
  return item.taskNo ? `〔${item.taskNo}〕${item.taskTitle}` : item.taskTitle;
}

function itemDetail(item: PromptItem): string {
  const note = item.note ? `（节点：${item.note}）` : '';
  return `${periodLabel(item.period)} · ${REASON_LABELS[item.reason]}${note} · 请于${monthDay(item.feedbackDue)}前反馈`;
}

/**
 * Characters of a task's heading (and detail) in a robot's markdown. A robot caps a message (WeCom:
 * 4,096 bytes), and an item's three lines travel in one part: a heading this short keeps the item's
 * feedback link always inside its part, whatever the title's length. Email and text carry the whole title.
 */
const MARKDOWN_HEADING_CHARS = 200;

/** One markdown line: a cell's line breaks (Alt+Enter) and runs of spaces become one space, then shortened. */
function oneLine(s: string, max: number): string {
  return shorten(s.replace(/\s+/g, ' ').trim(), max);
}

/** Composes the prompt for one unit from its items (at least one). */
export function composePrompt(unit: string, input: PromptItem[], office = '县政府督办检查室'): PromptMessage {
  if (input.length === 0) throw new Error('composePrompt: no items');
  const items = orderItems(input);
  const earliestDue = items[0]!.feedbackDue;
  const title = `【督办提示】${unit}：${items.length}项重点工作请于${monthDay(earliestDue)}前反馈`;
  const intro = `${unit}：根据县政府重点工作督办安排，请对以下${items.length}项工作的推进情况按时反馈。`;

  const markdown = [
    `### ${title}`,
    intro,
    '',
    ...items.map(
      (it, i) =>
        `${i + 1}. **${oneLine(itemHeading(it), MARKDOWN_HEADING_CHARS)}**  \n   ${oneLine(itemDetail(it), MARKDOWN_HEADING_CHARS)}  \n   [填写反馈](${markdownUrl(it.feedbackUrl)})`,
    ),
    '',
    `> ${office}`,
  ].join('\n');

  const text = [
    title,
    '',
    intro,
    '',
    ...items.flatMap((it, i) => [
      `${i + 1}. ${itemHeading(it)}`,
      `   ${itemDetail(it)}`,
      `   反馈链接：${it.feedbackUrl}`,
    ]),
    '',
    office,
  ].join('\n');

  const html = [
    `<p><strong>${escapeHtml(title)}</strong></p>`,
    `<p>${escapeHtml(intro)}</p>`,
    '<ol>',
    ...items.map(
      (it) =>
        `<li><strong>${escapeHtml(itemHeading(it))}</strong><br>${escapeHtml(itemDetail(it))}<br>` +
        `<a href="${escapeHtml(it.feedbackUrl)}">填写反馈</a></li>`,
    ),
    '</ol>',
    `<p>${escapeHtml(office)}</p>`,
  ].join('\n');

  // SMS: every task's number (or a short title) and its link; the gateway splits long texts.
  const sms = `${title}：${items
    .map(
      (it, i) =>
        `${i + 1}.${it.taskNo ? `〔${it.taskNo}〕` : ''}${shorten(it.taskTitle, 20)} ${it.feedbackUrl}`,
    )
    .join('；')}`;

  return { unit, title, items, markdown, text, html, sms };
}

/**
 * Splits a markdown prompt into parts no longer than `maxBytes` (UTF-8), for robots that cap a
 * message's size (WeCom: 4096 bytes). Items are never cut in half; parts are numbered (1/2).
 */
export function splitMarkdown(message: PromptMessage, maxBytes: number): string[] {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  if (bytes(message.markdown) <= maxBytes) return [message.markdown];
  const blocks = message.markdown.split('\n').reduce<string[]>((acc, line) => {
    // An item starts with "N. "; its continuation lines belong to it.
    if (/^\d+\. /.test(line) || acc.length === 0) acc.push(line);
    else if (/^ {3}/.test(line)) acc[acc.length - 1] += '\n' + line;
    else acc.push(line);
    return acc;
  }, []);
  const parts: string[][] = [];
  let current: string[] = [];
  const reserve = 40; // room for the "(1/2)" heading suffix
  for (const block of blocks) {
    const next = [...current, block].join('\n');
    if (current.length > 0 && bytes(next) + reserve > maxBytes) {
      parts.push(current);
      current = [`### ${message.title}（续）`, block];
    } else {
      current.push(block);
    }
  }
  if (current.length > 0) parts.push(current);
  return parts.map((p, i) => {
    const body = p.join('\n');
    const numbered = body.replace(/^(### .*)$/m, `$1（${i + 1}/${parts.length}）`);
    // A single item longer than the limit (a very long title) is cut rather than refused.
    return bytes(numbered) <= maxBytes
      ? numbered
      : Buffer.from(numbered)
          .subarray(0, maxBytes - 3)
          .toString('utf8');
  });
}
