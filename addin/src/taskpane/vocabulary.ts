// What the pane calls the backend's history events and outbox statuses: from the one vocabulary of
// shared/api.ts, so a type or status the backend writes always has a Chinese name here.
import {
  EVENT_TYPE_NAMES,
  OUTBOX_STATUS_NAMES,
  type EventType,
  type HistoryEventView,
  type OutboxStatus,
} from '../../../shared/api.js';

const CARD_NAME: Record<string, string> = { yellow: '黄牌', orange: '橙牌', red: '红牌' };

/** R17: an outbox entry's status as the clerk reads it (待发送, 已送达, 发送失败, 已取消 …). */
export function deliveryName(status: OutboxStatus): string {
  return OUTBOX_STATUS_NAMES[status];
}

/** One line of the history list: the day, what happened (with its particulars), and who did it. */
export function describeEvent(e: HistoryEventView): string {
  const when = e.date || e.at.slice(0, 10);
  const who = e.by ? `（${e.by}）` : '';
  const d = e as Record<string, unknown>;
  const data = e.data ?? {};
  const pick = (k: string) => (d[k] ?? data[k]) as string | number | undefined;
  const status = pick('status');
  const detailed: Partial<Record<EventType, string>> = {
    card: `亮${CARD_NAME[String(pick('color'))] ?? '牌'}${pick('docNo') ? ` ${pick('docNo')}` : ''}${pick('reason') ? `：${pick('reason')}` : ''}`,
    interview: `约谈${pick('leader') ? `（${pick('leader')} 约谈 ${pick('interviewee') ?? ''}）` : ''}`,
    stars: `赋星 ${pick('from') ?? '未定'} → ${pick('to') ?? ''}`,
    close: `销号：${pick('note') ?? ''}`,
    prompt: `提示投递：${
      typeof status === 'string' && status in OUTBOX_STATUS_NAMES
        ? OUTBOX_STATUS_NAMES[status as OutboxStatus]
        : (status ?? '')
    }`,
    feedback: `反馈：${pick('text') ?? ''}`,
    candidate: `列为亮牌候选${pick('reason') ? `：${pick('reason')}` : ''}`,
  };
  return `${when} ${detailed[e.type] ?? EVENT_TYPE_NAMES[e.type]}${who}`;
}
