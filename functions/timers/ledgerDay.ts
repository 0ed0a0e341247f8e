// One ledger's part of the daily run (R15, R17, R18, R9, R10): its due reminders recorded, their
// history, the outbox, its candidates. Ledgers are independent (their own partitions), so the run
// does several side by side; inside a ledger the units' groups go side by side too, each in the order
// that keeps a stopped run recoverable: the Reminders row, then its history row, then the outbox entry.
import { createHash } from 'node:crypto';
import type { WorkCalendar } from '../../shared/calendar.js';
import { addDays } from '../../shared/dates.js';
import type { IsoDate, Reminder } from '../../shared/model.js';
import type { Settings } from '../../shared/settings.js';
import { reminderKey, type UnscheduledTask } from '../../shared/rules/schedule.js';
import type { Outbox, PromptEntry } from '../notify/outbox.js';
import { feedbackLinker } from '../feedbackLink.js';
import {
  appendEvents,
  eachLimited,
  prefetched,
  encodeKey,
  listFeedback,
  listProblems,
  listReminders,
  listTasks,
  recordReminders,
  refreshCandidates,
  splitKey,
  unitBucket,
  type NewEvent,
  type Storage,
} from '../storage/index.js';
import { deliveryOutside, ledgerCandidates, remindersBetween } from '../supervision.js';
import type { Env } from '../runtime/index.js';
import { failureText, isOutage } from './failures.js';

/** How long a unit's feedback link stays valid after the feedback due date (late answers still count, as late). */
export const LINK_VALID_DAYS_AFTER_DUE = 60;
/** What a ledger's part of the run shares with the others. */
export interface DayContext {
  storage: Storage;
  outbox: Outbox;
  env: Env;
  on: IsoDate;
  /** The first day caught up. */
  from: IsoDate;
  now: Date;
  calendar: WorkCalendar;
  settings: Settings;
  /** Each unit's link generation (links of a revoked generation are refused). */
  generations: Map<string, number>;
  /**
   * The day itself when a run already completed it (every ledger and unit written, no failure), else
   * null: that run put every recorded reminder of the day in the outbox.
   */
  completedThrough?: IsoDate | null;
  /** Groups of units of one ledger side by side. */
  concurrency: number;
  /**
   * Where the days queued on are collected when the caller lowers the outbox's watermark once for
   * all its ledgers (after their inserts); without it each ledger lowers it itself.
   */
  queuedDays?: Set<string>;
  log: (line: string) => void;
  /** A unit's failure: recorded in the office's history at once; the ledger goes on. */
  fail: (ledgerId: string | null, unit: string | null, step: string, e: unknown) => Promise<void>;
}

export interface LedgerOutcome {
  due: number;
  unscheduled: (UnscheduledTask & { ledgerId: string })[];
  queued: number;
  existing: number;
  candidates: { yellow: number; orange: number; new: number };
}

const stableId = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);

type Keyed = { r: Reminder; key: string };

/**
 * The reminders cut into groups of whole units, one group a bucket (storage/keys.ts `unitBucket`): a
 * group writes its own partition of the ledger's Reminders and of the day's Outbox, so the groups go side by side,
 * and each costs at most one short transaction of a partition more than one big group would.
 * In a stable order (bucket, unit, then key as listed).
 */
function unitGroups(list: Keyed[]): Keyed[][] {
  const byBucket = new Map<number, Keyed[]>();
  for (const k of [...list].sort((a, b) =>
    a.r.leadUnit < b.r.leadUnit ? -1 : a.r.leadUnit > b.r.leadUnit ? 1 : 0,
  )) {
    const b = unitBucket(k.r.leadUnit);
    const group = byBucket.get(b);
    if (group) group.push(k);
    else byBucket.set(b, [k]);
  }
  return [...byBucket.keys()].sort((a, b) => a - b).map((b) => byBucket.get(b) as Keyed[]);
}

