// Delivery (R17): takes the outbox entries that are due, groups them per unit per day (one message
// listing the unit's tasks), claims each group with ETags, sends through each of the unit's
// channels, and records per entry and channel what happened. A failed channel is retried with
// exponential backoff, and only that channel: one that already delivered is not sent to again.
// After the last attempt the entry is `failed` with the error, visible in the outbox; nothing vanishes.
// At volume, units are sent to in parallel (bounded), each kind of channel has a bound of its own, and
// robots keep to their rate: a part the robot cannot take now waits (`retrying` until the robot's
// next window, no attempt counted) with the reason recorded on the entry.
import type { Channel } from '../../shared/api.js';
import { chinaToday } from '../../shared/dates.js';
import { composePrompt, type PromptItem } from './message.js';
import { checkChannel, type ChannelsConfig } from './channels/index.js';
import { describeError } from './channels/config.js';
import { openChannelSession } from './channels/session.js';
import { RateLimiter, systemClock, type DeliveryClock } from './rateLimit.js';
import {
  DEFAULT_DELIVERY_POLICY,
  entryOutcome,
  NO_CHANNEL_ERROR,
  staleReason,
  type DeliveryPolicy,
  type EntryChannelRecord,
} from './deliveryRules.js';
import {
  isDue,
  newRunId,
  type Outbox,
  type OutboxItem,
  type OutboxPatch,
  type OutboxStatus,
} from './outbox.js';

export {
  backoffDelay,
  DEFAULT_DELIVERY_POLICY,
  deliveryPolicyFromEnv,
  linkExpiry,
  NO_CHANNEL_ERROR,
  staleReason,
  type DeliveryPolicy,
} from './deliveryRules.js';

/** What happened to one entry in a run, for the history (events) kept by the backend. */
export interface DeliveryOutcome {
  item: OutboxItem;
  status: Extract<OutboxStatus, 'sent' | 'retrying' | 'failed' | 'cancelled' | 'stale'>;
  at: string;
  error: string | null;
}

export interface DeliverOptions {
  /** The run's clock: decides today (CST, R22), which retries are due, and the backoff. */
  now: Date;
  outbox: Outbox;
  /** The unit's prompt channels (the backend's units table). */
  getUnitChannels: (unit: string) => Promise<Channel[]>;
  channelsConfig: ChannelsConfig;
  policy?: Partial<DeliveryPolicy>;
  /**
   * R18: for claimed entries, the reason each is no longer to be sent (its task closed or removed
   * since it was queued; shared promptCancellation), or null. Absent: every entry is sent.
   */
  cancellations?: (items: OutboxItem[]) => Promise<Map<string, string | null>>;
  /**
   * The day of a daily run still queueing (its lease not lapsed), or null. While today's run is
   * queueing (ledger after ledger), today's entries wait, so that a unit's prompts of the day go out
   * in one message; a run that died holds them only until its lease lapses.
   */
  dailyRunInProgress?: (now: Date) => Promise<string | null>;
  /** Called once per entry after its outcome is stored (e.g. to append a history event). */
  onOutcome?: (outcome: DeliveryOutcome) => Promise<void> | void;
  log?: (line: string) => void;
  /** Time for the robots' rate limit and the waits for their windows (tests inject a manual one). */
  clock?: DeliveryClock;
  /** The robots' windows; by default this run's own (runs are minutes apart; a robot's "too many" answer also waits). */
  robots?: RateLimiter;
}

export interface DeliverySummary {
  /** Messages that reached a channel (one per unit, day and channel). */
  messages: number;
  /** Entries now sent / waiting for a retry / failed for good. */
  sent: number;
  retrying: number;
  failed: number;
  /** Entries not sent because their task was closed or removed meanwhile (R18), visible in the outbox. */
  cancelled: number;
  /**
   * Entries not sent because the unit could no longer answer them: their feedback due date or their
   * link's expiry had passed (R17), marked `stale` with the reason in the outbox.
   */
  stale: number;
  /**
   * Entries whose robot message (or some of its parts) waits for the robot's next window (its rate,
   * about 20 a minute): `retrying` until then, the reason on the entry; counted in `retrying` too.
   */
  deferred: number;
  /** Due entries another run held (claimed first); that run sends them. */
  skipped: number;
  /** Units prompted in this run. */
  units: number;
  /**
   * Units whose group could not be finished (storage unavailable). Their entries stay claimed until
   * the lease lapses and are then taken again: never lost, possibly sent twice if the send had
   * already happened (at-least-once).
   */
  errors: string[];
}

