// POST /api/tasks/target-kind — the clerk says whether a 4★ target accumulates over the year or is a
// level to hold (R6). Only real changes are written; each is a 'target-kind' event with who, from, to.
import { SetTargetKindRequestSchema } from '../../shared/api.js';
import { chinaToday } from '../../shared/dates.js';
import { ApiError } from '../errors.js';
import { appendEvents, updateTasks } from '../storage/index.js';
import { api } from './adapter.js';
import { tasksByIds } from './common.js';

export const setTargetKind = api({}, async (call) => {
  const body = await call.body(SetTargetKindRequestSchema);
  const storage = await call.storage();
  const tasks = await tasksByIds(storage, body.ledgerId, body.taskIds);
  const noTarget = tasks.filter((t) => t.task.target === null).map((t) => t.task.no ?? t.task.id);
  if (noTarget.length)
    throw new ApiError(
      400,
      'no_target',
      `以下任务没有可识别的指标目标值，无法设定指标类型：${noTarget.slice(0, 10).join('、')}（请在台账“目标值”列写明，如1200人）`,
    );
  const written = await updateTasks(storage, body.ledgerId, body.taskIds, (t) => {
    if (!t.task.target || (t.targetKind ?? null) === body.kind) return null;
    const { kind: _old, ...target } = t.task.target;
    return {
      ...t,
      targetKind: body.kind,
      task: { ...t.task, target: body.kind ? { ...target, kind: body.kind } : target },
    };
  });
  const today = chinaToday(call.now);
  const changes = written.map((c) => ({
    taskId: c.before.task.id,
    row: c.before.task.row,
    from: c.before.task.target?.kind ?? null,
    to: body.kind,
  }));
  await appendEvents(
    storage,
    changes.map((c) => ({
      subject: { ledgerId: body.ledgerId, taskId: c.taskId },
      type: 'target-kind',
      date: today,
      by: body.by,
      data: { from: c.from, to: c.to },
    })),
    call.now,
  );
  return { body: { changes, unchanged: body.taskIds.length - changes.length } };
});
