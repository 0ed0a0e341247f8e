// R8, R11: the letter issued with a card through POST /cards states the facts the program computed,
// with their figures: for 上报材料不及时 (R9) which prompt, sent when over which channel, due when; for
// 工作进展缓慢 (R10) the completion date passed, the reported value against the target (R6) and the
// milestone missed with its date (R7). Checked in the .docx the clerk downloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, startApi, task, type TestApi } from '../support/api.js';
import { runDaily } from '../../../functions/timers/dailySupervision.js';
import { runDelivery } from '../../../functions/timers/delivery.js';
import { runtimeEnv } from '../../../functions/runtime/index.js';
import { channelInWords } from '../../../functions/documents/facts.js';
import {
  listTaskFeedback,
  listTaskReminders,
  recordFeedback,
  recordReminders,
  type CardRecord,
} from '../../../functions/storage/index.js';
import type { Reminder } from '../../../shared/model.js';
import { loopbackEnv, startReceiver, type RunningReceiver } from '../notify/receivers.js';
import { paragraphsOf, unzipDocx } from './docx.js';

let api: TestApi;
let rx: RunningReceiver;
let clock = new Date('2026-03-17T00:00:05Z');
const L = 'facts-ledger';
/** Reminded by SMS: its Q1 prompt goes out on 17 March, feedback due 26 March (R15). */
const A = '县财政局';
/** Leads an indicator, a major project and a task past its completion date. */
const B = '县住建局';

beforeAll(async () => {
  rx = await startReceiver();
  api = await startApi('facts', { now: () => clock, env: loopbackEnv(rx) });
  const sync = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: 2026,
      by: '李文书',
      tasks: [
        task('R1', { row: 4, no: '1', title: '政府债务风险化解', leadUnit: A }),
        task('R2', { row: 5, no: '2', title: '预算绩效管理改革', leadUnit: A }),
        task('I1', {
          row: 6,
          no: '3',
          title: '新增城镇就业1200人',
          leadUnit: B,
          category: 'indicator',
          target: { value: 1200, unit: '人' },
        }),
        task('M1', {
          row: 7,
          no: '4',
          title: '城区供热管网改造工程',
          leadUnit: B,
          category: 'major',
          milestones: [
            { text: '完成施工招标', date: '2026-03-10' },
            { text: '完成管材采购', date: '2026-03-15' },
            { text: '主体完工', date: '2026-09-30' },
          ],
        }),
        task('D1', {
          row: 8,
          no: '5',
          title: '老旧小区改造方案编制',
          leadUnit: B,
          deadline: { text: '2026年3月10日', date: '2026-03-10', recurrence: null },
        }),
      ],
      problems: [{ row: 4, column: 'D', rule: 'R1', message: '缺少工作措施' }],
    },
  });
  expect(sync.status).toBe(200);
  const channels = await api.call('PUT', `/units/${encodeURIComponent(A)}`, {
    body: { channels: [{ kind: 'webhook', url: rx.url('/sms'), phone: '13900000000' }] },
  });
  expect(channels.status).toBe(200);
  // 17 March: the Q1 prompts are queued and delivered over the unit's SMS gateway.
  await runDaily({ on: '2026-03-17', storage: api.storage, now: clock });
  const sent = await runDelivery({ now: new Date('2026-03-17T00:10:00Z'), env: runtimeEnv() });
  expect(sent.sent).toBeGreaterThanOrEqual(2);
  // 24 March: 县财政局 reports on R1 in time (never on R2); 县住建局 reports 100 people for I1 and that
  // its pipe purchase is done (a milestone done by the unit's word is no slip, R7).
  clock = new Date('2026-03-24T02:00:00Z');
  await feedback(A, 'R1', '2026-Q1', { text: '已完成一季度化债任务' });
  await feedback(B, 'I1', '2026-03', { text: '新增就业100人', value: 100 });
  await feedback(B, 'M1', '2026-03', { text: '管材已采购到位', milestonesDone: ['完成管材采购'] });
  clock = new Date('2026-03-27T02:00:00Z');
});
afterAll(async () => {
  await api.close();
  await rx.stop();
});

async function feedback(unit: string, taskId: string, period: string, body: Record<string, unknown>) {
  const link = await api.call('POST', '/feedback-links', {
    body: { ledgerId: L, unit, taskId, period, expires: '2026-04-30' },
  });
  expect(link.status).toBe(201);
  const path = new URL(link.body.url).pathname.replace(/^\/api/, '');
  const res = await api.call('POST', path, { key: null, body });
  expect(res.status).toBe(201);
}

async function issue(body: Record<string, unknown>) {
  const res = await api.call('POST', '/cards', {
    body: { ledgerId: L, by: '李文书', date: '2026-03-27', ...body },
  });
  expect(res.status).toBe(201);
  return res.body.card as CardRecord;
}

/** The letter's text, paragraph by paragraph, as the clerk downloads it. */
async function letterText(cardId: string): Promise<string> {
  const res = await fetch(`${api.host.url}/cards/${encodeURIComponent(cardId)}/document`, {
    headers: { 'x-functions-key': KEY },
  });
  expect(res.status).toBe(200);
  const xml = unzipDocx(Buffer.from(await res.arrayBuffer()))['word/document.xml'] as string;
  return paragraphsOf(xml).join('\n');
}

