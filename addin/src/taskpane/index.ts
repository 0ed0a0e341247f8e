// The task pane's script (taskpane.html): Office.onReady only wires the page; the logic is in app.ts.
import { browserEnv } from '../env.js';
import { PANE_ALIVE_KEY, PANE_BEAT_MS } from '../mailbox.js';
import { mountPane } from './app.js';

if ((globalThis as { __dubanOldHost?: string }).__dubanOldHost) {
  // Trident/EdgeHTML: taskpane.html's ES5 guard has said what to use instead.
} else if (typeof Office === 'undefined') {
  // office.js did not load: the page was opened outside Excel, or the Office CDN is unreachable.
  const root = document.getElementById('app');
  if (root) {
    root.textContent =
      '督办面板需要在 Excel 中打开（功能区“督办”→“督办面板”）；若已在 Excel 中，请检查网络后重新打开。';
  }
} else {
  Office.onReady(() => {
    const root = document.getElementById('app');
    if (!root) return;
    const storage = window.localStorage;
    const pane = mountPane(root, { env: browserEnv(window), storage });
    void pane.openView(new URLSearchParams(window.location.search).get('view'));
    // The heartbeat tells the ribbon's commands that a pane listens; without it they open a dialog.
    const beat = () => storage.setItem(PANE_ALIVE_KEY, String(Date.now()));
    beat();
    window.setInterval(beat, PANE_BEAT_MS);
    window.addEventListener('pagehide', () => storage.removeItem(PANE_ALIVE_KEY));
    // Open the pane with the workbook from now on (the manifest's TaskpaneId is
    // Office.AutoShowTaskpaneWithDocument), so the ribbon's commands always have the pane to report to.
    const settings = Office.context?.document?.settings;
    if (settings && settings.get('Office.AutoShowTaskpaneWithDocument') !== true) {
      settings.set('Office.AutoShowTaskpaneWithDocument', true);
      settings.saveAsync();
    }
  });
}
