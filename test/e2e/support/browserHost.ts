// Injected into the add-in's pages before their scripts (page.addInitScript): `Office` and `Excel`
// globals over the simulated host. The workbook itself lives in the test (Node); every sync() is one
// call of the exposed binding __dubanExcel, so the pane and the function file share one workbook,
// as they do in Excel, and the test counts and checks every round trip.
import { simulatedExcel, type Op } from '../../../playground/simulatedExcel.js';

declare global {
  interface Window {
    __dubanExcel(ops: Op[]): Promise<unknown[]>;
    __dubanExcelApi: string;
    __dubanActions: Map<string, (event: { completed(): void; source: { id: string } }) => void>;
    /** A click on a ribbon button: runs its associated function, resolves when it calls event.completed(). */
    __dubanClick(name: string): Promise<boolean>;
    /** The ribbon functions that called event.completed(), in the order they did. */
    __dubanCompleted: string[];
    /** Every dialog a page opened (Office.context.ui.displayDialogAsync), by URL; close() ends the newest. */
    __dubanDialogs: { url: string; close(): void }[];
  }
}

function supports(name: string, version: string): boolean {
  if (name !== 'ExcelApi') return false;
  const [maj, min] = version.split('.').map(Number) as [number, number];
  const [hmaj, hmin] = window.__dubanExcelApi.split('.').map(Number) as [number, number];
  return maj < hmaj || (maj === hmaj && (min ?? 0) <= (hmin ?? 0));
}

const actions = new Map<string, (event: { completed(): void; source: { id: string } }) => void>();
window.__dubanActions = actions;
window.__dubanCompleted = [];
window.__dubanClick = (name) =>
  new Promise<boolean>((resolve, reject) => {
    const action = actions.get(name);
    if (!action) return reject(new Error(`no action associated with ${name}`));
    const completed = () => {
      window.__dubanCompleted.push(name);
      resolve(true);
    };
    action({ completed, source: { id: name } });
  });

const documentSettings = new Map<string, unknown>();
const dialogs: { url: string; close(): void }[] = [];
window.__dubanDialogs = dialogs;
/** Office's dialog as the function file sees it: the test reads its URL, opens it and closes it. */
function displayDialogAsync(
  url: string,
  _options: unknown,
  callback: (result: { status: string; value: unknown }) => void,
): void {
  const handlers = new Map<string, (arg: unknown) => void>();
  const entry = {
    url,
    close: () => handlers.get('dialogMessageReceived')?.({ message: 'close', origin: location.origin }),
  };
  dialogs.push(entry);
  callback({
    status: 'succeeded',
    value: {
      addEventHandler: (type: string, handler: (arg: unknown) => void) => handlers.set(type, handler),
      close: () => undefined,
    },
  });
}
const globals = window as unknown as Record<string, unknown>;
globals.Excel = simulatedExcel((ops) => window.__dubanExcel(ops), supports);
globals.Office = {
  onReady(cb?: (info: { host: string; platform: string }) => void) {
    const info = { host: 'Excel', platform: 'OfficeOnline' };
    const ready = new Promise<typeof info>((resolve) => {
      const fire = () => {
        cb?.(info);
        resolve(info);
      };
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fire);
      else setTimeout(fire, 0);
    });
    return ready;
  },
  AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
  EventType: { DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
  actions: {
    associate: (name: string, fn: (event: { completed(): void; source: { id: string } }) => void) =>
      actions.set(name, fn),
  },
  context: {
    requirements: { isSetSupported: supports },
    ui: { displayDialogAsync, messageParent: () => undefined },
    document: {
      settings: {
        get: (k: string) => documentSettings.get(k),
        set: (k: string, v: unknown) => documentSettings.set(k, v),
        saveAsync: (cb?: () => void) => cb?.(),
      },
    },
  },
};
