// What each ribbon command does, as plain exported functions (the ribbon wiring is in ribbon.ts; the
// pane calls the same functions after asking the clerk). Each runs in one Excel.run: read once,
// decide with shared/ and the backend, write once. The backend is called before anything is written,
// so a failure leaves the workbook as it was. Grouped by file: outcome.ts (environment, outcome,
// failures), ledgerRun.ts (read → refuse protected → view; paint and record), ledger.ts (同步台账,
// 检查台账, 表头对应), stars.ts (赋星), cards.ts (黄牌/橙牌), forms.ts (约谈, 整改, 销号).
export * from './outcome.js';
export * from './ledger.js';
export * from './stars.js';
export * from './cards.js';
export * from './forms.js';
