// 销号 (R3): closed with a date and a note of evidence; the task stays in the
// ledger and in history, and gets no more reminders (R18) or cards. A decomposed task (R2) closes only
// when all its items are complete (shared openChildren): closing a parent with open items is refused
// (409) naming the items, unless the same request closes them too.
import { CloseTasksRequestSchema } from '../../shared/api.js';
import { openChildren } from '../../shared/rules/decomposition.js';
import { ApiError } from '../errors.js';
import { listTasks, updateTasks } from '../storage/index.js';
import { tasksByIds } from '../services/tasks.js';
import type { ApiRun } from './adapter.js';
import { httpFunction } from './route.js';

const closeTasks: ApiRun = async (call) => {
  const body = await call.body(CloseTasksRequestSchema);
  const storage = await call.storage();
  const named = await tasksByIds(storage, body.ledgerId, body.taskIds);
  const closing = new Set(body.taskIds);
  const ledger = (await listTasks(storage, body.ledgerId)).map((t) => ({
    row: t.task.row,
    no: t.task.no,
    parent: t.task.parent,
    closed: t.closed || closing.has(t.task.id),
    id: t.task.id,
  }));
  const blocked = named
    .filter((t) => !t.closed && !t.removed)
    .map((t) => ({ t, open: openChildren(ledger, t.task.row) }))
    .filter((b) => b.open.length > 0);
  if (blocked.length) {
    const lines = blocked.slice(0, 10).map(
      ({ t, open }) =>
        `第${t.task.row}行“${t.task.no ?? t.task.id}”（${t.task.id}）的子任务${open
          .slice(0, 10)
          .map((c) => `“${c.no ?? `第${c.row}行`}”（${c.id}）`)
          .join('')}${open.length > 10 ? ` 等 ${open.length} 项` : ''}未完成`,
    );
    throw new ApiError(
      409,
      'open_items',
      `细化分解的任务须其子任务全部完成后才能销号（R2）：${lines.join('；')}${blocked.length > 10 ? ` 等 ${blocked.length} 项` : ''}`,
    );
  }
  const written = await updateTasks(storage, body.ledgerId, body.taskIds, (t) =>
    t.closed
      ? null
      : { ...t, closed: true, closedOn: body.date, closeNote: body.note, task: { ...t.task, closed: true } },
  );
  await call.history(
    written.map((c) => ({
      subject: { ledgerId: body.ledgerId, taskId: c.before.task.id },
      type: 'close',
      date: body.date,
      by: body.by,
      data: { note: body.note },
    })),
  );
  const closed = written.map((c) => c.before.task.id);
  return { body: { closed, alreadyClosed: [...new Set(body.taskIds)].filter((id) => !closed.includes(id)) } };
};

export default httpFunction('tasksClose', { route: 'tasks/close', methods: { POST: closeTasks } });
