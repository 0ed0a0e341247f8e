// The daily supervision run (R15–R18, R9–R11) against Azurite: reminders queued once per key, feedback
// through the signed link, candidates, overdue rectifications, and the reads that show them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { listReminders, subjectHistory } from '../../functions/storage/index.js';
import { runtimeOutbox } from '../../functions/http/outboxRuntime.js';
import { runtimeEnv } from '../../functions/http/runtime.js';

let api: TestApi;
/** The API's clock (the signed link's expiry and "today" follow it). */
let clock = new Date('2026-03-17T00:00:05Z');
const L = 'daily-ledger';
const A = '县财政局';
const B = '县发改局';

beforeAll(async () => {
  api = await startApi('daily', { now: () => clock });
  const sync = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: 2026,
      by: '李文书',
      tasks: [
        task('R1', { row: 4, leadUnit: A, category: 'routine' }),
        task('R2', { row: 5, leadUnit: A, category: 'routine' }),
        task('R3', { row: 6, leadUnit: B, category: 'routine' }),
        task('RC', { row: 7, leadUnit: B, category: 'routine', closed: true }),
        task('I1', { row: 8, leadUnit: B, category: 'indicator', target: { value: 1200, unit: '人' } }),
        task('LATER', { row: 10, leadUnit: A, category: 'routine', startDate: '2026-06-01' }),
        task('LATE', {
          row: 9,
          leadUnit: B,
          category: 'routine',
          deadline: { text: '2026年3月10日', date: '2026-03-10', recurrence: null },
        }),
      ],
      problems: [{ row: 9, column: 'D', rule: 'R1', message: '缺少工作措施' }],
    },
  });
  expect(sync.status).toBe(200);
});
afterAll(() => api.close());

const outbox = () => runtimeOutbox(runtimeEnv());

