// The commands behind the pane's forms: 约谈登记 (R11, R12), 整改报告 (R11) and 销号 (R3) — the selection
// read into the form, then the clerk's confirmation recorded in the backend and shown in the ledger.
import { splitLeadUnits } from '../../../shared/ledger/leadUnits.js';
import type { CardState, IsoDate } from '../../../shared/model.js';
import type { CellWrite } from '../excel/workbook.js';
import { LedgerError, rowsOfUnits, STATUS_HEADER } from '../ledgerView.js';
import type { TaskRef } from '../mailbox.js';
import { ledgerIdFor } from '../prefs.js';
import {
  ledgerCommand,
  paintAndRecord,
  readLedgerView,
  selectedWithIds,
  writeRecorded,
} from './ledgerRun.js';
import { clerk, failure, rowLabel, type CommandEnv, type Outcome } from './outcome.js';

/** The selected tasks, for a form in the pane (约谈登记, 销号): one read, nothing written. */
export async function selectedTaskRefs(env: CommandEnv): Promise<TaskRef[]> {
  return env.excel.run(async (context) => {
    const { view } = await readLedgerView(context, env, { readOnly: true });
    return view.selectedTasks.map((t) => ({
      id: t.id ?? '',
      no: t.no,
      title: t.title,
      row: t.row,
      leadUnit: t.leadUnit,
    }));
  });
}

/** 约谈登记 (the ribbon's ShowTaskpane view, or 按所选行): the interview form for the selected row's lead unit. */
export async function openInterview(env: CommandEnv): Promise<Outcome> {
  try {
    const tasks = await selectedTaskRefs(env).catch(() => []);
    // The first lead unit of the first selected task (a jointly led task's others can be typed in).
    const unit = tasks.flatMap((t) => splitLeadUnits(t.leadUnit))[0] ?? null;
    env.mailbox.ask({ kind: 'interview', unit });
    return { level: 'info', text: `请在下方填写约谈记录${unit ? `（${unit}）` : ''}。` };
  } catch (err) {
    return failure(err);
  }
}

export interface InterviewForm {
  unit: string;
  date: IsoDate;
  leader: string;
  interviewee: string;
  record: string;
  /**
   * Made when the clerk confirms the form and sent again on every retry: a retry after a 502 whose
   * request the backend did commit is then not a second interview (which would turn the unit red, R12).
   */
  requestId?: string;
}

/** 约谈登记 (R11, R12): recorded in the backend; a unit that turns red is coloured red at once. */
export async function submitInterview(
  env: CommandEnv,
  form: InterviewForm,
): Promise<Outcome & { red: boolean; redCardId: string | null }> {
  try {
    const by = clerk(env);
    const api = env.api();
    // An orange card opens the interview to record (R11): the backend links it to the orange card the
    // shared rule picks (orangeCardForInterview), the same for every client.
    await api.recordInterview({ ...form, by });
    const units = await api.units(env.today());
    const state = units.find((u) => u.unit === form.unit);
    const red = state?.state === 'red';
    const redCardId = [...(state?.cards ?? [])].reverse().find((c) => c.color === 'red')?.id ?? null;
    const interviews = state?.interviews ?? 0;
    if (red) {
      await env.excel.run(async (context) => {
        const run = await readLedgerView(context, env, { readOnly: true });
        const states = new Map([[form.unit, 'red' as CardState]]);
        const paint = paintAndRecord(env, run, rowsOfUnits(run.view, [form.unit]), states);
        await writeRecorded(
          context,
          env,
          run.read.sheetName,
          { cells: [], ...paint },
          `${form.unit} 的约谈（一年内第 ${interviews} 次，已亮红牌）`,
        );
      });
    }
    return {
      level: 'success',
      text: red
        ? `已登记约谈。${form.unit} 一年内已被约谈 ${interviews} 次，亮红牌（R12），请逐项落实红牌事项。`
        : `已登记约谈（${form.unit} ${env.settings.redWindow === 'rolling' ? '一年内' : '本年度'}第 ${interviews} 次）。`,
      red,
      redCardId,
    };
  } catch (err) {
    return { ...failure(err), red: false, redCardId: null };
  }
}

/** 整改报告 (R11): the unit's report on an orange card, recorded in the backend; ends the overdue flag. */
export async function submitRectification(
  env: CommandEnv,
  /** `requestId`: made when the clerk confirms, the same on every retry (POST /rectifications takes it). */
  input: { unit: string; cardId: string; date: IsoDate; note: string; requestId?: string },
): Promise<Outcome> {
  try {
    await env.api().reportRectification({ ...input, by: clerk(env) });
    return { level: 'success', text: `已登记 ${input.unit} 的整改报告（${input.date}）。` };
  } catch (err) {
    return failure(err);
  }
}

/** 销号 (the ribbon's ShowTaskpane view, or 按所选行): the selected tasks go to the pane's form (date + note). */
export function openClose(env: CommandEnv): Promise<Outcome> {
  return ledgerCommand(env, { readOnly: true }, async ({ view }) => {
    const tasks = selectedWithIds(view);
    env.mailbox.ask({
      kind: 'close',
      tasks: tasks.map((t) => ({ id: t.id, no: t.no, title: t.title, row: t.row, leadUnit: t.leadUnit })),
    });
    return { level: 'info' as const, text: `请在下方填写销号日期和依据（${tasks.length} 项任务）。` };
  });
}

/**
 * 销号 (R3): recorded in the backend, then the status column of those tasks (found again by id,
 * since rows may have moved while the form was open) says 已销号 with the date and the note.
 */
export function submitClose(
  env: CommandEnv,
  input: { taskIds: string[]; date: IsoDate; note: string },
): Promise<Outcome> {
  return ledgerCommand(env, { records: true }, async ({ context, read, view, by }) => {
    const ids = new Set(input.taskIds);
    const tasks = view.ledger.tasks.filter((t) => t.id !== null && ids.has(t.id));
    if (tasks.length === 0) throw new LedgerError('在台账中找不到要销号的任务（督办编号不符），请重新选择。');
    await env.api().closeTasks({
      ledgerId: ledgerIdFor(env.prefs(), view.ledger.year),
      taskIds: tasks.map((t) => t.id as string),
      date: input.date,
      note: input.note,
      by,
    });
    const cells: CellWrite[] = [];
    let statusColumn = view.column('status');
    if (statusColumn === null) {
      statusColumn = view.lastColumn + 1;
      cells.push({ row: view.headerRow, column: statusColumn, value: STATUS_HEADER });
    }
    for (const t of tasks) {
      cells.push({
        row: t.row,
        column: statusColumn,
        value: `已销号（${input.date}）${input.note.trim()}`,
      });
    }
    await writeRecorded(
      context,
      env,
      read.sheetName,
      { cells, fills: [] },
      `${tasks.length} 项任务销号（${tasks.map(rowLabel).join('、')}，${input.date}）`,
    );
    return {
      level: 'success' as const,
      text: `已销号 ${tasks.length} 项任务（${input.date}）。`,
      details: tasks.map(rowLabel),
    };
  });
}
