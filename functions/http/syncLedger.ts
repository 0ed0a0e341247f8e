// The add-in sends every task of the ledger with its 督办编号. Tasks are
// upserted; a task no longer in the ledger is marked removed (never deleted, R8/R3 history stays);
// the ledger's problems (R1, R4) are kept for the yellow-card candidates (R9) and returned.
import { SyncLedgerRequestSchema } from '../../shared/api.js';
import type { Stars } from '../../shared/model.js';
import { leadUnitsOf } from '../../shared/ledger/leadUnits.js';
import { applyMilestoneMarks } from '../../shared/rules/milestones.js';
import { syncTaskFacts } from '../../shared/rules/ledgerSync.js';
import { ApiError } from '../errors.js';
import { MAX_KEY_CHARS, keyLength, keyTooLong, shownKeyPart } from '../storage/keys.js';
import { MAX_TEXT_BYTES, storedBytes } from '../storage/large.js';
import {
  listTasks,
  putLedger,
  replaceProblems,
  withTargetKind,
  writeTasks,
  type StoredTask,
} from '../storage/index.js';
import type { ApiRun, HistoryEntry } from './adapter.js';
import { httpFunction } from './route.js';

/** Excel's own limit for one cell: no text read from a ledger is longer, so none is accepted longer. */
export const MAX_CELL_CHARS = 32_767;
/** A task's JSON as one Tasks row keeps it (storedBytes, split over properties, storage/large.ts). */
export const MAX_TASK_BYTES = MAX_TEXT_BYTES - 10_000;

const FIELD_NAMES: Record<string, string> = {
  title: '工作任务',
  measures: '工作措施',
  progress: '工作进展',
  leadLeader: '牵头领导',
  leadUnit: '牵头单位',
  supportUnits: '配合单位',
  deadline: '完成时限',
  milestones: '节点',
  no: '序号',
  parent: '上级任务',
  target: '目标',
};

/** The first text of a task longer than a cell holds, as `[field, length]`, or null. */
function overlongText(t: object): [string, number] | null {
  for (const [k, v] of Object.entries(t)) {
    const texts: string[] = [];
    const walk = (x: unknown) => {
      if (typeof x === 'string') texts.push(x);
      else if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') Object.values(x).forEach(walk);
    };
    walk(v);
    const long = texts.find((s) => s.length > MAX_CELL_CHARS);
    if (long !== undefined) return [FIELD_NAMES[k] ?? k, long.length];
  }
  return null;
}

type TaskState = Omit<StoredTask, 'etag' | 'ledgerId'>;

