import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../../shared/calendar.js';
import { DEFAULT_SETTINGS, makeSettings } from '../../../shared/settings.js';
import type { Deadline, Feedback, UnitEvent } from '../../../shared/model.js';
import { reminderSchedule } from '../../../shared/rules/schedule.js';
import { roundupReport, type RoundupTask } from '../../../shared/rules/roundup.js';

const EDU = '县教育局';
const FIN = '县财政局';
const ARCH = '县档案馆';
const by = (date: string): Deadline => ({ text: date, date, recurrence: null });

const tasks: RoundupTask[] = [
  {
    id: 'E1',
    no: '1',
    title: '义务教育优质均衡',
    leadUnit: EDU,
    stars: 3,
    closed: false,
    deadline: by('2026-12-31'),
    milestones: [],
  },
  {
    id: 'E2',
    no: '2',
    title: '新增学位',
    leadUnit: EDU,
    stars: 4,
    closed: false,
    deadline: by('2026-12-31'),
    milestones: [],
    target: { value: 1200, unit: '个' },
  },
  {
    id: 'E3',
    no: '3',
    title: '校舍安全排查',
    leadUnit: EDU,
    stars: 3,
    closed: false,
    deadline: by('2026-03-31'),
    milestones: [],
  },
  {
    id: 'F1',
    no: '4',
    title: '预算公开',
    leadUnit: FIN,
    stars: 3,
    closed: true,
    deadline: by('2026-03-31'),
    milestones: [],
  },
  {
    id: 'F2',
    no: '5',
    title: '产业园建设',
    leadUnit: FIN,
    stars: 5,
    closed: false,
    deadline: by('2026-12-31'),
    milestones: [{ date: '2026-03-20', text: '完成立项' }],
  },
];

function scenario(settings = DEFAULT_SETTINGS) {
  const calendar = makeCalendar();
  const reminders = reminderSchedule(
    tasks.map((t) => ({
      id: t.id,
      no: t.no,
      leadUnit: t.leadUnit!,
      stars: t.stars!,
      closed: t.closed,
      milestones: t.milestones,
    })),
    '2026-01-01',
    '2026-04-30',
    calendar,
    DEFAULT_SETTINGS,
  );
  const fb = (
    taskId: string,
    unit: string,
    period: string,
    receivedOn: string,
    value: number | null = null,
  ): Feedback => ({
    taskId,
    unit,
    period,
    receivedOn,
    text: `${taskId} ${period} 进展情况`,
    value,
  });
  const feedback: Feedback[] = [
    fb('E1', EDU, '2026-Q1', '2026-03-25'),
    fb('E2', EDU, '2026-01', '2026-01-27', 80),
    fb('E2', EDU, '2026-02', '2026-03-02', 100), // due 26 Feb: late
    fb('E2', EDU, '2026-03', '2026-03-27', 150),
    fb('E3', EDU, '2026-Q1', '2026-04-09'), // after asOf: not yet known
    // 县财政局 answers every weekly reminder on the day it is sent.
    ...reminders.filter((r) => r.taskId === 'F2').map((r) => fb('F2', FIN, r.period, r.sendOn)),
  ];
  const events: UnitEvent[] = [
    { type: 'card', unit: EDU, color: 'orange', date: '2025-11-20', id: 'old' },
    { type: 'card', unit: EDU, color: 'orange', date: '2026-04-01', id: 'o1', reason: '工作进展缓慢' },
    { type: 'card', unit: FIN, color: 'yellow', date: '2026-02-10', id: 'y1', reason: '上报材料不及时' },
  ];
  return roundupReport({
    period: '2026-Q1',
    units: [ARCH],
    tasks,
    reminders,
    feedback,
    events,
    asOf: '2026-04-08',
    settings,
    calendar,
  });
}

