// The daily run's frame (R22), shared by the run in one invocation (dailySupervision.ts) and the run
// fanned out one queue message per ledger (dailyQueue.ts): what a run starts with (the catch-up
// window, the settings, the delivery hold), how a ledger's outcome and failures add up, and what a
// run ends with once every ledger is done (overdue rectification flags R11, the office's daily-run
// event, the last completed day).
import { createHash } from 'node:crypto';
import { makeCalendar } from '../../shared/calendar.js';
import { addDays } from '../../shared/dates.js';
import type { IsoDate } from '../../shared/model.js';
import type { UnscheduledTask } from '../../shared/rules/schedule.js';
import { overdueRectifications } from '../../shared/rules/cards.js';
import { createOutbox, type Outbox } from '../notify/outbox.js';
import {
  allUnitEvents,
  appendEvents,
  eachLimited,
  lastDailyRun,
  loadSettings,
  setDailyRunning,
  setLastDailyRun,
  type Storage,
} from '../storage/index.js';
import { linkGenerations } from '../storage/links.js';
import { runtimeEnv, type Env } from '../runtime/index.js';
import { failureText, isOutage, technicalDetail } from './failures.js';
import { ledgerDay, type DayContext, type LedgerOutcome } from './ledgerDay.js';

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
  /**
   * Ledgers (and a ledger's groups of units, and overdue flags) handled side by side; default the
   * storage's concurrency. 1 does everything one after another; the results are the same.
   */
  concurrency?: number;
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

const stableId = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);

/** A run under way: its context for the ledgers, its result so far, where it reports. */
export interface Day {
  ctx: DayContext;
  result: DailyRunResult;
  outbox: Outbox;
  log: (line: string) => void;
  /** A ledger's or unit's failure, into `into` and `lines` (work side by side merges them in order). */
  fail: (
    ledgerId: string | null,
    unit: string | null,
    step: string,
    e: unknown,
    into?: DailyRunFailure[],
    lines?: string[],
  ) => Promise<void>;
  startTrips: number;
  startOutboxTrips: number;
}

/**
 * Starts a run: holds delivery of today's prompts (a lease that lapses by itself if the run dies),
 * reads the settings and link generations, and works out the days to catch up since the last
 * completed run. `from` is given when the run was started elsewhere (a ledger's queue message).
 */
