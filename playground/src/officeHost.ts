// Loaded by the add-in's pages inside the playground in place of office.js: the `Office` and `Excel`
// globals over the playground page's workbook (the simulated Excel host, with Excel's sync semantics
// and refusals), and the visitor's clock as this frame's Date. The add-in's own scripts run unchanged.
import { simulatedExcel, type Op } from '../simulatedExcel.js';
import { BRIDGE_KEY, supportsApi, type PlaygroundBridge } from './bridge.js';

const bridge = (window.parent as unknown as Record<string, PlaygroundBridge | undefined>)[BRIDGE_KEY];
const globals = window as unknown as Record<string, unknown>;

if (!bridge) {
  // Opened on its own, not inside the playground page: behave like a page without office.js.
  document.addEventListener('DOMContentLoaded', () => {
    const app = document.getElementById('app');
    if (app) app.textContent = '此页面属于督办练习场，请打开练习场首页（https://localhost:3000/）。';
  });
} else {
  // The visitor's "today": every Date of this frame runs on from the playground clock (as faketime does
  // for a process), so the pane's dates (销号日期, 今日提示, periods) agree with the backend's.
  const RealDate = Date;
  const shifted = () => RealDate.now() + bridge.offsetMs();
  function PlaygroundDate(this: unknown, ...args: unknown[]): unknown {
    // Date() called without new gives a string, as the real one does.
    if (!new.target) return new RealDate(shifted()).toString();
    return args.length === 0 ? new RealDate(shifted()) : Reflect.construct(RealDate, args);
  }
  PlaygroundDate.prototype = RealDate.prototype;
  PlaygroundDate.now = shifted;
  PlaygroundDate.parse = RealDate.parse;
  PlaygroundDate.UTC = RealDate.UTC;
  globals.Date = PlaygroundDate;

  const supports = (name: string, version: string) => supportsApi(bridge.excelApi, name, version);
  // Each sync() is one request to the workbook, answered asynchronously and by copy, as Excel's are.
  const transport = async (ops: Op[]): Promise<unknown[]> => {
    await new Promise((r) => setTimeout(r, 0));
    return JSON.parse(JSON.stringify(bridge.execute(ops))) as unknown[];
  };
  globals.Excel = simulatedExcel(transport, supports);
  globals.Office = {
    onReady(cb?: (info: { host: string; platform: string }) => void) {
      const info = { host: 'Excel', platform: 'OfficeOnline' };
      return new Promise<typeof info>((resolve) => {
        const fire = () => {
          cb?.(info);
          resolve(info);
        };
        if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fire);
        else setTimeout(fire, 0);
      });
    },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
    actions: {
      associate: (name: string, fn: Parameters<PlaygroundBridge['associate']>[1]) =>
        bridge.associate(name, fn),
    },
    context: {
      requirements: { isSetSupported: supports },
      ui: {
        displayDialogAsync(
          url: string,
          _options: unknown,
          callback?: (r: { status: string; value: unknown }) => void,
        ) {
          callback?.({ status: 'succeeded', value: bridge.openDialog(url) });
        },
        messageParent: (message: string) => bridge.dialogMessage(message),
      },
      document: {
        settings: {
          get: (k: string) => bridge.documentSettings.get(k) ?? null,
          set: (k: string, v: unknown) => bridge.documentSettings.set(k, v),
          saveAsync: (cb?: (r: { status: string }) => void) => cb?.({ status: 'succeeded' }),
        },
      },
    },
  };
}
