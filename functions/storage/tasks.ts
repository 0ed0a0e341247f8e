// The ledger's tasks (table Tasks): PartitionKey <ledgerId>, RowKey <taskId> (the 督办编号), both encoded.
// The task as read from the ledger is kept whole in `json`; the office's own facts live beside it:
// stars set by 赋星, closing (销号, R3), and `removed` for a task that left the ledger (never deleted).
// Problems of the last sync (table Problems): PartitionKey <ledgerId>, RowKey <row, 7 digits>|<index>.
import type { TransactionAction } from '@azure/data-tables';
import type { LedgerTask, Problem, Stars, Target } from '../../shared/model.js';
import type { TargetKind } from '../../shared/rules/progress.js';
import { leadUnitsOf } from '../../shared/ledger/leadUnits.js';
import { applyMilestoneMarks, type MilestoneMark } from '../../shared/rules/milestones.js';
import { encodeKey, decodeKey } from './keys.js';
import type { Storage, StoredEntity } from './client.js';
import { joinText, splitText } from './large.js';

export interface StoredTask {
  ledgerId: string;
  task: LedgerTask & { id: string };
  /** The star in force: the ledger's, else the one set by 赋星. */
  stars: Stars | null;
  closed: boolean;
  closedOn: string | null;
  closeNote: string | null;
  removed: boolean;
  removedOn: string | null;
  /** R7: milestones marked done by the unit's feedback or the clerk (the ledger's own marks are in the task). */
  milestoneMarks?: MilestoneMark[];
  /** R6: the target's kind as the clerk set it (wins over the ledger's); null/absent = not set. */
  targetKind?: TargetKind | null;
  etag: string;
}

function parseMarks(value: unknown): MilestoneMark[] {
  if (typeof value !== 'string' || value === '') return [];
  const parsed = JSON.parse(value) as unknown;
  return Array.isArray(parsed) ? (parsed as MilestoneMark[]) : [];
}

export function toStoredTask(e: StoredEntity): StoredTask {
  const task = JSON.parse(joinText(e, 'json')) as LedgerTask & { id: string };
  // A task stored before lead units were a list reads with its list, derived from the cell text.
  task.leadUnits = leadUnitsOf(task);
  // R7: every reader of a task sees its milestones done as the feedback and the clerk said.
  const milestoneMarks = parseMarks(e.milestoneMarks);
  task.milestones = applyMilestoneMarks(task.milestones, milestoneMarks);
  const targetKind = e.targetKind === 'cumulative' || e.targetKind === 'level' ? e.targetKind : null;
  task.target = withTargetKind(task.target, targetKind);
  const stars = typeof e.stars === 'number' && [3, 4, 5].includes(e.stars) ? (e.stars as Stars) : null;
  const closed = e.closed === true;
  return {
    ledgerId: decodeKey(e.partitionKey),
    task: { ...task, stars, closed },
    stars,
    closed,
    closedOn: typeof e.closedOn === 'string' && e.closedOn ? e.closedOn : null,
    closeNote: typeof e.closeNote === 'string' && e.closeNote ? e.closeNote : null,
    removed: e.removed === true,
    removedOn: typeof e.removedOn === 'string' && e.removedOn ? e.removedOn : null,
    milestoneMarks,
    targetKind,
    etag: e.etag,
  };
}

export async function listTasks(
  storage: Storage,
  ledgerId: string,
  opts: { includeRemoved?: boolean } = {},
): Promise<StoredTask[]> {
  const rows = await storage.listPartition('Tasks', encodeKey(ledgerId));
  // Ledger order (RowKey order is the order of the encoded ids).
  const tasks = rows.map(toStoredTask).sort((a, b) => a.task.row - b.task.row);
  return opts.includeRemoved ? tasks : tasks.filter((t) => !t.removed);
}

export function taskEntity(ledgerId: string, t: Omit<StoredTask, 'etag' | 'ledgerId'>) {
  return {
    partitionKey: encodeKey(ledgerId),
    rowKey: encodeKey(t.task.id),
    // A task as long as Excel's cells allow is kept whole, over several properties (large.ts).
    ...splitText('json', JSON.stringify(t.task), 'Tasks'),
    leadUnit: t.task.leadUnit ?? '',
    stars: t.stars ?? undefined,
    closed: t.closed,
    closedOn: t.closedOn ?? '',
    closeNote: t.closeNote ?? '',
    removed: t.removed,
    removedOn: t.removedOn ?? '',
    milestoneMarks: t.milestoneMarks?.length ? JSON.stringify(t.milestoneMarks) : '',
    targetKind: t.targetKind ?? '',
  };
}

