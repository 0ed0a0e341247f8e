// What the task pane writes about card states, reminders, deliveries, problems, units and undelivered
// prompts, checked without a browser: the wording a clerk reads in the pane.
import { describe, expect, it } from 'vitest';
import type { OutboxItemView, UndeliveredPrompt } from '../../shared/api.js';
import type { ReminderView, RoundupView, UnitView } from '../../addin/src/api/client.js';
import { deliveryName } from '../../addin/src/taskpane/vocabulary.js';
import {
  outboxInOrder,
  outboxLine,
  outboxSummary,
  problemLine,
  problemPlace,
  rankText,
  reminderLine,
  stateName,
  undeliveredLine,
  unitSummary,
} from '../../addin/src/taskpane/labels.js';

function unit(over: Partial<UnitView> = {}): UnitView {
  return {
    unit: '县工信局',
    state: 'none',
    interviews: 0,
    cards: [],
    rectifyBy: null,
    rectificationOverdue: false,
    ...over,
  };
}

describe('card states (R13)', () => {
  it('R13: each state by its Chinese name; a state the pane does not know is shown as written, never blank', () => {
    expect(['none', 'yellow', 'orange', 'red'].map(stateName)).toEqual(['无', '黄牌', '橙牌', '红牌']);
    expect(stateName('purple')).toBe('purple');
  });
});

describe('今日提示 (R15, R17)', () => {
  const r: ReminderView = {
    taskId: 'DB-2026-0003',
    taskNo: '3',
    leadUnit: '县商务局',
    stars: 4,
    period: '2026-Q4',
    reason: 'quarterly',
    sendOn: '2026-11-26',
    feedbackDue: '2026-12-01',
  };

  it('R15: the unit, 序号, stars, why, period and the day to answer by', () => {
    expect(reminderLine(r)).toBe('县商务局：序号3 ★★★★ 季度提示 2026-Q4，2026-12-01 前反馈');
  });

  it('R15: a milestone prompt carries its note; a task without 序号 has none; an unknown reason is shown as sent', () => {
    expect(reminderLine({ ...r, taskNo: null, stars: 5, reason: 'milestone', note: '完成招标' })).toBe(
      '县商务局：★★★★★ 节点提示 2026-Q4（完成招标），2026-12-01 前反馈',
    );
    expect(reminderLine({ ...r, reason: 'yearly' })).toContain('★★★★ yearly 2026-Q4');
  });

  it('R17: a delivery names unit and 序号, and the channel’s error when it failed', () => {
    const o = { unit: '县商务局', taskNo: '3', lastError: null } as OutboxItemView;
    expect(outboxLine(o)).toBe('县商务局 序号3');
    expect(outboxLine({ ...o, taskNo: null, lastError: '企业微信机器人返回 93000' })).toBe(
      '县商务局：企业微信机器人返回 93000',
    );
  });
});

describe('台账体检 (R1)', () => {
  it('R1: a problem says its row and column first, unless its message already names the row', () => {
    expect(problemPlace({ row: 21, column: 'H' })).toBe('第21行 H列');
    expect(problemPlace({ row: 21, column: null })).toBe('第21行');
    expect(problemLine({ row: 21, column: 'H', message: '完成时限不是日期' })).toBe(
      '第21行 H列：完成时限不是日期',
    );
    expect(problemLine({ row: 7, column: null, message: '第7行缺少牵头单位' })).toBe('第7行缺少牵头单位');
  });
});

describe('单位亮牌情况 (R11–R14)', () => {
  it('R11, R14: interviews, cards by their numbers (a red card by its colour), the deadline, and a missed one', () => {
    const u = unit({
      state: 'red',
      interviews: 2,
      cards: [
        { id: 'c1', color: 'orange', docNo: '友政督警〔2026〕1号', date: '2026-11-26' },
        { id: 'c2', color: 'red', docNo: null, date: '2026-11-27' },
      ],
      rectifyBy: '2026-12-11',
      rectificationOverdue: true,
    });
    expect(unitSummary(u)).toBe('约谈 2 次；友政督警〔2026〕1号、红牌；限 2026-12-11 前整改；整改已逾期');
    expect(unitSummary(unit({ interviews: 1 }))).toBe('约谈 1 次');
  });

  it('R9: an undelivered prompt names the task, the period, when it was due to go and to be answered, and the error', () => {
    const u: UndeliveredPrompt = {
      unit: '县医保局',
      taskId: 'DB-2026-0021',
      taskNo: null,
      period: '2026-11',
      sendOn: '2026-11-20',
      feedbackDue: '2026-11-25',
      cause: 'no-channel',
      error: null,
      message: '该单位无可用渠道，提示未送达',
    };
    expect(undeliveredLine(u)).toBe('任务DB-2026-0021（2026-11），2026-11-20 应发，反馈期限 2026-11-25');
    expect(undeliveredLine({ ...u, taskNo: '21', error: 'SMTP 550' })).toBe(
      '第21项任务（2026-11），2026-11-20 应发，反馈期限 2026-11-25；SMTP 550',
    );
  });

  it('R20: a unit with nothing due is listed apart, unranked; the others by their rank', () => {
    const row = {
      unit: '县商务局',
      rank: 2,
      score: 96.5,
      overdue: [],
      lagging: [],
    } as RoundupView['units'][number];
    expect(rankText(row)).toBe('2');
    expect(rankText({ ...row, rank: null })).toBe('不参与排名');
  });
});

describe('送达情况 (R17)', () => {
  it('R17: the summary counts every status, failures first, and says when the day has more than the pane read', () => {
    const items = [
      { status: 'sent' },
      { status: 'failed' },
      { status: 'sent' },
      { status: 'queued' },
    ] as Pick<OutboxItemView, 'status'>[];
    expect(outboxSummary(items, false, deliveryName)).toBe('共 4 条：发送失败 1 · 待发送 1 · 已送达 2');
    expect(outboxSummary(items, true, deliveryName)).toBe(
      '当天提示较多，已列出 4 条（发送失败、重试中和已过期未发的已全部列出）：发送失败 1 · 待发送 1 · 已送达 2',
    );
  });

  it('R17: entries are listed failed, retrying and stale first, then by unit and 序号, whatever order the storage gave them', () => {
    const o = (unit: string, taskNo: string, status: OutboxItemView['status']) =>
      ({ unit, taskNo, status, key: `L|${unit}|${taskNo}` }) as OutboxItemView;
    const listed = outboxInOrder([
      o('县水利局', '2', 'sent'),
      o('县财政局', '10', 'sent'),
      o('县财政局', '9', 'sent'),
      o('县财政局', '9-1', 'sent'),
      o('县水利局', '1', 'failed'),
      o('县商务局', '4', 'stale'),
    ]).map((x) => `${x.unit}${x.taskNo}`);
    expect(listed).toEqual(['县商务局4', '县水利局1', '县财政局9', '县财政局9-1', '县财政局10', '县水利局2']);
  });
});