/**
 * Once for a ledger (or a run's ledgers), after their inserts — never before: a delivery run that
 * scanned without them cannot raise the mark past them — and after a failed write too, for what was queued.
 */
export async function lowerWatermark(outbox: Outbox, queuedDays: Set<string>): Promise<void> {
  const earliest = [...queuedDays].sort()[0];
  if (earliest !== undefined) await outbox.lowerWatermark(earliest);
}

export async function ledgerDay(
  ctx: DayContext,
  ledger: { ledgerId: string; year: number },
): Promise<LedgerOutcome> {
  const { storage, outbox, env, on, from, now, calendar, settings, generations, log } = ctx;
  const nowIso = now.toISOString();
  // The reads that do not depend on one another go side by side: the tasks, the reminders recorded,
  // and the feedback and row problems the candidates need (this run writes none of them).
  const feedback = prefetched(() => listFeedback(storage, ledger.ledgerId));
  const problems = prefetched(() => listProblems(storage, ledger.ledgerId));
  const [tasks, recordedList] = await Promise.all([
    listTasks(storage, ledger.ledgerId),
    listReminders(storage, ledger.ledgerId),
  ]);
  const titles = new Map(tasks.map((t) => [t.task.id, t.task.title]));
  const { reminders: due, unscheduled } = remindersBetween(tasks, from, on, calendar, settings);
  const outcome: LedgerOutcome = {
    due: due.length,
    unscheduled: unscheduled.map((u) => ({ ledgerId: ledger.ledgerId, ...u })),
    queued: 0,
    existing: 0,
    candidates: { yellow: 0, orange: 0, new: 0 },
  };
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
  const recorded = new Map(recordedList.map((r) => [reminderKey(ledger.ledgerId, r), r]));
  const firstSeen = keyed.filter(({ key }) => !recorded.has(key));
  // A day a run completed has every recorded reminder of it in the outbox; only a stopped run leaves
  // one recorded and not queued.
  const done = ctx.completedThrough ?? null;
  const recheck = [...recorded]
    .filter(([, r]) => r.sendOn >= from && r.sendOn <= on && (done === null || r.sendOn > done))
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

  // The reminder's history row goes to its unit (one transaction per 100 reminders of a unit, where
  // per-task rows would cost a round trip each) and has a deterministic id and instant (its send
  // date, 08:00 Beijing), so writing it again after an interruption gives the same row. The task's
  // own history gets the delivery's outcome (functions/timers/delivery.ts).
  const history = (list: Keyed[]) =>
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
  const link = feedbackLinker(env);
  const prompt = ({ r }: Keyed): PromptEntry => ({
    ...r,
    ledgerId: ledger.ledgerId,
    unit: r.leadUnit,
    taskTitle: titles.get(r.taskId) ?? '',
    feedbackUrl: link({
      ledgerId: ledger.ledgerId,
      unit: r.leadUnit,
      taskId: r.taskId,
      period: r.period,
      expires: addDays(r.feedbackDue, LINK_VALID_DAYS_AFTER_DUE),
      generation: generations.get(r.leadUnit) ?? 0,
    }),
    createdAt: nowIso,
  });

  // One group of units: its reminders recorded, their history, the outbox. Each step is idempotent,
  // so a group written again after a failed attempt neither loses nor doubles anything.
  const writeGroup = async (
    first: Keyed[],
    again: Keyed[],
    present: Set<string>,
    queuedDays: Set<string>,
  ) => {
    await recordReminders(
      storage,
      ledger.ledgerId,
      first.map(({ r, key }) => ({ key, reminder: r, queuedOn: on })),
    );
    await history(first);
    const toQueue = [...first, ...again];
    const made: string[] = [];
    try {
      await outbox.enqueuePrompts(toQueue.map(prompt), { now, created: made, present, queuedDays });
    } finally {
      for (const k of made) created.add(k);
    }
    // Entries a stopped run had recorded but not queued: their history rows too (the same rows).
    const madeKeys = new Set(made);
    await history(again.filter(({ key }) => madeKeys.has(key)));
    for (const { key } of toQueue) covered.add(key);
  };

  // The delivery facts of the days the ledger's reminders were sent on other than the days this run
  // writes (nothing it writes is on them): read once for the ledger, while it writes, and kept for
  // each unit written one by one after a failed attempt.
  const ledgerWriteDays = new Set([...firstSeen, ...recheck].map(({ r }) => r.sendOn));
  const otherDays = prefetched(() =>
    deliveryOutside(outbox, ledger.ledgerId, [...recorded.values()], ledgerWriteDays),
  );

  // The ledger's writes, for every unit or for one: groups of units side by side, then the candidates.
  const write = async (unit?: string) => {
    const mine = <T extends { r: Reminder }>(list: T[]) =>
      unit === undefined ? list : list.filter(({ r }) => r.leadUnit === unit);
    const first = mine(firstSeen);
    const again = mine(recheck);
    // The day partitions are read once for the whole ledger, not once per group, and that reading
    // gives the candidates below the delivery facts of those days.
    const writeDays = new Set([...first, ...again].map(({ r }) => r.sendOn));
    const others = otherDays();
    const read = await outbox.daysRead([...writeDays], ledger.ledgerId);
    const present = read.ids;
    const againOf = new Map<string, Keyed[]>();
    for (const k of again) againOf.set(k.r.leadUnit, [...(againOf.get(k.r.leadUnit) ?? []), k]);
    const groups = unitGroups([...first, ...again]).map((g) => {
      const units = new Set(g.map(({ r }) => r.leadUnit));
      return {
        first: g.filter(({ key }) => !recorded.has(key)),
        again: [...units].flatMap((u) => againOf.get(u) ?? []),
      };
    });
    const queuedDays = ctx.queuedDays ?? new Set<string>();
    try {
      await eachLimited(groups, ctx.concurrency, (g) => writeGroup(g.first, g.again, present, queuedDays));
    } finally {
      if (!ctx.queuedDays) await lowerWatermark(outbox, queuedDays);
    }
    // What this run queued on the days read is queued and untried: no need to read it back.
    const facts = new Map(read.facts);
    for (const { key, r } of [...first, ...again])
      if (created.has(key) && !facts.has(key))
        facts.set(key, { key, sendOn: r.sendOn, status: 'queued', channels: [], lastError: null });
    const elsewhere = await others;
    for (const [key, f] of elsewhere.facts) if (!facts.has(key)) facts.set(key, f);
    ({ candidates } = await ledgerCandidates(storage, ledger.ledgerId, ledger.year, on, settings, {
      tasks,
      reminders: [...recorded.values(), ...firstSeen.map(({ r }) => r)],
      outbox,
      feedback: feedback(),
      problems: problems(),
      // An entry another run queued meanwhile is not known here: then the days are read again.
      delivery: [...first, ...again].every(({ key }) => facts.has(key))
        ? { days: new Set([...read.days, ...elsewhere.days]), facts }
        : undefined,
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
        await ctx.fail(ledger.ledgerId, unit, '每日督办', e2);
      }
    }
  }
  outcome.candidates.yellow = candidates.filter((c) => c.color === 'yellow').length;
  outcome.candidates.orange = candidates.filter((c) => c.color === 'orange').length;
  outcome.candidates.new = fresh.size;
  outcome.queued = created.size;
  outcome.existing = [...covered].filter((k) => !created.has(k)).length + alreadyQueued;
  log(
    `台账 ${ledger.ledgerId}: 到期提示 ${due.length} 条，新入队 ${outcome.queued} 条，已在队列 ${outcome.existing} 条；候选 ${candidates.length} 个（新增 ${fresh.size}）${unitsFailed ? `；${unitsFailed} 个单位失败` : ''}`,
  );
  return outcome;
}
