// One error type for the backend: a status, a stable machine code and a message in Chinese for clerks.
// Storage raises it for conflicts and stale ETags; the HTTP adapter turns it into `{ error: { code, message } }`.

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 412 | 413 | 415 | 428 | 429 | 500 | 503;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    /** For the log only, never for the client (host names, request ids, the service's own text). */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** A ledger id that was never synced (or a typo): said the same wherever a ledger is named. */
export const ledgerNotFound = (ledgerId: string) =>
  new ApiError(404, 'ledger_not_found', `台账 ${ledgerId} 尚未同步或不存在`);

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what}不存在`);
export const staleEtag = () =>
  new ApiError(412, 'precondition_failed', '数据已被他人修改（ETag 不匹配），请刷新后再提交');

/**
 * 428: a PUT that would replace a record that exists, sent without If-Match. Two clerks editing the
 * same record must not silently overwrite each other (the first read's ETag proves what was seen).
 */
export const preconditionRequired = (what: string) =>
  new ApiError(
    428,
    'precondition_required',
    `${what}已存在，修改时须在 If-Match 中带上读取时得到的 ETag（先 GET 再 PUT），以免覆盖他人的修改`,
  );

/** The status code of an error thrown by @azure/data-tables (RestError), or undefined. */
export function storageStatus(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}
