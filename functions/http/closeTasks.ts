// POST /api/tasks/close — 销号 (R3): closed with a date and a note of evidence; the task stays in the
// ledger and in history, and gets no more reminders (R18) or cards.
import { CloseTasksRequestSchema } from '../../shared/api.js';
import { appendEvents, updateTasks } from '../storage/index.js';
import { api } from './adapter.js';
import { tasksByIds } from './common.js';

export const closeTasks = api({}, async (call) => {
  const body = await call.body(CloseTasksRequestSchema);
  const storage = await call.storage();
  await tasksByIds(storage, body.ledgerId, body.taskIds);
  const written = await updateTasks(storage, body.ledgerId, body.taskIds, (t) =>
    t.closed
      ? null
      : { ...t, closed: true, closedOn: body.date, closeNote: body.note, task: { ...t.task, closed: true } },
  );
  await appendEvents(
    storage,
    written.map((c) => ({
      subject: { ledgerId: body.ledgerId, taskId: c.before.task.id },
      type: 'close',
      date: body.date,
      by: body.by,
      data: { note: body.note },
    })),
    call.now,
  );
  const closed = written.map((c) => c.before.task.id);
  return { body: { closed, alreadyClosed: [...new Set(body.taskIds)].filter((id) => !closed.includes(id)) } };
});
