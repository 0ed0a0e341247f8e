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
