// The playground page: the in-browser Excel (a grid over the simulated host's workbook, the 督办
// ribbon tab read from manifest.xml, the real task pane and function file in frames), the units' side
// (the prompts that arrived, each feedback link in a phone-sized frame), the visitor's clock, a reset
// and a guided tour. It talks only to the playground backend (/playground/api), after checking that
// backend says it was started as a playground.
import { colName, SimWorkbook, type Box, type CellState, type Op } from '../simulatedExcel.js';
import { BRIDGE_KEY, type ActionEvent, type DialogHandle, type PlaygroundBridge } from './bridge.js';
import { loadXlsx } from './xlsx.js';
import { TOUR, type TourStep } from './tour.js';
import type { RibbonButton, RibbonGroup } from '../build.js';

const EXCEL_API = '1.13';
const PANE_URL = '/playground/pages/taskpane.html';
const COMMANDS_URL = '/playground/pages/commands.html';
const NOTICE_URL = '/playground/pages/notice.html';
const EXAMPLE_URL = '/playground/ledger-2026.xlsx';
const PREFS_KEY = 'duban.prefs';
/** Like Excel's endless sheet, a few empty rows and columns beyond the used range to type into. */
const MIN_ROWS = 30;
const MIN_COLS = 12;
const EXTRA_ROWS = 10;
const EXTRA_COLS = 3;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface Config {
  apiBase: string;
  key: string;
}

let config: Config;
let workbook: SimWorkbook;
let sheetName = '';
/** The visitor's clock: added to the real time in the add-in's frames. */
let offset = 0;
let today = '';
let inboxAfter = 0;
const actions = new Map<string, (event: ActionEvent) => void>();
const documentSettings = new Map<string, unknown>();
let dialog: { handlers: Map<string, (arg: unknown) => void> } | null = null;

// ------------------------------------------------------------------ backend

