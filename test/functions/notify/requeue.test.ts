// R17: a prompt that failed (a unit without channels on day one) can be sent again once the
// office fixed the unit's channels — POST /api/outbox/requeue and `duban deliver --requeue DATE
// [--unit U]` — and it arrives at the real SMTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../support/api.js';
import { startSmtp, type RunningSmtp } from './receivers.js';
import { MORNING, minutesAfter, prompt } from './fixtures.js';
import { runtimeOutbox } from '../../../functions/runtime/outbox.js';
import { runtimeEnv } from '../../../functions/runtime/index.js';
import { runDelivery } from '../../../functions/timers/delivery.js';
import { setDailyRunning, subjectHistory } from '../../../functions/storage/index.js';
import { main } from '../../../functions/cli/main.js';
import { runDaily } from '../../../functions/timers/dailySupervision.js';
import { task } from '../support/api.js';
import { makeCalendar } from '../../../shared/calendar.js';

let api: TestApi;
let smtp: RunningSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
  api = await startApi('requeue', {
    env: { DUBAN_SMTP_URL: smtp.url, DUBAN_MAIL_FROM: '县政府督办检查室 <duban@example.gov.cn>' },
  });
});
afterAll(async () => {
  await api.close();
  await smtp.stop();
});

const unit = (name: string) => ({ unit: name, leadUnit: name });
const outbox = () => runtimeOutbox(runtimeEnv());

