// The task pane's shell: the tabs, the status line, act/load, request ids and the mailbox. The views
// are in views/ — 台账 (ledger.ts, taskDetail.ts), 提示 (reminders.ts, roundup.ts), 亮牌 (cards.ts,
// cardForms.ts, redCard.ts), 历史 (history.ts), 设置 (settings.ts) — each given a PaneContext.
// It hears the ribbon commands through the mailbox (localStorage) and runs the same actions.
import { BackendError } from '../api/client.js';
import {
  dismissPendingFeedback,
  failure,
  issueCardsFor,
  newRequestId,
  openClose,
  openInterview,
  type CommandEnv,
  type Outcome,
} from '../commands/actions.js';
import { RIBBON_COMMANDS } from '../commands/ribbon.js';
import {
  REQUEST_DONE_KEY,
  REQUEST_KEY,
  STATUS_KEY,
  readEnvelope,
  type Envelope,
  type Mailbox,
  type PaneRequest,
  type Status,
} from '../mailbox.js';
import { lastLedger, paneLedgerId } from '../prefs.js';
import { SETTINGS_KEY } from '../env.js';
import type { PaneContext, StatusLine, Tab } from './context.js';
import { clear, h } from './dom.js';
import { cardsTab } from './views/cards.js';
import { renderHistory } from './views/history.js';
import { ledgerTab } from './views/ledger.js';
import { remindersTab } from './views/reminders.js';
import { renderSettings } from './views/settings.js';

export type { Tab } from './context.js';

const TABS: [Tab, string][] = [
  ['ledger', '台账'],
  ['reminders', '提示'],
  ['cards', '亮牌'],
  ['history', '历史'],
  ['settings', '设置'],
];
const REQUEST_MAX_AGE_MS = 10 * 60_000;

export interface PaneDeps {
  /** The page's command environment (browserEnv), built once; the pane becomes its mailbox. */
  env: CommandEnv;
  storage: Storage;
}

export interface Pane {
  show(tab: Tab): void;
  handle(request: PaneRequest): void;
  /** A view named in the pane's URL (taskpane.html?view=…, the ShowTaskpane buttons of the ribbon). */
  openView(view: string | null): Promise<void>;
}

/** The views a ShowTaskpane button opens (manifest.xml SourceLocation `taskpane.html?view=…`). */
export const PANE_VIEWS = ['interview', 'close', 'reminders', 'roundup'] as const;

