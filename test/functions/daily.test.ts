// The daily supervision run (R15–R18, R9–R11) against Azurite: reminders queued once per key, feedback
// through the signed link, candidates, overdue rectifications, and the reads that show them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { listReminders, subjectHistory } from '../../functions/storage/index.js';
import { runtimeOutbox } from '../../functions/runtime/outbox.js';
import { runtimeEnv } from '../../functions/runtime/index.js';
import { runDelivery } from '../../functions/timers/delivery.js';
import { describeDailyRun } from '../../functions/cli/runDaily.js';
import { CandidatesResponseSchema, HistoryEventViewSchema, OutboxResponseSchema } from '../../shared/api.js';
import { loopbackEnv, startReceiver, type RunningReceiver } from './notify/receivers.js';

/** 08:00:05 Beijing on `day`: the moment the daily timer runs (R22), for runs given no other clock. */
const morningOf = (day: string) => new Date(`${day}T00:00:05Z`);
let api: TestApi;
let rx: RunningReceiver;
/** The API's clock (the signed link's expiry and "today" follow it). */
let clock = new Date('2026-03-17T00:00:05Z');
const L = 'daily-ledger';
const A = '县财政局';
const B = '县发改局';

beforeAll(async () => {
  rx = await startReceiver();
  // The loopback receiver stands in for the units' robots; the channel policy allows it only in tests.
  api = await startApi('daily', { now: () => clock, env: loopbackEnv(rx) });
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
afterAll(async () => {
  await api.close();
  await rx.stop();
});

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

  it('R19: two answers to one link in the same millisecond are both kept, neither overwrites the other', async () => {
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

  it('R9/R10: after the feedback due date the units reminded that did not report are yellow candidates; an unreachable unit is the office’s problem; past-deadline tasks orange', async () => {
    // 县财政局 gets its prompts over an SMS gateway webhook; 县发改局 has no channel at all.
    const set = await api.call('PUT', `/units/${encodeURIComponent(A)}`, {
      body: { channels: [{ kind: 'webhook', url: rx.url('/sms'), phone: '13900000000' }] },
    });
    expect(set.status).toBe(200);
    const delivered = await runDelivery({ now: new Date('2026-03-17T00:10:00Z'), env: runtimeEnv() });
    expect(delivered).toMatchObject({ sent: 2, failed: 2 });
    const r = await runDaily({
      on: '2026-03-27',
      storage: api.storage,
      now: new Date('2026-03-27T00:00:05Z'),
    });
    // Every day since the last run (17 March) is caught up (the 7-day window dropped 18–20 March).
    expect(r.from).toBe('2026-03-18');
    const res = await api.call('GET', `/candidates?ledgerId=${L}&asOf=2026-03-27`);
    expect(res.status).toBe(200);
    const body = CandidatesResponseSchema.parse(res.body);
    const yellow = body.yellow.map((c) => [c.unit, c.reason, c.taskIds]);
    expect(yellow).toContainEqual([A, '上报材料不及时', ['R2']]);
    expect(yellow).toContainEqual([B, '台账清单不规范', ['LATE']]);
    // 县发改局 was never reminded (no channel): not late, whatever its feedback.
    expect(yellow).not.toContainEqual([B, '上报材料不及时', expect.anything()]);
    const late = body.yellow.find((c) => c.unit === A && c.reason === '上报材料不及时')!;
    expect(late.evidence).toEqual([
      {
        kind: 'late-report',
        taskId: 'R2',
        taskNo: 'R2',
        period: '2026-Q1',
        sendOn: '2026-03-17',
        deliveredAt: '2026-03-17T00:10:00.000Z',
        channels: [expect.stringContaining('13900000000')],
        feedbackDue: '2026-03-26',
        receivedOn: null,
      },
    ]);
    expect(late.details[0]).toMatch(
      /^第R2项任务（2026-Q1）2026-03-17经.+送达提示，反馈应于2026-03-26前报送，至今未收到$/,
    );
    expect(body.undelivered.map((u) => [u.unit, u.taskId, u.cause, u.message])).toEqual([
      [B, 'LATE', 'no-channel', '该单位无可用渠道，提示未送达'],
      [B, 'R3', 'no-channel', '该单位无可用渠道，提示未送达'],
    ]);
    expect(body.orange.map((c) => [c.unit, c.taskIds])).toEqual([[B, ['LATE']]]);
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
    const first = await runDaily({ on: '2026-03-30', storage: api.storage, now: morningOf('2026-03-30') });
    expect(first.overdueRectifications).toEqual([
      { unit: B, cardId: card.body.card.id, rectifyBy: '2026-03-16' },
    ]);
    await runDaily({ on: '2026-03-30', storage: api.storage, now: morningOf('2026-03-30') });
    await runDaily({ on: '2026-03-31', storage: api.storage, now: morningOf('2026-03-31') });
    const flags = (await subjectHistory(api.storage, { unit: B })).filter(
      (h) => h.type === 'rectification-overdue',
    );
    expect(flags.map((f) => f.date)).toEqual(['2026-03-30', '2026-03-31']);
    await api.call('POST', '/rectifications', {
      body: { unit: B, cardId: card.body.card.id, date: '2026-03-31', by: '李文书' },
    });
    const after = await runDaily({ on: '2026-04-01', storage: api.storage, now: morningOf('2026-04-01') });
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
    // The prompt delivered on 17 March, then the unit's answer.
    expect(task.body.events.map((e: { type: string }) => e.type)).toEqual(['prompt', 'feedback']);
    const unitB = await api.call('GET', `/history?unit=${encodeURIComponent(B)}&limit=100`);
    expect(unitB.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['reminder', 'card', 'candidate', 'rectification-overdue', 'rectification']),
    );
    // One vocabulary: every event and outbox entry the backend wrote parses with the shapes the pane
    // reads (shared/api.ts); a type or status the pane does not know fails here.
    const ledgerHistory = await api.call('GET', `/history?ledgerId=${L}&limit=1000`);
    const office = await api.call('GET', '/history?office=true&limit=1000');
    for (const page of [whole, unitB, task, ledgerHistory, office])
      expect(() => page.body.events.map((e: unknown) => HistoryEventViewSchema.parse(e))).not.toThrow();
    expect(ledgerHistory.body.events.map((e: { type: string }) => e.type)).toContain('ledger-sync');
    expect(office.body.events.map((e: { type: string }) => e.type)).toContain('daily-run');
    const sent = await api.call('GET', '/outbox?date=2026-03-17&limit=100');
    const items = OutboxResponseSchema.parse(sent.body).items;
    expect(items.map((i) => [i.taskId, i.status]).sort()).toEqual([
      ['LATE', 'failed'],
      ['R1', 'sent'],
      ['R2', 'sent'],
      ['R3', 'failed'],
    ]);
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
    // No period named: the most recent one ended on asOf, as the pane preselects it (R21).
    const unnamed = await api.call('GET', `/roundup?ledgerId=${L}&asOf=2026-04-08`);
    expect(unnamed.body.period).toBe('2026-Q1');
    const bad = await api.call('GET', `/roundup?ledgerId=${L}&period=2026-Q5`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('汇总周期');
  });

  it('R16: a day in a year without holiday data — the daily run, its history row, duban run-daily’s text and GET /reminders all say Mon–Fri was used', async () => {
    const lines: string[] = [];
    const r = await runDaily({
      on: '2027-01-04',
      storage: api.storage,
      now: new Date('2027-01-04T00:00:05Z'),
      log: (l) => lines.push(l),
    });
    expect(r.calendarNotice).toContain('2027年的节假日安排未载入');
    expect(lines.join('\n')).toContain('警告：2027年的节假日安排未载入');
    expect(describeDailyRun(r)).toContain('警告：2027年的节假日安排未载入');
    const office = await api.call('GET', '/history?office=true&limit=1000');
    const run = office.body.events.find(
      (e: { type: string; date: string }) => e.type === 'daily-run' && e.date === '2027-01-04',
    );
    expect(run.data.calendarNotice).toContain('2027年');
    // 1 January 2027 is 元旦 in any year's schedule, but without the data it is counted a working day: said so.
    const day = await api.call('GET', `/reminders?on=2027-01-01&ledgerId=${L}`);
    expect(day.body.calendarNotice).toContain('2027年的节假日安排未载入');
    const covered = await api.call('GET', `/reminders?on=2026-06-01&ledgerId=${L}`);
    expect(covered.body.calendarNotice).toBeNull();
  });
});
