// The daily supervision run (UTC `0 0 0 * * *` = 08:00 Beijing, R22). It decides nothing itself:
//  - the reminders due (shared reminderSchedule, R15, R18) go to the outbox, one entry per
//    idempotency key (R17: a second run of the same day queues nothing new);
//  - days the timer missed since the last completed run (up to CATCH_UP_DAYS) are caught up, and
//    older ones are reported as skipped, never dropped silently;
//  - yellow/orange candidates are refreshed (shared candidates, R9, R10), new ones recorded;
//  - orange cards past their rectification deadline are flagged, every day until resolved (R11);
//  - everything is appended to the history.
// Every write is idempotent (upserts with deterministic keys, create-if-absent in the outbox), so a
// run interrupted by a storage outage is simply run again: nothing is lost and nothing doubled.
import { createHash } from 'node:crypto';
import type { InvocationContext, Timer } from '@azure/functions';
import { makeCalendar } from '../../shared/calendar.js';
import { addDays, chinaToday } from '../../shared/dates.js';
import type { IsoDate, Reminder } from '../../shared/model.js';
import { reminderKey, type UnscheduledTask } from '../../shared/rules/schedule.js';
import { overdueRectifications } from '../../shared/rules/cards.js';
import { createOutbox, type Outbox, type PromptEntry } from '../notify/outbox.js';
import { feedbackUrl, signFeedbackToken } from '../feedbackLink.js';
import {
  allUnitEvents,
  appendEvents,
  lastDailyRun,
  listLedgers,
  listReminders,
  listTasks,
  loadSettings,
  recordReminders,
  refreshCandidates,
  setDailyRunning,
  setLastDailyRun,
  encodeKey,
  splitKey,
  type NewEvent,
  type Storage,
} from '../storage/index.js';
import { ApiError, storageStatus } from '../errors.js';
import { linkGenerations } from '../storage/links.js';
import { ledgerCandidates, remindersBetween } from '../supervision.js';
import { runtimeEnv, runtimeStorage, now as runtimeNow, type Env } from '../runtime/index.js';

/** How long a unit's feedback link stays valid after the feedback due date (late answers still count, as late). */
export const LINK_VALID_DAYS_AFTER_DUE = 60;
/**
 * How many days back a run catches up on (a quarter): after the app was stopped, the reminders of the
 * days it missed are queued too (R17: no prompt silently vanishes; the outbox dedups). Days before
 * that are not caught up, and are reported (`skipped`, a warning, the daily-run event).
 */
export const CATCH_UP_DAYS = 92;
/** How long delivery waits for a daily run that has not finished queueing (it normally takes seconds). */
export const DAILY_RUN_LEASE_MS = 30 * 60_000;

export interface DailyRunOptions {
  on: IsoDate;
  storage: Storage;
  outbox?: Outbox;
  env?: Env;
  now?: Date;
  log?: (line: string) => void;
  /** The technical detail of a failure (the service's text, the stack): for the log, never a terminal. */
  detail?: (line: string) => void;
}

export interface DailyRunResult {
  on: IsoDate;
  /** The first day caught up (the day after the last run, at most CATCH_UP_DAYS back). */
  from: IsoDate;
  /** Missed days older than CATCH_UP_DAYS: not caught up, reported. */
  skipped: { from: IsoDate; to: IsoDate } | null;
  workingDay: boolean;
  ledgers: number;
  /** Reminders due in [from, on]. */
  due: number;
  /** Outbox entries created by this run / already there from an earlier run. */
  queued: number;
  existing: number;
  candidates: { yellow: number; orange: number; new: number };
  overdueRectifications: { unit: string; cardId: string; rectifyBy: IsoDate }[];
  /**
   * R16: set when a year this run counted working days in has no holiday data (Mon–Fri was used): in
   * the result, the log and the office's history (the daily-run event).
   */
  calendarNotice: string | null;
  /** Open tasks the schedule cannot take (no lead unit, no star even by kind), with the reason (R15, R18). */
  unscheduled: (UnscheduledTask & { ledgerId: string })[];
  /**
   * Ledgers and units whose part of the run failed (the others were done), each with a Chinese
   * message naming them; also in the office's history (`daily-run-failure`). Empty on a complete run.
   */
  failures: DailyRunFailure[];
  roundTrips: number;
}

