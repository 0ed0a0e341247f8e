// R2: a decomposed task (细化分解) — a parent row and its items are all tasks, and the parent is complete
// only when all its items are. Decided here once, for the reader, the schedule, the candidates, the
// ranking and the office's 销号 (closeTasks).
import type { Problem } from '../model.js';

export interface DecompositionTask {
  /** The sheet row: identifies the task within one ledger. */
  row: number;
  no: string | null;
  /** The parent's number as the reader resolved it (3 for 3-2, and for （2） under 3). */
  parent: string | null;
  /** Closed by its own status (R3). */
  closed: boolean;
  /**
   * True when the task's own status says nothing (an empty cell): a parent whose status the clerk keeps
   * only on its items. Absent/false: its own status counts.
   */
  statusBlank?: boolean;
}

/**
 * The children of each task, by row: a child's parent is the nearest task above it with the parent's
 * number (numbering may restart in each section, so the nearest one is the one meant). `tasks` in ledger
 * (row) order.
 */
export function childrenByRow<T extends DecompositionTask>(tasks: readonly T[]): Map<number, T[]> {
  const ordered = [...tasks].sort((a, b) => a.row - b.row);
  const lastWithNo = new Map<string, T>();
  const children = new Map<number, T[]>();
  for (const t of ordered) {
    if (t.parent !== null) {
      const p = lastWithNo.get(t.parent);
      if (p) {
        const list = children.get(p.row);
        if (list) list.push(t);
        else children.set(p.row, [t]);
      }
    }
    if (t.no !== null) lastWithNo.set(t.no, t);
  }
  return children;
}

/**
 * R2: whether each task (by row) is complete. A task without items is complete when it is closed; a
 * parent only when every one of its items is (recursively: 3 ← 3-1 ← 3-1-1) and it is closed itself —
 * or its own status is blank (the clerk keeps the status on the items only; then its items decide).
 * So a parent marked 已完成 with an open item is open; a parent marked 推进中 stays open until the
 * office closes it (R3), and a parent with an empty status closes with its last item.
 */
export function effectiveClosed(tasks: readonly DecompositionTask[]): Map<number, boolean> {
  const children = childrenByRow(tasks);
  const out = new Map<number, boolean>();
  const decide = (t: DecompositionTask, depth: number): boolean => {
    const known = out.get(t.row);
    if (known !== undefined) return known;
    const kids = children.get(t.row);
    // (depth guards a malformed ledger whose numbers refer in a loop; rows only point upwards, so it never trips)
    const closed =
      kids && depth < 50
        ? kids.every((k) => decide(k, depth + 1)) && (t.closed || t.statusBlank === true)
        : t.closed;
    out.set(t.row, closed);
    return closed;
  };
  for (const t of tasks) decide(t, 0);
  return out;
}

/** The items of `parent` that are not complete (R2), in row order: what stops the parent being closed. */
export function openChildren<T extends DecompositionTask>(tasks: readonly T[], parentRow: number): T[] {
  const closed = effectiveClosed(tasks);
  return (childrenByRow(tasks).get(parentRow) ?? []).filter((c) => closed.get(c.row) !== true);
}

/**
 * R2 problems: a parent marked closed while some of its items are open —
 * 「第3行A列（序号）“3”已销号，但其子任务“3-1”“3-2”未完成」. `noColumn` names the 序号 column when known.
 */
export function decompositionProblems(
  tasks: readonly DecompositionTask[],
  noColumn?: { letter: string; label: string },
): Problem[] {
  const closed = effectiveClosed(tasks);
  const children = childrenByRow(tasks);
  const out: Problem[] = [];
  for (const t of tasks) {
    const kids = children.get(t.row);
    if (!t.closed || !kids) continue;
    const open = kids.filter((k) => closed.get(k.row) !== true);
    if (open.length === 0) continue;
    const where = noColumn ? `第${t.row}行${noColumn.letter}列（${noColumn.label}）` : `第${t.row}行序号`;
    const names = open.map((k) => `“${k.no ?? `第${k.row}行`}”`).join('');
    out.push({
      row: t.row,
      column: noColumn?.letter ?? null,
      rule: 'R2',
      message: `${where}“${t.no ?? ''}”已销号，但其子任务${names}未完成，按未销号处理`,
    });
  }
  return out;
}
