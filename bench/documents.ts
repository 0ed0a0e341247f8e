// The office's documents: the round-up report (督检汇总报告) of a large county — 60 lead units, 800 tasks,
// one feedback line each — as .docx, against computing the round-up itself (what GET /api/roundup costs).
import { makeCalendar } from '../shared/calendar.js';
import { DEFAULT_SETTINGS } from '../shared/settings.js';
import type { Feedback, Reminder } from '../shared/model.js';
import { roundupReport, type RoundupTask } from '../shared/rules/roundup.js';
import { cardLetter, roundupDocument } from '../shared/documents/index.js';
import { renderDocx } from '../functions/documents/render.js';
import { benchReminder } from './daily.js';
import { median, time, type BenchResult } from './measure.js';

export async function benchDocuments(units = 60, taskCount = 800, runs = 5): Promise<BenchResult[]> {
  const calendar = makeCalendar(DEFAULT_SETTINGS);
  const tasks: RoundupTask[] = Array.from({ length: taskCount }, (_, i) => ({
    id: `T${i}`,
    no: String(i + 1),
    title: `推进第${i + 1}项重点工作任务，确保按期完成年度目标`,
    leadUnit: `县第${i % units}局`,
    stars: 3,
    closed: i % 7 === 0,
    deadline: { text: '', date: i % 3 ? '2026-12-31' : '2026-03-31', recurrence: null },
    milestones: [],
  }));
  const reminders: Reminder[] = tasks.map((t) => benchReminder(t.id, t.no, t.leadUnit as string));
  const feedback: Feedback[] = tasks
    .filter((_, i) => i % 4)
    .map((t, i) => ({
      taskId: t.id,
      unit: t.leadUnit as string,
      period: '2026-Q1',
      receivedOn: i % 5 ? '2026-03-24' : '2026-03-30',
      text: '按计划推进，一季度完成阶段性目标',
    }));
  const input = {
    period: '2026-Q1',
    tasks,
    reminders,
    feedback,
    events: [],
    asOf: '2026-04-08',
    settings: DEFAULT_SETTINGS,
    calendar,
  };

  const base: number[] = [];
  const docx: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    base.push(await time(async () => JSON.stringify(roundupReport(input))));
    docx.push(
      await time(async () => {
        const b = await renderDocx(roundupDocument(roundupReport(input), { settings: DEFAULT_SETTINGS }));
        bytes = b.length;
      }),
    );
  }
  const letter = await time(() =>
    renderDocx(
      cardLetter({
        card: {
          id: 'c',
          unit: '县第1局',
          color: 'orange',
          reason: '工作进展缓慢',
          taskIds: ['T1', 'T61'],
          date: '2026-03-02',
          docNo: '友政督警〔2026〕1号',
        },
        tasks: tasks.map((t) => ({
          id: t.id,
          no: t.no,
          title: t.title ?? '',
          leadUnit: t.leadUnit,
          supportUnits: ['县财政局'],
          deadline: t.deadline,
        })),
        settings: DEFAULT_SETTINGS,
        calendar,
      }),
    ),
  );
  const b = median(base);
  const d = median(docx);
  return [
    { name: `round-up of ${units} units, ${taskCount} tasks (JSON, baseline)`, value: b, unit: 'ms' },
    { name: `督检汇总报告 .docx of the same round-up`, value: d, unit: 'ms', ratio: d / b },
    { name: '督检汇总报告 .docx size', value: Math.round(bytes / 1024), unit: 'KB' },
    { name: '预警通知书 .docx (one letter, first run)', value: letter, unit: 'ms' },
  ];
}
