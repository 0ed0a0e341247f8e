import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeCalendar } from '../../../shared/calendar.js';
import { DEFAULT_SETTINGS, makeSettings } from '../../../shared/settings.js';
import { addDays, dayOfWeek, eachDate, fromDayNumber, toDayNumber } from '../../../shared/dates.js';
import type { Milestone, Stars } from '../../../shared/model.js';
import {
  reminderKey,
  reminderSchedule,
  remindersDueOn,
  schedulableTasks,
  type ScheduleTask,
} from '../../../shared/rules/schedule.js';

function task(id: string, stars: Stars, extra: Partial<ScheduleTask> = {}): ScheduleTask {
  return { id, no: id, leadUnit: '县发改局', stars, closed: false, milestones: [], ...extra };
}

const year2026 = (tasks: ScheduleTask[], settings = DEFAULT_SETTINGS, cal = makeCalendar(settings)) =>
  reminderSchedule(tasks, '2026-01-01', '2026-12-31', cal, settings);

describe('reminderSchedule', () => {
  it('R15: a 3★ task is reminded once a quarter — 2026 Q1 at W−10 (17 Mar), feedback W−3 (26 Mar), round-up W+5 (8 Apr)', () => {
    const r = year2026([task('t3', 3)]);
    expect(r.map((x) => [x.period, x.sendOn, x.feedbackDue, x.roundupOn])).toEqual([
      ['2026-Q1', '2026-03-17', '2026-03-26', '2026-04-08'],
      ['2026-Q2', '2026-06-15', '2026-06-25', '2026-07-07'],
      ['2026-Q3', '2026-09-16', '2026-09-24', '2026-10-13'],
      ['2026-Q4', '2026-12-17', '2026-12-28', '2027-01-07'],
    ]);
    expect(r.every((x) => x.reason === 'quarterly' && x.stars === 3 && x.leadUnit === '县发改局')).toBe(true);
  });

  it('R15: a 4★ task is reminded once a month at W−5 / W−2 / W+3; February 2026 counts the 调休 Saturdays', () => {
    const r = year2026([task('t4', 4)]);
    expect(r).toHaveLength(12);
    expect(r.every((x) => x.reason === 'monthly')).toBe(true);
    const feb = r.find((x) => x.period === '2026-02')!;
    // Last working day: Sat 28 Feb (调休). W−5 goes back over the 春节 holiday to Sat 14 Feb (调休).
    expect(feb).toMatchObject({ sendOn: '2026-02-14', feedbackDue: '2026-02-26', roundupOn: '2026-03-04' });
    expect(dayOfWeek(feb.sendOn)).toBe(6);
    const sep = r.find((x) => x.period === '2026-09')!;
    // W+3 after 30 Sep skips 国庆 1–7 Oct and lands on the 调休 Saturday 10 Oct.
    expect(sep).toMatchObject({ sendOn: '2026-09-22', feedbackDue: '2026-09-28', roundupOn: '2026-10-10' });
  });

  it('R15: a 5★ task is reminded on the first working day of each ISO week, with the ISO week label', () => {
    const r = reminderSchedule([task('t5', 5)], '2026-02-01', '2026-03-08', makeCalendar(), DEFAULT_SETTINGS);
    expect(r.map((x) => [x.period, x.sendOn, x.feedbackDue, x.roundupOn])).toEqual([
      ['2026-W06', '2026-02-02', '2026-02-04', '2026-02-09'],
      ['2026-W07', '2026-02-09', '2026-02-11', '2026-02-24'],
      // 2026-W08 (16–22 Feb) lies wholly in the 春节 holiday: no working day, no reminder.
      ['2026-W09', '2026-02-24', '2026-02-26', '2026-03-02'], // Mon 23 Feb is still 春节
      ['2026-W10', '2026-03-02', '2026-03-04', '2026-03-09'],
    ]);
    expect(r.every((x) => x.reason === 'weekly')).toBe(true);
  });

  it('R15: the 5★ weekly round-up day is a setting (W+2 of the week instead of W+1)', () => {
    const settings = makeSettings({ schedule: { five: { roundup: 2 } } });
    const r = reminderSchedule([task('t5', 5)], '2026-03-02', '2026-03-08', makeCalendar(settings), settings);
    expect(r.map((x) => [x.period, x.sendOn, x.roundupOn])).toEqual([
      ['2026-W10', '2026-03-02', '2026-03-10'],
    ]);
  });

  it('R16: a plan for 1–20 Dec 2026 with a 4★ task has no reminder in range, so no warning about 2027 (no calendar data) either', () => {
    const cal = makeCalendar(DEFAULT_SETTINGS);
    expect(reminderSchedule([task('t4', 4)], '2026-12-01', '2026-12-20', cal, DEFAULT_SETTINGS)).toEqual([]);
    expect(cal.fallbackYears()).toEqual([]);
    // The December reminder itself (sent 24 Dec) rounds up in January 2027: then the fallback is real.
    const later = makeCalendar(DEFAULT_SETTINGS);
    const dec = reminderSchedule([task('t4', 4)], '2026-12-01', '2026-12-31', later, DEFAULT_SETTINGS);
    expect(dec.map((x) => x.period)).toEqual(['2026-12']);
    expect(later.fallbackYears()).toEqual([2027]);
  });

  it('R15: the week of 国庆 2026 is reminded on its first working day, Thu 8 Oct', () => {
    const r = reminderSchedule([task('t5', 5)], '2026-10-05', '2026-10-11', makeCalendar(), DEFAULT_SETTINGS);
    expect(r.map((x) => [x.period, x.sendOn, x.feedbackDue])).toEqual([
      ['2026-W41', '2026-10-08', '2026-10-10'],
    ]);
  });

  it('R15: a built week with no working day has no 5★ reminder; a Friday-only week waits for the feedback before its round-up', () => {
    const settings = makeSettings({
      holidays: {
        '2031': {
          holidays: [...eachDate('2031-01-06', '2031-01-09'), ...eachDate('2031-01-13', '2031-01-17')],
          workdays: [],
        },
      },
    });
    expect(dayOfWeek('2031-01-06')).toBe(1);
    const cal = makeCalendar(settings);
    const r = reminderSchedule([task('t5', 5)], '2031-01-06', '2031-01-26', cal, settings);
    expect(r.map((x) => [x.period, x.sendOn, x.feedbackDue, x.roundupOn])).toEqual([
      // Only Fri 10 Jan works; feedback 2 working days later is Tue 21 Jan (13–17 Jan off). The first
      // working day after the week is Mon 20 Jan, so the round-up waits for the feedback: Tue 21 Jan.
      ['2031-W02', '2031-01-10', '2031-01-21', '2031-01-21'],
      // 2031-W03 (13–19 Jan): no working day, no reminder.
      ['2031-W04', '2031-01-20', '2031-01-22', '2031-01-27'],
    ]);
    expect(cal.fallbackYears()).toEqual([]);
  });

  it('R15: the 5★ weekly label uses the ISO week-year across the year end', () => {
    const r = reminderSchedule([task('t5', 5)], '2025-12-29', '2026-01-11', makeCalendar(), DEFAULT_SETTINGS);
    // 29 Dec 2025 is in ISO week 2026-W01; Sun 4 Jan 2026 is a 调休 working day but Mon 29 Dec comes first.
    expect(r.map((x) => [x.period, x.sendOn])).toEqual([
      ['2026-W01', '2025-12-29'],
      ['2026-W02', '2026-01-05'],
    ]);
    const end = reminderSchedule(
      [task('t5', 5)],
      '2026-12-28',
      '2027-01-10',
      makeCalendar(),
      DEFAULT_SETTINGS,
    );
    expect(end.map((x) => [x.period, x.sendOn])).toEqual([
      ['2026-W53', '2026-12-28'],
      ['2027-W01', '2027-01-04'],
    ]);
  });

  it('R15: a 5★ milestone is reminded 5 working days before it and on the first working day after it slips', () => {
    const milestones: Milestone[] = [{ date: '2026-10-01', text: '主体结构封顶' }];
    const r = year2026([task('t5', 5, { milestones })]).filter((x) => x.reason === 'milestone');
    expect(r.map((x) => [x.period, x.sendOn, x.feedbackDue])).toEqual([
      // 30, 29, 28 Sep, then 25–27 Sep is 中秋 and Sun 20 Sep is not reached: 24, 23 Sep.
      ['2026-W39', '2026-09-23', '2026-09-28'], // feedback: 24 Sep, then 28 Sep after 中秋
      // 国庆 1–7 Oct: the first working day after the milestone date is Thu 8 Oct.
      ['2026-W41', '2026-10-08', '2026-10-10'],
    ]);
    expect(r[0]!.note).toContain('主体结构封顶');
    expect(r[1]!.note).toContain('未完成');
  });

  it('R15: a done milestone gets no milestone reminder; a milestone without a date gets none', () => {
    const milestones: Milestone[] = [
      { date: '2026-06-30', text: '开工', done: true },
      { date: null, text: '适时竣工' },
    ];
    const r = year2026([task('t5', 5, { milestones })]);
    expect(r.filter((x) => x.reason === 'milestone')).toEqual([]);
    expect(r.filter((x) => x.reason === 'weekly').length).toBeGreaterThan(48);
  });

  it('R15: milestone reminders use settings.schedule.five.milestoneLead and feedbackAfter', () => {
    const settings = makeSettings({ schedule: { five: { milestoneLead: 2, feedbackAfter: 3 } } });
    const r = year2026(
      [task('t5', 5, { milestones: [{ date: '2026-06-30', text: '开工' }] })],
      settings,
    ).filter((x) => x.reason === 'milestone');
    expect(r.map((x) => [x.sendOn, x.feedbackDue])).toEqual([
      ['2026-06-26', '2026-07-01'],
      ['2026-07-01', '2026-07-06'],
    ]);
  });

  it('R15, R17: two milestone reminders of one task in the same ISO week have different keys', () => {
    // Milestone Sat 19 Sep: 5 working days before is Mon 14 Sep; the first working day after is the 调休 Sunday 20 Sep.
    const r = year2026([
      task('t5', 5, { milestones: [{ date: '2026-09-19', text: '完成设备安装' }] }),
    ]).filter((x) => x.reason === 'milestone');
    expect(r.map((x) => [x.period, x.sendOn])).toEqual([
      ['2026-W38', '2026-09-14'],
      ['2026-W38', '2026-09-20'],
    ]);
    const keys = r.map((x) => reminderKey('L1', x));
    expect(keys[0]).toMatch(/^L1\|t5\|2026-W38\|milestone\|[0-9a-f]{8}$/);
    expect(new Set(keys).size).toBe(2);
  });

  it('R17: reminderKey is ledger|task|period|reason for periodic reminders, and stable', () => {
    const [q1] = year2026([task('t3', 3)]);
    expect(reminderKey('ledger-2026', q1!)).toBe('ledger-2026|t3|2026-Q1|quarterly');
    const again = year2026([task('t3', 3)]);
    expect(reminderKey('ledger-2026', again[0]!)).toBe(reminderKey('ledger-2026', q1!));
  });

  it('R18: a closed task gets no reminder at all', () => {
    const closed = year2026([
      task('c3', 3, { closed: true }),
      task('c4', 4, { closed: true }),
      task('c5', 5, { closed: true, milestones: [{ date: '2026-06-30', text: '开工' }] }),
    ]);
    expect(closed).toEqual([]);
  });

  it('R18: a task not yet started gets no reminder before its start date; on and after it, it does', () => {
    const r = year2026([task('s3', 3, { startDate: '2026-06-15' })]);
    expect(r.map((x) => x.period)).toEqual(['2026-Q2', '2026-Q3', '2026-Q4']); // Q2 sent on 15 Jun itself
    const r5 = reminderSchedule(
      [task('s5', 5, { startDate: '2026-03-04' })],
      '2026-03-01',
      '2026-03-15',
      makeCalendar(),
      DEFAULT_SETTINGS,
    );
    expect(r5.map((x) => x.sendOn)).toEqual(['2026-03-09']);
  });

  it('R15: a task past its deadline and not closed is still reminded; a recurring deadline keeps the star cadence', () => {
    const r = year2026([
      task('late', 3, { deadline: { text: '2026年3月底前', date: '2026-03-31', recurrence: null } }),
      task('monthly3', 3, { deadline: { text: '每月', date: null, recurrence: 'monthly' } }),
    ]);
    expect(r.filter((x) => x.taskId === 'late').map((x) => x.period)).toEqual([
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
    ]);
    expect(r.filter((x) => x.taskId === 'monthly3').every((x) => x.reason === 'quarterly')).toBe(true);
    expect(r.filter((x) => x.taskId === 'monthly3')).toHaveLength(4);
  });

  it('R15: the numbers come from settings.schedule', () => {
    const settings = makeSettings({ schedule: { three: { send: 5, feedback: 1, roundup: 2 } } });
    const [q1] = year2026([task('t3', 3)], settings);
    expect(q1).toMatchObject({
      period: '2026-Q1',
      sendOn: '2026-03-24',
      feedbackDue: '2026-03-30',
      roundupOn: '2026-04-02',
    });
  });

  it('R15: the result is every reminder sent within [from, to], sorted by sendOn then taskId', () => {
    const tasks = [
      task('b', 4),
      task('a', 3),
      task('c', 5, { milestones: [{ date: '2026-05-20', text: '完成招标' }] }),
    ];
    const cal = makeCalendar();
    const all = reminderSchedule(tasks, '2026-01-01', '2026-12-31', cal, DEFAULT_SETTINGS);
    const sorted = [...all].sort((x, y) =>
      x.sendOn === y.sendOn
        ? x.taskId < y.taskId
          ? -1
          : x.taskId > y.taskId
            ? 1
            : 0
        : x.sendOn < y.sendOn
          ? -1
          : 1,
    );
    expect(all.map((x) => `${x.sendOn}${x.taskId}`)).toEqual(sorted.map((x) => `${x.sendOn}${x.taskId}`));
    // The daily view, day by day, gives exactly the same reminders as the yearly plan.
    const daily = eachDate('2026-01-01', '2026-12-31').flatMap((d) =>
      remindersDueOn(tasks, d, cal, DEFAULT_SETTINGS),
    );
    expect(daily).toEqual(all);
    expect(all.every((x) => x.sendOn >= '2026-01-01' && x.sendOn <= '2026-12-31')).toBe(true);
    expect(
      remindersDueOn(tasks, '2026-03-17', cal, DEFAULT_SETTINGS).map((x) => [x.taskId, x.reason]),
    ).toEqual([['a', 'quarterly']]);
  });

  it('R16: a plan reaching into a year without calendar data says so', () => {
    const cal = makeCalendar();
    const r = reminderSchedule([task('t4', 4)], '2031-01-01', '2031-03-31', cal, DEFAULT_SETTINGS);
    expect(r.map((x) => x.sendOn)).toEqual(['2031-01-24', '2031-02-21', '2031-03-24']);
    expect(cal.fallbackYears()).toEqual([2031]);
    expect(cal.fallbackNotice()).toContain('2031年');
  });

  it('R15: every reminder is sent on a working day, with its feedback due after it and the round-up not before the feedback', () => {
    const cal = makeCalendar();
    const r = reminderSchedule(
      [task('a', 3), task('b', 4), task('c', 5, { milestones: [{ date: '2026-02-20', text: '复工' }] })],
      '2025-01-01',
      '2026-12-31',
      cal,
      DEFAULT_SETTINGS,
    );
    for (const x of r) {
      expect(cal.isWorkingDay(x.sendOn), x.sendOn).toBe(true);
      expect(x.feedbackDue >= x.sendOn, `${x.period}`).toBe(true);
      expect(x.roundupOn >= x.feedbackDue, `${x.period}`).toBe(true);
    }
    expect(r.length).toBeGreaterThan(100);
  });

  it('R15: splitting a date range in two gives exactly the reminders of the whole range (any stars, any settings)', () => {
    const cal = makeCalendar();
    const tasks = [
      task('a', 3),
      task('b', 4),
      task('c', 5, {
        milestones: [
          { date: '2026-02-20', text: '复工' },
          { date: '2026-10-01', text: '投产' },
        ],
      }),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber('2025-01-01'), max: toDayNumber('2026-10-31') }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 80 }),
        (start, len, cut, send) => {
          const settings = makeSettings({
            schedule: {
              three: { send, feedback: 0 },
              four: { send: Math.min(send, 40), feedback: Math.min(2, send) },
            },
          });
          const from = fromDayNumber(start);
          const to = addDays(from, len);
          const mid = addDays(from, Math.min(cut, len));
          const whole = reminderSchedule(tasks, from, to, cal, settings);
          const parts = [
            ...reminderSchedule(tasks, from, mid, cal, settings),
            ...reminderSchedule(tasks, addDays(mid, 1), to, cal, settings),
          ];
          expect(parts).toEqual(whole);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('R18, R15: schedulableTasks leaves closed tasks out and lists, never drops, open ones with no lead unit or no star', () => {
    const base = {
      no: null,
      closed: false,
      milestones: [],
      deadline: { text: '', date: null, recurrence: null },
    };
    const r = schedulableTasks([
      { ...base, id: 'A', row: 5, leadUnit: '县发改局', stars: null, category: 'indicator' },
      { ...base, id: 'B', row: 6, leadUnit: null, stars: 3, category: null },
      { ...base, id: 'C', row: 7, leadUnit: '县民政局', stars: null, category: null },
      { ...base, id: 'D', row: 8, leadUnit: '县民政局', stars: 5, category: null, closed: true },
    ]);
    expect(r.tasks.map((t) => [t.id, t.stars, t.leadUnit])).toEqual([['A', 4, '县发改局']]);
    expect(r.unscheduled).toEqual([
      { taskId: 'B', row: 6, taskNo: null, reason: '牵头单位为空，无法提示' },
      { taskId: 'C', row: 7, taskNo: null, reason: '未赋星且工作类别无法确定，无法确定提示频次' },
    ]);
  });
});
