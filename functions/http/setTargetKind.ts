// The clerk says whether a 4★ target accumulates over the year or is a
// level to hold (R6). Only real changes are written; each is a 'target-kind' event with who, from, to.
import { SetTargetKindRequestSchema } from '../../shared/api.js';
import { ApiError } from '../errors.js';
import { updateTasks } from '../storage/index.js';
import { tasksByIds } from '../services/tasks.js';
import type { ApiRun } from './adapter.js';
import { httpFunction } from './route.js';

const setTargetKind: ApiRun = async (call) => {
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
  const changes = written.map((c) => ({
    taskId: c.before.task.id,
    row: c.before.task.row,
    from: c.before.task.target?.kind ?? null,
    to: body.kind,
  }));
  await call.history(
    changes.map((c) => ({
      subject: { ledgerId: body.ledgerId, taskId: c.taskId },
      type: 'target-kind',
      by: body.by,
      data: { from: c.from, to: c.to },
    })),
  );
  return { body: { changes, unchanged: body.taskIds.length - changes.length } };
};

export default httpFunction('taskTargetKind', {
  route: 'tasks/target-kind',
  methods: { POST: setTargetKind },
});
