// The clerk's own settings of the add-in: the backend's address and function key, and who is working.
// Kept in localStorage of the add-in's origin (shared by the pane and the commands), never in the
// workbook: a workbook is mailed around, a function key must not travel with it.
export interface Prefs {
  /** The API base, ending in /api. '/api' = through the add-in's own server (dev, or a proxy). */
  backendUrl: string;
  functionKey: string;
  /** 经办人: recorded with every change (R5, R8). */
  clerk: string;
  /** Overrides the ledger id (default: ledger-<year of the ledger>). */
  ledgerId: string;
}

export const PREFS_KEY = 'duban.prefs';
export const DEFAULT_PREFS: Prefs = { backendUrl: '/api', functionKey: '', clerk: '', ledgerId: '' };

export function loadPrefs(storage: Storage): Prefs {
  try {
    const raw = storage.getItem(PREFS_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<Prefs>) : {};
    return {
      backendUrl: typeof parsed.backendUrl === 'string' ? parsed.backendUrl : DEFAULT_PREFS.backendUrl,
      functionKey: typeof parsed.functionKey === 'string' ? parsed.functionKey : '',
      clerk: typeof parsed.clerk === 'string' ? parsed.clerk : '',
      ledgerId: typeof parsed.ledgerId === 'string' ? parsed.ledgerId : '',
    };
  } catch {
    return { ...DEFAULT_PREFS };
  }
}

export function savePrefs(storage: Storage, prefs: Prefs): void {
  storage.setItem(PREFS_KEY, JSON.stringify(prefs));
}

/** A relative '/api' is resolved against the page's origin, so fetch gets an absolute URL. */
export function resolveBackendUrl(url: string, origin: string): string {
  return url.startsWith('/') ? `${origin}${url}` : url;
}

export function ledgerIdFor(prefs: Prefs, year: number): string {
  return prefs.ledgerId.trim() || `ledger-${year}`;
}

/** The ledger of the last 同步台账 on this machine: what the pane's 提示/汇总/亮牌 views ask about. */
export const LAST_LEDGER_KEY = 'duban.lastLedger';

export interface LastLedger {
  ledgerId: string;
  year: number;
}

export function rememberLedger(storage: Storage, ledger: LastLedger): void {
  storage.setItem(LAST_LEDGER_KEY, JSON.stringify(ledger));
}

export function lastLedger(storage: Storage): LastLedger | null {
  try {
    const v = JSON.parse(storage.getItem(LAST_LEDGER_KEY) ?? 'null') as Partial<LastLedger> | null;
    return v && typeof v.ledgerId === 'string' && typeof v.year === 'number'
      ? { ledgerId: v.ledgerId, year: v.year }
      : null;
  } catch {
    return null;
  }
}

/**
 * The ledger the pane shows: the clerk's setting, else the ledger of the last sync (in January the
 * round-up of Q4 is still about last year's ledger), else this year's.
 */
export function paneLedgerId(prefs: Prefs, last: LastLedger | null, today: string): string {
  return prefs.ledgerId.trim() || last?.ledgerId || `ledger-${today.slice(0, 4)}`;
}
