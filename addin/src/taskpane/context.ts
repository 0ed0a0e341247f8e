// What a view of the pane receives from the pane shell (app.ts): the one command environment, the
// status line, the act/load wrappers, request ids and navigation. A view keeps its own state.
import type { CommandEnv, Outcome } from '../commands/actions.js';

export type Tab = 'ledger' | 'reminders' | 'cards' | 'history' | 'settings';

export interface StatusLine {
  level: string;
  text: string;
  details?: string[];
  pendingFeedback?: string[];
}

export interface PaneContext {
  /** The command environment, built once for the pane; its mailbox is the pane itself. */
  readonly env: CommandEnv;
  readonly storage: Storage;
  /** The element the current view renders into. */
  readonly view: HTMLElement;
  /** Whether `tab` is the view on screen. */
  showing(tab: Tab): boolean;
  show(tab: Tab): void;
  /**
   * Starts a render that loads: the function returned says whether it is still the latest, so a slow
   * load of a view the clerk has left never writes into the new one.
   */
  fresh(): () => boolean;
  /** The ledger the pane shows (the setting, else the last synced ledger, else this year's). */
  ledgerId(): string;
  /** The ledger's year (of the last sync), for the round-up periods; this year before any sync. */
  ledgerYear(): number;
  showStatus(s: StatusLine, retry?: () => void): void;
  /** Runs an action with progress shown; a failure gets a clear message and, where it helps, 重试. */
  act(progress: string, fn: () => Promise<Outcome>, after?: (o: Outcome) => void): Promise<Outcome>;
  /** Loads data for a view; a failure shows in the status line with a retry of the same load. */
  load<T>(what: string, fn: () => Promise<T>, retry: () => void): Promise<T | null>;
  /**
   * One requestId per action the clerk confirms: confirming the same thing again (the same card
   * order, the same form) after a failure reuses it, so the backend does it once (R12, R14).
   */
  requestIdFor(action: unknown): string;
  /** A view named by a ShowTaskpane button (interview, close, reminders, roundup). */
  openView(view: string | null): Promise<void>;
}

/** Hands a document to the browser (Excel on the web) or the webview (desktop) as a download. */
export function saveFile(file: { blob: Blob; fileName: string }): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A document the backend makes (R12, R14, R21), downloaded with progress and its name in the status line. */
export function download(
  ctx: PaneContext,
  progress: string,
  make: () => Promise<{ blob: Blob; fileName: string } | Outcome>,
): void {
  void ctx.act(progress, async () => {
    const file = await make();
    if (!('blob' in file)) return file;
    saveFile(file);
    return { level: 'success', text: `已下载《${file.fileName}》。` };
  });
}