export async function startDay(opts: DailyRunOptions, given?: { from: IsoDate }): Promise<Day> {
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
  if (!given) await setDailyRunning(storage, on, new Date(now.getTime() + DAILY_RUN_LEASE_MS));
  const settings = await loadSettings(storage);
  const calendar = makeCalendar(settings);
  // Links are signed with each unit's current generation: a unit whose links were revoked gets new ones.
  const generations = await linkGenerations(storage);
  let from = given?.from ?? on;
  let skipped: DailyRunResult['skipped'] = null;
  let completedThrough: IsoDate | null = null;
  if (!given) {
    const last = await lastDailyRun(storage);
    // The same day run again after it completed (a second fire): that run covered this day. A run
    // for an earlier day (a backfill) checks its days again, whatever ran since.
    if (last === on) completedThrough = last;
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
  }
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
  /** A ledger's or a unit's failure: recorded in the office's history at once, the run goes on. */
  const fail: Day['fail'] = async (ledgerId, unit, step, e, into = result.failures, lines) => {
    const message = `${ledgerId ? `台账「${ledgerId}」` : ''}${unit ? `单位「${unit}」` : ''}${step}失败：${failureText(e)}。其余台账和单位已照常处理；今天的提示与候选将在下次运行时补齐`;
    into.push({ ledgerId, unit, step, message });
    if (lines) lines.push(`错误：${message}`);
    else log(`错误：${message}`);
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
  const ctx: DayContext = {
    storage,
    outbox,
    env,
    on,
    from,
    now,
    calendar,
    settings,
    generations,
    completedThrough,
    concurrency: opts.concurrency ?? storage.concurrency,
    log,
    fail,
  };
  return { ctx, result, outbox, log, fail, startTrips, startOutboxTrips };
}

/** What one ledger's part reports, kept apart so that ledgers done side by side report in order. */
export interface LedgerReport {
  ledgerId: string;
  outcome: LedgerOutcome | null;
  lines: string[];
  failed: DailyRunFailure[];
}

/** One ledger's part of the run; its log lines and failures are held for `addLedger`. */
export async function runLedger(day: Day, ledger: { ledgerId: string; year: number }): Promise<LedgerReport> {
  const lines: string[] = [];
  const failed: DailyRunFailure[] = [];
  const ctx: DayContext = {
    ...day.ctx,
    log: (l) => void lines.push(l),
    fail: (ledgerId, unit, step, e) => day.fail(ledgerId, unit, step, e, failed, lines),
  };
  try {
    return { ledgerId: ledger.ledgerId, outcome: await ledgerDay(ctx, ledger), lines, failed };
  } catch (e) {
    if (isOutage(e)) throw e;
    await ctx.fail(ledger.ledgerId, null, '每日督办', e);
    return { ledgerId: ledger.ledgerId, outcome: null, lines, failed };
  }
}

/** Adds a ledger's report to the run's result and log. */
export function addLedger(day: Day, report: LedgerReport): void {
  const { result } = day;
  result.ledgers++;
  report.lines.forEach((l) => day.log(l));
  result.failures.push(...report.failed);
  const outcome = report.outcome;
  if (!outcome) return;
  result.due += outcome.due;
  result.unscheduled.push(...outcome.unscheduled);
  result.queued += outcome.queued;
  result.existing += outcome.existing;
  result.candidates.yellow += outcome.candidates.yellow;
  result.candidates.orange += outcome.candidates.orange;
  result.candidates.new += outcome.candidates.new;
}

/**
 * Ends a run once every ledger is done: flags orange cards past their rectification deadline (R11),
 * writes the office's daily-run event, and (without failures) records the day as completed.
 */
export async function finishDay(day: Day): Promise<DailyRunResult> {
  const { storage, on, now, calendar, settings } = day.ctx;
  const { result, log, outbox } = day;
  const overdue = overdueRectifications(await allUnitEvents(storage), on, calendar, settings);
  result.overdueRectifications = overdue.map((o) => ({
    unit: o.unit,
    cardId: o.cardId,
    rectifyBy: o.rectifyBy,
  }));
  // R11: one unit's flag that cannot be written does not keep the others' flags from theirs. The
  // flags go side by side (one partition per unit); failures are reported in the flags' order.
  const flagged = await eachLimited(overdue, day.ctx.concurrency, async (o) => {
    const failed: DailyRunFailure[] = [];
    const lines: string[] = [];
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
      await day.fail(null, o.unit, '整改逾期标记', e, failed, lines);
    }
    return { failed, lines };
  });
  for (const { failed, lines } of flagged) {
    lines.forEach((l) => log(l));
    result.failures.push(...failed);
  }
  if (overdue.length)
    log(`整改逾期 ${overdue.length} 个：${overdue.map((o) => `${o.unit}（${o.rectifyBy}）`).join('、')}`);

  // R16: every working day this run counted (send dates, due dates, deadlines) went through `calendar`.
  result.calendarNotice = calendar.fallbackNotice();
  if (result.calendarNotice) log(`警告：${result.calendarNotice}`);
  // An outbox on the run's own storage is already counted in the storage's trips.
  result.roundTrips =
    storage.roundTrips -
    day.startTrips +
    (outbox.storage === storage ? 0 : outbox.roundTrips - day.startOutboxTrips);
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
  if (!result.failures.length) await setLastDailyRun(storage, on, now.toISOString());
  await setDailyRunning(storage, on, null);
  return result;
}