export interface DailyRunFailure {
  ledgerId: string | null;
  unit: string | null;
  /** What failed: 每日督办 (a ledger's or unit's reminders and candidates), 整改逾期标记. */
  step: string;
  message: string;
}

/** Storage unreachable (not one row's data): the whole run stops and is simply run again (idempotent). */
export function isOutage(e: unknown): boolean {
  if (e instanceof ApiError) return e.status === 503;
  const status = storageStatus(e);
  if (status !== undefined) return status >= 500 || status === 408;
  return (e as Error | null)?.name === 'RestError';
}

/** A failure as a clerk reads it: the Chinese message of an ApiError, else a plain description. */
function failureText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  const status = storageStatus(e);
  if (status !== undefined) return `存储拒绝写入（状态 ${status}），详情见运行日志`;
  const message = (e as Error | null)?.message ?? '';
  return /[\u4e00-\u9fff]/.test(message) ? message : '程序出错，详情见运行日志';
}

/** For the log only: the service's or runtime's own text and the stack. */
function technicalDetail(e: unknown): string {
  const err = e as (Error & { detail?: string }) | null;
  return [err?.detail, err?.stack ?? String(e)].filter(Boolean).join('\n');
}

const stableId = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);

export async function runDaily(opts: DailyRunOptions): Promise<DailyRunResult> {
  const { on, storage } = opts;
  const env = opts.env ?? runtimeEnv();
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => {});
  const detail = opts.detail ?? (() => {});
  const startTrips = storage.roundTrips;
  await storage.init();
  const outbox = opts.outbox ?? createOutbox({ storage });
  const startOutboxTrips = outbox.roundTrips;
  // Delivery holds today's prompts while this run queues them (one message per unit and day); the
  // lease lapses by itself if the run dies.
  await setDailyRunning(storage, on, new Date(now.getTime() + DAILY_RUN_LEASE_MS));
  const settings = await loadSettings(storage);
  const calendar = makeCalendar(settings);
  // Links are signed with each unit's current generation: a unit whose links were revoked gets new ones.
  const generations = await linkGenerations(storage);
  const last = await lastDailyRun(storage);
  let from = on;
  let skipped: DailyRunResult['skipped'] = null;
  if (last && last < on) {
    const next = addDays(last, 1);
    const floor = addDays(on, -(CATCH_UP_DAYS - 1));
    from = next > floor ? next : floor;
    if (next < floor) skipped = { from: next, to: addDays(floor, -1) };
  }
  if (from < on) log(`补齐漏跑的日子：${from} 至 ${addDays(on, -1)}（上次运行 ${last}）`);
  if (skipped)
    log(
      `警告：${skipped.from} 至 ${skipped.to} 超过 ${CATCH_UP_DAYS} 天未运行，这些日子的提示未补发，请核对（可用 GET /api/reminders?on= 查看当日应发提示）`,
    );
  const result: DailyRunResult = {
    on,
    from,
    skipped,
    workingDay: calendar.isWorkingDay(on),
    ledgers: 0,
    due: 0,
    queued: 0,
    existing: 0,
    candidates: { yellow: 0, orange: 0, new: 0 },
    overdueRectifications: [],
    calendarNotice: null,
    unscheduled: [],
    failures: [],
    roundTrips: 0,
  };
  const nowIso = now.toISOString();

  const failures = result.failures;
  /** A ledger's or a unit's failure: recorded in the office's history at once, the run goes on. */
  const fail = async (ledgerId: string | null, unit: string | null, step: string, e: unknown) => {
    const message = `${ledgerId ? `台账「${ledgerId}」` : ''}${unit ? `单位「${unit}」` : ''}${step}失败：${failureText(e)}。其余台账和单位已照常处理；今天的提示与候选将在下次运行时补齐`;
    failures.push({ ledgerId, unit, step, message });
    log(`错误：${message}`);
    detail(`${message}\n${technicalDetail(e)}`);
    await appendEvents(
      storage,
      [
        {
          subject: { office: true },
          type: 'daily-run-failure',
          date: on,
          data: { ledgerId, unit, step, message, detail: technicalDetail(e).slice(0, 2000) },
        },
      ],
      now,
    );
  };

  for (const ledger of await listLedgers(storage)) {
    result.ledgers++;
    try {
      await ledgerDay(ledger);
    } catch (e) {
      if (isOutage(e)) throw e;
      await fail(ledger.ledgerId, null, '每日督办', e);
    }
  }

  async function ledgerDay(ledger: { ledgerId: string; year: number }) {
    const tasks = await listTasks(storage, ledger.ledgerId);
    const titles = new Map(tasks.map((t) => [t.task.id, t.task.title]));
    const { reminders: due, unscheduled } = remindersBetween(tasks, from, on, calendar, settings);
    result.due += due.length;
    result.unscheduled.push(...unscheduled.map((u) => ({ ledgerId: ledger.ledgerId, ...u })));
    if (unscheduled.length)
      log(
        `台账 ${ledger.ledgerId}: ${unscheduled.length} 项未办结任务无法提示：${unscheduled
          .slice(0, 20)
          .map((u) => `${u.row ? `第${u.row}行` : ''}${u.taskNo ?? ''}（${u.taskId}）${u.reason}`)
          .join('；')}${unscheduled.length > 20 ? ' 等' : ''}`,
      );
    const keyed = due.map((r) => ({ r, key: reminderKey(ledger.ledgerId, r) }));
    // R17: the key (ledger|task|period|reason) is the reminder's identity, whatever its send date. A
    // changed setting, calendar, star or start date can move a reminder's send date after it was
    // queued; the reminder recorded first stays the one (its send date is its outbox partition), so
    // the moved one is not queued again. The Reminders row is written first; a run interrupted after
    // it is completed by the next run, which puts every recorded reminder of its own days into the
    // outbox again (create-if-absent: one query per day, nothing doubled) and writes the history row
    // of each entry that was missing.
    const recorded = new Map(
      (await listReminders(storage, ledger.ledgerId)).map((r) => [reminderKey(ledger.ledgerId, r), r]),
    );
    const firstSeen = keyed.filter(({ key }) => !recorded.has(key));
    const recheck = [...recorded]
      .filter(([, r]) => r.sendOn >= from && r.sendOn <= on)
      .map(([key, r]) => ({ r, key }));
    const rechecked = new Set(recheck.map(({ key }) => key));
    const alreadyQueued = keyed.filter(({ key }) => recorded.has(key) && !rechecked.has(key)).length;
    // The candidates (R9, R10), from the reminders recorded and those this run records, computed
    // after the outbox writes (they read the outbox); the last computation is the one counted.
    let candidates: Awaited<ReturnType<typeof ledgerCandidates>>['candidates'] = [];

    // What the writes of this ledger did, over every attempt (the whole ledger, then unit by unit).
    const created = new Set<string>();
    const covered = new Set<string>();
    const fresh = new Set<string>();
    let unitsFailed = 0;

    // The ledger's writes, for every unit or for one: reminders recorded, their history, the outbox,
    // the candidates. Each is idempotent, so writing a unit again after a failed attempt for the
    // whole ledger neither loses nor doubles anything.
    const write = async (unit?: string) => {
      const mine = <T extends { r: Reminder }>(list: T[]) =>
        unit === undefined ? list : list.filter(({ r }) => r.leadUnit === unit);
      const first = mine(firstSeen);
      const again = mine(recheck);
      await recordReminders(
        storage,
        ledger.ledgerId,
        first.map(({ r, key }) => ({ key, reminder: r, queuedOn: on })),
      );
      // The reminder's history row goes to its unit (one transaction per 100 reminders of a unit,
      // where per-task rows would cost a round trip each) and has a deterministic id and instant (its
      // send date, 08:00 Beijing), so writing it again after an interruption gives the same row. The
      // task's own history gets the delivery's outcome (functions/timers/delivery.ts).
      const history = (list: { r: Reminder; key: string }[]) =>
        appendEvents(
          storage,
          list.map(({ r, key }): NewEvent => ({
            subject: { unit: r.leadUnit },
            type: 'reminder',
            date: r.sendOn,
            id: 'reminder-' + stableId(key),
            at: `${r.sendOn}T00:00:00.000Z`,
            data: {
              key,
              ledgerId: ledger.ledgerId,
              taskId: r.taskId,
              taskNo: r.taskNo,
              period: r.period,
              reason: r.reason,
              feedbackDue: r.feedbackDue,
              ...(r.note ? { note: r.note } : {}),
            },
          })),
          now,
        );
      await history(first);
      const toQueue = [...first, ...again];
      const entries: PromptEntry[] = toQueue.map(({ r }) => ({
        ...r,
        ledgerId: ledger.ledgerId,
        unit: r.leadUnit,
        taskTitle: titles.get(r.taskId) ?? '',
        feedbackUrl: feedbackUrl(
          signFeedbackToken(
            {
              ledgerId: ledger.ledgerId,
              unit: r.leadUnit,
              taskId: r.taskId,
              period: r.period,
              expires: addDays(r.feedbackDue, LINK_VALID_DAYS_AFTER_DUE),
              generation: generations.get(r.leadUnit) ?? 0,
            },
            env,
          ),
          env,
        ),
        createdAt: nowIso,
      }));
      const made: string[] = [];
      try {
        await outbox.enqueuePrompts(entries, { now, created: made });
      } finally {
        for (const k of made) created.add(k);
      }
      // Entries a stopped run had recorded but not queued: their history rows too (the same rows).
      const madeKeys = new Set(made);
      await history(again.filter(({ key }) => madeKeys.has(key)));
      ({ candidates } = await ledgerCandidates(storage, ledger.ledgerId, ledger.year, on, settings, {
        tasks,
        reminders: [...recorded.values(), ...firstSeen.map(({ r }) => r)],
        outbox,
      }));
      const mineCandidates = unit === undefined ? candidates : candidates.filter((c) => c.unit === unit);
      const news = await refreshCandidates(
        storage,
        ledger.ledgerId,
        mineCandidates,
        on,
        async (list) => {
          await appendEvents(
            storage,
            list.map((c): NewEvent => ({
              subject: { unit: c.unit },
              type: 'candidate',
              date: on,
              id: 'candidate-' + stableId(ledger.ledgerId, c.color, c.reason, c.since),
              at: `${on}T00:00:00.000Z`,
              rest: `完整清单见 GET /api/candidates?ledgerId=${ledger.ledgerId}&asOf=${on}`,
              data: {
                ledgerId: ledger.ledgerId,
                color: c.color,
                reason: c.reason,
                taskIds: c.taskIds,
                // The history row lists the first 50 findings and says how many there are in all.
                details:
                  c.details.length > 50
                    ? [
                        ...c.details.slice(0, 50),
                        `……另有 ${c.details.length - 50} 条，完整清单见 GET /api/candidates?ledgerId=${ledger.ledgerId}&asOf=${on}`,
                      ]
                    : c.details,
                detailsCount: c.details.length,
              },
            })),
            now,
          );
        },
        unit,
      );
      for (const c of news) fresh.add(`${c.color}|${c.unit}|${c.reason}`);
      for (const { key } of toQueue) covered.add(key);
    };

    try {
      await write();
    } catch (e) {
      if (isOutage(e)) throw e;
      // One unit's data must not stop the others (a unit leading thousands of tasks, a row the
      // service refuses): the ledger is written again unit by unit, and each unit that still fails
      // is reported by name.
      log(`台账 ${ledger.ledgerId}: 整本写入失败（${failureText(e)}），改为逐个单位写入`);
      const units = new Set<string>([
        ...due.map((r) => r.leadUnit),
        ...recheck.map(({ r }) => r.leadUnit),
        ...candidates.map((c) => c.unit),
        ...(await storage.listPartition('Candidates', encodeKey(ledger.ledgerId))).map(
          (row) => splitKey(row.rowKey)[1] ?? '',
        ),
      ]);
      for (const unit of [...units].filter(Boolean).sort((a, b) => a.localeCompare(b, 'zh-CN'))) {
        try {
          await write(unit);
        } catch (e2) {
          if (isOutage(e2)) throw e2;
          unitsFailed++;
          await fail(ledger.ledgerId, unit, '每日督办', e2);
        }
      }
    }
    result.candidates.yellow += candidates.filter((c) => c.color === 'yellow').length;
    result.candidates.orange += candidates.filter((c) => c.color === 'orange').length;
    const queued = created.size;
    const existing = [...covered].filter((k) => !created.has(k)).length + alreadyQueued;
    result.queued += queued;
    result.existing += existing;
    result.candidates.new += fresh.size;
    log(
      `台账 ${ledger.ledgerId}: 到期提示 ${due.length} 条，新入队 ${queued} 条，已在队列 ${existing} 条；候选 ${candidates.length} 个（新增 ${fresh.size}）${unitsFailed ? `；${unitsFailed} 个单位失败` : ''}`,
    );
  }

  const overdue = overdueRectifications(await allUnitEvents(storage), on, calendar, settings);
  result.overdueRectifications = overdue.map((o) => ({
    unit: o.unit,
    cardId: o.cardId,
    rectifyBy: o.rectifyBy,
  }));
  // R11: one unit's flag that cannot be written does not keep the others' flags from theirs.
  for (const o of overdue) {
    try {
      await appendEvents(
        storage,
        [
          {
            subject: { unit: o.unit },
            type: 'rectification-overdue',
            date: on,
            id: 'overdue-' + stableId(o.cardId, on),
            at: `${on}T00:00:00.000Z`,
            data: { cardId: o.cardId, cardDate: o.cardDate, rectifyBy: o.rectifyBy },
          },
        ],
        now,
      );
    } catch (e) {
      if (isOutage(e)) throw e;
      await fail(null, o.unit, '整改逾期标记', e);
    }
  }
  if (overdue.length)
    log(`整改逾期 ${overdue.length} 个：${overdue.map((o) => `${o.unit}（${o.rectifyBy}）`).join('、')}`);

  // R16: every working day this run counted (send dates, due dates, deadlines) went through `calendar`.
  result.calendarNotice = calendar.fallbackNotice();
  if (result.calendarNotice) log(`警告：${result.calendarNotice}`);
  // An outbox on the run's own storage is already counted in the storage's trips.
  result.roundTrips =
    storage.roundTrips - startTrips + (outbox.storage === storage ? 0 : outbox.roundTrips - startOutboxTrips);
  await appendEvents(
    storage,
    [
      {
        subject: { office: true },
        type: 'daily-run',
        date: on,
        data: {
          ...result,
          overdueRectifications: result.overdueRectifications.length,
          // The history row stays small: the first 50 are listed, the count is exact.
          unscheduled: result.unscheduled.slice(0, 50),
          unscheduledCount: result.unscheduled.length,
        },
      },
    ],
    now,
  );
  // A run with failures is not complete: the next run starts again from this day, so the failed
  // units' reminders of today are queued then (everything already written is found, not doubled).
  if (!failures.length) await setLastDailyRun(storage, on, nowIso);
  await setDailyRunning(storage, on, null);
  return result;
}

