// Who is calling: the office-wide key, a clerk's own key (`dbk_…`, stored hashed), or nobody (a unit's
// signed link is checked by its handler). The check that needs no storage (`checkKey`) is also what
// the hosts use to refuse a stranger's request before reading its body.
import { timingSafeEqual } from 'node:crypto';
import type { HttpRequest } from '@azure/functions';
import { ApiError } from '../errors.js';
import type { HttpConfig } from '../config.js';
import { clerkOfKey, hasActiveClerk, looksLikeClerkKey, type Storage } from '../storage/index.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type PresentedKey = { kind: 'office' } | { kind: 'clerk'; key: string };

/**
 * The key check that needs no storage: header `x-functions-key` (the query `?code=` only when
 * DUBAN_ALLOW_KEY_IN_QUERY=true: a key in a URL lands in logs, histories and referrers). The
 * office-wide DUBAN_FUNCTION_KEY passes; a clerk's key (`dbk_…`) passes here by its shape and is
 * checked against its stored hash by `callerOf`.
 */
export function checkKey(req: HttpRequest, config: HttpConfig): PresentedKey {
  const expected = config.functionKey;
  if (!expected)
    throw new ApiError(401, 'key_not_configured', '服务端未设置访问密钥（DUBAN_FUNCTION_KEY），拒绝所有请求');
  const inQuery = config.allowKeyInQuery ? req.query.get('code') : null;
  const given = req.headers.get('x-functions-key') ?? inQuery;
  if (!given) {
    const hint = req.query.get('code') ? '（不接受网址中的 ?code= 密钥）' : '';
    throw new ApiError(401, 'missing_key', `缺少访问密钥：请在请求头 x-functions-key 中提供${hint}`);
  }
  if (sameSecret(given, expected)) return { kind: 'office' };
  if (looksLikeClerkKey(given)) return { kind: 'clerk', key: given };
  throw new ApiError(401, 'wrong_key', '访问密钥不正确');
}

/** Whether the request carries a key that passes `checkKey` (no storage read, no error). */
export function presentsKey(req: HttpRequest, config: HttpConfig): boolean {
  try {
    checkKey(req, config);
    return true;
  } catch {
    return false;
  }
}

/**
 * The clerk a key-protected request acts as: the clerk whose stored key it carries, or null for the
 * office-wide key. Once the office has issued clerks their own keys, every change names the clerk
 * who made it: the office-wide key stays for the timers and the admin's reading, never a clerk's write.
 */
export async function callerOf(
  req: HttpRequest,
  config: HttpConfig,
  storage: () => Promise<Storage>,
): Promise<string | null> {
  const presented = checkKey(req, config);
  if (presented.kind === 'clerk') {
    const found = await clerkOfKey(await storage(), presented.key);
    if (!found) throw new ApiError(401, 'wrong_key', '访问密钥不正确或已被吊销，请向管理员重新申请');
    return found.name;
  }
  if (req.method !== 'GET' && (await hasActiveClerk(await storage())))
    throw new ApiError(
      403,
      'clerk_key_required',
      '本办已启用经办人密钥：请在“设置”中填写您本人的密钥（由管理员用 duban clerk add 姓名 发放）；办公室密钥只供定时任务和管理员查询',
    );
  return null;
}