const sync: ApiRun = async (call) => {
  const body = await call.body(SyncLedgerRequestSchema);
  const seen = new Map<string, number>();
  // Every id becomes part of Table Storage keys (512 characters at most, after escaping): checked here,
  // before anything is written, naming the row.
  if (keyTooLong([body.ledgerId]))
    throw new ApiError(
      400,
      'key_too_long',
      `台账编号「${shownKeyPart(body.ledgerId)}」过长或含过多 / \\ # ? % ! | ' 等符号，无法存储，请缩短`,
    );
  for (const t of body.tasks) {
    if (keyTooLong([body.ledgerId, t.id]))
      throw new ApiError(
        400,
        'key_too_long',
        `第 ${t.row} 行的督办编号「${shownKeyPart(t.id)}」过长：与台账编号合成的存储键编码后 ${keyLength([body.ledgerId, t.id])} 字符，超过 ${MAX_KEY_CHARS} 字符的上限，请缩短督办编号或少用 / \\ # ? % ! | ' 等符号`,
      );
    // Each lead unit of a jointly led task is a unit of its own (history, contacts, cards): each is a key.
    for (const unit of leadUnitsOf(t))
      if (keyTooLong([unit]))
        throw new ApiError(
          400,
          'key_too_long',
          `第 ${t.row} 行的牵头单位「${shownKeyPart(unit)}」过长或含过多符号，无法存储，请缩短`,
        );
  }
  for (const t of body.tasks) {
    const first = seen.get(t.id);
    if (first !== undefined) {
      throw new ApiError(400, 'duplicate_id', `督办编号 ${t.id} 重复：第 ${first} 行和第 ${t.row} 行`);
    }
    seen.set(t.id, t.row);
    // A task is kept whole over several properties (storage/large.ts); a text longer than an Excel
    // cell cannot come from a ledger, and one row of Tasks holds at most MAX_TASK_BYTES.
    const long = overlongText(t);
    if (long)
      throw new ApiError(
        413,
        'task_too_large',
        `第 ${t.row} 行「${long[0]}」长 ${long[1]} 字，超过 Excel 单元格上限 ${MAX_CELL_CHARS} 字，未同步任何内容：请精简后再同步`,
      );
    const json = JSON.stringify(t);
    if (storedBytes(json) > MAX_TASK_BYTES)
      throw new ApiError(
        413,
        'task_too_large',
        `第 ${t.row} 行内容过长（共 ${json.length} 字，约 ${Math.ceil(storedBytes(json) / 1024)} KiB，一行任务的上限约 ${Math.floor(MAX_TASK_BYTES / 1024)} KiB，约 27 万个汉字），未同步任何内容：请精简工作措施或进展说明后再同步`,
      );
  }
  const storage = await call.storage();
  const today = call.today;
  let added: string[] = [];
  let updated: string[] = [];
  let removed: string[] = [];
  let restored: string[] = [];
  let starChanges: { taskId: string; row: number; from: Stars | null; to: Stars }[] = [];
  let closings: { taskId: string; row: number; date: string; note: string }[] = [];
  for (let attempt = 0; ; attempt++) {
    added = [];
    updated = [];
    removed = [];
    restored = [];
    starChanges = [];
    closings = [];
    const existing = new Map(
      (await listTasks(storage, body.ledgerId, { includeRemoved: true })).map((t) => [t.task.id, t]),
    );
    const changes: { next: TaskState; etag: string | null }[] = [];
    for (const task of body.tasks) {
      const prev = existing.get(task.id);
      // Which of the ledger and the office's records wins for the star (R5) and the closing (R3),
      // and what changed: shared syncTaskFacts. A removed task coming back keeps its stored facts.
      const facts = syncTaskFacts(prev ?? null, task, today);
      const { stars, closed } = facts;
      const next: TaskState = {
        // The lead units are the backend's reading of the 牵头单位 text, whatever list was sent; the
        // milestones done by feedback or by the clerk stay done across syncs (R7).
        task: {
          ...task,
          leadUnits: leadUnitsOf(task),
          milestones: applyMilestoneMarks(task.milestones, prev?.milestoneMarks ?? []),
          target: withTargetKind(task.target, prev?.targetKind),
          stars,
          closed,
        },
        stars,
        closed,
        closedOn: facts.closedOn,
        closeNote: facts.closeNote,
        removed: false,
        removedOn: null,
        milestoneMarks: prev?.milestoneMarks ?? [],
        targetKind: prev?.targetKind ?? null,
      };
      if (facts.starChange) starChanges.push({ taskId: task.id, row: task.row, ...facts.starChange });
      if (facts.closing) closings.push({ taskId: task.id, row: task.row, ...facts.closing });
      if (!prev) {
        added.push(task.id);
        changes.push({ next, etag: null });
      } else if (JSON.stringify(comparable(prev)) !== JSON.stringify(comparable(next))) {
        (prev.removed ? restored : updated).push(task.id);
        changes.push({ next, etag: prev.etag });
      }
    }
    for (const prev of existing.values()) {
      if (seen.has(prev.task.id) || prev.removed) continue;
      removed.push(prev.task.id);
      changes.push({ next: { ...prev, removed: true, removedOn: today }, etag: prev.etag });
    }
    try {
      await writeTasks(storage, body.ledgerId, changes);
      break;
    } catch (e) {
      const status = (e as { status?: number }).status;
      if ((status === 412 || status === 409) && attempt < 5) continue;
      throw e;
    }
  }
  const taskByRow = new Map(body.tasks.map((t) => [t.row, t]));
  const problems = body.problems.map((p) => ({
    ...p,
    unit: taskByRow.get(p.row)?.leadUnit ?? null,
    taskId: taskByRow.get(p.row)?.id ?? null,
  }));
  await replaceProblems(storage, body.ledgerId, problems);
  const at = call.now.toISOString();
  await putLedger(storage, {
    ledgerId: body.ledgerId,
    year: body.year,
    syncedAt: at,
    by: body.by,
    tasks: body.tasks.length,
  });
  await call.history([
    {
      subject: { ledgerId: body.ledgerId },
      type: 'ledger-sync',
      date: today,
      by: body.by,
      // A list too long for one row is cut visibly (storage/events.ts): each task's own change is in its history.
      rest: '每项任务的移除、恢复、销号和星级变化另记在该任务自己的历史中',
      data: {
        year: body.year,
        tasks: body.tasks.length,
        added: added.length > 200 ? added.length : added,
        updated: updated.length,
        removed,
        restored,
        starChanges: starChanges.length,
        closed: closings.map((c) => c.taskId),
        problems: problems.length,
      },
    },
    ...removed.map((taskId): HistoryEntry => ({
      subject: { ledgerId: body.ledgerId, taskId },
      type: 'task-removed',
      by: body.by,
    })),
    // R5: a star changed in the ledger is recorded like a 赋星, with who synced it and source 'ledger'.
    ...starChanges.map((c): HistoryEntry => ({
      subject: { ledgerId: body.ledgerId, taskId: c.taskId },
      type: 'stars',
      by: body.by,
      data: { from: c.from, to: c.to, source: 'ledger', row: c.row },
    })),
    // R3: a task the ledger's status closed is recorded like a 销号, with source 'ledger'.
    ...closings.map((c): HistoryEntry => ({
      subject: { ledgerId: body.ledgerId, taskId: c.taskId },
      type: 'close',
      date: c.date,
      by: body.by,
      data: { note: c.note, source: 'ledger', row: c.row },
    })),
    ...restored.map((taskId): HistoryEntry => ({
      subject: { ledgerId: body.ledgerId, taskId },
      type: 'task-restored',
      by: body.by,
    })),
  ]);
  return {
    body: {
      ledgerId: body.ledgerId,
      year: body.year,
      tasks: body.tasks.length,
      added,
      updated,
      removed,
      restored,
      unchanged: body.tasks.length - added.length - updated.length - restored.length,
      starChanges,
      closedByLedger: closings.map((c) => c.taskId),
      problems,
    },
  };
};

const ledgerSync = httpFunction('ledgerSync', { route: 'ledger/sync', methods: { POST: sync } });
export default ledgerSync;

/** The handler as both hosts call it; `duban sync` runs it in-process with the same key check. */
export const syncLedger = ledgerSync.handler;

function comparable(t: TaskState) {
  return {
    task: t.task,
    stars: t.stars,
    closed: t.closed,
    closedOn: t.closedOn,
    closeNote: t.closeNote,
    removed: t.removed,
  };
}
