// Table Storage's size limits on Azurite (which enforces the service's property and entity limits),
// one table after another, with the office's data at and beyond each limit: a unit leading 2,000
// overdue tasks (Candidates), a title of 10,000 characters and titles as long as an Excel cell
// (Tasks, Outbox), a sync of 20,000 tasks (Tasks, Events), a feedback of 5,000 characters
// (Feedback), a red card citing 1,000 tasks (Cards, Events). And one unit's failure never stops the
// others' morning run.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApi, task, uniquePrefix, LINK_SECRET, type TestApi } from './support/api.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { runDailyCommand } from '../../functions/cli/runDaily.js';
import { createOutbox } from '../../functions/notify/outbox.js';
import { runtimeOutbox } from '../../functions/http/outboxRuntime.js';
import { runtimeEnv } from '../../functions/http/runtime.js';
import {
  MAX_CANDIDATE_BYTES,
  MAX_EVENT_DATA_BYTES,
  storedBytes,
  MAX_PROPERTY_CHARS,
  appendEvents,
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
    expect(await runDailyCommand(['--on', ON], cli.io, env)).toBe(0);
    expect(cli.o.out).toContain('橙牌 1 个');
    expect(cli.o.out).not.toContain('未完成');
  }, 180_000);

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
    expect(await runDailyCommand(['--on', ON], cli.io, env)).toBe(1);
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