async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${config.apiBase}/${path}`, {
    method: init.method ?? 'GET',
    headers: { 'x-functions-key': config.key, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await res.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `练习场后台返回 ${res.status}`);
  return body;
}

interface State {
  playground: boolean;
  today: string;
  prefix: string;
}

function banner(text: string, level: 'info' | 'error' | 'success' = 'info'): void {
  const el = $('pg-banner');
  el.hidden = !text;
  el.textContent = text;
  el.dataset.level = level;
}

function setClock(day: string): void {
  today = day;
  offset = Date.parse(`${day}T01:00:00Z`) - Date.now();
  ($('pg-today') as HTMLInputElement).value = day;
}

// ------------------------------------------------------------------ the workbook and its grid

interface Selection {
  anchor: { r: number; c: number };
  active: { r: number; c: number };
  boxes: Box[];
}
let sel: Selection = {
  anchor: { r: 0, c: 0 },
  active: { r: 0, c: 0 },
  boxes: [{ r0: 0, c0: 0, r1: 0, c1: 0 }],
};
let dragging = false;
let renderQueued = false;

const address = (b: Box) => {
  const a = `${colName(b.c0)}${b.r0 + 1}`;
  const z = `${colName(b.c1)}${b.r1 + 1}`;
  return a === z ? a : `${a}:${z}`;
};

function box(a: { r: number; c: number }, b: { r: number; c: number }): Box {
  return { r0: Math.min(a.r, b.r), c0: Math.min(a.c, b.c), r1: Math.max(a.r, b.r), c1: Math.max(a.c, b.c) };
}

/** A merged area grows a selection that touches it, as in Excel. */
function grow(b: Box): Box {
  const merged = workbook.view(sheetName).merged;
  const out = { ...b };
  let changed = true;
  while (changed) {
    changed = false;
    for (const m of merged) {
      const touches = m.r0 <= out.r1 && m.r1 >= out.r0 && m.c0 <= out.c1 && m.c1 >= out.c0;
      if (touches && (m.r0 < out.r0 || m.c0 < out.c0 || m.r1 > out.r1 || m.c1 > out.c1)) {
        out.r0 = Math.min(out.r0, m.r0);
        out.c0 = Math.min(out.c0, m.c0);
        out.r1 = Math.max(out.r1, m.r1);
        out.c1 = Math.max(out.c1, m.c1);
        changed = true;
      }
    }
  }
  return out;
}

function applySelection(): void {
  sel.boxes = sel.boxes.map(grow);
  workbook.select(sheetName, ...sel.boxes.map(address));
  render();
}

/** The workbook's selection changed from the add-in (a jump to a problem cell): follow it. */
function followWorkbookSelection(): void {
  const s = workbook.selection;
  if (!s) return;
  if (s.sheet !== sheetName) sheetName = s.sheet;
  const same = JSON.stringify(s.boxes) === JSON.stringify(sel.boxes);
  if (!same && s.boxes[0]) {
    const b = s.boxes[0];
    sel = {
      anchor: { r: b.r0, c: b.c0 },
      active: { r: b.r0, c: b.c0 },
      boxes: s.boxes.map((x) => ({ ...x })),
    };
  }
}

function formatCell(cell: CellState): string {
  const v = cell.value;
  if (v === null || v === '') return '';
  if (typeof v === 'number' && /[yd]/i.test(cell.numberFormat) && !/General/i.test(cell.numberFormat)) {
    const d = new Date(Date.UTC(1899, 11, 30) + Math.round(v * 86_400_000));
    return d.toISOString().slice(0, 10);
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

function editText(cell: CellState): string {
  if (cell.formula) return cell.formula;
  return formatCell(cell);
}

function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    followWorkbookSelection();
    render();
  });
}

function columnWidths(view: ReturnType<SimWorkbook['view']>): number[] {
  const widths: number[] = [];
  for (let c = 0; c < view.cols; c++) {
    let w = 4;
    for (let r = 0; r < Math.min(view.rows, 200); r++) {
      const text = formatCell(view.cell(r, c));
      let n = 0;
      for (const ch of text.slice(0, 40)) n += ch.charCodeAt(0) >= 0x2000 ? 2 : 1;
      // A title merged across columns does not widen its first column.
      if (view.merged.some((m) => m.r0 === r && m.c0 === c && m.c1 > c)) continue;
      w = Math.max(w, n);
    }
    widths.push(Math.min(Math.max(w * 7 + 12, 48), 160));
  }
  return widths;
}

/** The cells drawn: the used range and some room beyond it. */
function gridView(): ReturnType<SimWorkbook['view']> {
  const used = workbook.view(sheetName);
  return workbook.view(
    sheetName,
    Math.max(MIN_ROWS, used.rows + EXTRA_ROWS),
    Math.max(MIN_COLS, used.cols + EXTRA_COLS),
  );
}

function render(): void {
  const grid = $('pg-grid');
  const view = gridView();
  const covered = new Set<string>();
  const spans = new Map<string, Box>();
  for (const m of view.merged) {
    spans.set(`${m.r0},${m.c0}`, m);
    for (let r = m.r0; r <= m.r1; r++)
      for (let c = m.c0; c <= m.c1; c++) if (r !== m.r0 || c !== m.c0) covered.add(`${r},${c}`);
  }
  const inSel = (r: number, c: number) =>
    sel.boxes.some((b) => b.r0 <= r && r <= b.r1 && b.c0 <= c && c <= b.c1);
  const widths = columnWidths(view);
  const table = document.createElement('table');
  table.className = 'grid';
  const colgroup = document.createElement('colgroup');
  colgroup.append(Object.assign(document.createElement('col'), { style: 'width:40px' }));
  for (const w of widths) {
    const col = document.createElement('col');
    col.style.width = `${w}px`;
    colgroup.append(col);
  }
  table.append(colgroup);
  // A fixed layout keeps each column at its width only with the table's own width set.
  table.style.width = `${40 + widths.reduce((x, y) => x + y, 0)}px`;
  const head = table.createTHead().insertRow();
  head.append(Object.assign(document.createElement('th'), { className: 'corner' }));
  for (let c = 0; c < view.cols; c++) {
    const th = document.createElement('th');
    th.textContent = colName(c);
    th.dataset.col = String(c);
    if (sel.boxes.some((b) => b.c0 <= c && c <= b.c1)) th.className = 'on';
    head.append(th);
  }
  const body = table.createTBody();
  for (let r = 0; r < view.rows; r++) {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.textContent = String(r + 1);
    th.dataset.row = String(r);
    if (sel.boxes.some((b) => b.r0 <= r && r <= b.r1)) th.className = 'on';
    tr.append(th);
    for (let c = 0; c < view.cols; c++) {
      if (covered.has(`${r},${c}`)) continue;
      const td = document.createElement('td');
      const cell = view.cell(r, c);
      const text = formatCell(cell);
      td.textContent = text;
      if (text.length > 8) td.title = text;
      td.dataset.cell = `${colName(c)}${r + 1}`;
      td.dataset.r = String(r);
      td.dataset.c = String(c);
      const span = spans.get(`${r},${c}`);
      if (span) {
        td.rowSpan = span.r1 - span.r0 + 1;
        td.colSpan = span.c1 - span.c0 + 1;
        td.classList.add('merged');
      }
      if (cell.fill) td.style.background = cell.fill;
      if (typeof cell.value === 'number') td.classList.add('num');
      if (inSel(r, c)) td.classList.add('sel');
      if (r === sel.active.r && c === sel.active.c) td.classList.add('active');
      tr.append(td);
    }
  }
  const scroll = { top: grid.scrollTop, left: grid.scrollLeft };
  grid.replaceChildren(table);
  grid.scrollTop = scroll.top;
  grid.scrollLeft = scroll.left;
  $('pg-namebox').textContent = sel.boxes.map(address).join(',');
  const input = $('pg-formula-input') as HTMLInputElement;
  if (document.activeElement !== input) input.value = editText(view.cell(sel.active.r, sel.active.c));
  renderSheetTabs();
}

function renderSheetTabs(): void {
  const tabs = $('pg-sheets');
  tabs.replaceChildren(
    ...workbook.sheets.map((s) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = s.name;
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(s.name === sheetName));
      b.onclick = () => {
        sheetName = s.name;
        sel = { anchor: { r: 0, c: 0 }, active: { r: 0, c: 0 }, boxes: [{ r0: 0, c0: 0, r1: 0, c1: 0 }] };
        applySelection();
      };
      return b;
    }),
  );
}

function cellAt(target: EventTarget | null): { r: number; c: number } | null {
  const td = (target as HTMLElement | null)?.closest?.('td[data-r]') as HTMLElement | null;
  return td ? { r: Number(td.dataset.r), c: Number(td.dataset.c) } : null;
}

function wireGrid(): void {
  const grid = $('pg-grid');
  grid.addEventListener('mousedown', (e) => {
    const header = (e.target as HTMLElement).closest('th') as HTMLElement | null;
    // A row header selects the row across the used columns (the simulated host has no A:XFD rows).
    const view = workbook.view(sheetName, 1, 1);
    if (header?.dataset.row !== undefined || header?.dataset.col !== undefined) {
      // A column header selects the column down the used rows.
      const r = header.dataset.row !== undefined ? Number(header.dataset.row) : null;
      const c = header.dataset.col !== undefined ? Number(header.dataset.col) : null;
      const b: Box =
        r !== null
          ? { r0: r, c0: 0, r1: r, c1: view.cols - 1 }
          : { r0: 0, c0: c!, r1: view.rows - 1, c1: c! };
      if (e.shiftKey && r !== null) {
        const last = sel.boxes[sel.boxes.length - 1]!;
        sel.boxes[sel.boxes.length - 1] = {
          r0: Math.min(last.r0, r),
          c0: 0,
          r1: Math.max(last.r1, r),
          c1: view.cols - 1,
        };
      } else if (e.ctrlKey || e.metaKey) sel.boxes.push(b);
      else sel = { anchor: { r: b.r0, c: b.c0 }, active: { r: b.r0, c: b.c0 }, boxes: [b] };
      applySelection();
      e.preventDefault();
      return;
    }
    const at = cellAt(e.target);
    if (!at) return;
    e.preventDefault();
    grid.focus();
    if (e.shiftKey) sel.boxes[sel.boxes.length - 1] = box(sel.anchor, at);
    else if (e.ctrlKey || e.metaKey) {
      sel.anchor = at;
      sel.active = at;
      sel.boxes.push(box(at, at));
    } else sel = { anchor: at, active: at, boxes: [box(at, at)] };
    dragging = true;
    applySelection();
  });
  grid.addEventListener('mouseover', (e) => {
    if (!dragging) return;
    const at = cellAt(e.target);
    if (!at) return;
    sel.boxes[sel.boxes.length - 1] = box(sel.anchor, at);
    applySelection();
  });
  window.addEventListener('mouseup', () => (dragging = false));
  grid.addEventListener('dblclick', (e) => {
    if (cellAt(e.target)) startEdit(null);
  });
  grid.addEventListener('keydown', (e) => {
    const move = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      Enter: [1, 0],
      Tab: [0, 1],
    }[e.key] as [number, number] | undefined;
    if (move) {
      const view = gridView();
      const r = Math.min(Math.max(sel.active.r + move[0], 0), view.rows - 1);
      const c = Math.min(Math.max(sel.active.c + move[1], 0), view.cols - 1);
      sel = { anchor: { r, c }, active: { r, c }, boxes: [box({ r, c }, { r, c })] };
      applySelection();
      e.preventDefault();
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      const failures: string[] = [];
      for (const b of sel.boxes)
        for (let r = b.r0; r <= b.r1; r++)
          for (let c = b.c0; c <= b.c1; c++) {
            const cell = workbook.view(sheetName).cell(r, c);
            if (cell.value === '' || cell.value === null) continue;
            try {
              workbook.typeInto(sheetName, `${colName(c)}${r + 1}`, '');
            } catch (err) {
              failures.push((err as Error).message);
            }
          }
      if (failures.length) banner(`Excel 拒绝了此操作：${failures[0]!.replace(/^\w+: /, '')}`, 'error');
      render();
      e.preventDefault();
    } else if (e.key === 'F2') {
      startEdit(null);
      e.preventDefault();
    } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      startEdit(e.key);
      e.preventDefault();
    }
  });
  const input = $('pg-formula-input') as HTMLInputElement;
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.isComposing) {
      commitEdit(input.value);
      e.preventDefault();
    } else if (e.key === 'Escape') {
      input.value = editText(workbook.view(sheetName).cell(sel.active.r, sel.active.c));
      $('pg-grid').focus();
    }
  });
}

function startEdit(first: string | null): void {
  const input = $('pg-formula-input') as HTMLInputElement;
  if (first !== null) input.value = first;
  input.focus();
  if (first === null) input.select();
}

/** Enter in the 编辑栏: the text goes into the active cell as Excel takes typed input (or is refused). */
function commitEdit(text: string): void {
  const at = `${colName(sel.active.c)}${sel.active.r + 1}`;
  try {
    workbook.typeInto(sheetName, at, text);
    banner('');
  } catch (err) {
    banner(`Excel 拒绝了此操作：${(err as Error).message.replace(/^\w+: /, '')}`, 'error');
  }
  const r = sel.active.r + 1;
  sel = {
    anchor: { r, c: sel.active.c },
    active: { r, c: sel.active.c },
    boxes: [box({ r, c: sel.active.c }, { r, c: sel.active.c })],
  };
  $('pg-grid').focus();
  applySelection();
}

function useWorkbook(next: SimWorkbook): void {
  workbook = next;
  sheetName = workbook.sheets[0]!.name;
  sel = { anchor: { r: 0, c: 0 }, active: { r: 0, c: 0 }, boxes: [{ r0: 0, c0: 0, r1: 0, c1: 0 }] };
  workbook.select(sheetName, 'A1');
  render();
}

async function loadExample(): Promise<void> {
  const res = await fetch(EXAMPLE_URL);
  const loaded = await loadXlsx(await res.arrayBuffer(), EXCEL_API);
  useWorkbook(loaded.workbook);
}

// ------------------------------------------------------------------ Office around the add-in's frames

const bridge: PlaygroundBridge = {
  excelApi: EXCEL_API,
  execute(ops: Op[]) {
    try {
      return workbook.execute(ops);
    } finally {
      scheduleRender();
    }
  },
  offsetMs: () => offset,
  associate: (name, action) => actions.set(name, action),
  openDialog(url: string): DialogHandle {
    const handlers = new Map<string, (arg: unknown) => void>();
    dialog = { handlers };
    const path = new URL(url, location.href).pathname;
    const box = $('pg-dialog');
    ($('pg-dialog-frame') as HTMLIFrameElement).src = path.endsWith('/notice.html') ? NOTICE_URL : url;
    box.hidden = false;
    return {
      addEventHandler: (type, handler) => handlers.set(type, handler),
      close: () => {
        box.hidden = true;
        ($('pg-dialog-frame') as HTMLIFrameElement).src = 'about:blank';
        dialog = null;
      },
    };
  },
  dialogMessage(message: string) {
    dialog?.handlers.get('dialogMessageReceived')?.({ message, origin: location.origin });
  },
  documentSettings,
};
(window as unknown as Record<string, unknown>)[BRIDGE_KEY] = bridge;

function openPane(view: string | null): void {
  const frame = $('pg-pane-frame') as HTMLIFrameElement;
  $('pg-pane').classList.remove('closed');
  $('pg-pane-closed').hidden = true;
  const target = view ? `${PANE_URL}?view=${encodeURIComponent(view)}` : PANE_URL;
  // Office does not reload a pane already showing this page.
  if (frame.dataset.src === target) return;
  frame.dataset.src = target;
  frame.src = target;
}

function reloadFrames(): void {
  const pane = $('pg-pane-frame') as HTMLIFrameElement;
  pane.dataset.src = '';
  openPane(null);
  actions.clear();
  ($('pg-functions') as HTMLIFrameElement).src = `${COMMANDS_URL}?t=${Date.now()}`;
}

async function ribbonClick(button: RibbonButton, el: HTMLButtonElement): Promise<void> {
  if (button.view !== undefined) return openPane(button.view || null);
  const action = actions.get(button.functionName ?? '');
  if (!action) return banner(`功能区命令 ${button.label} 尚未就绪，请稍候再点`, 'error');
  el.disabled = true;
  el.classList.add('busy');
  await new Promise<void>((resolve) =>
    action({ completed: () => resolve(), source: { id: button.functionName! } }),
  );
  el.disabled = false;
  el.classList.remove('busy');
}

async function renderRibbon(): Promise<void> {
  const ribbon = (await (await fetch('/playground/ribbon.json')).json()) as {
    tab: string;
    groups: RibbonGroup[];
  };
  const nav = $('pg-ribbon');
  const tabs = document.createElement('div');
  tabs.className = 'tabs';
  for (const t of ['文件', '开始', '插入', '公式', '数据', '审阅', '视图']) {
    tabs.append(
      Object.assign(document.createElement('span'), {
        textContent: t,
        className: 'off',
        title: '练习场只模拟“督办”选项卡',
      }),
    );
  }
  tabs.append(Object.assign(document.createElement('span'), { textContent: ribbon.tab, className: 'on' }));
  const groups = document.createElement('div');
  groups.className = 'groups';
  for (const g of ribbon.groups) {
    const group = document.createElement('div');
    group.className = 'group';
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    for (const b of g.buttons) {
      const el = document.createElement('button');
      el.type = 'button';
      el.dataset.button = b.functionName ?? `pane:${b.view ?? ''}`;
      el.title = b.tip;
      el.append(
        Object.assign(document.createElement('img'), { src: b.icon, alt: '' }),
        Object.assign(document.createElement('span'), { textContent: b.label }),
      );
      el.onclick = () => void ribbonClick(b, el);
      buttons.append(el);
    }
    group.append(
      buttons,
      Object.assign(document.createElement('div'), { className: 'label', textContent: g.label }),
    );
    groups.append(group);
  }
  nav.replaceChildren(tabs, groups);
}

// ------------------------------------------------------------------ the units' side

interface InboxMessage {
  n: number;
  channel: 'email' | 'wecom' | 'dingtalk' | 'sms';
  unit: string;
  to: string;
  at: string;
  subject: string;
  text: string;
}
const CHANNEL_NAME = { email: '邮件', wecom: '企业微信', dingtalk: '钉钉', sms: '短信' } as const;
const LINK = /https?:\/\/[^\s)\]>"'，。]+/g;

function appendText(parent: HTMLElement, text: string): void {
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    parent.append(text.slice(last, m.index));
    const a = document.createElement('button');
    a.type = 'button';
    a.className = 'link';
    a.textContent = '打开反馈页';
    a.title = m[0];
    a.dataset.href = m[0];
    parent.append(a);
    last = (m.index ?? 0) + m[0].length;
  }
  parent.append(text.slice(last));
}

function showMessages(messages: InboxMessage[]): void {
  const list = $('pg-inbox');
  for (const m of messages) {
    inboxAfter = Math.max(inboxAfter, m.n);
    const li = document.createElement('li');
    li.dataset.channel = m.channel;
    li.dataset.unit = m.unit;
    const head = document.createElement('div');
    head.className = 'head';
    head.append(
      Object.assign(document.createElement('span'), {
        className: `chip ${m.channel}`,
        textContent: CHANNEL_NAME[m.channel],
      }),
      Object.assign(document.createElement('strong'), { textContent: m.unit }),
      Object.assign(document.createElement('span'), { className: 'to', textContent: m.to }),
    );
    li.append(head);
    if (m.subject)
      li.append(
        Object.assign(document.createElement('div'), { className: 'subject', textContent: m.subject }),
      );
    const body = document.createElement('div');
    body.className = 'body';
    appendText(body, m.text);
    li.append(body);
    list.prepend(li);
  }
  $('pg-inbox-count').textContent = list.children.length ? `（${list.children.length} 条）` : '';
}

async function pollInbox(): Promise<void> {
  try {
    const { messages } = await call<{ messages: InboxMessage[] }>(`playground/inbox?after=${inboxAfter}`);
    showMessages(messages);
    if (messages.length) renderTour();
  } catch {
    // the next poll tries again; the morning button reports failures itself
  }
}

function openPhone(url: string, unit: string): void {
  $('pg-phone-title').textContent = `${unit} 的手机`;
  ($('pg-phone-frame') as HTMLIFrameElement).src = new URL(url).pathname;
  $('pg-phone').hidden = false;
}

// ------------------------------------------------------------------ the tour

let step = 0;
function renderTour(): void {
  const el = $('pg-tour');
  const s: TourStep = TOUR[step]!;
  el.replaceChildren(
    Object.assign(document.createElement('span'), {
      className: 'step',
      textContent: `导览 ${step + 1}/${TOUR.length}`,
    }),
    Object.assign(document.createElement('strong'), { textContent: s.title }),
    Object.assign(document.createElement('span'), { className: 'rule', textContent: s.rules }),
    Object.assign(document.createElement('span'), { className: 'text', textContent: s.text }),
  );
  const prev = Object.assign(document.createElement('button'), {
    type: 'button',
    textContent: '上一步',
    id: 'pg-tour-prev',
  });
  const next = Object.assign(document.createElement('button'), {
    type: 'button',
    textContent: '下一步',
    id: 'pg-tour-next',
  });
  prev.disabled = step === 0;
  next.disabled = step === TOUR.length - 1;
  prev.onclick = () => ((step = Math.max(0, step - 1)), renderTour());
  next.onclick = () => ((step = Math.min(TOUR.length - 1, step + 1)), renderTour());
  el.append(prev, next);
  for (const old of document.querySelectorAll('.tour-target')) old.classList.remove('tour-target');
  document.querySelector(s.target)?.classList.add('tour-target');
}

// ------------------------------------------------------------------ clock, morning, reset, open

async function changeDay(day: string): Promise<void> {
  const state = await call<State>('playground/clock', { method: 'POST', body: { today: day } });
  setClock(state.today);
  // The pane reads "today" when it opens its views: it opens again on the new day.
  reloadFrames();
  banner(`今天是 ${state.today}（练习场时钟；后台与面板一致）`);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

interface MorningResult {
  today: string;
  daily: { from: string; due: number; queued: number; candidates: { yellow: number; orange: number } };
  delivery: { sent: number; failed: number; retrying: number; cancelled: number; units: number };
  arrived: number;
}

async function morning(): Promise<void> {
  const button = $('pg-morning') as HTMLButtonElement;
  button.disabled = true;
  banner(`正在运行 ${today} 的每日督办并发送提示…`);
  try {
    const r = await call<MorningResult>('playground/morning', { method: 'POST' });
    await pollInbox();
    const d = r.delivery;
    banner(
      `${r.today} 早间任务：到期提示 ${r.daily.due} 条（新入队 ${r.daily.queued}），亮牌候选 黄${r.daily.candidates.yellow}/橙${r.daily.candidates.orange}；` +
        `发送 ${d.sent} 条给 ${d.units} 个单位${d.failed ? `，失败 ${d.failed}` : ''}${d.retrying ? `，待重试 ${d.retrying}` : ''}${d.cancelled ? `，已销号取消 ${d.cancelled}` : ''}；单位端收到 ${r.arrived} 条消息`,
      d.failed ? 'error' : 'success',
    );
  } catch (e) {
    banner(`早间任务未完成：${(e as Error).message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

/**
 * The add-in's pane keeps its settings (backend address, key) in this origin's localStorage, which a
 * pane sideloaded from https://localhost:3000 shares with the playground. The playground puts the
 * office's own entries aside while it runs and puts them back when the page goes away, so trying the
 * playground never leaves a real pane pointed at the playground's backend.
 */
const SAVED_PANE_KEY = 'duban-playground.savedPane';

function setAsideOfficePane(): void {
  if (localStorage.getItem(SAVED_PANE_KEY) !== null) return; // already set aside (a second tab, a reload)
  const saved: Record<string, string> = {};
  for (const k of Object.keys(localStorage))
    if (k.startsWith('duban.')) saved[k] = localStorage.getItem(k) ?? '';
  localStorage.setItem(SAVED_PANE_KEY, JSON.stringify(saved));
}

function restoreOfficePane(): void {
  const raw = localStorage.getItem(SAVED_PANE_KEY);
  if (raw === null) return;
  for (const k of Object.keys(localStorage)) if (k.startsWith('duban.')) localStorage.removeItem(k);
  for (const [k, v] of Object.entries(JSON.parse(raw) as Record<string, string>)) localStorage.setItem(k, v);
  localStorage.removeItem(SAVED_PANE_KEY);
}

function resetPaneStorage(): void {
  setAsideOfficePane();
  for (const k of Object.keys(localStorage)) if (k.startsWith('duban.')) localStorage.removeItem(k);
  localStorage.setItem(
    PREFS_KEY,
    JSON.stringify({
      backendUrl: config.apiBase,
      functionKey: config.key,
      clerk: '练习督办员',
      ledgerId: '',
    }),
  );
}

async function reset(): Promise<void> {
  const state = await call<State>('playground/reset', { method: 'POST', body: {} });
  setClock(state.today);
  $('pg-inbox').replaceChildren();
  $('pg-phone').hidden = true;
  inboxAfter = 0;
  showMessages([]);
  documentSettings.clear();
  resetPaneStorage();
  await loadExample();
  reloadFrames();
  step = 0;
  renderTour();
  banner('已重置：示例台账重新载入，练习数据已清空', 'success');
}

async function openFile(file: File): Promise<void> {
  try {
    const loaded = await loadXlsx(await file.arrayBuffer(), EXCEL_API);
    useWorkbook(loaded.workbook);
    reloadFrames();
    banner(
      `已打开 ${file.name}（只在本浏览器中读取，不上传）${loaded.warnings.length ? '：' + loaded.warnings.join('；') : ''}`,
      loaded.warnings.length ? 'error' : 'success',
    );
  } catch (e) {
    banner((e as Error).message, 'error');
  }
}

// ------------------------------------------------------------------ start

async function start(): Promise<void> {
  try {
    const res = await fetch('/playground/config.json');
    if (!res.ok)
      throw new Error(
        ((await res.json().catch(() => ({}))) as { error?: { message: string } }).error?.message ?? '',
      );
    config = (await res.json()) as Config;
    const state = await call<State>('playground');
    if (state.playground !== true) throw new Error('后台不是练习场');
    setClock(state.today);
  } catch (e) {
    banner(
      `练习场后台不可用：${(e as Error).message || '没有响应'}。练习场只连接以练习场方式启动的后台（npm start 会一并启动它）。`,
      'error',
    );
    return;
  }
  resetPaneStorage();
  window.addEventListener('pagehide', restoreOfficePane);
  wireGrid();
  await Promise.all([renderRibbon(), loadExample()]);
  renderTour();
  reloadFrames();
  $('pg-today').addEventListener('change', (e) => {
    const v = (e.target as HTMLInputElement).value;
    if (v) void changeDay(v).catch((err: Error) => banner(err.message, 'error'));
  });
  $('pg-next-day').onclick = () =>
    void changeDay(addDays(today, 1)).catch((err: Error) => banner(err.message, 'error'));
  $('pg-next-week').onclick = () =>
    void changeDay(addDays(today, 7)).catch((err: Error) => banner(err.message, 'error'));
  $('pg-morning').onclick = () => void morning();
  $('pg-reset').onclick = () => void reset().catch((err: Error) => banner(err.message, 'error'));
  $('pg-pane-home').onclick = () => openPane(null);
  // Closing the pane (Excel's ×): the page unloads, its heartbeat stops, the ribbon falls back to dialogs.
  $('pg-pane-close').onclick = () => {
    const frame = $('pg-pane-frame') as HTMLIFrameElement;
    frame.src = 'about:blank';
    frame.dataset.src = '';
    $('pg-pane').classList.add('closed');
    $('pg-pane-closed').hidden = false;
  };
  $('pg-open').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void openFile(f);
  });
  $('pg-inbox').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('button.link') as HTMLElement | null;
    if (b?.dataset.href) openPhone(b.dataset.href, (b.closest('li') as HTMLElement).dataset.unit ?? '');
  });
  $('pg-phone-close').onclick = () => {
    $('pg-phone').hidden = true;
    ($('pg-phone-frame') as HTMLIFrameElement).src = 'about:blank';
  };
  window.setInterval(() => void pollInbox(), 3000);
  document.body.dataset.ready = 'true';
}

void start();
