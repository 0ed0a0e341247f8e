// `duban plan FILE.xlsx --from --to`: the reminder schedule (R15) for the ledger's open tasks (R18).
import { makeCalendar } from '../../shared/calendar.js';
import type { LedgerTask } from '../../shared/model.js';
import { reminderSchedule, schedulableTasks, type ScheduleTask } from '../../shared/rules/schedule.js';
import { UsageError } from './errors.js';
import { loadLedger } from './ledger.js';
import { loadSettingsFile } from './settingsFile.js';
import { optionalYear, parse, requireDate, type Io } from './main.js';
import { renderTable } from './table.js';

/**
 * The id a task is known by: its 督办编号 once synced, else its 序号, else its row. A 序号 that is not
 * unique in the ledger (numbering restarting per section, 3.10 stored as 3.1) would give two tasks one
 * id, so such tasks are known by their row (R2).
 */
export function taskKey(t: LedgerTask, repeatedNos?: ReadonlySet<string>): string {
  if (t.id) return t.id;
  return t.no && !repeatedNos?.has(t.no) ? `no:${t.no}` : `row:${t.row}`;
}

/** The 序号 values that more than one task of the ledger carries. */
export function repeatedNumbers(tasks: readonly LedgerTask[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const t of tasks) {
    if (t.id || !t.no) continue;
    if (seen.has(t.no)) repeated.add(t.no);
    seen.add(t.no);
  }
  return repeated;
}

export interface PlanInput {
  tasks: ScheduleTask[];
  /** Open tasks that cannot be scheduled, with the reason: never dropped silently. */
  unscheduled: { row: number; taskNo: string | null; reason: string }[];
}

/** The ledger's open tasks as the schedule takes them, decided by shared/rules/schedule (R15, R18). */
export function scheduleTasksOf(tasks: LedgerTask[]): PlanInput {
  const repeated = repeatedNumbers(tasks);
  const result = schedulableTasks(tasks.map((t) => ({ ...t, id: taskKey(t, repeated) })));
  return {
    tasks: result.tasks,
    unscheduled: result.unscheduled.map((u) => ({ row: u.row ?? 0, taskNo: u.taskNo, reason: u.reason })),
  };
}

const REASON_LABEL = {
  quarterly: '季度提示',
  monthly: '月度提示',
  weekly: '周提示',
  milestone: '节点提示',
} as const;

export async function planCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    from: { type: 'string' },
    to: { type: 'string' },
    sheet: { type: 'string' },
    year: { type: 'string' },
    settings: { type: 'string' },
  });
  const from = requireDate(values.from, '--from');
  const to = requireDate(values.to, '--to');
  if (from > to) throw new UsageError(`--from ${from} 晚于 --to ${to}`);
  const settings = loadSettingsFile(values.settings);
  const { result } = await loadLedger(positionals[0], {
    sheet: values.sheet as string | undefined,
    year: optionalYear(values.year),
    settings,
  });
  const calendar = makeCalendar(settings);
  const input = scheduleTasksOf(result.tasks);
  const reminders = reminderSchedule(input.tasks, from, to, calendar, settings).map((r) => ({
    taskNo: r.taskNo,
    leadUnit: r.leadUnit,
    stars: r.stars,
    period: r.period,
    reason: r.reason,
    sendOn: r.sendOn,
    feedbackDue: r.feedbackDue,
    roundupOn: r.roundupOn,
    ...(r.note ? { note: r.note } : {}),
  }));
  const warnings = calendar
    .fallbackYears()
    .map((y) => `${y}年没有节假日数据，按周一至周五计算工作日 (no holiday calendar for ${y}: Mon–Fri used)`);
  if (values.json) {
    io.out(JSON.stringify({ from, to, reminders, unscheduled: input.unscheduled, warnings }, null, 2));
    return 0;
  }
  // A jointly led task is one schedule entry per lead unit: count tasks, not entries.
  io.out(
    `${from} 至 ${to}：${reminders.length} 条提示，${new Set(input.tasks.map((t) => t.id)).size} 项在办任务`,
  );
  io.out('');
  io.out(
    renderTable(
      ['发送', '反馈截止', '汇总', '周期', '类型', '序号', '牵头单位', '星'],
      reminders.map((r) => [
        r.sendOn,
        r.feedbackDue,
        r.roundupOn,
        r.period,
        REASON_LABEL[r.reason],
        r.taskNo,
        r.leadUnit,
        r.stars,
      ]),
      [10, 10, 10, 8, 8, 6, 16, 2],
    ),
  );
  for (const u of input.unscheduled) io.out(`第${u.row}行（序号 ${u.taskNo ?? '无'}）未排提示：${u.reason}`);
  for (const w of warnings) io.err(`注意：${w}`);
  return 0;
}
