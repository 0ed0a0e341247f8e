// A clerk's full day, end to end on real services: the fixture ledger is read and synced, 赋星, 亮牌,
// two interviews make the unit red, the morning's daily run queues the reminders, and delivery sends
// them to a real SMTP server and a real webhook receiver on loopback. Every step over HTTP against the
// dev host (the same registered functions `func` runs), storage in Azurite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbookSheets, pickLedgerSheet } from '../../functions/xlsx.js';
import { readLedger } from '../../shared/ledger/index.js';
import { main } from '../../functions/cli/main.js';
import { startApi, type TestApi } from '../functions/support/api.js';
import {
  loopbackEnv,
  startReceiver,
  startSmtp,
  type RunningReceiver,
  type RunningSmtp,
} from '../functions/notify/receivers.js';

const LEDGER = '友谊县2026年重点工作台账';
const MORNING = new Date('2026-03-17T00:00:05Z'); // 08:00:05 Beijing, Tuesday 17 March 2026 (W−10 of Q1)

let api: TestApi;
let smtp: RunningSmtp;
let rx: RunningReceiver;
let clock = new Date('2026-03-02T01:00:00Z');
/** Each request a second later than the one before, so the history's order is the order of the day. */
let ticks = 0;
const savedEnv = { ...process.env };

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return main(args, { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n') }).then(
    (code) => ({ code, out, err }),
  );
}

beforeAll(async () => {
  smtp = await startSmtp();
  rx = await startReceiver();
  api = await startApi('clerkday', {
    now: () => new Date(clock.getTime() + 1000 * ticks++),
    env: {
      DUBAN_SMTP_URL: smtp.url,
      DUBAN_MAIL_FROM: '县政府督办检查室 <duban@example.gov.cn>',
      DUBAN_DELIVERY_MAX_ATTEMPTS: '2',
      ...loopbackEnv(rx),
    },
  });
  // The `duban` commands read the process environment, as an operator's shell would give it.
  Object.assign(process.env, {
    DUBAN_STORAGE: api.storage.options.connectionString,
    DUBAN_TABLE_PREFIX: api.prefix,
    DUBAN_LINK_SECRET: 'test-link-secret-0123456789abcdef',
    DUBAN_PUBLIC_URL: `http://localhost:${api.host.port}`,
    DUBAN_SMTP_URL: smtp.url,
    DUBAN_MAIL_FROM: '县政府督办检查室 <duban@example.gov.cn>',
    ...loopbackEnv(rx),
  });
});
afterAll(async () => {
  process.env = savedEnv;
  await api.close();
  await smtp.stop();
  await rx.stop();
});

/** The fixture ledger as the add-in reads it. */
async function fixtureLedger() {
  return readLedger(pickLedgerSheet(await readWorkbookSheets('test/fixtures/ledger-2026.xlsx')).values);
}

/** The 督办编号 the add-in gives the task on sheet row `row` on the first sync. */
const idOf = (row: number) => `DB2026-${String(row).padStart(3, '0')}`;

/** The id of the orange card `unit` holds on `asOf`, as the units' states list it. */
async function orangeCardOf(unit: string, asOf: string): Promise<string> {
  const states = await api.call('GET', `/units?asOf=${asOf}`);
  const cards = states.body.units.find((u: { unit: string }) => u.unit === unit)?.cards ?? [];
  const orange = cards.find((c: { color: string }) => c.color === 'orange');
  expect(orange, `${unit} holds an orange card on ${asOf}`).toBeDefined();
  return orange.id as string;
}

