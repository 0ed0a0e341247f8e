// Feedback flowing back into the ledger (R19): each task's latest answer from its unit, written into
// the 进展情况 column of the row with that 督办编号. No Excel calls here (those are in excel/).
//
// What has been written is remembered in the workbook itself (a workbook setting, written in the same
// batch as the cells), so the ledger and its record never disagree, whoever opens it next. A feedback
// is written once: a clerk who edits the cell afterwards keeps her text until the unit answers again.
import type { ReceivedFeedback } from './api/client.js';
import type { CellWrite } from './excel/workbook.js';
import { hiddenByMerge, type LedgerView } from './ledgerView.js';

export const PROGRESS_HEADER = '进展情况';
/** The workbook setting holding, per ledger id, what feedback the ledger already has. */
export const FEEDBACK_SETTING = 'duban.feedback';
/**
 * A feedback's instant is taken when its request starts and it is stored a moment later, so one that
 * arrived just before the last pull may be stored just after it. Each pull asks again for this window
 * and skips what it already wrote.
 */
export const OVERLAP_MS = 10 * 60 * 1000;

export interface FeedbackCursor {
  /** The latest instant written (UTC ISO), or null before the first pull. */
  since: string | null;
  /** Ids of the feedback written within OVERLAP_MS of `since`. */
  written: string[];
  /** Feedback whose 督办编号 the ledger did not have: kept, reported, and tried again next time. */
  pending: ReceivedFeedback[];
}

const EMPTY: FeedbackCursor = { since: null, written: [], pending: [] };

/** The cursor of `ledgerId` in the setting's value (a JSON text); anything unreadable is a fresh start. */
export function cursorOf(settingValue: unknown, ledgerId: string): FeedbackCursor {
  try {
    const all = JSON.parse(typeof settingValue === 'string' ? settingValue : '{}') as Record<string, unknown>;
    const c = all[ledgerId] as Partial<FeedbackCursor> | undefined;
    if (!c || typeof c !== 'object') return { ...EMPTY };
    return {
      since: typeof c.since === 'string' ? c.since : null,
      written: Array.isArray(c.written) ? c.written.filter((x): x is string => typeof x === 'string') : [],
      pending: Array.isArray(c.pending) ? c.pending : [],
    };
  } catch {
    return { ...EMPTY };
  }
}

/** The setting's new value: this ledger's cursor replaced, other ledgers' kept. */
export function withCursor(settingValue: unknown, ledgerId: string, cursor: FeedbackCursor): string {
  let all: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(typeof settingValue === 'string' ? settingValue : '{}') as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      all = parsed as Record<string, unknown>;
  } catch {
    all = {};
  }
  return JSON.stringify({ ...all, [ledgerId]: cursor });
}

/** The `since` to ask the backend for: the cursor's instant, less the overlap window. */
export function askSince(cursor: FeedbackCursor): string | null {
  return cursor.since ? new Date(Date.parse(cursor.since) - OVERLAP_MS).toISOString() : null;
}

function dateLabel(receivedOn: string, ledgerYear: number): string {
  const [y, m, d] = receivedOn.split('-').map(Number) as [number, number, number];
  return `${y === ledgerYear ? '' : `${y}年`}${m}月${d}日`;
}

/** What goes into the cell: `【3月25日 县财政局反馈】…`, the reported value (4★) after the text. */
export function feedbackCellText(f: ReceivedFeedback, ledgerYear: number): string {
  const value = f.value === null || f.value === undefined ? '' : `（报送值：${f.value}）`;
  return `【${dateLabel(f.receivedOn, ledgerYear)} ${f.unit}反馈】${f.text}${value}`;
}

function clip(text: string, n = 30): string {
  return text.length > n ? `${text.slice(0, n)}…` : text;
}

export interface FeedbackPlan {
  cells: CellWrite[];
  /** One line per row written, for the status details. */
  written: string[];
  /** One line per feedback whose 督办编号 is not in the ledger (reported, kept for next time). */
  unplaced: string[];
  cursor: FeedbackCursor;
}

/**
 * The cells to write for `received` (what the backend listed since the cursor): per task the latest
 * feedback not written before, into the progress column (a 进展情况 column is added at `newColumn`
 * when the ledger has none). Rows that already show exactly that text are left alone.
 */
export function planFeedback(input: {
  view: LedgerView;
  tasks: { id: string; row: number; no: string | null }[];
  received: ReceivedFeedback[];
  cursor: FeedbackCursor;
  /** The first free column, if a 进展情况 column has to be added. */
  newColumn: number;
}): FeedbackPlan {
  const { view, cursor } = input;
  const already = new Set(cursor.written);
  // A late arrival (stored after the last pull, with an earlier instant) never covers a newer answer
  // already written for its task.
  const newestWritten = new Map<string, string>();
  for (const id of cursor.written) {
    const at = id.slice(id.lastIndexOf('|') + 1);
    const rest = id.slice(0, id.lastIndexOf('|'));
    const taskId = rest.slice(0, rest.lastIndexOf('|'));
    if (at > (newestWritten.get(taskId) ?? '')) newestWritten.set(taskId, at);
  }
  const fresh = input.received.filter(
    (f) => !already.has(f.id) && f.at >= (newestWritten.get(f.taskId) ?? ''),
  );
  const latest = new Map<string, ReceivedFeedback>();
  for (const f of [...cursor.pending, ...fresh]) {
    const prev = latest.get(f.taskId);
    if (!prev || f.at > prev.at || (f.at === prev.at && f.id > prev.id)) latest.set(f.taskId, f);
  }
  const rowOf = new Map(input.tasks.map((t) => [t.id, t]));
  const cells: CellWrite[] = [];
  const written: string[] = [];
  const unplaced: string[] = [];
  const pending: ReceivedFeedback[] = [];
  let column = view.column('progress');
  for (const f of [...latest.values()].sort((a, b) => a.at.localeCompare(b.at))) {
    const task = rowOf.get(f.taskId);
    const text = feedbackCellText(f, view.ledger.year);
    if (!task) {
      pending.push(f);
      unplaced.push(
        `督办编号 ${f.taskId} 在台账中找不到，${f.unit}的反馈未写入（下次同步再试）：${clip(text, 60)}`,
      );
      continue;
    }
    if (column === null) {
      column = input.newColumn;
      cells.push({ row: view.headerRow, column, value: PROGRESS_HEADER });
    }
    if (hiddenByMerge(view.read.merges, task.row, column) !== null) {
      pending.push(f);
      unplaced.push(
        `第${task.row}行的“进展情况”单元格与上方单元格合并，${f.unit}的反馈未写入（取消合并后再同步）：${clip(text, 60)}`,
      );
      continue;
    }
    const current = view.read.values[task.row - view.read.firstRow]?.[column - view.read.firstColumn];
    if (current === text) continue;
    cells.push({ row: task.row, column, value: text });
    written.push(`第${task.row}行${task.no ? `（序号${task.no}）` : ''}：${clip(text)}`);
  }
  const instants = [cursor.since, ...fresh.map((f) => f.at)].filter((x): x is string => !!x);
  const since = instants.length ? instants.reduce((m, x) => (x > m ? x : m)) : null;
  const windowStart = since ? new Date(Date.parse(since) - OVERLAP_MS).toISOString() : '';
  const keep = [...input.received.filter((f) => f.at >= windowStart).map((f) => f.id), ...cursor.written];
  return {
    cells,
    written,
    unplaced,
    cursor: {
      since,
      written: [...new Set(keep)].filter((id) => (id.split('|').pop() ?? '') >= windowStart),
      pending,
    },
  };
}
