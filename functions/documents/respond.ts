// A .docx as an HTTP answer: the handler returns its bytes like any other result, and the adapter
// (key check, CORS, errors as `{error:{code,message}}` in Chinese) sends them.
import type { ApiResult } from '../http/adapter.js';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Whether a card's letter is the one kept when it was issued (`as-issued`) or built today (`rebuilt`), R8. */
export const LETTER_HEADER = 'X-Duban-Letter';

export interface WordFile {
  /** The name a clerk sees, e.g. 友政督提〔2026〕7号.docx. */
  fileName: string;
  /** An ASCII name for clients that do not read RFC 5987 (filename*). */
  asciiName: string;
  bytes: Buffer;
  /** Headers that say something about the file (e.g. LETTER_HEADER); readable by the task pane too. */
  headers?: Record<string, string>;
}

/** RFC 5987 ext-value: UTF-8, percent-encoding everything but attr-char. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `attachment; filename="card-….docx"; filename*=UTF-8''%E5%8F%8B…` (RFC 6266 / 5987). */
export function contentDisposition(fileName: string, asciiName: string): string {
  const ascii = asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(fileName)}`;
}

/** The file as the adapter sends it: its type, its name for the browser, and headers the task pane may read. */
export function wordFile(file: WordFile): ApiResult {
  return {
    bytes: file.bytes,
    headers: {
      'Content-Type': DOCX_TYPE,
      'Content-Disposition': contentDisposition(file.fileName, file.asciiName),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...file.headers,
    },
    // The task pane (another origin) reads the file name from Content-Disposition, and the file's own headers.
    exposeHeaders: ['Content-Disposition', ...Object.keys(file.headers ?? {})],
  };
}
