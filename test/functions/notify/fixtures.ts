// Prompt entries as the daily run would queue them (2026 Q1, R15 example: sent W−10 = 17 Mar, feedback W−3 = 26 Mar).
import type { PromptEntry } from '../../../functions/notify/outbox.js';
import type { PromptItem } from '../../../functions/notify/message.js';

export const LEDGER = '2026重点工作台账';

export function prompt(n: number, overrides: Partial<PromptEntry> = {}): PromptEntry {
  return {
    ledgerId: LEDGER,
    taskId: `T-${String(n).padStart(4, '0')}`,
    taskNo: String(n),
    leadUnit: '县财政局',
    unit: '县财政局',
    stars: 3,
    period: '2026-Q1',
    reason: 'quarterly',
    sendOn: '2026-03-17',
    feedbackDue: '2026-03-26',
    roundupOn: '2026-04-08',
    taskTitle: `重点工作第${n}项：推进县域财政收入稳定增长`,
    feedbackUrl: `https://duban.example.gov.cn/feedback/${n}?sig=abc${n}`,
    ...overrides,
  };
}

export function item(n: number, overrides: Partial<PromptItem> = {}): PromptItem {
  const p = prompt(n);
  return {
    taskId: p.taskId,
    taskNo: p.taskNo,
    taskTitle: p.taskTitle,
    period: p.period,
    reason: p.reason,
    feedbackDue: p.feedbackDue,
    feedbackUrl: p.feedbackUrl!,
    ...overrides,
  };
}

/** 2026-03-17 08:05 Beijing time. */
export const MORNING = new Date('2026-03-17T00:05:00.000Z');

export function minutesAfter(d: Date, minutes: number): Date {
  return new Date(d.getTime() + minutes * 60_000);
}