describe('R8: the facts in the letter issued with a card', () => {
  it('R9/R8: a yellow card for a late report — the 提示函 names the prompt, its send date, channel and due date, and that no feedback came', async () => {
    const card = await issue({ unit: A, color: 'yellow', reason: '上报材料不及时', taskIds: ['R2'] });
    const text = await letterText(card.id);
    expect(text).toContain(
      '经核实：第2项“预算绩效管理改革”：县政府督办检查室2026年第一季度工作提示已于2026年3月17日通过短信送达你单位，要求于2026年3月26日前反馈进展，截至2026年3月27日未反馈。',
    );
    // The gateway's address is the office's plumbing, not something the unit knows it by.
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|13900000000/);
  });

  it('R9/R8: a task the unit reported on in time gives no fact: the 提示函 is issued all the same, with the reason in words', async () => {
    const card = await issue({ unit: A, color: 'yellow', reason: '上报材料不及时', taskIds: ['R1'] });
    expect(card.docNo).toMatch(/^友政督提〔2026〕\d+号$/);
    const text = await letterText(card.id);
    expect(text).toContain('存在上报材料不及时、未按规定时限报送工作进展的情况');
    expect(text).toContain('政府债务风险化解');
    expect(text).not.toContain('经核实');
  });

  it('R9/R1/R8: a yellow card for a non-standard ledger — the 提示函 names the row and column of the problem', async () => {
    const card = await issue({ unit: A, color: 'yellow', reason: '台账清单不规范', taskIds: ['R1'] });
    const text = await letterText(card.id);
    expect(text).toContain('经核实：第1项“政府债务风险化解”：台账第4行D列缺少工作措施。');
  });

  it('R7/R11: an orange card on a major project — the 预警通知书 names the milestone missed and its date, not the one the unit reported done', async () => {
    const card = await issue({ unit: B, color: 'orange', reason: '工作进展缓慢', taskIds: ['M1'] });
    const text = await letterText(card.id);
    expect(text).toContain(
      '经核实：第4项“城区供热管网改造工程”：节点“完成施工招标”应于2026年3月10日完成，截至2026年3月27日未完成。',
    );
    expect(text).not.toContain('“完成管材采购”');
    expect(text).not.toContain('“主体完工”');
  });

  it('R6/R10/R11: an orange card on an indicator and a task past its completion date — reported value against the pro-rata target, in people and percent', async () => {
    const card = await issue({ unit: B, color: 'orange', reason: '工作进展缓慢', taskIds: ['I1', 'D1'] });
    const text = await letterText(card.id);
    // 1200 人 × 79/365 days at the 20 March checkpoint = 259.7 → 260 人 (people are whole).
    expect(text).toContain(
      '第3项“新增城镇就业1200人”：全年目标1200人，截至2026年3月20日按序时进度应完成260人，实报100人，为应完成值的38.5%',
    );
    expect(text).toContain(
      '第5项“老旧小区改造方案编制”：完成时限为2026年3月10日，截至2026年3月27日仍未完成销号',
    );
  });

  it('R8: a reason the program does not compute (工作不到位) gets its letter with the reason in words and no facts', async () => {
    const card = await issue({ unit: B, color: 'yellow', reason: '工作不到位', taskIds: ['M1'] });
    const text = await letterText(card.id);
    expect(text).toContain('存在工作不到位的情况');
    expect(text).not.toContain('经核实');
  });
});

describe('R9: the letter reads the cited tasks’ records only', () => {
  it('R9/R8: a channel is named by its kind; no number, host or mail address in a letter', () => {
    expect(channelInWords('短信网关 127.0.0.1:8080 13900000000')).toBe('短信');
    expect(channelInWords('短信网关 sms.example.cn')).toBe('短信');
    expect(channelInWords('邮件 zjj@youyi.gov.cn')).toBe('邮件');
    expect(channelInWords('企业微信 qyapi.weixin.qq.com')).toBe('企业微信');
  });

  it('R9/R17: reminders and feedback are read by key range for the cited tasks — a task whose id begins like another’s is not mixed in', async () => {
    const ledger = 'facts-ranges';
    const reminder = (taskId: string, period: string): Reminder => ({
      taskId,
      taskNo: null,
      leadUnit: A,
      stars: 3,
      period,
      reason: 'quarterly',
      sendOn: '2026-03-17',
      feedbackDue: '2026-03-26',
      roundupOn: '2026-03-31',
    });
    const ids = ['A', 'A|B', 'AB', '县/1'];
    await recordReminders(
      api.storage,
      ledger,
      ids.map((id) => {
        const r = reminder(id, '2026-Q1');
        return { key: `${ledger}|${id}|2026-Q1|quarterly`, reminder: r, queuedOn: '2026-03-17' };
      }),
    );
    for (const id of ids)
      await recordFeedback(
        api.storage,
        ledger,
        { taskId: id, unit: A, period: '2026-Q1', receivedOn: '2026-03-20', text: `反馈${id}` },
        '2026-03-20T02:00:00.000Z',
      );
    for (const id of ids) {
      expect((await listTaskReminders(api.storage, ledger, A, [id])).map((r) => r.taskId)).toEqual([id]);
      expect((await listTaskFeedback(api.storage, ledger, [id])).map((f) => f.text)).toEqual([`反馈${id}`]);
    }
    expect(
      (await listTaskReminders(api.storage, ledger, A, ['A', '县/1'])).map((r) => r.taskId).sort(),
    ).toEqual(['A', '县/1'].sort());
  });
});
