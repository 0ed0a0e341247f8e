// R5: 赋星 — the star follows the kind of key work.
import type { Category, Stars } from '../model.js';

const STARS_BY_CATEGORY: Record<Category, Stars> = { routine: 3, indicator: 4, major: 5 };

/** R5: 常规性 → 3★, 明确指标类 → 4★, 重大项目建设类 → 5★; unknown kind → null. */
export function suggestStars(category: Category | null | undefined): Stars | null {
  return category ? STARS_BY_CATEGORY[category] : null;
}

/** The stars a task is handled with: what the ledger says, else what its kind suggests. */
export function effectiveStars(task: { stars: Stars | null; category: Category | null }): Stars | null {
  return task.stars ?? suggestStars(task.category);
}

export interface StarChange {
  taskId: string | null;
  /** The task's sheet row, when the caller gave one (tasks not yet synced have no id). */
  row?: number;
  from: Stars | null;
  to: Stars;
}

/**
 * R5: what one-click 赋星 would change. `target` is an explicit star, or 'byKind' (each task its
 * suggested star; a task of unknown kind is left alone). Only real changes are returned.
 */
export function starChanges(
  tasks: { id: string | null; row?: number; stars: Stars | null; category: Category | null }[],
  target: Stars | 'byKind',
): StarChange[] {
  const out: StarChange[] = [];
  for (const t of tasks) {
    const to = target === 'byKind' ? suggestStars(t.category) : target;
    if (to === null || to === t.stars) continue;
    const change: StarChange = { taskId: t.id, from: t.stars, to };
    if (t.row !== undefined) change.row = t.row;
    out.push(change);
  }
  return out;
}