describe('a clerk’s full day', () => {
  it('R1/R4: syncs the fixture ledger; every task stored, the non-standard rows returned with their units', async () => {
    const read = await fixtureLedger();
    expect(read.year).toBe(2026);
    const res = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: LEDGER,
        year: read.year,
        by: '李文书',
        tasks: read.tasks.map((t) => ({ ...t, id: idOf(t.row) })),
        problems: read.problems,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.added).toHaveLength(read.tasks.length);
    expect(res.body.problems.map((p: { row: number; unit: string }) => [p.row, p.unit])).toEqual([
      [20, '县住建局'],
      [21, '县医保局'],
    ]);
  });

  it('R5: 赋星 by kind fills in every missing star, recorded with who and when', async () => {
    const res = await api.call('POST', '/stars', {
      body: {
        ledgerId: LEDGER,
        taskIds: (await fixtureLedger()).tasks.map((t) => idOf(t.row)),
        stars: 'byKind',
        by: '李文书',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.changes.map((c: { row: number; to: number }) => [c.row, c.to])).toEqual([
      [6, 4],
      [8, 4],
      [14, 5],
      [20, 3],
      [21, 4],
    ]);
  });

  it('sets the units’ prompt channels: email for 县住建局, the SMS gateway webhook for 县应急管理局', async () => {
    const a = await api.call('PUT', `/units/${encodeURIComponent('县住建局')}`, {
      body: { head: '赵局长', channels: [{ kind: 'email', to: 'zjj@youyi.gov.cn' }] },
    });
    const b = await api.call('PUT', `/units/${encodeURIComponent('县应急管理局')}`, {
      body: { channels: [{ kind: 'webhook', url: rx.url('/sms'), phone: '13900000000' }] },
    });
    expect([a.status, b.status]).toEqual([200, 200]);
  });

  it('R9/R14: confirms the yellow candidate (non-standard row) and shows the card with its document number', async () => {
    const cands = await api.call('GET', `/candidates?ledgerId=${encodeURIComponent(LEDGER)}&asOf=2026-03-02`);
    const yellow = cands.body.yellow.find((c: { unit: string }) => c.unit === '县住建局');
    expect(yellow).toMatchObject({ reason: '台账清单不规范', taskIds: [idOf(20)] });
    const card = await api.call('POST', '/cards', {
      body: {
        ledgerId: LEDGER,
        unit: '县住建局',
        color: 'yellow',
        reason: yellow.reason,
        taskIds: yellow.taskIds,
        date: '2026-03-02',
        by: '李文书',
      },
    });
    expect(card.status).toBe(201);
    expect(card.body.card.docNo).toBe('友政督提〔2026〕1号');
  });

  it('R11/R14: an orange card opens an interview and a rectification deadline', async () => {
    const card = await api.call('POST', '/cards', {
      body: {
        ledgerId: LEDGER,
        unit: '县住建局',
        color: 'orange',
        reason: '工作进展缓慢',
        taskIds: [idOf(13)],
        date: '2026-03-02',
        by: '李文书',
      },
    });
    expect(card.status).toBe(201);
    expect(card.body.card).toMatchObject({ docNo: '友政督警〔2026〕1号', rectifyBy: '2026-03-16' });
  });

  it('R12: two interviews within the year → red at once with the four-item checklist', async () => {
    const orangeId = await orangeCardOf('县住建局', '2026-03-04');
    const first = await api.call('POST', '/interviews', {
      body: {
        unit: '县住建局',
        date: '2026-03-04',
        leader: '张副县长',
        interviewee: '赵局长',
        record: '供热管网进度滞后',
        cardId: orangeId,
        by: '李文书',
      },
    });
    expect(first.body.red).toBeNull();
    const second = await api.call('POST', '/interviews', {
      body: {
        unit: '县住建局',
        date: '2026-03-12',
        leader: '张副县长',
        interviewee: '赵局长',
        record: '再次约谈',
        by: '李文书',
      },
    });
    expect(second.body.red.checklist).toHaveLength(4);
    const states = await api.call('GET', '/units?asOf=2026-03-12');
    expect(states.body.units.find((u: { unit: string }) => u.unit === '县住建局')).toMatchObject({
      state: 'red',
      interviews: 2,
    });
  });

  it('R15/R17: the morning run (duban run-daily) queues the day’s reminders once; a second run queues nothing', async () => {
    clock = MORNING;
    const first = await cli(['run-daily', '--on', '2026-03-17', '--json']);
    expect(first.code, first.err).toBe(0);
    const r1 = JSON.parse(first.out);
    expect(r1.queued).toBeGreaterThanOrEqual(4);
    const again = await cli(['run-daily', '--on', '2026-03-17', '--json']);
    expect(JSON.parse(again.out)).toMatchObject({ queued: 0, existing: r1.queued });
    const queued = await api.call('GET', '/outbox?date=2026-03-17&limit=1000');
    const units = new Set(queued.body.items.map((i: { unit: string }) => i.unit));
    expect(units).toContain('县住建局');
    expect(units).toContain('县应急管理局');
    // R11: the orange card's deadline (16 March) passed without a rectification report.
    expect(r1.overdueRectifications).toEqual([
      { unit: '县住建局', cardId: await orangeCardOf('县住建局', '2026-03-17'), rectifyBy: '2026-03-16' },
    ]);
  });

  it('R17: delivery (duban deliver) sends one email and one webhook message per unit, listing its tasks; nothing twice', async () => {
    const run = await cli(['deliver', '--now', '2026-03-17T00:05:00Z', '--json']);
    expect(run.code, run.err).toBe(0);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]?.to).toEqual(['zjj@youyi.gov.cn']);
    expect(smtp.mails[0]?.parsed.text).toContain('做好县城老旧小区改造前期工作');
    expect(smtp.mails[0]?.parsed.text).toContain('/api/feedback/');
    const sms = rx.requests.filter((r) => r.path === '/sms');
    expect(sms).toHaveLength(1);
    expect(JSON.stringify(sms[0]?.body)).toContain('安全生产专项整治三年行动');

    const outbox = await api.call('GET', '/outbox?date=2026-03-17&limit=1000');
    const byUnit = (u: string) =>
      outbox.body.items
        .filter((i: { unit: string }) => i.unit === u)
        .map((i: { status: string }) => i.status);
    expect(byUnit('县住建局')).toEqual(['sent']);
    expect(byUnit('县应急管理局')).toEqual(['sent']);
    // Units without channels are visibly not delivered (R17: nothing silently vanishes).
    const others = outbox.body.items.filter(
      (i: { unit: string }) => !['县住建局', '县应急管理局'].includes(i.unit),
    );
    expect(others.length).toBeGreaterThan(0);
    for (const i of others) {
      expect(['retrying', 'failed']).toContain(i.status);
      expect(i.lastError).toContain('未配置任何提示渠道');
    }

    await cli(['deliver', '--now', '2026-03-17T00:10:00Z']);
    expect(smtp.mails).toHaveLength(1);
    expect(rx.requests.filter((r) => r.path === '/sms')).toHaveLength(1);
  });

  it('R19: the unit answers through the link in its email; the answer is in the task’s history', async () => {
    clock = new Date('2026-03-18T02:00:00Z');
    const link = /http:\/\/localhost:\d+\/api\/feedback\/[A-Za-z0-9_.-]+/.exec(
      smtp.mails[0]?.parsed.text ?? '',
    )?.[0];
    expect(link).toBeTruthy();
    const res = await fetch(link as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '前期手续已办结' }),
    });
    expect(res.status).toBe(201);
    const unitHistory = await api.call('GET', `/history?unit=${encodeURIComponent('县住建局')}&limit=1000`);
    expect(
      unitHistory.body.events
        .filter((e: { type: string }) => e.type === 'reminder')
        .map((e: { data: { taskId: string } }) => e.data.taskId),
    ).toContain(idOf(20));
    const history = await api.call(
      'GET',
      `/history?ledgerId=${encodeURIComponent(LEDGER)}&taskId=${idOf(20)}`,
    );
    // 赋星, the yellow card citing the row, the red card citing the unit's carded tasks, the prompt's
    // delivery and the unit's answer; the reminder itself is in the unit's history.
    expect(
      history.body.events.map((e: { type: string; data: { color?: string } }) => e.data.color ?? e.type),
    ).toEqual(['stars', 'yellow', 'red', 'prompt', 'feedback']);
  });
});
