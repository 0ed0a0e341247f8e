// One error type for the backend: a status, a stable machine code and a message in Chinese for clerks.
// Storage raises it for conflicts and stale ETags; the HTTP adapter turns it into `{ error: { code, message } }`.

export type ErrorStatus = 400 | 401 | 404 | 405 | 409 | 412 | 413 | 415 | 500 | 503;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what}不存在`);
export const staleEtag = () =>
  new ApiError(412, 'precondition_failed', '数据已被他人修改（ETag 不匹配），请刷新后再提交');

/** The status code of an error thrown by @azure/data-tables (RestError), or undefined. */
export function storageStatus(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}
