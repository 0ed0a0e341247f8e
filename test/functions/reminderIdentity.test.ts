// R17 across send dates: a reminder for a task, period and reason is queued and sent
// once, even when the office changes a setting or the holiday calendar after it was queued and its send
// date moves. Against the dev host, Azurite and a real SMTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { startSmtp, type RunningSmtp } from './notify/receivers.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { runDelivery } from '../../functions/timers/delivery.js';
import { runtimeOutbox } from '../../functions/runtime/outbox.js';
import { runtimeEnv } from '../../functions/runtime/index.js';
import { makeCalendar } from '../../shared/calendar.js';
import { addDays, dayOfWeek } from '../../shared/dates.js';
import { BUILTIN_HOLIDAYS } from '../../shared/holidays.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';

let api: TestApi;
let smtp: RunningSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
  api = await startApi('r17', {
    env: { DUBAN_SMTP_URL: smtp.url, DUBAN_MAIL_FROM: '县政府督办检查室 <duban@example.gov.cn>' },
  });
  for (const [unit, to] of [
    ['县财政局', 'czj@county.gov.cn'],
    ['县水利局', 'slj@county.gov.cn'],
  ] as const) {
    const res = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, {
      body: { channels: [{ kind: 'email', to }] },
    });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  await api.close();
  await smtp.stop();
});

const outboxItems = async (taskId: string) => {
  const all = [];
  for (let d = '2026-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
    // Only the days this file touches have entries; listing by date keeps the test to the public API.
    if (!['03-17', '03-18', '06-'].some((p) => d.slice(5).startsWith(p))) continue;
    all.push(...(await runtimeOutbox(runtimeEnv()).listOutbox({ date: d })).items);
  }
  return all.filter((i) => i.taskId === taskId);
};

const mailsFor = (to: string) => smtp.mails.filter((m) => m.to.includes(to));

describe('R17: a reminder whose send date moves after it was queued is not queued again', () => {
  it('R17: a settings change (3★ W−10 → W−9) between two runs — one outbox entry, one message', async () => {
    const sync = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'r17-settings',
        year: 2026,
        by: '李文书',
        tasks: [task('S1', { row: 4, leadUnit: '县财政局', category: 'routine' })],
      },
    });
    expect(sync.status).toBe(200);
    const first = await runDaily({
      on: '2026-03-17',
      storage: api.storage,
      now: new Date('2026-03-17T00:00:05Z'),
    });
    expect(first.queued).toBe(1);
    await runDelivery({ now: new Date('2026-03-17T00:05:00Z') });
    expect(mailsFor('czj@county.gov.cn')).toHaveLength(1);

    const current = await api.call('GET', '/settings');
    const schedule = structuredClone(current.body.settings.schedule);
    schedule.three.send = 9;
    const put = await api.call('PUT', '/settings', {
      body: { schedule },
      headers: current.body.etag ? { 'if-match': current.body.etag } : {},
    });
    expect(put.status).toBe(200);
    // With W−9 the quarter's reminder is due on 2026-03-18: the same key, a new date.
    const moved = await api.call('GET', '/reminders?on=2026-03-18&ledgerId=r17-settings');
    expect(moved.body.reminders.map((r: { key: string }) => r.key)).toEqual([
      'r17-settings|S1|2026-Q1|quarterly',
    ]);

    const second = await runDaily({
      on: '2026-03-18',
      storage: api.storage,
      now: new Date('2026-03-18T00:00:05Z'),
    });
    expect(second).toMatchObject({ due: 1, queued: 0, existing: 1 });
    await runDelivery({ now: new Date('2026-03-18T00:05:00Z') });
    const items = await outboxItems('S1');
    expect(items.map((i) => [i.key, i.sendOn, i.status])).toEqual([
      ['r17-settings|S1|2026-Q1|quarterly', '2026-03-17', 'sent'],
    ]);
    expect(mailsFor('czj@county.gov.cn')).toHaveLength(1);

    // Back to the default for the next test.
    const now = await api.call('GET', '/settings');
    await api.call('PUT', '/settings', {
      body: { schedule: DEFAULT_SETTINGS.schedule },
      headers: { 'if-match': now.body.etag },
    });
  });

  it('R17/R16: a calendar change (an added make-up Saturday moves W−10 a day later) between two runs — one outbox entry, one message', async () => {
    const calendar = makeCalendar(DEFAULT_SETTINGS);
    const before = calendar.wMinus('2026-06-30', 10);
    // A Saturday between W−10 and the quarter's end made a working day: W−10 moves one day later.
    const builtin = BUILTIN_HOLIDAYS['2026']!;
    let saturday = addDays(before, 1);
    while (dayOfWeek(saturday) !== 6 || builtin.holidays.includes(saturday)) saturday = addDays(saturday, 1);
    expect(saturday < '2026-06-30').toBe(true);
    const sync = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: 'r17-calendar',
        year: 2026,
        by: '李文书',
        tasks: [task('C1', { row: 4, leadUnit: '县水利局', category: 'routine' })],
      },
    });
    expect(sync.status).toBe(200);
    const first = await runDaily({ on: before, storage: api.storage, now: new Date(`${before}T00:00:05Z`) });
    expect(first.queued).toBeGreaterThanOrEqual(1);
    await runDelivery({ now: new Date(`${before}T00:05:00Z`) });
    expect(mailsFor('slj@county.gov.cn')).toHaveLength(1);

    const put = await api.call('PUT', '/calendar/2026', {
      body: {
        holidays: builtin.holidays,
        workdays: [...builtin.workdays, saturday],
        source: '测试：加一个调休工作日',
      },
    });
    expect(put.status).toBe(200);
    const after = makeCalendar({
      ...DEFAULT_SETTINGS,
      holidays: { '2026': { ...builtin, workdays: [...builtin.workdays, saturday] } },
    }).wMinus('2026-06-30', 10);
    expect(after).toBe(addDays(before, 1));
    const moved = await api.call('GET', `/reminders?on=${after}&ledgerId=r17-calendar`);
    expect(moved.body.reminders.map((r: { key: string }) => r.key)).toContain(
      'r17-calendar|C1|2026-Q2|quarterly',
    );

    const second = await runDaily({ on: after, storage: api.storage, now: new Date(`${after}T00:00:05Z`) });
    expect(second.queued).toBe(0);
    await runDelivery({ now: new Date(`${after}T00:05:00Z`) });
    const items = await outboxItems('C1');
    expect(items.filter((i) => i.reason === 'quarterly').map((i) => [i.key, i.sendOn, i.status])).toEqual([
      ['r17-calendar|C1|2026-Q2|quarterly', before, 'sent'],
    ]);
    expect(mailsFor('slj@county.gov.cn')).toHaveLength(1);
  });
});
