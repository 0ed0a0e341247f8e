// What every command shares: its environment, its outcome as the clerk reads it, request ids, and
// how any failure (the backend, the ledger, Excel) becomes one Chinese message.
import type { IsoDate, LedgerTask } from '../../../shared/model.js';
import type { Settings } from '../../../shared/settings.js';
import { BackendError, type DubanApi } from '../api/client.js';
import { excelCode, WorkbookError, type ExcelHost, type SetSupported } from '../excel/workbook.js';
import { LedgerError } from '../ledgerView.js';
import type { CardOrder, Mailbox } from '../mailbox.js';
import type { Prefs } from '../prefs.js';

export interface CommandEnv {
  excel: ExcelHost;
  isSetSupported: SetSupported;
  /** The backend client; throws BackendError('config') when no backend is set. */
  api(): DubanApi;
  prefs(): Prefs;
  settings: Settings;
  today(): IsoDate;
  mailbox: Mailbox;
  /**
   * Shows the command's outcome (the last status) where the clerk sees it when no task pane is open
   * (Office's dialog); resolves when the clerk has closed it. Absent where a pane always listens.
   */
  notice?: () => Promise<void>;
  /** Remembers the ledger of a successful 同步台账 for the pane (browser storage; absent in tests). */
  rememberLedger?: (ledger: { ledgerId: string; year: number }) => void;
}

export interface Outcome {
  level: 'success' | 'info' | 'error';
  text: string;
  details?: string[];
  retry?: boolean;
  /**
   * The card orders still to issue after a failure, each with the requestId it was first sent with:
   * 重试 sends only these, with the same ids, so a card the backend committed before a 502 is not
   * issued twice (R14: one number) — see issueCardsFor.
   */
  pendingCards?: { color: 'yellow' | 'orange'; orders: CardOrder[] };
  /** Ids of unit feedback kept because it could not be written (同步台账): the clerk may dismiss them. */
  pendingFeedback?: string[];
}

/**
 * A fresh id for one action the clerk confirmed (a card order, an interview): sent again, unchanged,
 * on every retry of that action, so the backend answers a retry with what the first request did.
 */
export function newRequestId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export const COLOR_NAME = { yellow: '黄牌', orange: '橙牌', red: '红牌' } as const;

/** The clerk's name (经办人): every record names who did it, so nothing is recorded without it. */
export function clerk(env: CommandEnv): string {
  const name = env.prefs().clerk.trim();
  if (!name) throw new LedgerError('请先在督办面板的“设置”中填写经办人姓名。');
  return name;
}

/** A list for a status line: the first few names, then how many more. */
export function listNames(names: string[], max = 5): string {
  return names.length <= max
    ? names.join('、')
    : `${names.slice(0, max).join('、')}等 ${names.length} 个单位`;
}

export function rowLabel(t: LedgerTask): string {
  return `第${t.row}行${t.no ? `（序号${t.no}）` : ''}`;
}

/** Excel's error codes a clerk may meet, in Chinese (Excel.ErrorCodes). */
const EXCEL_ERRORS: Record<string, string> = {
  AccessDenied: '没有权限更改（工作表或工作簿受保护）',
  ItemNotFound: '找不到工作表或区域（可能已被重命名或删除）',
  InvalidSelection: '当前选择不适用于此操作',
  InvalidOperationInCellEditMode: '单元格正在编辑，请先按 Enter 或 Esc 结束编辑',
  RequestPayloadSizeLimitExceeded: '数据量超过 Excel 网页版单次请求的上限',
  Conflict: '工作簿正被他人同时修改，请稍后再试',
};

/** Turns any failure into what the clerk reads; the backend being down is one click from a retry. */
export function failure(err: unknown): Outcome {
  if (err instanceof BackendError) {
    return { level: 'error', text: err.message, retry: err.kind === 'unreachable' };
  }
  if (err instanceof LedgerError || err instanceof WorkbookError)
    return { level: 'error', text: err.message };
  if (err && typeof err === 'object' && 'issues' in err) {
    const issues = (err as { issues: { message: string; path: PropertyKey[] }[] }).issues;
    return { level: 'error', text: `数据未通过检查：${issues.map((i) => i.message).join('；')}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = excelCode(err);
  // Excel's own message follows Office's language; the clerk first reads what it means, in Chinese.
  const meaning = Object.entries(EXCEL_ERRORS).find(([c]) => code.includes(c))?.[1];
  return {
    level: 'error',
    text: `操作未完成，工作簿未被修改：${meaning ? `${meaning}（${message}）` : message}`,
  };
}
