// Pieces of a request several handlers read alike: unit names and years in paths, ledger ids,
// dates and pages in queries.
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { periodRange } from '../../shared/dates.js';
import { UNIT_NAME_MAX, UnitNameSchema } from '../../shared/api.js';
import { ApiError } from '../errors.js';
import { keyTooLong } from '../storage/keys.js';
import { needsCleaning } from '../../shared/text.js';

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

/** A ledger id in a query or a body, as every route that names a ledger reads it. */
export const LedgerIdSchema = z.string().trim().min(1, '请提供 ledgerId（台账编号）').max(200);

/**
 * `limit` and `continuation` of a paged list: at most 1000 a page; the continuation is the one the
 * previous page answered (an edited one is a 400, ApiCall.page).
 */
export const pageQuery = (defaultLimit: number) => ({
  limit: z.coerce
    .number()
    .int()
    .min(1, 'limit 至少为 1')
    .max(1000, 'limit 最多为 1000')
    .default(defaultLimit),
  continuation: z.string().max(4000).optional(),
});

/** A year in a path (`calendar/{year}`). */
export function yearParam(raw: string): number {
  if (!/^\d{4}$/.test(raw) || Number(raw) < 2000 || Number(raw) > 2100) {
    throw new ApiError(400, 'invalid_year', `年份应为 2000–2100 之间的四位数字：${raw}`);
  }
  return Number(raw);
}

/** The round-up's query: GET /roundup answers it as JSON, GET /roundup/document as .docx. */
export const RoundupQuery = z.object({
  ledgerId: LedgerIdSchema,
  period: z
    .string()
    .trim()
    .refine((p) => periodRange(p) !== null, '汇总周期应为 2026-Q1、2026-03、2026-W09 或 2026')
    .optional(),
  asOf: IsoDateSchema.optional(),
});
