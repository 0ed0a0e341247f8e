// Builds the command environment in a page (the function file or the pane) from the Office globals,
// the clerk's preferences in localStorage and the settings last fetched from the backend.
import { chinaToday } from '../../shared/dates.js';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/settings.js';
import { DubanApi } from './api/client.js';
import type { CommandEnv } from './commands/actions.js';
import { officeHost } from './excel/workbook.js';
import { paneAlive, storageMailbox } from './mailbox.js';
import { loadPrefs, rememberLedger, resolveBackendUrl } from './prefs.js';

export const SETTINGS_KEY = 'duban.settings';

/** The office's settings (card colours etc.) as last fetched from the backend, else the defaults. */
export function cachedSettings(storage: Storage): Settings {
  try {
    const raw = storage.getItem(SETTINGS_KEY);
    if (raw) return SettingsSchema.parse(JSON.parse(raw));
  } catch {
    // stale or broken cache: the defaults of docs/rules.md apply
  }
  return DEFAULT_SETTINGS;
}

export function browserEnv(win: Window = window): CommandEnv {
  const storage = win.localStorage;
  const { excel, isSetSupported } = officeHost();
  return {
    excel,
    isSetSupported,
    api: () => {
      const prefs = loadPrefs(storage);
      return new DubanApi({
        url: resolveBackendUrl(prefs.backendUrl, win.location.origin),
        key: prefs.functionKey,
      });
    },
    prefs: () => loadPrefs(storage),
    settings: cachedSettings(storage),
    today: () => chinaToday(new Date()),
    mailbox: storageMailbox(storage),
    rememberLedger: (ledger) => rememberLedger(storage, ledger),
    notice: () => (paneAlive(storage) ? Promise.resolve() : showNoticeDialog(win)),
  };
}

/** Office's ribbon command limit is 5 minutes; the dialog is given up a little before it. */
const NOTICE_MAX_MS = 4 * 60_000;

/**
 * The last status in Office's dialog (DialogApi 1.1, which a function file may open): notice.html
 * reads it from localStorage (same origin). Resolves when the clerk closes it, or it cannot open.
 */
export function showNoticeDialog(win: Window): Promise<void> {
  return new Promise<void>((resolve) => {
    const ui = typeof Office === 'undefined' ? undefined : Office.context?.ui;
    if (!ui?.displayDialogAsync) return resolve();
    const timer = win.setTimeout(resolve, NOTICE_MAX_MS);
    const done = () => {
      win.clearTimeout(timer);
      resolve();
    };
    ui.displayDialogAsync(
      `${win.location.origin}/notice.html`,
      { height: 40, width: 30, displayInIframe: true },
      (result) => {
        if (result.status !== Office.AsyncResultStatus.Succeeded) return done();
        const dialog = result.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, () => {
          dialog.close();
          done();
        });
        dialog.addEventHandler(Office.EventType.DialogEventReceived, done);
      },
    );
  });
}
