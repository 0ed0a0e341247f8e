import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings.js';
import type { Deadline, UnitEvent } from '../../../shared/model.js';
import {
  orangeCandidates,
  undeliveredPrompts,
  yellowCandidates,
  type CandidateReminder,
  type CandidateTask,
} from '../../../shared/rules/candidates.js';
import { unitCardStates } from '../../../shared/rules/cards.js';

const dated = (date: string): Deadline => ({ text: date, date, recurrence: null });
const t = (id: string, extra: Partial<CandidateTask> = {}): CandidateTask => ({
  id,
  no: id,
  leadUnit: '县交通运输局',
  closed: false,
  deadline: dated('2026-12-31'),
  stars: 3,
  milestones: [],
  ...extra,
});

describe('yellow candidates', () => {
  const emailed = {
    status: 'sent' as const,
    delivered: [{ label: '邮件 jyj@example.gov.cn', at: '2026-03-17T00:05:00.000Z' }],
    tried: 1,
    error: null,
  };
  const reminder: CandidateReminder = {
    taskId: 'T1',
    taskNo: '3',
    leadUnit: '县教育局',
    period: '2026-Q1',
    sendOn: '2026-03-17',
    feedbackDue: '2026-03-26',
    delivery: emailed,
  };
  const openTasks = ['T1', 'T2', 'T9'].map((id) => ({ id, closed: false }));
  const none = { feedback: [], problems: [], tasks: openTasks };

  it('R9: feedback received on the due date is on time; the due day itself is not yet late', () => {
    expect(yellowCandidates({ ...none, reminders: [reminder], asOf: '2026-03-26' })).toEqual([]);
    expect(
      yellowCandidates({
        ...none,
        reminders: [reminder],
        feedback: [{ taskId: 'T1', period: '2026-Q1', receivedOn: '2026-03-26' }],
        asOf: '2026-04-30',
      }),
    ).toEqual([]);
  });

  it('R9: a unit reminded (the prompt delivered) whose feedback did not arrive by the due date is a yellow candidate for 上报材料不及时, with the evidence', () => {
    expect(yellowCandidates({ ...none, reminders: [reminder], asOf: '2026-03-27' })).toEqual([
      {
        unit: '县教育局',
        color: 'yellow',
        reason: '上报材料不及时',
        taskIds: ['T1'],
        details: [
          '第3项任务（2026-Q1）2026-03-17经邮件 jyj@example.gov.cn送达提示，反馈应于2026-03-26前报送，至今未收到',
        ],
        evidence: [
          {
            kind: 'late-report',
            taskId: 'T1',
            taskNo: '3',
            period: '2026-Q1',
            sendOn: '2026-03-17',
            deliveredAt: '2026-03-17T00:05:00.000Z',
            channels: ['邮件 jyj@example.gov.cn'],
            feedbackDue: '2026-03-26',
            receivedOn: null,
          },
        ],
      },
    ]);
  });

  it('R9: a unit that was never reminded is not late: no channel, every channel failed, cancelled, still queued, never queued', () => {
    const undelivered: CandidateReminder['delivery'][] = [
      { status: 'failed', delivered: [], tried: 0, error: '单位“县教育局”未配置任何提示渠道' },
      { status: 'failed', delivered: [], tried: 2, error: '已尝试5次仍未送达' },
      { status: 'cancelled', delivered: [], tried: 0, error: '任务已销号' },
      { status: 'retrying', delivered: [], tried: 1, error: 'SMTP 421' },
      { status: 'queued', delivered: [], tried: 0, error: null },
      null,
    ];
    for (const delivery of undelivered)
      expect(
        yellowCandidates({ ...none, reminders: [{ ...reminder, delivery }], asOf: '2026-04-10' }),
      ).toEqual([]);
    // One channel delivered, the other failed for good: the unit was reminded.
    const partly = yellowCandidates({
      ...none,
      reminders: [
        {
          ...reminder,
          delivery: {
            status: 'failed',
            delivered: [{ label: '企业微信', at: '2026-03-17T00:05:00.000Z' }],
            tried: 2,
            error: '邮件：550',
          },
        },
      ],
      asOf: '2026-04-10',
    });
    expect(partly.map((c) => [c.unit, c.reason, c.taskIds])).toEqual([
      ['县教育局', '上报材料不及时', ['T1']],
    ]);
  });

  it('R9: a prompt that reached the unit only after its feedback was due gave it no chance: not late, listed as delivered too late', () => {
    // 26 Mar 23:30 UTC is 27 Mar 07:30 in Beijing (R22): after the due day.
    const late = {
      ...reminder,
      delivery: { ...emailed, delivered: [{ label: '企业微信', at: '2026-03-26T23:30:00.000Z' }] },
    };
    expect(yellowCandidates({ ...none, reminders: [late], asOf: '2026-04-10' })).toEqual([]);
    expect(
      undeliveredPrompts({ reminders: [late], tasks: openTasks, asOf: '2026-04-10' }).map((u) => u.message),
    ).toEqual(['提示在反馈期限之后才送达']);
    // 26 Mar 15:59 UTC is 23:59 on the due day in Beijing: in time.
    const inTime = {
      ...reminder,
      delivery: { ...emailed, delivered: [{ label: '企业微信', at: '2026-03-26T15:59:00.000Z' }] },
    };
    expect(yellowCandidates({ ...none, reminders: [inTime], asOf: '2026-04-10' })).toHaveLength(1);
  });

  it('R9: undelivered prompts are the office’s problem: listed with the cause (该单位无可用渠道，提示未送达), never a candidate', () => {
    const list = undeliveredPrompts({
      reminders: [
        { ...reminder, delivery: { status: 'failed', delivered: [], tried: 0, error: '未配置任何提示渠道' } },
        {
          ...reminder,
          taskId: 'T2',
          taskNo: '4',
          delivery: { status: 'failed', delivered: [], tried: 1, error: '550' },
        },
        {
          ...reminder,
          taskId: 'T9',
          taskNo: '9',
          delivery: { status: 'cancelled', delivered: [], tried: 0, error: null },
        },
        reminder,
      ],
      tasks: openTasks,
      asOf: '2026-03-20',
    });
    expect(list.map((u) => [u.taskId, u.cause, u.message])).toEqual([
      ['T1', 'no-channel', '该单位无可用渠道，提示未送达'],
      ['T2', 'failed', '该单位的提示渠道均未送达，提示未送达'],
    ]);
    // Still queued is not a problem until its feedback falls due; then it is.
    const queued = {
      ...reminder,
      delivery: { status: 'queued' as const, delivered: [], tried: 0, error: null },
    };
    expect(undeliveredPrompts({ reminders: [queued], tasks: openTasks, asOf: '2026-03-26' })).toEqual([]);
    expect(
      undeliveredPrompts({ reminders: [queued], tasks: openTasks, asOf: '2026-03-27' }).map((u) => u.cause),
    ).toEqual(['pending']);
  });

  it('R9, R3: a closed or removed task never makes a late-report candidate, nor an undelivered prompt', () => {
    for (const tasks of [[{ id: 'T1', closed: true }], [{ id: 'T1', closed: false, removed: true }], []]) {
      expect(yellowCandidates({ ...none, tasks, reminders: [reminder], asOf: '2026-04-10' })).toEqual([]);
      expect(
        undeliveredPrompts({
          reminders: [{ ...reminder, delivery: null }],
          tasks,
          asOf: '2026-04-10',
        }),
      ).toEqual([]);
    }
  });

  it('R9: feedback that came after the due date is still a late report; feedback for another period does not count', () => {
    const late = yellowCandidates({
      ...none,
      reminders: [reminder],
      feedback: [
        { taskId: 'T1', period: '2025-Q4', receivedOn: '2026-01-05' },
        { taskId: 'T1', period: '2026-Q1', receivedOn: '2026-03-30' },
      ],
      asOf: '2026-04-02',
    });
    expect(late).toHaveLength(1);
    expect(late[0]!.details).toEqual([
      '第3项任务（2026-Q1）2026-03-17经邮件 jyj@example.gov.cn送达提示，反馈应于2026-03-26前报送，2026-03-30才收到',
    ]);
    expect(late[0]!.evidence[0]).toMatchObject({ kind: 'late-report', receivedOn: '2026-03-30' });
  });

  it('R9: a jointly led task — each lead unit answers for itself; a co-lead’s answer does not cover the unit that stayed silent', () => {
    const joint = [
      { ...reminder, leadUnit: '县发改局' },
      { ...reminder, leadUnit: '县财政局' },
    ];
    const c = yellowCandidates({
      ...none,
      reminders: joint,
      feedback: [{ taskId: 'T1', period: '2026-Q1', receivedOn: '2026-03-20', unit: '县发改局' }],
      asOf: '2026-04-01',
    });
    expect(c.map((x) => [x.unit, x.reason, x.taskIds])).toEqual([['县财政局', '上报材料不及时', ['T1']]]);
    // Feedback kept before answers named their unit counts for every lead unit of the task.
    expect(
      yellowCandidates({
        ...none,
        reminders: joint,
        feedback: [{ taskId: 'T1', period: '2026-Q1', receivedOn: '2026-03-20' }],
        asOf: '2026-04-01',
      }),
    ).toEqual([]);
  });

  it('R9: one candidate per unit and reason, citing every task', () => {
    const c = yellowCandidates({
      ...none,
      reminders: [
        reminder,
        { ...reminder, taskId: 'T2', taskNo: '4' },
        { ...reminder, taskId: 'T9', taskNo: '9', leadUnit: '县财政局' },
      ],
      feedback: [{ taskId: 'T9', period: '2026-Q1', receivedOn: '2026-03-20' }],
      asOf: '2026-04-01',
    });
    expect(c.map((x) => [x.unit, x.reason, x.taskIds])).toEqual([
      ['县教育局', '上报材料不及时', ['T1', 'T2']],
    ]);
  });

  it('R9, R1: only R1 problems of open tasks make 台账清单不规范, each naming its row and column', () => {
    const c = yellowCandidates({
      ...none,
      reminders: [],
      tasks: [...openTasks, { id: 'TC', closed: true }],
      problems: [
        { unit: '县教育局', row: 12, column: 'H', rule: 'R1', message: '缺少完成时限', taskId: 'T1' },
        {
          unit: '县教育局',
          row: 15,
          column: 'H',
          rule: 'R1',
          message: '完成时限「尽快」无法识别',
          taskId: 'T2',
        },
        // 序号 that Excel stored as a date: not an R1 problem of the row's content.
        { unit: '县教育局', row: 16, column: 'A', rule: 'R2', message: '序号被存为日期', taskId: 'T9' },
        { unit: '县教育局', row: 17, column: 'G', rule: 'R4', message: '年份无法识别', taskId: 'T9' },
        // A closed task's row is not held against the unit.
        { unit: '县教育局', row: 18, column: 'D', rule: 'R1', message: '缺少工作措施', taskId: 'TC' },
        // A row that is not a task of the ledger (no 督办编号) is the clerk's to fix.
        { unit: '县教育局', row: 19, column: 'D', rule: 'R1', message: '缺少工作措施', taskId: null },
      ],
      asOf: '2026-04-01',
    });
    expect(c.map((x) => [x.unit, x.reason, x.taskIds])).toEqual([
      ['县教育局', '台账清单不规范', ['T1', 'T2']],
    ]);
    expect(c[0]!.details).toEqual(['台账第12行H列：缺少完成时限', '台账第15行H列：完成时限「尽快」无法识别']);
    expect(c[0]!.evidence).toEqual([
      { kind: 'ledger-problem', taskId: 'T1', row: 12, column: 'H', message: '缺少完成时限' },
      { kind: 'ledger-problem', taskId: 'T2', row: 15, column: 'H', message: '完成时限「尽快」无法识别' },
    ]);
    // A message that already names its cell says it once: not 台账第20行E列：第20行E列…
    const named = yellowCandidates({
      ...none,
      reminders: [],
      problems: [
        {
          unit: '县民政局',
          row: 20,
          column: 'E',
          rule: 'R1',
          message: '第20行E列（牵头领导）为空',
          taskId: 'T1',
        },
      ],
      asOf: '2026-04-01',
    });
    expect(named[0]!.details).toEqual(['台账第20行E列（牵头领导）为空']);
  });
});

