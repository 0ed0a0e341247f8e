// What delivery decides without sending (R17): the retry policy and its limits at volume, the backoff,
// and when a prompt is no longer worth sending (its feedback due date or its link's expiry passed).
import { deliveryConfig } from '../config.js';
import type { ChannelRecord, OutboxItem, OutboxPatch } from './outbox.js';
import { ROBOT_RATE_LIMIT, type RateLimit } from './rateLimit.js';
import { DEFAULT_CHANNEL_CONCURRENCY, type ChannelConcurrency } from './channels/session.js';

export interface DeliveryPolicy {
  /** Attempts before an entry is marked failed (DUBAN_DELIVERY_MAX_ATTEMPTS, default 5). */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubled after each further one (DUBAN_DELIVERY_BACKOFF_MINUTES, default 5). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a run holds claimed entries; longer than a unit's sends can take. */
  leaseMs: number;
  /** Units sent to at the same time (DUBAN_DELIVERY_CONCURRENCY, default 16). */
  concurrency: number;
  /** Sends of each kind of channel in flight at once. */
  channelConcurrency: ChannelConcurrency;
  /** Messages one WeCom/DingTalk robot takes per window (DUBAN_ROBOT_RATE_PER_MINUTE, default 20 a minute). */
  robotRate: RateLimit;
  /** How long a run waits for a robot's next window; parts that would wait longer go in a later run. */
  rateWaitMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 5,
  backoffBaseMs: 5 * 60_000,
  backoffMaxMs: 6 * 3_600_000,
  leaseMs: 10 * 60_000,
  concurrency: 16,
  channelConcurrency: DEFAULT_CHANNEL_CONCURRENCY,
  robotRate: ROBOT_RATE_LIMIT,
  rateWaitMs: 60_000,
};

export function deliveryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryPolicy {
  return deliveryConfig(env, DEFAULT_DELIVERY_POLICY);
}

/** Wait before the next attempt after `attempts` failed ones: base, 2×base, 4×base, … capped. */
export function backoffDelay(attempts: number, policy: DeliveryPolicy): number {
  return Math.min(policy.backoffBaseMs * 2 ** Math.max(attempts - 1, 0), policy.backoffMaxMs);
}

export const NO_CHANNEL_ERROR = (unit: string) =>
  `单位“${unit}”未配置任何提示渠道（邮件、企业微信、钉钉或短信网关），提示未发出；请在单位设置中添加渠道后重新发送`;

/**
 * The last CST date the entry's feedback link is accepted, read from the link's payload (signed by
 * functions/feedbackLink.ts; the signature is checked where the link is used, not here). Null when the
 * link is not one of ours or cannot be read: the feedback due date still applies.
 */
export function linkExpiry(feedbackUrl: string): string | null {
  const token = /\/feedback\/([^/?#]+)/.exec(feedbackUrl)?.[1];
  const payload = token?.split('.')[0];
  if (!payload) return null;
  try {
    const e = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { e?: unknown }).e;
    return typeof e === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(e) ? e : null;
  } catch {
    return null;
  }
}

/**
 * R17: why a prompt must no longer be sent on `today` (CST), or null. A prompt asking a unit to answer
 * by a date that has passed, or through a link that no longer opens, would only mislead the unit:
 * it is marked stale with this reason instead of being sent, however late the delivery runs.
 */
export function staleReason(
  item: Pick<OutboxItem, 'feedbackDue' | 'feedbackUrl'>,
  today: string,
): string | null {
  if (item.feedbackDue < today)
    return `已过反馈期限（${item.feedbackDue}），提示未发出：单位已无法按期反馈，请核实后另行联系`;
  const expires = item.feedbackUrl ? linkExpiry(item.feedbackUrl) : null;
  if (expires !== null && expires < today)
    return `反馈链接已于 ${expires} 过期，提示未发出：请核实后另行联系`;
  return null;
}

/** A channel's record on an entry; `waitUntil` when its parts wait for a robot's next window. */
export type EntryChannelRecord = ChannelRecord & { waitUntil?: string };

/** Failures that another attempt cannot cure: only malformed channels failed (the office must fix them). */
function onlyInvalid(current: (ChannelRecord | undefined)[]): boolean {
  const failing = current.filter((r) => r && !r.ok);
  return failing.length > 0 && failing.every((r) => r!.kind === 'invalid');
}

/**
 * R17: what a claimed entry becomes after this run's sends, from its record on each of the unit's
 * channels. Sent when every channel delivered. Retrying, with no attempt counted, when all that holds
 * it back is a robot's window (`waiting`): it is due again when the robot takes messages. Failed when
 * nothing can cure it (no channel, only malformed ones) or after the last attempt, naming what did
 * deliver. Otherwise retrying after the backoff.
 */
export function entryOutcome(
  item: OutboxItem,
  current: (EntryChannelRecord | undefined)[],
  run: { generalError: string | null; noChannel: boolean; now: Date; policy: DeliveryPolicy },
): { patch: OutboxPatch; waiting: boolean } {
  const { generalError, noChannel, now, policy } = run;
  const nowIso = now.toISOString();
  const attempts = item.attempts + 1;
  const failing = current.filter((r): r is EntryChannelRecord => !!r && !r.ok);
  const errors = generalError ? [generalError] : failing.map((r) => `${r.label}：${r.detail}`);
  const lastError = errors.length ? errors.join('；') : null;
  const base = { lastAttemptAt: nowIso, claimedUntil: null };
  if (generalError === null && failing.length > 0 && failing.every((r) => r.waitUntil !== undefined)) {
    const until = failing.map((r) => r.waitUntil!).sort()[failing.length - 1]!;
    const patch: OutboxPatch = {
      ...base,
      status: 'retrying',
      attempts: item.attempts,
      lastError,
      nextAttemptAt: until,
    };
    return { patch, waiting: true };
  }
  if (generalError === null && current.every((r) => r?.ok)) {
    const patch: OutboxPatch = {
      ...base,
      status: 'sent',
      attempts,
      sentAt: nowIso,
      lastError: null,
      nextAttemptAt: null,
    };
    return { patch, waiting: false };
  }
  const incurable = noChannel || onlyInvalid(current);
  if (incurable || attempts >= policy.maxAttempts) {
    const delivered = current.filter((r) => r?.ok).map((r) => r!.label);
    const suffix = delivered.length ? `（已送达：${delivered.join('、')}）` : '';
    const why = incurable
      ? `${lastError ?? ''}${suffix}`
      : `已尝试${attempts}次仍未送达：${lastError ?? ''}${suffix}`;
    const patch: OutboxPatch = {
      ...base,
      status: 'failed',
      attempts,
      failedAt: nowIso,
      lastError: why,
      nextAttemptAt: null,
    };
    return { patch, waiting: false };
  }
  const next = new Date(now.getTime() + backoffDelay(attempts, policy)).toISOString();
  return { patch: { ...base, status: 'retrying', attempts, lastError, nextAttemptAt: next }, waiting: false };
}
