// What the pane writes about a card state, a reminder, a delivery, a problem, a unit and an undelivered
// prompt: plain functions of the backend's answers, so the wording is tested without a browser.
import type { OutboxItemView, UndeliveredPrompt } from '../../../shared/api.js';
import type { Problem } from '../../../shared/model.js';
import type { ReminderView, RoundupView, UnitView } from '../api/client.js';

/** R13: a unit's card state (and a card's colour) as the clerk names it. */
export const STATE_NAME: Record<string, string> = { none: '无', yellow: '黄牌', orange: '橙牌', red: '红牌' };

/** R15: why a reminder goes out (the period it belongs to). */
export const REMINDER_NAME: Record<string, string> = {
  quarterly: '季度提示',
  monthly: '月度提示',
  weekly: '每周提示',
  milestone: '节点提示',
};

/** A card state's name; an unknown state is shown as the backend wrote it, never as nothing. */
export function stateName(state: string): string {
  return STATE_NAME[state] ?? state;
}

/** 今日提示 (R15, R17): the unit, the task's 序号, its stars, why, which period and by when to answer. */
export function reminderLine(r: ReminderView): string {
  const no = r.taskNo ? `序号${r.taskNo} ` : '';
  const why = REMINDER_NAME[r.reason] ?? r.reason;
  const note = r.note ? `（${r.note}）` : '';
  return `${r.leadUnit}：${no}${'★'.repeat(r.stars)} ${why} ${r.period}${note}，${r.feedbackDue} 前反馈`;
}

/**
 * 送达情况 (R17): how many of the day's entries are in each status, failures first, and whether the
 * list stops short of the day (`more`: then every failed, retrying and stale entry is still in it):
 * `共 312 条：发送失败 2 · 已送达 310`.
 */
export function outboxSummary(
  items: Pick<OutboxItemView, 'status'>[],
  more: boolean,
  name: (status: OutboxItemView['status']) => string,
): string {
  const counts = new Map<OutboxItemView['status'], number>();
  for (const o of items) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const order: OutboxItemView['status'][] = [
    'failed',
    'retrying',
    'sending',
    'queued',
    'stale',
    'cancelled',
    'sent',
  ];
  const parts = [...counts]
    .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
    .map(([s, n]) => `${name(s)} ${n}`);
  return `${
    more
      ? `当天提示较多，已列出 ${items.length} 条（发送失败、重试中和已过期未发的已全部列出）`
      : `共 ${items.length} 条`
  }：${parts.join(' · ')}`;
}

/** 送达情况 in the clerk's order: failed, retrying and stale first, then by unit and 序号 (whatever partition each came from). */
export function outboxInOrder<T extends Pick<OutboxItemView, 'status' | 'unit' | 'taskNo' | 'key'>>(
  items: T[],
): T[] {
  const bad = (o: T) => (o.status === 'failed' || o.status === 'retrying' || o.status === 'stale' ? 0 : 1);
  return [...items].sort(
    (a, b) =>
      bad(a) - bad(b) ||
      a.unit.localeCompare(b.unit, 'zh-CN') ||
      (a.taskNo ?? '').localeCompare(b.taskNo ?? '', 'zh-CN', { numeric: true }) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** 送达情况 (R17): the unit and task of an outbox entry, with the channel's last error when it failed. */
export function outboxLine(o: OutboxItemView): string {
  return `${o.unit}${o.taskNo ? ` 序号${o.taskNo}` : ''}${o.lastError ? `：${o.lastError}` : ''}`;
}

/** Where a non-standard cell is (R1): 第5行 H列, or the row alone. */
export function problemPlace(p: Pick<Problem, 'row' | 'column'>): string {
  return `第${p.row}行${p.column ? ` ${p.column}列` : ''}`;
}

/** A problem's line in 台账体检: its place first, unless the message already names the row. */
export function problemLine(p: Pick<Problem, 'row' | 'column' | 'message'>): string {
  return p.message.includes(`第${p.row}行`) ? p.message : `${problemPlace(p)}：${p.message}`;
}

/**
 * 单位亮牌情况 (R11–R14): interviews, the cards by number (a red card has none), the rectification
 * deadline and whether it has passed.
 */
export function unitSummary(u: UnitView): string {
  const cards = u.cards.length ? `；${u.cards.map((c) => c.docNo ?? STATE_NAME[c.color]).join('、')}` : '';
  const by = u.rectifyBy ? `；限 ${u.rectifyBy} 前整改` : '';
  return `约谈 ${u.interviews} 次${cards}${by}${u.rectificationOverdue ? '；整改已逾期' : ''}`;
}

/** R9: an undelivered prompt's task, period, due days and the channel's error. */
export function undeliveredLine(u: UndeliveredPrompt): string {
  const task = u.taskNo ? `第${u.taskNo}项任务` : `任务${u.taskId}`;
  return `${task}（${u.period}），${u.sendOn} 应发，反馈期限 ${u.feedbackDue}${u.error ? `；${u.error}` : ''}`;
}

/** R20, R21: a unit's place in the round-up; a unit with nothing due is listed apart, unranked. */
export function rankText(u: RoundupView['units'][number]): string {
  return u.rank === null ? '不参与排名' : String(u.rank);
}