/** Storage calls after a send are retried a little before giving up: a lost outcome means a resend. */
async function persistently<T>(what: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await what();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 500 * i));
    }
  }
}

function toPromptItem(e: OutboxItem): PromptItem {
  return {
    taskId: e.taskId,
    taskNo: e.taskNo,
    taskTitle: e.taskTitle,
    period: e.period,
    reason: e.reason,
    feedbackDue: e.feedbackDue,
    feedbackUrl: e.feedbackUrl,
    ...(e.note ? { note: e.note } : {}),
  };
}

async function inBatches<T>(list: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const t = list[next++]!;
      await fn(t);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, list.length)) }, worker));
}

/** Sends every due prompt once; safe to run twice at once (claims are ETag-checked). */
export async function deliverDue(options: DeliverOptions): Promise<DeliverySummary> {
  const { now, outbox, getUnitChannels, channelsConfig } = options;
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
  const log = options.log ?? (() => {});
  const nowIso = now.toISOString();
  const today = chinaToday(now);
  const runId = newRunId();
  const summary: DeliverySummary = {
    messages: 0,
    sent: 0,
    retrying: 0,
    failed: 0,
    cancelled: 0,
    stale: 0,
    deferred: 0,
    skipped: 0,
    units: 0,
    errors: [],
  };

  // The watermark is read before the scan: raising it later is ETag-checked against this read.
  const mark = await outbox.readWatermark();
  const open = await outbox.openEntries(today, mark.openFrom);
  const holdToday =
    options.dailyRunInProgress !== undefined && (await options.dailyRunInProgress(now)) === today;
  if (holdToday) log(`今日（${today}）的每日督办正在入队，今日提示待其完成后再按单位统一发送`);
  const due = open.filter((i) => isDue(i, now) && !(holdToday && i.sendOn === today));
  /** Days that still have open entries after this run (waiting, held by another run, or retrying). */
  const stillOpen = new Set(
    open.filter((i) => !isDue(i, now) || (holdToday && i.sendOn === today)).map((i) => i.sendOn),
  );
  const groups = new Map<string, OutboxItem[]>();
  for (const item of due) {
    const k = `${item.sendOn}\u0000${item.unit}`;
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }

  const clock = options.clock ?? systemClock;
  const session = openChannelSession({
    config: channelsConfig,
    concurrency: policy.channelConcurrency,
    robots: options.robots ?? new RateLimiter(policy.robotRate, clock),
    clock,
    waitUntil: clock.now() + policy.rateWaitMs,
  });
  try {
    await inBatches([...groups.values()], policy.concurrency, async (group) => {
      try {
        await deliverGroup(group);
      } catch (e) {
        const unit = group[0]!.unit;
        stillOpen.add(group[0]!.sendOn);
        summary.errors.push(`${unit}（${group[0]!.sendOn}）：${describeError(e)}`);
        log(`提示投递中断：${unit}（${group[0]!.sendOn}）：${describeError(e)}；租约到期后将重新处理`);
      }
    });
  } finally {
    session.close();
  }

  async function deliverGroup(group: OutboxItem[]): Promise<void> {
    const unit = group[0]!.unit;
    const held = await outbox.claim(group, new Date(now.getTime() + policy.leaseMs), runId);
    summary.skipped += group.length - held.length;
    if (held.length < group.length) stillOpen.add(group[0]!.sendOn);
    if (held.length === 0) return;
    // R18: entries whose task was closed or removed since they were queued are not sent; they are
    // marked cancelled with the reason (visible in the outbox and the task's history).
    const reasons = options.cancellations
      ? await options.cancellations(held)
      : new Map<string, string | null>();
    const cancelled = held.filter((e) => reasons.get(e.key));
    // R17: a prompt the unit can no longer answer (due date or link expiry passed) is never sent.
    const stale = held
      .filter((e) => !reasons.get(e.key))
      .map((item) => ({ item, reason: staleReason(item, today) }))
      .filter((s): s is { item: OutboxItem; reason: string } => s.reason !== null);
    const staleKeys = new Set(stale.map((s) => s.item.key));
    const claimed = held.filter((e) => !reasons.get(e.key) && !staleKeys.has(e.key));
    if (stale.length) {
      log(`${unit}：${stale.length} 项提示已过反馈期限或链接已过期，未发出（标为已过期）`);
      await settleAndReport(
        stale.map(({ item, reason }) => ({
          item,
          patch: {
            status: 'stale' as const,
            lastError: reason,
            nextAttemptAt: null,
            claimedUntil: null,
            lastAttemptAt: nowIso,
          } satisfies OutboxPatch,
        })),
      );
    }
    if (cancelled.length) {
      const updates = cancelled.map((item) => ({
        item,
        patch: {
          status: 'cancelled' as const,
          lastError: reasons.get(item.key) ?? null,
          nextAttemptAt: null,
          claimedUntil: null,
          lastAttemptAt: nowIso,
        } satisfies OutboxPatch,
      }));
      await settleAndReport(updates);
    }
    if (claimed.length === 0) return;
    summary.units++;

    // Per entry: its channel records so far, updated by this run.
    const records = new Map<string, Map<string, EntryChannelRecord>>(
      claimed.map((e) => [e.key, new Map(e.channels.map((r) => [r.id, r]))]),
    );
    let channels: Channel[] = [];
    let generalError: string | null = null;
    try {
      channels = await getUnitChannels(unit);
      if (channels.length === 0) generalError = NO_CHANNEL_ERROR(unit);
    } catch (e) {
      generalError = `无法读取单位“${unit}”的提示渠道：${describeError(e)}`;
    }

    const checked = channels.map((c) => checkChannel(c, channelsConfig));
    for (const c of checked) {
      const needing = claimed.filter((e) => !records.get(e.key)?.get(c.id)?.ok);
      if (needing.length === 0) continue;
      const record = (e: OutboxItem, ok: boolean, detail: string, waitUntil?: number) => {
        const recs = records.get(e.key)!;
        recs.set(c.id, {
          id: c.id,
          kind: c.ok ? c.channel.kind : 'invalid',
          label: c.label,
          ok,
          at: nowIso,
          detail,
          attempts: (recs.get(c.id)?.attempts ?? 0) + 1,
          ...(waitUntil !== undefined ? { waitUntil: new Date(waitUntil).toISOString() } : {}),
        });
      };
      if (!c.ok) {
        log(`提示发送失败：${unit} ${c.label}：${c.error}`);
        for (const e of needing) record(e, false, c.error);
        continue;
      }
      const entryOf = new Map<PromptItem, OutboxItem>();
      const items = needing.map((e) => {
        const it = toPromptItem(e);
        entryOf.set(it, e);
        return it;
      });
      const result = await session.send(c.channel, c.id, composePrompt(unit, items, channelsConfig.office));
      if (result.delivered.length) summary.messages++;
      for (const it of result.delivered) record(entryOf.get(it)!, true, result.receipt);
      if (result.pending) {
        const { error, until } = result.pending;
        log(`${until === null ? '提示发送失败' : '提示待下次投递'}：${unit} ${c.label}：${error}`);
        for (const it of result.pending.items) record(entryOf.get(it)!, false, error, until ?? undefined);
      }
    }

    const noChannel =
      channels.length === 0 && generalError !== null && generalError === NO_CHANNEL_ERROR(unit);
    const updates = claimed.map((item) => {
      const recs = records.get(item.key)!;
      const current = checked.map((c) => recs.get(c.id));
      const { patch, waiting } = entryOutcome(item, current, { generalError, noChannel, now, policy });
      if (waiting) summary.deferred++;
      patch.channels = [...recs.values()];
      return { item, patch };
    });

    await settleAndReport(updates);
  }

  async function settleAndReport(updates: { item: OutboxItem; patch: OutboxPatch }[]): Promise<void> {
    const lost = new Set(await persistently(() => outbox.settle(updates)));
    for (const { item, patch } of updates) {
      if (lost.has(item.key) || patch.status === 'retrying') stillOpen.add(item.sendOn);
      if (lost.has(item.key)) {
        log(`提示状态未写入（已被其他投递进程接管）：${item.key}`);
        continue;
      }
      const status = patch.status as DeliveryOutcome['status'];
      summary[status]++;
      if (options.onOutcome) {
        try {
          await options.onOutcome({
            item: { ...item, ...patch, channels: patch.channels ?? item.channels } as OutboxItem,
            status,
            at: nowIso,
            error: patch.lastError ?? null,
          });
        } catch (e) {
          log(`记录投递结果失败：${item.key}：${describeError(e)}`);
        }
      }
    }
  }

  const earliestOpen = [...stillOpen].sort()[0];
  try {
    await outbox.advanceWatermark(
      earliestOpen !== undefined && earliestOpen < today ? earliestOpen : today,
      mark,
    );
  } catch (e) {
    // Harmless: the next run scans from the old mark.
    log(`提示水位未更新：${describeError(e)}`);
  }
  return summary;
}