/** R6: the target with the clerk's kind, when one is set (the ledger's own kind otherwise). */
export function withTargetKind(target: Target | null, kind: TargetKind | null | undefined): Target | null {
  return target && kind ? { ...target, kind } : target;
}

/** Writes changed tasks: existing rows with If-Match on the ETag they were read with, new rows as creates. */
export async function writeTasks(
  storage: Storage,
  ledgerId: string,
  changes: { next: Omit<StoredTask, 'etag' | 'ledgerId'>; etag: string | null }[],
): Promise<void> {
  const actions: TransactionAction[] = changes.map(({ next, etag }) =>
    etag
      ? ['update', taskEntity(ledgerId, next), 'Replace', { etag }]
      : ['create', taskEntity(ledgerId, next)],
  );
  await storage.submit('Tasks', actions);
}

export interface StoredProblem extends Problem {
  /** The lead unit and 督办编号 of the problem's row, when the row is a task. */
  unit: string | null;
  taskId?: string | null;
}

export async function replaceProblems(
  storage: Storage,
  ledgerId: string,
  problems: StoredProblem[],
): Promise<void> {
  const pk = encodeKey(ledgerId);
  const old = await storage.listPartition('Problems', pk);
  const rowKeys = problems.map((p, i) => `${String(p.row).padStart(7, '0')}|${String(i).padStart(6, '0')}`);
  const keep = new Set(rowKeys);
  const actions: TransactionAction[] = [
    ...problems.map((p, i): TransactionAction => [
      'upsert',
      {
        partitionKey: pk,
        rowKey: rowKeys[i] as string,
        row: p.row,
        column: p.column ?? '',
        rule: p.rule,
        ...splitText('message', p.message, 'Problems'),
        unit: p.unit ?? '',
        taskId: p.taskId ?? '',
      },
      'Replace',
    ]),
    ...old
      .filter((o) => !keep.has(o.rowKey))
      .map((o): TransactionAction => ['delete', { partitionKey: pk, rowKey: o.rowKey }]),
  ];
  await storage.submit('Problems', actions);
}

export async function listProblems(storage: Storage, ledgerId: string): Promise<StoredProblem[]> {
  const rows = await storage.listPartition('Problems', encodeKey(ledgerId));
  return rows.map((r) => ({
    row: Number(r.row),
    column: typeof r.column === 'string' && r.column ? r.column : null,
    rule: String(r.rule),
    message: joinText(r, 'message'),
    unit: typeof r.unit === 'string' && r.unit ? r.unit : null,
    taskId: typeof r.taskId === 'string' && r.taskId ? r.taskId : null,
  }));
}

/**
 * Read-modify-write of some tasks with If-Match on each: `mutate` returns the new state of a task, or
 * null for no change. A concurrent writer makes the batch fail on an ETag; we re-read and apply again.
 */
export async function updateTasks(
  storage: Storage,
  ledgerId: string,
  ids: string[],
  mutate: (t: StoredTask) => Omit<StoredTask, 'etag' | 'ledgerId'> | null,
): Promise<{ before: StoredTask; after: Omit<StoredTask, 'etag' | 'ledgerId'> }[]> {
  for (let attempt = 0; ; attempt++) {
    const all = new Map(
      (await listTasks(storage, ledgerId, { includeRemoved: true })).map((t) => [t.task.id, t]),
    );
    const changes: { before: StoredTask; after: Omit<StoredTask, 'etag' | 'ledgerId'> }[] = [];
    for (const id of new Set(ids)) {
      const t = all.get(id);
      if (!t) continue;
      const next = mutate(t);
      if (next) changes.push({ before: t, after: next });
    }
    try {
      await writeTasks(
        storage,
        ledgerId,
        changes.map((c) => ({ next: c.after, etag: c.before.etag })),
      );
      return changes;
    } catch (e) {
      const status = (e as { status?: number }).status;
      if ((status === 412 || status === 409) && attempt < 10) continue;
      throw e;
    }
  }
}
