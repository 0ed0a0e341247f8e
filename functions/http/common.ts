// Pieces several handlers share: the settings and calendar in force, query schemas, unit names.
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { UNIT_NAME_MAX, UnitNameSchema } from '../../shared/api.js';
import { makeCalendar, type WorkCalendar } from '../../shared/calendar.js';
import type { Settings } from '../../shared/settings.js';
import { ApiError } from '../errors.js';
import { keyTooLong } from '../storage/keys.js';
import { needsCleaning } from '../../shared/text.js';
import { loadSettings, listTasks, type Storage, type StoredTask } from '../storage/index.js';

export async function rulesContext(
  storage: Storage,
): Promise<{ settings: Settings; calendar: WorkCalendar }> {
  const settings = await loadSettings(storage);
  return { settings, calendar: makeCalendar(settings) };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A unit name from a path or body: trimmed, not empty, no control characters (they cannot be typed or shown). */
export function unitName(raw: string, what = '单位名称'): string {
  const name = raw.trim();
  if (!name) throw new ApiError(400, 'invalid_unit', `${what}不能为空`);
  if (CONTROL.test(name) || needsCleaning(name))
    throw new ApiError(400, 'invalid_unit', `${what}含有不可见的控制字符，请检查后重新输入`);
  if (name.length > UNIT_NAME_MAX)
    throw new ApiError(400, 'invalid_unit', `${what}过长（最多 ${UNIT_NAME_MAX} 字）`);
  if (keyTooLong([name]))
    throw new ApiError(400, 'invalid_unit', `${what}含过多 / \\ # ? % ! | ' 等符号，无法存储，请修改`);
  return name;
}

/**
 * A route parameter as the client encoded it. The dev host decodes `%2F` inside a segment; the
 * Functions host (ASP.NET Core routing) leaves `%2F` and `%5C` encoded in route values, so they are
 * decoded here: a unit named `县/局` reaches the handler as `县/局` under both hosts.
 */
export function pathParam(raw: string): string {
  return raw.replace(/%2F/gi, '/').replace(/%5C/gi, '\\');
}

/** The API's one unit-name schema (shared/api.ts), for queries as for bodies. */
export { UnitNameSchema };

export const AsOfQuery = z.object({ asOf: IsoDateSchema.optional() });

export const LedgerQuery = z.object({ ledgerId: z.string().trim().min(1, '请提供 ledgerId').max(200) });

/** The ledger's tasks named by `ids`, in that order; 404 naming every unknown id, before anything is written. */
export async function tasksByIds(storage: Storage, ledgerId: string, ids: string[]): Promise<StoredTask[]> {
  const all = await listTasks(storage, ledgerId, { includeRemoved: true });
  if (all.length === 0) throw new ApiError(404, 'ledger_not_found', `台账 ${ledgerId} 尚未同步或不存在`);
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