describe('re-sending failed prompts', () => {
  it('R17: POST /api/outbox/requeue puts a unit’s failed prompts of a day back; after its channel is added they arrive by email', async () => {
    await outbox().enqueuePrompts([
      prompt(1, unit('县司法局')),
      prompt(2, unit('县司法局')),
      prompt(3, unit('县档案馆')),
    ]);
    const first = await runDelivery({ now: MORNING });
    expect(first).toMatchObject({ failed: 3, sent: 0 });
    const failed = await api.call('GET', '/outbox?date=2026-03-17&status=failed');
    expect(failed.body.items).toHaveLength(3);
    expect(failed.body.items[0].lastError).toContain('重新发送');

    const put = await api.call('PUT', `/units/${encodeURIComponent('县司法局')}`, {
      body: { channels: [{ kind: 'email', to: 'sfj@county.gov.cn' }] },
    });
    expect(put.status).toBe(200);
    const res = await api.call('POST', '/outbox/requeue', {
      body: { date: '2026-03-17', unit: '县司法局', by: '李文书' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ date: '2026-03-17', unit: '县司法局', requeued: 2 });
    const again = await runDelivery({ now: minutesAfter(MORNING, 10) });
    expect(again).toMatchObject({ messages: 1, sent: 2 });
    expect(smtp.mails.map((m) => m.to)).toEqual([['sfj@county.gov.cn']]);
    expect(smtp.mails[0]!.parsed.subject).toContain('县司法局：2项重点工作');
    // The other unit stays failed, visibly; the requeue is in the office's history.
    const still = await api.call('GET', '/outbox?date=2026-03-17&status=failed');
    expect(still.body.items.map((i: { unit: string }) => i.unit)).toEqual(['县档案馆']);
    const office = await subjectHistory(api.storage, { office: true });
    expect(office.find((h) => h.type === 'outbox-requeue')).toMatchObject({
      by: '李文书',
      data: { sendOn: '2026-03-17', unit: '县司法局', requeued: 2 },
    });
  });

  it('R17: a bad date or a missing 经办人 → 400 in Chinese, nothing requeued', async () => {
    const bad = await api.call('POST', '/outbox/requeue', { body: { date: '2026-3-17', by: '李文书' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('date');
    const noBy = await api.call('POST', '/outbox/requeue', { body: { date: '2026-03-17' } });
    expect(noBy.status).toBe(400);
    expect((await api.call('GET', '/outbox?date=2026-03-17&status=failed')).body.items).toHaveLength(1);
  });

  it('R17: `duban deliver --requeue DATE --unit U` re-sends the unit’s failed prompts of that day at once', async () => {
    await api.call('PUT', `/units/${encodeURIComponent('县档案馆')}`, {
      body: { channels: [{ kind: 'email', to: 'daj@county.gov.cn' }] },
    });
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    const code = await main(
      ['deliver', '--requeue', '2026-03-17', '--unit', '县档案馆', '--now', '2026-03-17T01:00:00Z'],
      io,
    );
    expect(code).toBe(0);
    expect(err.join('\n')).toContain('2026-03-17 县档案馆 的失败提示重新入队 1 项');
    expect(out.at(-1)).toContain('送达1项');
    expect(smtp.mails.map((m) => m.to)).toEqual([['sfj@county.gov.cn'], ['daj@county.gov.cn']]);
    expect(await main(['deliver', '--requeue', 'yesterday'], io)).toBe(2);
    expect(err.at(-1)).toContain('--requeue 需要日期');
    expect(await main(['deliver', '--unit', '县档案馆'], io)).toBe(2);
    expect(err.at(-1)).toContain('--unit 只能与 --requeue 一起使用');
  });
});

describe('R18 at delivery', () => {
  it('R18: a prompt queued for a task that is closed before it goes out is cancelled, visibly, and not sent', async () => {
    await api.call('PUT', `/units/${encodeURIComponent('县气象局')}`, {
      body: { channels: [{ kind: 'email', to: 'qxj@county.gov.cn' }] },
    });
    const sync = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'r18-delivery',
        year: 2026,
        by: '李文书',
        tasks: [
          task('K1', { row: 4, leadUnit: '县气象局', category: 'routine' }),
          task('K2', { row: 5, leadUnit: '县气象局', category: 'routine' }),
        ],
      },
    });
    expect(sync.status).toBe(200);
    // W−10 of 2026 Q2: the quarterly reminder's send date.
    const on = makeCalendar().wMinus('2026-06-30', 10);
    const run = await runDaily({ on, storage: api.storage, now: new Date(`${on}T00:00:05Z`) });
    expect(run.queued).toBe(2);
    const closed = await api.call('POST', '/tasks/close', {
      body: {
        ledgerId: 'r18-delivery',
        taskIds: ['K1'],
        date: on,
        note: '已提前完成',
        by: '李文书',
      },
    });
    expect(closed.status).toBe(200);
    const mails = smtp.mails.length;
    const summary = await runDelivery({ now: new Date(`${on}T00:05:00Z`) });
    expect(summary).toMatchObject({ sent: 1, cancelled: 1, messages: 1 });
    expect(smtp.mails.length).toBe(mails + 1);
    const mail = smtp.mails.at(-1)!;
    expect(mail.parsed.text).toContain('任务K2');
    expect(mail.parsed.text).not.toContain('任务K1');
    const items = (await api.call('GET', `/outbox?date=${on}&status=cancelled`)).body.items;
    expect(items.map((i: { taskId: string; lastError: string }) => [i.taskId, i.lastError])).toEqual([
      ['K1', '任务已销号，提示不再发送（R3、R18）'],
    ]);
    const history = await subjectHistory(api.storage, { ledgerId: 'r18-delivery', taskId: 'K1' });
    expect(history.filter((h) => h.type === 'prompt').map((h) => h.data.status)).toEqual(['cancelled']);
  });
});

describe('one message per unit and day', () => {
  it('R17: while the day’s daily run is still queueing, delivery holds the day’s prompts; after it, the unit gets them in one message', async () => {
    await api.call('PUT', `/units/${encodeURIComponent('县林草局')}`, {
      body: { channels: [{ kind: 'email', to: 'lcj@county.gov.cn' }] },
    });
    const day = '2026-07-06';
    const at = (minutes: number) => new Date(Date.parse(`${day}T00:00:00Z`) + minutes * 60_000);
    // The daily run of the day has started (its lease is held) and has queued a first ledger's prompt.
    await setDailyRunning(api.storage, day, at(30));
    // Answers due after the send day (R17: a prompt past its feedback due date is never sent).
    const feedbackDue = '2026-07-15';
    await outbox().enqueuePrompts([prompt(41, { ...unit('县林草局'), sendOn: day, feedbackDue })]);
    const during = await runDelivery({ now: at(0.5) });
    expect(during).toMatchObject({ messages: 0, sent: 0 });
    // The run queues the next ledger's prompt for the same unit and completes.
    await outbox().enqueuePrompts([
      prompt(42, { ...unit('县林草局'), sendOn: day, feedbackDue, ledgerId: '另一本台账' }),
    ]);
    await setDailyRunning(api.storage, day, null);
    const after = await runDelivery({ now: at(5) });
    expect(after).toMatchObject({ messages: 1, sent: 2 });
    const mails = smtp.mails.filter((m) => m.to.includes('lcj@county.gov.cn'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.subject).toContain('2项重点工作');
  });

  it('R17: a daily run that died holds the day’s prompts only until its lease lapses', async () => {
    const day = '2026-07-07';
    await setDailyRunning(api.storage, day, new Date(`${day}T00:30:00Z`));
    await outbox().enqueuePrompts([
      prompt(43, { ...unit('县林草局'), sendOn: day, feedbackDue: '2026-07-16' }),
    ]);
    expect(await runDelivery({ now: new Date(`${day}T00:10:00Z`) })).toMatchObject({ sent: 0 });
    expect(await runDelivery({ now: new Date(`${day}T00:35:00Z`) })).toMatchObject({ sent: 1 });
  });
});