describe('roundupReport', () => {
  it('R20, R21: the quarterly round-up ranks the units with something due; one with nothing due is listed apart, unranked', () => {
    const report = scenario();
    expect(report.range).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    // 县财政局: all on time, its due task closed, one yellow → 98. 县教育局: 3 of 5 feedback on time (24),
    // its due task open (0), one orange (−5) → 19. 县档案馆: nothing due → 本期无到期任务，不参与排名 — no
    // longer first with 100.00 above units that delivered.
    expect(report.units.map((u) => [u.rank, u.unit, u.scoreText, u.state])).toEqual([
      [1, FIN, '98.00', 'yellow'],
      [2, EDU, '19.00', 'orange'],
      [null, ARCH, '100.00', 'none'],
    ]);
    // The setting keeps the older reading: ranked, with its rates counted as 1.
    const old = scenario(makeSettings({ ranking: { nothingDue: 'ranked' } }));
    expect(old.units.map((u) => [u.rank, u.unit])).toEqual([
      [1, ARCH],
      [2, FIN],
      [3, EDU],
    ]);
    expect(report.fallbackYears).toEqual([]);
    expect(report.notice).toBeNull();
  });

  it('R19: per unit — who reported on time, who late, who is missing, what they said and the 4★ values', () => {
    const edu = scenario().units.find((u) => u.unit === EDU)!;
    expect(edu.tasks.map((t) => t.id)).toEqual(['E1', 'E2', 'E3']);
    expect(edu.feedback).toMatchObject({
      expected: 5,
      received: 4,
      onTime: 3,
      late: 1,
      missing: 1,
      pending: 0,
    });
    expect(
      edu.feedback.lines.map((l) => [l.taskId, l.period, l.feedbackDue, l.status, l.receivedOn, l.value]),
    ).toEqual([
      ['E2', '2026-01', '2026-01-28', 'onTime', '2026-01-27', 80],
      ['E2', '2026-02', '2026-02-26', 'late', '2026-03-02', 100],
      ['E1', '2026-Q1', '2026-03-26', 'onTime', '2026-03-25', null],
      ['E3', '2026-Q1', '2026-03-26', 'missing', null, null],
      ['E2', '2026-03', '2026-03-27', 'onTime', '2026-03-27', 150],
    ]);
    expect(edu.feedback.lines[0]!.text).toBe('E2 2026-01 进展情况');
    const fin = scenario().units.find((u) => u.unit === FIN)!;
    // 5★ weekly W02–W14 (W01's reminder went out on 29 Dec 2025), less W08 (春节, no working day); the
    // milestone reminders fall in weeks already counted: one line per task and period.
    expect(fin.feedback.expected).toBe(12);
    expect(fin.feedback.onTime).toBe(12);
  });

  it('R21: lagging 4★ tasks (R6), overdue tasks and 5★ slips (R7) are listed per unit; closed tasks never', () => {
    const report = scenario();
    const edu = report.units.find((u) => u.unit === EDU)!;
    // 150 reported by 31 Mar (day 90): pro-rata 1200 × 90/365 = 295.89; 80% = 236.7.
    expect(edu.lagging).toHaveLength(1);
    expect(edu.lagging[0]).toMatchObject({ taskId: 'E2', checkpoint: '2026-03-31', reported: 150 });
    expect(edu.lagging[0]!.expected).toBeCloseTo(295.89, 2);
    expect(edu.overdue).toEqual([{ taskId: 'E3', taskNo: '3', deadline: '2026-03-31' }]);
    const fin = report.units.find((u) => u.unit === FIN)!;
    expect(fin.overdue).toEqual([]); // F1 is closed
    expect(fin.slips.map((s) => [s.taskId, s.milestone.text])).toEqual([['F2', '完成立项']]);
  });

  it('R21, R13: cards of the year are listed; last year’s card stays on record but not in this year’s report', () => {
    const edu = scenario().units.find((u) => u.unit === EDU)!;
    expect(edu.cards.map((c) => c.id)).toEqual(['o1']);
  });

  it('R20, R21: the 2026-Q4 round-up run on time (W+5 = 2027-01-07) still counts the 2026 cards and ranks by them', () => {
    const COM = '县商务局';
    const CLEAN = '县档案馆';
    const q4 = (asOf: string) =>
      roundupReport({
        period: '2026-Q4',
        units: [COM, CLEAN],
        tasks: [],
        reminders: [],
        feedback: [],
        events: [
          { type: 'card', unit: COM, color: 'orange', date: '2026-11-02', id: 'o' },
          { type: 'card', unit: COM, color: 'yellow', date: '2026-12-02', id: 'y' },
          { type: 'interview', unit: COM, date: '2026-11-10' },
        ],
        asOf,
        settings: DEFAULT_SETTINGS,
        calendar: makeCalendar(),
      });
    for (const asOf of ['2026-12-31', '2027-01-07']) {
      const com = q4(asOf).units.find((u) => u.unit === COM)!;
      // 100 − 5 (orange) − 2 (yellow) = 93; nothing fell due, so it is listed apart with its cards shown.
      expect([com.rank, com.scoreText, com.state, com.cards.map((c) => c.id), com.interviews], asOf).toEqual([
        null,
        '93.00',
        'orange',
        ['o', 'y'],
        1,
      ]);
    }
  });

  it('R20, R10: on its deadline day an open task is neither overdue nor "due and not done"; the next day it is both', () => {
    const run = (asOf: string) =>
      roundupReport({
        period: '2026-06',
        tasks: [
          {
            id: 'T',
            no: '1',
            leadUnit: EDU,
            stars: 3,
            closed: false,
            deadline: by('2026-06-30'),
            milestones: [],
          },
        ],
        reminders: [],
        feedback: [],
        events: [],
        asOf,
        settings: DEFAULT_SETTINGS,
        calendar: makeCalendar(),
      }).units[0]!;
    expect([run('2026-06-30').overdue.length, run('2026-06-30').scoreText]).toEqual([0, '100.00']);
    expect([run('2026-07-01').overdue.length, run('2026-07-01').scoreText]).toEqual([1, '40.00']);
  });

  it('R21: a period label that is not a quarter, month, week or year is refused with a clear message', () => {
    expect(() =>
      roundupReport({
        period: '一季度',
        tasks: [],
        reminders: [],
        feedback: [],
        events: [],
        asOf: '2026-04-08',
        settings: DEFAULT_SETTINGS,
        calendar: makeCalendar(),
      }),
    ).toThrow('汇总周期「一季度」无法识别');
  });
});
