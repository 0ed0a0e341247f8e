// The clerk ticks a 5★ milestone done, or unticks it (R7). A milestone
// done stops its slip, its orange candidate (工作进展缓慢) and its 节点已过期限未完成 reminder; every
// change is a 'milestone' event in the task's history with who, when and the source.
import { TickMilestoneRequestSchema } from '../../shared/api.js';
import { ApiError } from '../errors.js';
import { markMilestones } from '../services/milestones.js';
import { tasksByIds } from '../services/tasks.js';
import type { ApiRun } from './adapter.js';
import { httpFunction } from './route.js';

const tickMilestone: ApiRun = async (call) => {
  const body = await call.body(TickMilestoneRequestSchema);
  const storage = await call.storage();
  const [task] = await tasksByIds(storage, body.ledgerId, [body.taskId]);
  const milestone = task!.task.milestones.find((m) => m.text === body.milestone);
  if (!milestone)
    throw new ApiError(
      400,
      'unknown_milestone',
      `任务 ${body.taskId} 没有节点「${body.milestone}」（现有节点：${task!.task.milestones.map((m) => m.text).join('、') || '无'}）`,
    );
  if (!body.done && milestone.doneSource === 'ledger')
    throw new ApiError(
      409,
      'ledger_marked',
      `节点「${body.milestone}」在台账中标为已完成，请在台账中修改后再同步`,
    );
  const today = call.today;
  const on = body.date ?? today;
  if (on > today) throw new ApiError(400, 'future_date', `完成日期 ${on} 晚于今天（${today}）`);
  const result = await markMilestones(
    storage,
    body.ledgerId,
    body.taskId,
    [{ text: milestone.text, done: body.done, on, by: body.by, source: 'office' }],
    call.now,
    today,
  );
  return {
    body: {
      taskId: body.taskId,
      changed: result.changed,
      milestones: result.milestones ?? task!.task.milestones,
    },
  };
};

export default httpFunction('taskMilestones', {
  route: 'tasks/milestones',
  methods: { POST: tickMilestone },
});
