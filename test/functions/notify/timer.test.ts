// The delivery timer and `duban deliver` wired to the backend's storage: unit channels from the Units
// table, outcomes in the history, settings from the environment.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import azf, { type Timer } from '@azure/functions';
import { configureRuntime, runtimeEnv, runtimeStorage } from '../../../functions/runtime/index.js';
import { runtimeOutbox } from '../../../functions/runtime/outbox.js';
import { putUnitContacts, subjectHistory } from '../../../functions/storage/index.js';
import { DELIVERY_SCHEDULE, deliveryTimer } from '../../../functions/timers/delivery.js';
import { main } from '../../../functions/cli/main.js';
import {
  loopbackEnv,
  startReceiver,
  startSmtp,
  type RunningReceiver,
  type RunningSmtp,
} from './receivers.js';
import { LEDGER, MORNING, minutesAfter, prompt } from './fixtures.js';

let smtp: RunningSmtp;
let rx: RunningReceiver;
let clock = MORNING;

beforeAll(async () => {
  smtp = await startSmtp();
  rx = await startReceiver();
  configureRuntime({
    env: {
      DUBAN_STORAGE: inject('azuriteConnectionString'),
      DUBAN_TABLE_PREFIX: `tnotifytm${Date.now().toString(36)}`,
      DUBAN_SMTP_URL: smtp.url,
      DUBAN_MAIL_FROM: '县政府督办检查室 <duban@example.gov.cn>',
      DUBAN_DELIVERY_MAX_ATTEMPTS: '2',
      ...loopbackEnv(rx),
    },
    now: () => clock,
  });
  const storage = await runtimeStorage();
  await putUnitContacts(
    storage,
    '县财政局',
    { channels: [{ kind: 'email', to: 'czj@county.gov.cn' }] },
    null,
  );
  await putUnitContacts(
    storage,
    '县卫健委',
    { channels: [{ kind: 'webhook', url: rx.url('/sms'), phone: '13900000000' }] },
    null,
  );
});
afterAll(async () => {
  await smtp.stop();
  await rx.stop();
});

const timer = {
  isPastDue: false,
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
} as unknown as Timer;

describe('delivery timer', () => {
  it('runs every 5 minutes (UTC NCRONTAB)', () => {
    expect(DELIVERY_SCHEDULE).toBe('0 */5 * * * *');
  });

  it('R17: sends the queued prompts through the channels stored for each unit and records the outcome in the task history', async () => {
    await runtimeOutbox(runtimeEnv()).enqueuePrompts([
      prompt(1),
      prompt(2),
      prompt(3, { unit: '县卫健委', leadUnit: '县卫健委' }),
    ]);
    const lines: string[] = [];
    const context = new azf.InvocationContext({
      functionName: 'delivery',
      invocationId: 'test',
      logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')),
    });
    await deliveryTimer(timer, context);
    expect(lines.join('\n')).toContain('督办提示投递：发出2条消息（2个单位），送达3项，待重试0项，失败0项');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.parsed.subject).toBe('【督办提示】县财政局：2项重点工作请于3月26日前反馈');
    expect(rx.requests).toHaveLength(1);

    const history = await subjectHistory(await runtimeStorage(), { ledgerId: LEDGER, taskId: 'T-0001' });
    const prompts = history.filter((h) => h.type === 'prompt');
    expect(prompts).toHaveLength(1);
    expect(prompts[0]!.data).toMatchObject({ status: 'sent', unit: '县财政局', attempts: 1 });

    // The timer firing again sends nothing more.
    clock = minutesAfter(MORNING, 5);
    await deliveryTimer(timer, context);
    expect(smtp.mails).toHaveLength(1);
    expect(rx.requests).toHaveLength(1);
  });
});

describe('duban deliver', () => {
  it('R17: runs delivery once at --now and prints the summary; a failure after the configured attempts is in the history', async () => {
    await runtimeOutbox(runtimeEnv()).enqueuePrompts([
      prompt(7, { unit: '县卫健委', leadUnit: '县卫健委', sendOn: '2026-03-18' }),
    ]);
    rx.mode = 'http500';
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    expect(await main(['deliver', '--json', '--now', '2026-03-18T00:05:00Z'], io)).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ messages: 0, retrying: 1 });
    expect(err.join('\n')).toContain('短信网关返回 HTTP 500');
    expect(await main(['deliver', '--now', '2026-03-18T00:10:00Z'], io)).toBe(0);
    // The summary, then each prompt not delivered with its reason.
    expect(out.at(-3)).toContain('失败1项');
    expect(out.at(-2)).toBe('未送达 1 项：');
    expect(out.at(-1)).toMatch(
      /^ {2}失败 县卫健委 序号7（2026-Q1，2026-03-18 发送）：已尝试2次仍未送达：短信网关 .*HTTP 500/,
    );
    const history = await subjectHistory(await runtimeStorage(), { ledgerId: LEDGER, taskId: 'T-0007' });
    expect(history.filter((h) => h.type === 'prompt').map((h) => h.data.status)).toEqual(['failed']);
    expect(await main(['deliver', '--now', 'tomorrow'], io)).toBe(2);
    expect(err.at(-1)).toContain('--now 需要时间 ISO 8601');
  });
});
