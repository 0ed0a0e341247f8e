// Table Storage's size limits on Azurite (which enforces the service's property and entity limits)
// for the morning run: a unit leading 2,000 overdue tasks (Candidates), a candidate whose findings
// outgrow one row, and one unit's failure that must not stop the others. The other tables' limit
// tests: limitsApi.test.ts (titles, feedback, a red card citing 1,000 tasks) and limitsSync.test.ts
// (a sync of 20,000 tasks).
import { describe, expect, inject, it } from 'vitest';
import { task, uniquePrefix, LINK_SECRET } from './support/api.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { runDailyCommand } from '../../functions/cli/runDaily.js';
import { createOutbox } from '../../functions/notify/outbox.js';
import {
  MAX_CANDIDATE_BYTES,
  storedBytes,
  MAX_PROPERTY_CHARS,
  lastDailyRun,
  listCandidates,
  listTasks,
  openStorage,
  putLedger,
  refreshCandidates,
  subjectHistory,
  writeTasks,
  type Storage,
} from '../../functions/storage/index.js';
import type { Candidate } from '../../shared/rules/candidates.js';
import type { LedgerTask } from '../../shared/model.js';

const ON = '2026-03-17';
const NOW = new Date('2026-03-17T00:00:05Z');
const BIG = '县交通运输局';
const SMALL = '县财政局';

function io() {
  const o = { out: '', err: '' };
  return {
    o,
    io: { out: (t: string) => void (o.out += t + '\n'), err: (t: string) => void (o.err += t + '\n') },
  };
}

/** A stored task: 3★, open, deadline 2026-03-01 (so past on 17 March: R10 orange). */
function overdue(id: string, row: number, unit: string, over: Partial<LedgerTask> = {}) {
  return {
    next: {
      task: task(id, {
        row,
        leadUnit: unit,
        deadline: { text: '2026年3月1日', date: '2026-03-01', recurrence: null },
        ...over,
      }),
      stars: 3 as const,
      closed: false,
      closedOn: null,
      closeNote: null,
      removed: false,
      removedOn: null,
    },
    etag: null,
  };
}

interface Fresh {
  storage: Storage;
  env: {
    DUBAN_STORAGE: string;
    DUBAN_TABLE_PREFIX: string;
    DUBAN_LINK_SECRET: string;
    DUBAN_PUBLIC_URL: string;
  };
}

async function freshStorage(tag: string): Promise<Fresh> {
  const prefix = uniquePrefix(tag);
  const env = {
    DUBAN_STORAGE: inject('azuriteConnectionString'),
    DUBAN_TABLE_PREFIX: prefix,
    DUBAN_LINK_SECRET: LINK_SECRET,
    DUBAN_PUBLIC_URL: 'http://localhost:7071',
  };
  return { storage: await openStorage({ connectionString: env.DUBAN_STORAGE, prefix }), env };
}