/** The timer's handler: today in Beijing, the environment's storage; logs a missed schedule (isPastDue). */
export async function dailySupervision(timer: Timer, context: InvocationContext): Promise<void> {
  const now = runtimeNow();
  const on = chinaToday(now);
  if (timer.isPastDue) context.warn(`每日督办计时器延迟触发（isPastDue），按 ${on} 运行并补齐漏跑的日子`);
  const storage = await runtimeStorage();
  const result = await runDaily({
    on,
    storage,
    now,
    log: (l) => context.log(l),
    detail: (l) => context.error(l),
  });
  for (const f of result.failures) context.error(`每日督办：${f.message}`);
  if (result.skipped)
    context.warn(
      `每日督办：${result.skipped.from} 至 ${result.skipped.to} 的提示未补发（超过 ${CATCH_UP_DAYS} 天未运行）`,
    );
  if (result.calendarNotice) context.warn(`每日督办：${result.calendarNotice}`);
  if (result.unscheduled.length)
    context.warn(
      `每日督办：${result.unscheduled.length} 项未办结任务无法提示（无牵头单位或无星级），见 GET /api/reminders`,
    );
  context.log(
    `每日督办 ${on}（${result.from} 起）：到期提示 ${result.due}，新入队 ${result.queued}，候选 黄${result.candidates.yellow}/橙${result.candidates.orange}，整改逾期 ${result.overdueRectifications.length}，无法提示的任务 ${result.unscheduled.length}，存储往返 ${result.roundTrips}`,
  );
}