export function mountPane(root: HTMLElement, deps: PaneDeps): Pane {
  let tab: Tab = 'ledger';
  let busy = false;
  let busyWith = '';
  /** Bumped by every render: a slow load of a view the clerk has left must not write into the new one. */
  let renderGen = 0;
  /** Envelopes (requests, statuses) already taken up by this pane. */
  const seen = new Set<string>();
  /** One requestId per confirmed action (PaneContext.requestIdFor). */
  const requestIds = new Map<string, string>();
  // The actions run from the pane report into its own status line and ask it directly: the problem
  // list and 表头对应 appear here (a storage event never reaches the window that wrote it).
  const paneMailbox: Mailbox = {
    report: (st) => ({ id: '', at: '', ...st }),
    ask: (request) => handle(request),
  };
  const env: CommandEnv = { ...deps.env, mailbox: paneMailbox };

  const statusEl = h('div', { id: 'status', role: 'status', hidden: true });
  const nav = h('nav', { class: 'tabs', role: 'tablist' });
  const viewEl = h('section', { class: 'view', id: 'view', role: 'tabpanel' });
  clear(
    root,
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'logo', 'aria-hidden': 'true' }, '督'),
      h('h1', {}, '督办面板'),
    ),
    statusEl,
    nav,
    viewEl,
  );

  function showStatus(s: StatusLine, retry?: () => void): void {
    const pending = s.pendingFeedback;
    statusEl.hidden = false;
    statusEl.className = 'status';
    statusEl.dataset.level = s.level;
    clear(
      statusEl,
      h('div', { class: 'text' }, s.text),
      s.details?.length
        ? h(
            'ul',
            {},
            s.details.slice(0, 30).map((d) => h('li', {}, d)),
          )
        : null,
      s.level === 'progress'
        ? h('div', { class: 'progress', role: 'progressbar', 'aria-label': '进行中' })
        : null,
      retry || pending?.length
        ? h(
            'div',
            { class: 'actions' },
            retry ? h('button', { class: 'btn primary', id: 'retry', onclick: retry }, '重试') : null,
            pending?.length
              ? h(
                  'button',
                  {
                    class: 'btn',
                    id: 'dismiss-feedback',
                    onclick: () => void act('正在更新…', () => dismissPendingFeedback(env, pending)),
                  },
                  '已知悉，不再提示',
                )
              : null,
          )
        : null,
    );
  }

  async function act(
    progress: string,
    fn: () => Promise<Outcome>,
    after?: (o: Outcome) => void,
  ): Promise<Outcome> {
    if (busy) {
      // Said where the clerk looks (the click otherwise seems to do nothing); the running work's
      // progress stays on screen, and the backend's 30 s timeout bounds the wait.
      const o: Outcome = { level: 'info', text: `上一项操作尚未完成（${busyWith}），请稍候再试。` };
      showStatus({ level: 'progress', text: o.text });
      return o;
    }
    busy = true;
    busyWith = progress.replace(/…$/, '');
    showStatus({ level: 'progress', text: progress });
    let outcome: Outcome;
    try {
      outcome = await fn();
    } catch (err) {
      outcome = failure(err);
    } finally {
      busy = false;
    }
    const pending = outcome.pendingCards;
    // After a partial failure only the failed card orders are sent again, with their first requestIds.
    const again = pending
      ? () => void act(progress, () => issueCardsFor(env, pending.color, pending.orders), after)
      : () => void act(progress, fn, after);
    showStatus(outcome, outcome.retry ? again : undefined);
    after?.(outcome);
    return outcome;
  }

  async function load<T>(what: string, fn: () => Promise<T>, retry: () => void): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      const o = failure(err);
      showStatus(
        { level: 'error', text: `${what}：${o.text}` },
        err instanceof BackendError && err.kind !== 'config' ? retry : undefined,
      );
      return null;
    }
  }

  const ctx: PaneContext = {
    env,
    storage: deps.storage,
    view: viewEl,
    showing: (t) => t === tab,
    show,
    fresh() {
      const gen = ++renderGen;
      return () => gen === renderGen;
    },
    ledgerId: () => paneLedgerId(env.prefs(), lastLedger(deps.storage), env.today()),
    ledgerYear: () => lastLedger(deps.storage)?.year ?? Number(env.today().slice(0, 4)),
    showStatus,
    act,
    load,
    requestIdFor(action) {
      const key = JSON.stringify(action);
      let id = requestIds.get(key);
      if (!id) {
        id = newRequestId();
        requestIds.set(key, id);
      }
      return id;
    },
    openView,
  };
  const ledger = ledgerTab(ctx);
  const reminders = remindersTab(ctx);
  const cards = cardsTab(ctx);

  function renderTabs(): void {
    clear(
      nav,
      TABS.map(([id, label]) =>
        h(
          'button',
          {
            role: 'tab',
            id: `tab-${id}`,
            'aria-selected': String(id === tab),
            'aria-controls': 'view',
            tabindex: id === tab ? 0 : -1,
            onclick: () => show(id),
            // Arrow keys move between the tabs (WAI-ARIA tabs pattern).
            onkeydown: (ev: Event) => {
              const key = (ev as KeyboardEvent).key;
              if (key !== 'ArrowRight' && key !== 'ArrowLeft') return;
              const i = TABS.findIndex(([t]) => t === tab);
              const next = TABS[(i + (key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]![0];
              show(next);
              document.getElementById(`tab-${next}`)?.focus();
            },
          },
          label,
        ),
      ),
    );
  }

  function show(next: Tab): void {
    tab = next;
    renderTabs();
    render();
  }

  function render(): void {
    renderGen++;
    if (tab === 'ledger') ledger.render();
    else if (tab === 'reminders') void reminders.render();
    else if (tab === 'cards') void cards.render();
    else if (tab === 'history') renderHistory(ctx);
    else renderSettings(ctx);
  }

  // ---------------------------------------------------------------- requests from the ribbon
  function handle(request: PaneRequest): void {
    switch (request.kind) {
      case 'problems':
        ledger.showProblems(request);
        if (tab === 'ledger') render();
        else show('ledger');
        break;
      case 'close':
        ledger.askClose(request.tasks);
        show('ledger');
        break;
      case 'cardReason':
        cards.askReason(request);
        show('cards');
        break;
      case 'interview':
        cards.askInterview(request.unit);
        show('cards');
        break;
      case 'view':
        if (request.view === 'roundup') reminders.openRoundupNext();
        show(
          request.view === 'roundup' || request.view === 'reminders'
            ? 'reminders'
            : request.view === 'check'
              ? 'ledger'
              : request.view,
        );
        break;
    }
  }

  function receiveRequest(envelope: Envelope<PaneRequest> | null): void {
    if (!envelope || seen.has(envelope.id)) return;
    seen.add(envelope.id);
    if (Date.now() - Date.parse(envelope.at) > REQUEST_MAX_AGE_MS) return;
    // A request is handled by one pane, once: a pane loaded again (a ShowTaskpane view, a reload) must
    // not bring back a form already answered — confirming it again would issue a second card.
    if (deps.storage.getItem(REQUEST_DONE_KEY) === envelope.id) return;
    deps.storage.setItem(REQUEST_DONE_KEY, envelope.id);
    handle(envelope.body);
  }

  function receiveStatus(s: Status | null): void {
    if (!s || seen.has(s.id)) return;
    seen.add(s.id);
    const pending = s.pendingCards;
    const again = !s.retry
      ? undefined
      : pending
        ? () => void act('正在重试…', () => issueCardsFor(env, pending.color, pending.orders))
        : () => void act('正在重试…', async () => runAgain(s.command));
    showStatus(s, again);
  }

  /** 重试 of a ribbon command the pane heard about: the same command again, on the current selection. */
  async function runAgain(command: string): Promise<Outcome> {
    const run = RIBBON_COMMANDS[command];
    return run ? run(env) : { level: 'info', text: '请在功能区再次点击该按钮。' };
  }

  /**
   * 约谈登记/销号/今日提示/督检汇总 open the pane at their view: it reads the selection itself (the
   * ribbon runs no code for a ShowTaskpane button), so the form is there even if the pane was closed.
   */
  async function openView(view: string | null): Promise<void> {
    if (view === 'reminders' || view === 'roundup') {
      handle({ kind: 'view', view });
      return;
    }
    if (view !== 'interview' && view !== 'close') return;
    // The same actions the ribbon ran before these were ShowTaskpane buttons, with the pane itself as
    // their mailbox: the form opens here, the status line says what to do.
    const outcome = await (view === 'interview' ? openInterview(env) : openClose(env));
    if (outcome.level === 'error') show('ledger');
    showStatus(outcome);
  }

  /** The office's settings (card colours, …) from the backend, kept for the commands' page and this pane. */
  async function refreshSettings(): Promise<void> {
    try {
      const settings = await env.api().settings();
      deps.storage.setItem(SETTINGS_KEY, JSON.stringify(settings));
      env.settings = settings;
    } catch {
      // the defaults of docs/rules.md stay in force until the backend answers
    }
  }

  window.addEventListener('storage', (ev) => {
    if (ev.key === REQUEST_KEY)
      receiveRequest(readEnvelope<Envelope<PaneRequest>>(deps.storage, REQUEST_KEY));
    if (ev.key === STATUS_KEY) receiveStatus(readEnvelope<Status>(deps.storage, STATUS_KEY));
  });

  renderTabs();
  render();
  receiveRequest(readEnvelope<Envelope<PaneRequest>>(deps.storage, REQUEST_KEY));
  const last = readEnvelope<Status>(deps.storage, STATUS_KEY);
  if (last && Date.now() - Date.parse(last.at) < REQUEST_MAX_AGE_MS) receiveStatus(last);
  void refreshSettings();
  return { show, handle, openView };
}
