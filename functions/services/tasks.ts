// The tasks a request names, checked before anything is written.
import { ApiError, ledgerNotFound } from '../errors.js';
import { listTasks, type Storage, type StoredTask } from '../storage/index.js';

/** The ledger's tasks named by `ids`, in that order; 404 naming every unknown id, before anything is written. */
export async function tasksByIds(storage: Storage, ledgerId: string, ids: string[]): Promise<StoredTask[]> {
  const all = await listTasks(storage, ledgerId, { includeRemoved: true });
  if (all.length === 0) throw ledgerNotFound(ledgerId);
  const byId = new Map(all.map((t) => [t.task.id, t]));
  const missing = [...new Set(ids)].filter((id) => !byId.has(id));
  if (missing.length) {
    const shown = missing.slice(0, 10).join('、');
    throw new ApiError(
      404,
      'task_not_found',
      `台账中没有这些督办编号：${shown}${missing.length > 10 ? ` 等 ${missing.length} 项` : ''}`,
    );
  }
  return [...new Set(ids)].map((id) => byId.get(id) as StoredTask);
}
