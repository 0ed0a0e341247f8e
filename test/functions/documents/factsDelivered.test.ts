// The 提示函 dates a prompt by the day it reached the unit (R8, R9): a send that failed on the planned
// day and went through days later gave the unit only the later day, and the letter says so.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEY, startApi, task, type TestApi } from '../support/api.js';
import { runDaily } from '../../../functions/timers/dailySupervision.js';
import { runDelivery } from '../../../functions/timers/delivery.js';
import { runtimeEnv } from '../../../functions/runtime/index.js';
import { loopbackEnv, startReceiver, type RunningReceiver } from '../notify/receivers.js';
import { paragraphsOf, unzipDocx } from './docx.js';

const A = '县财政局';
const CARD_DAY = new Date('2026-03-27T02:00:00Z');
let api: TestApi;
let rx: RunningReceiver;

beforeAll(async () => {
  rx = await startReceiver();
  api = await startApi('factsdelivered', { now: () => CARD_DAY, env: loopbackEnv(rx) });
  await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: 'L',
      year: 2026,
      by: '李文书',
      tasks: [task('R2', { row: 5, no: '2', title: '预算绩效管理改革', leadUnit: A })],
    },
  });
  await api.call('PUT', `/units/${encodeURIComponent(A)}`, {
    body: { channels: [{ kind: 'webhook', url: rx.url('/sms'), phone: '13900000000' }] },
  });
  await runDaily({ on: '2026-03-17', storage: api.storage, now: new Date('2026-03-17T00:00:05Z') });
  // The gateway refuses on the planned day; the retry three days later goes through.
  rx.mode = 'http500';
  await runDelivery({ now: new Date('2026-03-17T00:10:00Z'), env: runtimeEnv() });
  rx.mode = 'ok';
  await runDelivery({ now: new Date('2026-03-20T02:00:00Z'), env: runtimeEnv() });
}, 120_000);
afterAll(async () => {
  await api.close();
  await rx.stop();
});

it('R9/R8: the 提示函 states the day the prompt reached the unit (20 March), not the day it was planned (17 March)', async () => {
  const res = await api.call('POST', '/cards', {
    body: {
      ledgerId: 'L',
      by: '李文书',
      date: '2026-03-27',
      unit: A,
      color: 'yellow',
      reason: '上报材料不及时',
      taskIds: ['R2'],
    },
  });
  expect(res.status).toBe(201);
  const doc = await fetch(`${api.host.url}/cards/${encodeURIComponent(res.body.card.id)}/document`, {
    headers: { 'x-functions-key': KEY },
  });
  const xml = unzipDocx(Buffer.from(await doc.arrayBuffer()))['word/document.xml'] as string;
  const text = paragraphsOf(xml).join('\n');
  expect(text).toContain('工作提示已于2026年3月20日通过短信送达你单位，要求于2026年3月26日前反馈进展');
  expect(text).not.toContain('2026年3月17日通过短信');
}, 120_000);