describe('orange candidates', () => {
  const asOf = '2026-07-01';
  const run = (tasks: CandidateTask[], at = asOf) =>
    orangeCandidates({ tasks, asOf: at, year: 2026, settings: DEFAULT_SETTINGS });

  it('R10: a task past its deadline and not closed makes its lead unit an orange candidate (工作进展缓慢)', () => {
    const c = run([t('A', { deadline: dated('2026-06-30') })]);
    expect(c).toEqual([
      {
        unit: '县交通运输局',
        color: 'orange',
        reason: '工作进展缓慢',
        taskIds: ['A'],
        details: ['第A项任务已过完成时限（2026-06-30）仍未销号'],
        evidence: [],
      },
    ]);
    expect(run([t('A', { deadline: dated('2026-06-30') })], '2026-06-30')).toEqual([]); // the deadline day is not past
  });

  it('R10, R3: a closed task is never a candidate; a recurring deadline is never past', () => {
    expect(
      run([
        t('A', { deadline: dated('2026-03-31'), closed: true }),
        t('B', { deadline: { text: '每月', date: null, recurrence: 'monthly' } }),
        t('C', { stars: 5, closed: true, milestones: [{ date: '2026-03-31', text: '开工' }] }),
      ]),
    ).toEqual([]);
  });

  it('R10: a lagging 4★ task makes its unit an orange candidate; one on schedule does not', () => {
    // 1 Jul → checkpoint 30 Jun = day 181: 1000 × 181/365 = 495.9; 80% = 396.7.
    const c = run([
      t('L', { stars: 4, target: { value: 1000, unit: '户' }, reported: 396 }),
      t('K', { stars: 4, target: 1000, reported: 400 }),
    ]);
    expect(c).toHaveLength(1);
    expect(c[0]!.taskIds).toEqual(['L']);
    expect(c[0]!.details[0]).toBe('第L项任务进度滞后：截至2026-06-30报送396，按序时进度应达495.89，低于80%');
    // A 3★ task with the same numbers is not judged on indicators.
    expect(run([t('L3', { stars: 3, target: 1000, reported: 10 })])).toEqual([]);
  });

  it('R10, R6: a 4★ rate (参保率至95%) reported at 60% on 1 Jul is lagging against the rate itself', () => {
    const c = run([
      t('R', { stars: 4, title: '城乡居民医保参保率至95%', target: { value: 95, unit: '%' }, reported: 60 }),
      t('G', { stars: 4, title: '地区生产总值增长6%以上', target: { value: 6, unit: '%' }, reported: 5.5 }),
    ]);
    expect(c.map((x) => [x.taskIds, x.details])).toEqual([
      [['R'], ['第R项任务进度滞后：截至2026-06-30报送60，目标为95，低于目标的80%']],
    ]);
  });

  it('R10: a 5★ milestone slip makes its unit an orange candidate; a done milestone does not', () => {
    const c = run([
      t('M', {
        stars: 5,
        milestones: [
          { date: '2026-06-30', text: '主体开工' },
          { date: '2026-05-31', text: '完成征地', done: true },
        ],
      }),
    ]);
    expect(c.map((x) => [x.unit, x.taskIds, x.details])).toEqual([
      ['县交通运输局', ['M'], ['第M项任务节点逾期未完成：主体开工（2026-06-30）']],
    ]);
  });

  it('R10: one candidate per unit gathers every finding, units sorted by name', () => {
    const c = run([
      t('A', { deadline: dated('2026-05-31') }),
      t('M', { stars: 5, milestones: [{ date: '2026-06-15', text: '完成招标' }] }),
      t('X', { leadUnit: '县财政局', deadline: dated('2026-04-30') }),
    ]);
    expect(c.map((x) => [x.unit, x.taskIds, x.details.length])).toEqual([
      ['县财政局', ['X'], 1],
      ['县交通运输局', ['A', 'M'], 2],
    ]);
  });

  it('R9, R10: candidates are proposals — they are not cards and do not change a unit’s card state', () => {
    const c = run([t('A', { deadline: dated('2026-05-31') })]);
    expect(c).toHaveLength(1);
    const events: UnitEvent[] = [];
    expect(unitCardStates(events, asOf, DEFAULT_SETTINGS)).toEqual([]);
    // Only a clerk's confirmation (a recorded card event) makes the card.
    events.push({
      type: 'card',
      unit: c[0]!.unit,
      color: c[0]!.color,
      date: asOf,
      reason: c[0]!.reason,
      taskIds: c[0]!.taskIds,
    });
    expect(unitCardStates(events, asOf, DEFAULT_SETTINGS)[0]!.state).toBe('orange');
  });
});