describe('runDaily', () => {
  it('R15/R18: on 2026-03-17 (W−10 of Q1) every open 3★ task gets its quarterly reminder; the closed one none', async () => {
    const r = await runDaily({
      on: '2026-03-17',
      storage: api.storage,
      now: new Date('2026-03-17T00:00:05Z'),
    });
    expect(r).toMatchObject({
      on: '2026-03-17',
      from: '2026-03-17',
      workingDay: true,
      ledgers: 1,
      due: 4,
      queued: 4,
      existing: 0,
    });
    const page = await outbox().listOutbox({ date: '2026-03-17' });
    expect(page.items.map((i) => [i.taskId, i.unit, i.period, i.reason, i.feedbackDue]).sort()).toEqual([
      ['LATE', B, '2026-Q1', 'quarterly', '2026-03-26'],
      ['R1', A, '2026-Q1', 'quarterly', '2026-03-26'],
      ['R2', A, '2026-Q1', 'quarterly', '2026-03-26'],
      ['R3', B, '2026-Q1', 'quarterly', '2026-03-26'],
    ]);
    expect(page.items.every((i) => i.status === 'queued' && i.feedbackUrl.includes('/api/feedback/'))).toBe(
      true,
    );
  });

  it('R18: a task that has not started yet (开始时间 after the day) gets no reminder', async () => {
    const page = await outbox().listOutbox({ date: '2026-03-17' });
    expect(page.items.map((i) => i.taskId)).not.toContain('LATER');
    const q3 = await api.call('GET', `/reminders?on=2026-09-16&ledgerId=${L}`);
    expect(q3.body.reminders.map((r: { taskId: string }) => r.taskId)).toContain('LATER');
  });

  it('R17: a second run of the same day queues nothing new and writes no second history row', async () => {
    const r = await runDaily({
      on: '2026-03-17',
      storage: api.storage,
      now: new Date('2026-03-17T00:30:00Z'),
    });
    expect(r).toMatchObject({ due: 4, queued: 0, existing: 4 });
    expect((await outbox().listOutbox({ date: '2026-03-17' })).items).toHaveLength(4);
    expect(await listReminders(api.storage, L)).toHaveLength(4);
    const history = await subjectHistory(api.storage, { unit: A });
    expect(history.filter((h) => h.type === 'reminder').map((h) => h.data.taskId)).toEqual(['R1', 'R2']);
  });

  it('R17: GET /api/reminders lists what is due on a date with its key and whether it is queued', async () => {
    const res = await api.call('GET', `/reminders?on=2026-03-17&ledgerId=${L}`);
    expect(res.status).toBe(200);
    expect(res.body.reminders).toHaveLength(4);
    expect(res.body.reminders[0]).toMatchObject({
      key: `${L}|LATE|2026-Q1|quarterly`,
      queued: true,
      taskTitle: '任务LATE',
    });
    const later = await api.call('GET', `/reminders?on=2026-03-24&ledgerId=${L}`);
    expect(
      later.body.reminders.map((r: { taskId: string; reason: string; queued: boolean }) => [
        r.taskId,
        r.reason,
        r.queued,
      ]),
    ).toEqual([['I1', 'monthly', false]]);
  });

  it('R17: GET /api/outbox shows each prompt with its delivery status', async () => {
    const res = await api.call('GET', `/outbox?date=2026-03-17&unit=${encodeURIComponent(A)}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { taskId: string; status: string }) => [i.taskId, i.status])).toEqual([
      ['R1', 'queued'],
      ['R2', 'queued'],
    ]);
    const bad = await api.call('GET', '/outbox?status=lost');
    expect(bad.status).toBe(400);
  });

  it('R19: a unit answers through its signed link without a key; a tampered link → 401', async () => {
    clock = new Date('2026-03-20T02:00:00Z');
    const item = (await outbox().listOutbox({ date: '2026-03-17' })).items.find((i) => i.taskId === 'R1')!;
    const path = new URL(item.feedbackUrl).pathname.replace(/^\/api/, '');
    const form = await api.call('GET', path, { key: null });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ unit: A, taskId: 'R1', period: '2026-Q1', taskTitle: '任务R1' });
    const html = await api.call('GET', path, { key: null, headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(String(html.body)).toContain('任务R1');
    const sent = await api.call('POST', path, { key: null, body: { text: '一季度工作已按计划推进' } });
    expect(sent.status).toBe(201);
    expect(sent.body.feedback).toMatchObject({
      taskId: 'R1',
      unit: A,
      period: '2026-Q1',
      text: '一季度工作已按计划推进',
    });
    const tampered = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const refused = await api.call('POST', tampered, { key: null, body: { text: '伪造' } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toContain('签名');
    const history = await subjectHistory(api.storage, { ledgerId: L, taskId: 'R1' });
    expect(history.filter((h) => h.type === 'feedback')).toHaveLength(1);
    clock = new Date('2026-06-01T00:00:00Z');
    const expired = await api.call('POST', path, { key: null, body: { text: '过期后提交' } });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain('过期');
  });

  it('R19: the feedback page is never cached, sends no referrer, cannot be framed, runs no script and only its own style; a 5★ task’s open milestones are checkboxes', async () => {
    clock = new Date('2026-03-20T02:00:00Z');
    const sync = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'daily-milestones',
        year: 2026,
        by: '李文书',
        tasks: [
          task('M5', {
            row: 4,
            leadUnit: '县科技局',
            stars: 5,
            category: 'major',
            milestones: [
              { text: '主体封顶<b>', date: '2026-03-10', done: false },
              { text: '竣工验收', date: '2026-09-30', done: false },
            ],
          }),
        ],
      },
    });
    expect(sync.status).toBe(200);
    const link = await api.call('POST', '/feedback-links', {
      body: {
        ledgerId: 'daily-milestones',
        unit: A,
        taskId: 'M5',
        period: '2026-W12',
        expires: '2026-04-30',
      },
    });
    const path = new URL(link.body.url).pathname.replace(/^\/api/, '');
    const html = await api.call('GET', path, { key: null, headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('cache-control')).toBe('no-store');
    expect(html.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html.headers.get('x-frame-options')).toBe('DENY');
    const csp = html.headers.get('content-security-policy') ?? '';
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(String(html.body)).toContain(`<style nonce="${nonce}">`);
    expect(String(html.body)).not.toContain('<script');
    expect(String(html.body)).toContain('value="主体封顶&#60;b&#62;"');
    expect(String(html.body)).toContain('竣工验收');
    const again = await api.call('GET', path, { key: null, headers: { accept: 'text/html' } });
    expect(again.headers.get('content-security-policy')).not.toBe(csp);
    const sent = await api.call('POST', path, {
      key: null,
      body: { text: '主体已封顶', milestonesDone: ['主体封顶<b>'] },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.feedback.milestonesDone).toEqual(['主体封顶<b>']);
  });

  it('R19 (review 16): two answers to one link in the same millisecond are both kept, neither overwrites the other', async () => {
    clock = new Date('2026-03-20T03:00:00.000Z');
    const link = await api.call('POST', '/feedback-links', {
      body: {
        ledgerId: 'daily-milestones',
        unit: '县科技局',
        taskId: 'M5',
        period: '2026-W13',
        expires: '2026-04-30',
      },
    });
    const path = new URL(link.body.url).pathname.replace(/^\/api/, '');
    const both = await Promise.all(
      ['双击第一次', '双击第二次'].map((text) => api.call('POST', path, { key: null, body: { text } })),
    );
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    const list = await api.call('GET', '/feedback?ledgerId=daily-milestones&since=2026-03-20T00:00:00.000Z');
    const w13 = list.body.feedback.filter((f: { period: string }) => f.period === '2026-W13');
    expect(w13.map((f: { text: string }) => f.text).sort()).toEqual(['双击第一次', '双击第二次']);
    expect(new Set(w13.map((f: { id: string }) => f.id)).size).toBe(2);
  });

  it('R19: POST /api/feedback-links makes a signed link for a unit, task and period that the unit can use', async () => {
    clock = new Date('2026-03-20T02:00:00Z');
    const res = await api.call('POST', '/feedback-links', {
      body: { ledgerId: L, unit: B, taskId: 'R3', period: '2026-Q1', expires: '2026-04-30' },
    });
    expect(res.status).toBe(201);
    expect(res.body.url).toMatch(/^http:\/\/localhost:\d+\/api\/feedback\//);
    const form = await fetch(res.body.url);
    expect(await form.json()).toMatchObject({
      unit: B,
      taskId: 'R3',
      period: '2026-Q1',
      expires: '2026-04-30',
    });
    const unknown = await api.call('POST', '/feedback-links', {
      body: { ledgerId: L, unit: B, taskId: 'NOPE', period: '2026-Q1' },
    });
    expect(unknown.status).toBe(404);
  });

  it('R9/R10: after the feedback due date the units that did not report are yellow candidates; past-deadline tasks orange', async () => {
    const r = await runDaily({
      on: '2026-03-27',
      storage: api.storage,
      now: new Date('2026-03-27T00:00:05Z'),
    });
    // Every day since the last run (17 March) is caught up (review 8: the 7-day window dropped 18–20 March).
    expect(r.from).toBe('2026-03-18');
    const res = await api.call('GET', `/candidates?ledgerId=${L}&asOf=2026-03-27`);
    expect(res.status).toBe(200);
    const yellow = res.body.yellow.map((c: { unit: string; reason: string; taskIds: string[] }) => [
      c.unit,
      c.reason,
      c.taskIds,
    ]);
    expect(yellow).toContainEqual([A, '上报材料不及时', ['R2']]);
    expect(yellow).toContainEqual([B, '台账清单不规范', ['LATE']]);
    expect(res.body.orange.map((c: { unit: string; taskIds: string[] }) => [c.unit, c.taskIds])).toEqual([
      [B, ['LATE']],
    ]);
    const unitHistory = await subjectHistory(api.storage, { unit: A });
    expect(unitHistory.filter((h) => h.type === 'candidate').map((h) => h.data.reason)).toEqual([
      '上报材料不及时',
    ]);
  });

  it('R11: an orange card past its rectification deadline is flagged by every daily run until reported, once per day', async () => {
    const card = await api.call('POST', '/cards', {
      body: {
        ledgerId: L,
        unit: B,
        color: 'orange',
        reason: '工作进展缓慢',
        taskIds: ['LATE'],
        date: '2026-03-02',
        by: '李文书',
      },
    });
    expect(card.body.card.rectifyBy).toBe('2026-03-16');
    const first = await runDaily({ on: '2026-03-30', storage: api.storage });
    expect(first.overdueRectifications).toEqual([
      { unit: B, cardId: card.body.card.id, rectifyBy: '2026-03-16' },
    ]);
    await runDaily({ on: '2026-03-30', storage: api.storage });
    await runDaily({ on: '2026-03-31', storage: api.storage });
    const flags = (await subjectHistory(api.storage, { unit: B })).filter(
      (h) => h.type === 'rectification-overdue',
    );
    expect(flags.map((f) => f.date)).toEqual(['2026-03-30', '2026-03-31']);
    await api.call('POST', '/rectifications', {
      body: { unit: B, cardId: card.body.card.id, date: '2026-03-31', by: '李文书' },
    });
    const after = await runDaily({ on: '2026-04-01', storage: api.storage });
    expect(after.overdueRectifications).toEqual([]);
  });

  it('GET /api/history pages a unit’s history with a continuation token, oldest first', async () => {
    const path = `/history?unit=${encodeURIComponent(A)}`;
    const whole = await api.call('GET', `${path}&limit=1000`);
    expect(whole.body.continuation).toBeNull();
    expect(whole.body.events.length).toBeGreaterThan(2);
    const ids: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page: { body: { events: { id: string }[]; continuation: string | null } } = await api.call(
        'GET',
        `${path}&limit=2${token ? `&continuation=${encodeURIComponent(token)}` : ''}`,
      );
      expect(page.body.events.length).toBeLessThanOrEqual(2);
      ids.push(...page.body.events.map((e) => e.id));
      token = page.body.continuation;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    expect(ids).toEqual(whole.body.events.map((e: { id: string }) => e.id));
    const ats = whole.body.events.map((e: { at: string }) => e.at);
    expect([...ats].sort()).toEqual(ats);
    const task = await api.call('GET', `/history?ledgerId=${L}&taskId=R1`);
    expect(task.body.events.map((e: { type: string }) => e.type)).toEqual(['feedback']);
    const unitB = await api.call('GET', `/history?unit=${encodeURIComponent(B)}&limit=100`);
    expect(unitB.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['reminder', 'card', 'candidate', 'rectification-overdue', 'rectification']),
    );
    const neither = await api.call('GET', '/history');
    expect(neither.status).toBe(400);
    const both = await api.call('GET', `/history?unit=x&ledgerId=${L}`);
    expect(both.status).toBe(400);
  });

  it('R21: GET /api/roundup reports the quarter per unit, with feedback, overdue tasks, cards and rank', async () => {
    const res = await api.call('GET', `/roundup?ledgerId=${L}&period=2026-Q1&asOf=2026-04-08`);
    expect(res.status).toBe(200);
    const a = res.body.units.find((u: { unit: string }) => u.unit === A);
    const b = res.body.units.find((u: { unit: string }) => u.unit === B);
    expect(a.feedback).toMatchObject({ onTime: 1, missing: 1 });
    expect(b.overdue.map((o: { taskId: string }) => o.taskId)).toEqual(['LATE']);
    expect(b.cards.map((c: { color: string }) => c.color)).toEqual(['orange']);
    expect([a.rank, b.rank].sort()).toEqual([1, 2]);
    const bad = await api.call('GET', `/roundup?ledgerId=${L}&period=2026-Q5`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('汇总周期');
  });
});
