// 赋星 (R5): an explicit star or `byKind` for some tasks. Only real changes are
// written (shared starChanges); each is an event with who, when, from and to.
import { SetStarsRequestSchema } from '../../shared/api.js';
import { starChanges } from '../../shared/rules/stars.js';
import { updateTasks } from '../storage/index.js';
import { tasksByIds } from '../services/tasks.js';
import type { ApiRun } from './adapter.js';
import { httpFunction } from './route.js';

const setStars: ApiRun = async (call) => {
  const body = await call.body(SetStarsRequestSchema);
  const storage = await call.storage();
  await tasksByIds(storage, body.ledgerId, body.taskIds);
  const written = await updateTasks(storage, body.ledgerId, body.taskIds, (t) => {
    const [change] = starChanges([{ id: t.task.id, stars: t.stars, category: t.task.category }], body.stars);
    return change ? { ...t, stars: change.to, task: { ...t.task, stars: change.to } } : null;
  });
  const at = call.now.toISOString();
  const changes = written.map((c) => ({
    taskId: c.before.task.id,
    row: c.before.task.row,
    from: c.before.stars,
    to: c.after.stars,
  }));
  await call.history(
    changes.map((c) => ({
      subject: { ledgerId: body.ledgerId, taskId: c.taskId },
      type: 'stars',
      by: body.by,
      data: { from: c.from, to: c.to, target: body.stars },
    })),
  );
  return {
    body: {
      changes: changes.map((c) => ({ ...c, by: body.by, at })),
      unchanged: body.taskIds.length - changes.length,
    },
  };
};

export default httpFunction('stars', { route: 'stars', methods: { POST: setStars } });
