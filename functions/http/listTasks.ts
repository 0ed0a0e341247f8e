// The synced tasks with what the office added to them: stars in force, closing (R3), removal, and
// each task's ETag.
import { z } from 'zod';
import { effectiveStars } from '../../shared/rules/stars.js';
import { ledgerNotFound } from '../errors.js';
import { listTasks as readTasks } from '../storage/index.js';
import { LedgerIdSchema } from './common.js';
import { httpFunction } from './route.js';

export const Query = z.object({
  ledgerId: LedgerIdSchema,
  includeRemoved: z.enum(['true', 'false']).default('false'),
});

export default httpFunction('tasks', {
  route: 'tasks',
  query: { GET: Query },
  methods: {
    GET: async (call) => {
      const q = call.query(Query);
      const storage = await call.storage();
      const tasks = await readTasks(storage, q.ledgerId, { includeRemoved: q.includeRemoved === 'true' });
      if (
        tasks.length === 0 &&
        q.includeRemoved === 'false' &&
        (await readTasks(storage, q.ledgerId, { includeRemoved: true })).length === 0
      )
        throw ledgerNotFound(q.ledgerId);
      return {
        body: {
          ledgerId: q.ledgerId,
          tasks: tasks.map((t) => ({
            ...t.task,
            effectiveStars: effectiveStars({ stars: t.stars, category: t.task.category }),
            closedOn: t.closedOn,
            closeNote: t.closeNote,
            removed: t.removed,
            removedOn: t.removedOn,
            // R6: the kind the clerk set, apart from the ledger's own, so the pane can say where it comes from.
            targetKindSet: t.targetKind ?? null,
            etag: t.etag,
          })),
        },
      };
    },
  },
});
