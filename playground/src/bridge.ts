// What the playground page (the "Excel" around the add-in) offers the add-in's frames: one workbook
// for the pane, the function file and dialogs, the visitor's clock, and the ribbon's registry.
import type { Op } from '../simulatedExcel.js';

export type ActionEvent = { completed(options?: unknown): void; source: { id: string } };

export interface DialogHandle {
  addEventHandler(type: string, handler: (arg: unknown) => void): void;
  close(): void;
}

export interface PlaygroundBridge {
  /** One context.sync(): the batch runs against the workbook and answers (or throws as Excel does). */
  execute(ops: Op[]): unknown[];
  /** ExcelApi requirement sets the in-browser host supports. */
  excelApi: string;
  /** The visitor's clock: milliseconds to add to the real time (backend and pane agree on "today"). */
  offsetMs(): number;
  associate(name: string, action: (event: ActionEvent) => void): void;
  openDialog(url: string): DialogHandle;
  /** Office.context.ui.messageParent from a dialog page. */
  dialogMessage(message: string): void;
  documentSettings: Map<string, unknown>;
}

export const BRIDGE_KEY = '__dubanPlayground';

export function supportsApi(host: string, name: string, version: string): boolean {
  if (name !== 'ExcelApi') return false;
  const [maj, min] = version.split('.').map(Number) as [number, number];
  const [hmaj, hmin] = host.split('.').map(Number) as [number, number];
  return maj < hmaj || (maj === hmaj && (min ?? 0) <= (hmin ?? 0));
}