describe('through the API', () => {
  let api: TestApi;
  let clock = new Date('2026-03-17T00:00:05Z');
  beforeAll(async () => {
    api = await startApi('limapi', { now: () => clock });
  });
  afterAll(() => api.close());

  it('R1/R15: a title of 10,000 characters syncs, is listed whole and reaches the outbox whole; titles as long as an Excel cell allows (32,767) for 60 tasks are queued the same day; 32,768 is refused naming the row and column', async () => {
    const long = '推进'.repeat(5000);
    const sync = (tasks: ReturnType<typeof task>[], ledgerId = 'TITLE') =>
      api.call('POST', '/ledger/sync', { body: { ledgerId, year: 2026, by: '李文书', tasks, problems: [] } });
    expect((await sync([task('T1', { row: 4, title: long, leadUnit: SMALL })])).status).toBe(200);
    const listed = await api.call('GET', '/tasks?ledgerId=TITLE');
    expect(listed.body.tasks[0].title).toBe(long);

    const cell = (i: number) => `${i}`.padEnd(32_767, '项');
    const many = Array.from({ length: 60 }, (_, i) =>
      task(`C${i}`, { row: 4 + i, title: cell(i), leadUnit: SMALL }),
    );
    expect((await sync(many, 'CELL')).status).toBe(200);

    const beyond = await sync([task('T2', { row: 7, title: 'x'.repeat(32_768), leadUnit: SMALL })], 'BEYOND');
    expect(beyond.status).toBe(413);
    expect(beyond.body.error.message).toBe(
      '第 7 行「工作任务」长 32768 字，超过 Excel 单元格上限 32767 字，未同步任何内容：请精简后再同步',
    );
    expect((await api.call('GET', '/tasks?ledgerId=BEYOND')).status).toBe(404);

    const r = await runDaily({ on: ON, storage: api.storage, now: clock });
    expect(r.failures).toEqual([]);
    expect(r.queued).toBe(61);
    const items = (await runtimeOutbox(runtimeEnv()).listOutbox({ date: ON, limit: 1000 })).items;
    expect(items.find((i) => i.taskId === 'T1')?.taskTitle).toBe(long);
    expect(
      items
        .filter((i) => i.ledgerId === 'CELL')
        .map((i) => i.taskTitle)
        .sort(),
    ).toEqual(many.map((t) => t.title).sort());
  }, 120_000);

  it('R19: a feedback of 5,000 characters is kept and listed exactly; 5,001 is refused in Chinese and nothing is kept', async () => {
    clock = new Date('2026-03-20T02:00:00Z');
    await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'FB',
        year: 2026,
        by: '李文书',
        tasks: [task('F1', { leadUnit: SMALL })],
        problems: [],
      },
    });
    const link = await api.call('POST', '/feedback-links', {
      body: { ledgerId: 'FB', unit: SMALL, taskId: 'F1', period: '2026-03' },
    });
    expect(link.status).toBe(201);
    const path = new URL(link.body.url as string).pathname.replace(/^\/api/, '');
    const text = '已完成'.repeat(1666) + '好。';
    expect(text).toHaveLength(5000);
    expect((await api.call('POST', path, { key: null, body: { text } })).status).toBe(201);
    const tooLong = await api.call('POST', path, { key: null, body: { text: text + '！' } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const listed = await api.call('GET', '/feedback?ledgerId=FB');
    expect(listed.body.feedback.map((f: { text: string }) => f.text)).toEqual([text]);
  }, 60_000);

  it('R12: a red card citing 1,000 tasks (ids of 100 characters) is kept whole in the unit’s record and history; each task’s history refers to it; 1,001 tasks are refused', async () => {
    clock = new Date('2026-03-20T02:00:00Z');
    const unit = '县住建局';
    const ids = Array.from({ length: 1000 }, (_, i) => `RC${String(i).padStart(4, '0')}`.padEnd(100, '号'));
    const sync = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'RC',
        year: 2026,
        by: '李文书',
        tasks: ids.map((id, i) => task(id, { row: 4 + i, leadUnit: unit })),
        problems: [],
      },
    });
    expect(sync.status).toBe(200);
    const orange = await api.call('POST', '/cards', {
      body: {
        ledgerId: 'RC',
        unit,
        color: 'orange',
        reason: '工作进展缓慢',
        taskIds: ids,
        date: '2026-03-02',
        by: '李文书',
      },
    });
    expect(orange.status).toBe(201);
    const interview = (date: string, cardId?: string) =>
      api.call('POST', '/interviews', {
        body: {
          unit,
          date,
          leader: '张副县长',
          interviewee: '钱局长',
          ...(cardId ? { cardId } : {}),
          by: '李文书',
        },
      });
    expect((await interview('2026-03-05', orange.body.card.id)).status).toBe(201);
    const second = await interview('2026-03-19');
    expect(second.status).toBe(201);
    expect(second.body.red.taskIds).toHaveLength(1000);
    const red = await api.call('GET', `/cards/${second.body.red.id}`);
    expect(red.status).toBe(200);
    expect(JSON.stringify(red.body)).toContain(ids[999]);
    const unitHistory = await api.call('GET', `/history?unit=${encodeURIComponent(unit)}&limit=1000`);
    const redEvent = unitHistory.body.events.find(
      (e: { type: string; data: { color?: string } }) => e.type === 'card' && e.data.color === 'red',
    );
    expect(redEvent.data.taskIds).toEqual(second.body.red.taskIds);
    const taskHistory = await api.call('GET', `/history?ledgerId=RC&taskId=${encodeURIComponent(ids[999]!)}`);
    const ref = taskHistory.body.events.find((e: { data: { color?: string } }) => e.data.color === 'red');
    expect(ref.data.taskIds).toHaveLength(50);
    expect(ref.data.omittedNote).toBe(
      `此牌共引用 1000 项任务，这里只列前 50 项；完整清单见单位「${unit}」的牌 ${second.body.red.id}（GET /api/cards/${second.body.red.id}）`,
    );
    const beyond = await api.call('POST', '/cards', {
      body: {
        ledgerId: 'RC',
        unit,
        color: 'yellow',
        reason: '工作不到位',
        taskIds: [...ids, 'X'],
        by: '李文书',
      },
    });
    expect(beyond.status).toBe(400);
  }, 180_000);

  it('R8: a sync of 20,000 tasks is kept whole and recorded in the ledger’s history; 20,001 are refused; an event whose lists outgrow a row is cut visibly, saying where the rest is', async () => {
    clock = new Date('2026-03-20T02:00:00Z');
    const tasks = Array.from({ length: 20_000 }, (_, i) =>
      task(`S${String(i).padStart(5, '0')}`, {
        row: 4 + i,
        title: `重点任务${i}`,
        leadUnit: `县第${i % 50}单位`,
      }),
    );
    const body = { ledgerId: 'BIG', year: 2026, by: '李文书', tasks, problems: [] };
    const sync = await api.call('POST', '/ledger/sync', { body });
    expect(sync.status).toBe(200);
    expect(sync.body.added).toHaveLength(20_000);
    expect(await listTasks(api.storage, 'BIG')).toHaveLength(20_000);
    const history = await api.call('GET', '/history?ledgerId=BIG');
    expect(history.body.events[0]).toMatchObject({
      type: 'ledger-sync',
      data: { tasks: 20_000, added: 20_000 },
    });
    const beyond = await api.call('POST', '/ledger/sync', {
      body: { ...body, tasks: [...tasks, task('S20000', { row: 20_004 })] },
    });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.message).toMatch(/[\u4e00-\u9fff]/);

    // An event with a list of 60,000 ids (≈ 1.1 million characters): the row keeps what fits.
    const removed = Array.from({ length: 60_000 }, (_, i) => `REMOVED-${String(i).padStart(10, '0')}`);
    expect(storedBytes(JSON.stringify(removed))).toBeGreaterThan(MAX_EVENT_DATA_BYTES);
    await appendEvents(api.storage, [
      {
        subject: { ledgerId: 'HUGE' },
        type: 'ledger-sync',
        date: '2026-03-20',
        data: { tasks: 0, removed },
        rest: '每项任务的移除另记在该任务自己的历史中',
      },
    ]);
    const [ev] = await subjectHistory(api.storage, { ledgerId: 'HUGE' });
    const data = ev!.data as {
      removed: string[];
      omitted: { removed: { kept: number; total: number } };
      omittedNote: string;
    };
    expect(data.removed).toEqual(removed.slice(0, data.removed.length));
    expect(data.omitted.removed).toEqual({ kept: data.removed.length, total: 60_000 });
    expect(data.omittedNote).toBe(
      `此条记录过长，列表已截短：removed 共 60000 项，只记前 ${data.removed.length} 项，另有 ${60_000 - data.removed.length} 项未记入此条。每项任务的移除另记在该任务自己的历史中`,
    );
  }, 300_000);
});
