// How the daily run tells an outage (stop, run again: every write is idempotent) from one ledger's or
// unit's bad data (report it by name, go on), and how it words each for a clerk and for the log.
import { ApiError, storageStatus } from '../errors.js';

/** Storage unreachable (not one row's data): the whole run stops and is simply run again (idempotent). */
export function isOutage(e: unknown): boolean {
  if (e instanceof ApiError) return e.status === 503;
  const status = storageStatus(e);
  if (status !== undefined) return status >= 500 || status === 408;
  return (e as Error | null)?.name === 'RestError';
}

/** A failure as a clerk reads it: the Chinese message of an ApiError, else a plain description. */
export function failureText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  const status = storageStatus(e);
  if (status !== undefined) return `存储拒绝写入（状态 ${status}），详情见运行日志`;
  const message = (e as Error | null)?.message ?? '';
  return /[\u4e00-\u9fff]/.test(message) ? message : '程序出错，详情见运行日志';
}

/** For the log only: the service's or runtime's own text and the stack. */
export function technicalDetail(e: unknown): string {
  const err = e as (Error & { detail?: string }) | null;
  return [err?.detail, err?.stack ?? String(e)].filter(Boolean).join('\n');
}