describe('Candidates: a unit leading 2,000 overdue tasks', () => {
  it('R10: the morning run completes — the unit is an orange candidate with all 2,000 tasks and findings kept, the other unit is reminded', async () => {
    const { storage, env } = await freshStorage('lim2k');
    await writeTasks(storage, 'city', [
      ...Array.from({ length: 2000 }, (_, i) => overdue(`JT${String(i).padStart(4, '0')}`, 4 + i, BIG)),
      overdue('CZ1', 2100, SMALL, {
        deadline: { text: '2026年12月31日', date: '2026-12-31', recurrence: null },
      }),
    ]);
    await putLedger(storage, {
      ledgerId: 'city',
      year: 2026,
      syncedAt: NOW.toISOString(),
      by: 't',
      tasks: 2001,
    });
    const outbox = createOutbox({ connectionString: env.DUBAN_STORAGE, tablePrefix: env.DUBAN_TABLE_PREFIX });
    const r = await runDaily({ on: ON, storage, outbox, env, now: NOW });
    expect(r.failures).toEqual([]);
    expect(r.candidates.orange).toBe(1);
    // W−10 of Q1: the 3★ task of the other unit is reminded (the overdue ones are past their deadline).
    expect(r.queued).toBeGreaterThanOrEqual(1);
    const [c] = await listCandidates(storage, 'city');
    expect(c).toMatchObject({ unit: BIG, color: 'orange', reason: '工作进展缓慢', since: ON });
    expect(c!.taskIds).toHaveLength(2000);
    expect(c!.details).toHaveLength(2000);
    expect(c!.details[1999]).toContain('已过完成时限（2026-03-01）仍未销号');
    // The history row of the new candidate lists 50 findings and says how many there are and where.
    const events = (await subjectHistory(storage, { unit: BIG })).filter((e) => e.type === 'candidate');
    expect(events).toHaveLength(1);
    const data = events[0]!.data as { details: string[]; detailsCount: number; taskIds: string[] };
    expect(data.detailsCount).toBe(2000);
    expect(data.taskIds).toHaveLength(2000);
    expect(data.details.at(-1)).toBe(
      `……另有 1950 条，完整清单见 GET /api/candidates?ledgerId=city&asOf=${ON}`,
    );
    expect(await lastDailyRun(storage)).toBe(ON);

    // The operator's command: the same day again, exit 0, no failure printed.
    const cli = io();
    expect(await runDailyCommand(['--on', ON], cli.io, { env, now: () => NOW })).toBe(0);
    expect(cli.o.out).toContain('橙牌 1 个');
    expect(cli.o.out).not.toContain('未完成');
  }, 300_000);

  it('R10: a candidate whose findings outgrow one row keeps what fits and says, in its findings, how many more there are and where', async () => {
    const { storage } = await freshStorage('limcand');
    const detail = (i: number) =>
      `第${i + 1}项任务已过完成时限（2026-03-01）仍未销号；依据：${'进展说明'.repeat(40)}`;
    const grown: Candidate = {
      unit: BIG,
      color: 'orange',
      reason: '工作进展缓慢',
      taskIds: Array.from({ length: 5000 }, (_, i) => `JT${i}`),
      details: Array.from({ length: 5000 }, (_, i) => detail(i)),
      evidence: [],
    };
    // At the limit: a candidate costing exactly MAX_CANDIDATE_BYTES (汉字: 3 bytes each as Azurite counts) is kept whole.
    const base: Candidate = { ...grown, taskIds: ['JT0'], details: [''] };
    const room = MAX_CANDIDATE_BYTES - Buffer.byteLength(JSON.stringify(JSON.stringify(base)));
    const exact: Candidate = {
      ...base,
      details: ['汉'.repeat(Math.floor(room / 3)) + 'x'.repeat(room % 3)],
    };
    expect(storedBytes(JSON.stringify(exact))).toBe(MAX_CANDIDATE_BYTES);
    await refreshCandidates(storage, 'L', [exact], ON);
    expect((await listCandidates(storage, 'L'))[0]!.details).toEqual(exact.details);

    // Beyond: five thousand long findings (≈ 1 million characters) — capped, visibly.
    expect(storedBytes(JSON.stringify(grown))).toBeGreaterThan(MAX_CANDIDATE_BYTES * 2);
    await refreshCandidates(storage, 'L', [grown], ON);
    const [kept] = await listCandidates(storage, 'L');
    expect(kept!.taskIds).toHaveLength(5000);
    const shown = kept!.details.length - 1;
    expect(shown).toBeGreaterThan(1000);
    expect(kept!.details.slice(0, shown)).toEqual(grown.details.slice(0, shown));
    expect(kept!.details.at(-1)).toBe(
      `……另有未存入候选快照的内容（情况 共 5000 条，此处只存前 ${shown} 条），完整清单见 GET /api/candidates?ledgerId=L（加载项「亮牌候选」）`,
    );
  }, 60_000);
});

describe('One unit’s failure never stops the others', () => {
  it('R15/R17: a task stored before the limits (a 40,000-character title no prompt row can hold) fails its unit only; the run goes on, records the failure in the office history, and duban run-daily prints it and exits 1', async () => {
    const { storage, env } = await freshStorage('limfail');
    const legacy = overdue('OLD1', 4, BIG, {
      title: '历史遗留任务'.repeat(6700),
      deadline: { text: '2026年12月31日', date: '2026-12-31', recurrence: null },
    });
    expect(legacy.next.task.title.length).toBeGreaterThan(MAX_PROPERTY_CHARS);
    await writeTasks(storage, 'L', [
      legacy,
      overdue('CZ1', 5, SMALL, {
        deadline: { text: '2026年12月31日', date: '2026-12-31', recurrence: null },
      }),
      overdue('CZ2', 6, SMALL),
    ]);
    // The legacy task is kept whole in storage (split over properties) and reads back unchanged.
    expect((await listTasks(storage, 'L')).find((t) => t.task.id === 'OLD1')!.task.title).toBe(
      legacy.next.task.title,
    );
    await putLedger(storage, { ledgerId: 'L', year: 2026, syncedAt: NOW.toISOString(), by: 't', tasks: 3 });

    const cli = io();
    expect(await runDailyCommand(['--on', ON], cli.io, { env, now: () => NOW })).toBe(1);
    expect(cli.o.out).toContain('未完成 1 处');
    expect(cli.o.out).toContain(
      `台账「L」单位「${BIG}」每日督办失败：待发提示的一条记录中「taskTitle」长 40200 字符`,
    );
    expect(cli.o.out + cli.o.err).not.toMatch(/\n\s+at |RestError/);
    // The other unit was done: its reminder queued, its orange candidate recorded.
    const outbox = createOutbox({ connectionString: env.DUBAN_STORAGE, tablePrefix: env.DUBAN_TABLE_PREFIX });
    const page = await outbox.listOutbox({ date: ON });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((i) => i.unit === SMALL)).toBe(true);
    expect(page.items.map((i) => i.taskId)).toContain('CZ1');
    expect((await listCandidates(storage, 'L')).map((c) => [c.unit, c.taskIds])).toEqual([[SMALL, ['CZ2']]]);
    // The office's history says which ledger and unit failed; the day is run again next time.
    const office = await subjectHistory(storage, { office: true });
    const failure = office.find((e) => e.type === 'daily-run-failure');
    expect(failure?.data).toMatchObject({ ledgerId: 'L', unit: BIG });
    expect(String(failure?.data.message)).toContain(`单位「${BIG}」`);
    expect(office.find((e) => e.type === 'daily-run')?.data.failures).toHaveLength(1);
    expect(await lastDailyRun(storage)).toBeNull();
  }, 60_000);
});
