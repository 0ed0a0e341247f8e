// The task pane: 台账 (check, problems with jump-to-cell, 销号 form), 提示 (today, delivery, round-up),
// 亮牌 (card states, candidates, reason form, interview form, red checklist), 历史, 设置.
// It hears the ribbon commands through the mailbox (localStorage) and runs the same actions.
import { IsoDateSchema, RED_CHECKLIST, type CardReason } from '../../../shared/model.js';
import { calendarBanner, holidayYearProblems } from '../../../shared/calendar.js';
import { yearOf } from '../../../shared/dates.js';
import type { UndeliveredPrompt } from '../../../shared/api.js';
import { orangeCardForRectification, reasonsFor } from '../../../shared/rules/cardDecisions.js';
import {
  BackendError,
  type CandidateReport,
  type CandidateView,
  type TaskView,
  type UnitView,
} from '../api/client.js';
import type { Settings } from '../../../shared/settings.js';
import { milestoneLine, targetKindLine, TARGET_KIND_NAME } from './taskDetail.js';
import { deliveryName, describeEvent } from './vocabulary.js';
import {
  checkLedger,
  dismissPendingFeedback,
  failure,
  issueCardsFor,
  newRequestId,
  openClose,
  openInterview,
  selectedTaskRefs,
  submitClose,
  submitInterview,
  submitRectification,
  syncLedger,
  mapColumns,
  yearText,
  type CommandEnv,
  type Outcome,
} from '../commands/actions.js';
import { FIELD_LABELS, LEDGER_FIELDS, type LedgerField } from '../../../shared/ledger/index.js';
import { RIBBON_COMMANDS } from '../commands/ribbon.js';
import { selectCell } from '../excel/workbook.js';
import { columnIndex } from '../ledgerView.js';
import {
  REQUEST_DONE_KEY,
  REQUEST_KEY,
  STATUS_KEY,
  readEnvelope,
  type Envelope,
  type PaneRequest,
  type Status,
  type TaskRef,
} from '../mailbox.js';
import { lastLedger, loadPrefs, paneLedgerId, savePrefs, type Prefs } from '../prefs.js';
import { roundupPeriods } from './periods.js';
import { writeRoundupToWorkbook } from '../commands/roundupSheet.js';
import { SETTINGS_KEY } from '../env.js';
import { clear, h, value } from './dom.js';

type Tab = 'ledger' | 'reminders' | 'cards' | 'history' | 'settings';
const TABS: [Tab, string][] = [
  ['ledger', '台账'],
  ['reminders', '提示'],
  ['cards', '亮牌'],
  ['history', '历史'],
  ['settings', '设置'],
];
const STATE_NAME: Record<string, string> = { none: '无', yellow: '黄牌', orange: '橙牌', red: '红牌' };
const REMINDER_NAME: Record<string, string> = {
  quarterly: '季度提示',
  monthly: '月度提示',
  weekly: '每周提示',
  milestone: '节点提示',
};
/** How many findings of a candidate, and how many undelivered prompts, the pane lists before 另有 N 条. */
const EVIDENCE_SHOWN = 20;
const UNDELIVERED_SHOWN = 50;
const REQUEST_MAX_AGE_MS = 10 * 60_000;

export interface PaneDeps {
  env: () => CommandEnv;
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
  let problems: Omit<Extract<PaneRequest, { kind: 'problems' }>, 'kind'> | null = null;
  let closeTasks: TaskRef[] | null = null;
  let cardReason: Extract<PaneRequest, { kind: 'cardReason' }> | null = null;
  let interviewUnit: string | null | undefined;
  let rectify: { unit: string; cardId: string } | null = null;
  /** 节点与指标: the tasks the clerk asked about (by 督办编号 or the selected rows), as the backend has them. */
  let detail: { ledgerId: string; tasks: TaskView[]; settings: Settings } | null = null;
  let busy = false;
  let busyWith = '';
  let knownUnits: string[] = [];
  const seen = new Set<string>();
  /** The ledger the pane shows (paneLedgerId): the setting, else the last synced ledger, else this year’s. */
  const ledgerId = () => paneLedgerId(loadPrefs(deps.storage), lastLedger(deps.storage), deps.env().today());
  /** The ledger's year (of the last sync), for the round-up periods; this year before any sync. */
  const ledgerYear = () => lastLedger(deps.storage)?.year ?? Number(deps.env().today().slice(0, 4));

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

  function showStatus(
    s: { level: string; text: string; details?: string[]; pendingFeedback?: string[] },
    retry?: () => void,
  ): void {
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
                    onclick: () => void act('正在更新…', () => dismissPendingFeedback(deps.env(), pending)),
                  },
                  '已知悉，不再提示',
                )
              : null,
          )
        : null,
    );
  }

  /** Runs an action with progress shown; a backend that is down gets a clear message and a retry. */
  /**
   * The actions run from the pane's own buttons, with the pane as their mailbox: the problem list and
   * 表头对应 appear here (a storage event never reaches the window that wrote it).
   */
  function paneEnv(): CommandEnv {
    return {
      ...deps.env(),
      mailbox: { report: (st) => ({ id: '', at: '', ...st }), ask: (request) => handle(request) },
    };
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
      ? () => void act(progress, () => issueCardsFor(deps.env(), pending.color, pending.orders), after)
      : () => void act(progress, fn, after);
    showStatus(outcome, outcome.retry ? again : undefined);
    after?.(outcome);
    return outcome;
  }

  /**
   * One requestId per action the clerk confirms: confirming the same thing again (the same card
   * order, the same interview form) after a failure reuses it, so the backend does it once.
   */
  const requestIds = new Map<string, string>();
  function requestIdFor(action: unknown): string {
    const key = JSON.stringify(action);
    let id = requestIds.get(key);
    if (!id) {
      id = newRequestId();
      requestIds.set(key, id);
    }
    return id;
  }

  /** Loads data for a view; failures show in the status line with a retry of the same load. */
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

  /** Bumped by every render: a slow load of a view the clerk has left must not write into the new one. */
  let renderGen = 0;

  function render(): void {
    renderGen++;
    if (tab === 'ledger') renderLedger();
    else if (tab === 'reminders') void renderReminders();
    else if (tab === 'cards') void renderCards();
    else if (tab === 'history') renderHistory();
    else renderSettings();
  }

  // ---------------------------------------------------------------- 台账
  function renderLedger(): void {
    const list = problems;
    clear(
      viewEl,
      closeTasks ? closeForm(closeTasks) : null,
      h('h2', {}, '台账体检'),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            class: 'btn primary',
            id: 'check',
            onclick: () => void act('正在检查台账…', () => checkLedger(paneEnv())),
          },
          '检查台账',
        ),
        h(
          'button',
          {
            class: 'btn',
            id: 'sync',
            onclick: () => void act('正在同步台账…', () => syncLedger(paneEnv())),
          },
          '同步台账',
        ),
      ),
      list?.year !== undefined
        ? h(
            'p',
            { id: 'ledger-year', class: list.yearSource === 'today' ? 'warn small' : 'muted small' },
            `已读取工作表“${list.sheetName}” · 台账年份：${yearText({ year: list.year, yearSource: list.yearSource ?? 'today' })}`,
          )
        : null,
      list?.missing?.length && list.unknown?.length ? columnMapForm(list) : null,
      list === null
        ? h('p', { class: 'muted' }, '点“检查台账”查看不规范的行（R1）。')
        : list.problems.length === 0
          ? h('p', { id: 'problems-ok' }, '台账规范，未发现问题。')
          : h(
              'div',
              {},
              h('p', { class: 'muted small' }, `共 ${list.problems.length} 处问题，点“定位”跳到单元格：`),
              h(
                'ul',
                { class: 'list', id: 'problems' },
                list.problems.map((p) =>
                  h(
                    'li',
                    {},
                    h(
                      'span',
                      { class: 'grow' },
                      p.message.includes(`第${p.row}行`)
                        ? p.message
                        : `第${p.row}行${p.column ? ` ${p.column}列` : ''}：${p.message}`,
                    ),
                    h(
                      'button',
                      {
                        class: 'link',
                        'aria-label': `定位到第${p.row}行${p.column ? ` ${p.column}列` : ''}`,
                        onclick: () =>
                          void selectCell(
                            deps.env().excel,
                            list.sheetName,
                            p.row,
                            p.column ? columnIndex(p.column) : 0,
                          ).catch((e) => showStatus(failure(e))),
                      },
                      '定位',
                    ),
                  ),
                ),
              ),
            ),
      taskDetailCard(),
    );
  }

  // ---------------------------------------------------------------- 节点与指标 (R6, R7)
  /** Reads the tasks `ids` from the backend (GET /tasks) with the settings that decide a target's kind. */
  async function loadDetail(ids: string[]): Promise<void> {
    const env = deps.env();
    const id = ledgerId();
    const got = await load(
      '读取任务失败',
      async () => {
        const [tasks, settings] = await Promise.all([env.api().tasks(id), env.api().settings()]);
        return { tasks, settings };
      },
      () => void loadDetail(ids),
    );
    if (!got) return;
    const wanted = new Set(ids.map((i) => i.toUpperCase()));
    const tasks = got.tasks.filter((t) => wanted.has(t.id.toUpperCase()));
    if (tasks.length === 0) {
      showStatus({
        level: 'error',
        text: `台账 ${id} 中没有督办编号为 ${ids.join('、')} 的任务（请先同步台账，或核对督办编号）。`,
      });
      return;
    }
    detail = { ledgerId: id, tasks, settings: got.settings };
    if (tab === 'ledger') renderLedger();
  }

  function taskDetailCard(): HTMLElement {
    const form = h(
      'form',
      { class: 'card', id: 'task-detail-form' },
      h('h2', {}, '节点与指标'),
      h('p', { class: 'muted small' }, '查看5★任务的时间节点并勾选完成（R7），设定4★任务的指标类型（R6）。'),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '督办编号'),
        h('input', { name: 'taskNo', placeholder: '如：DB-2026-0008' }),
      ),
      h(
        'div',
        { class: 'row' },
        h('button', { class: 'btn primary', type: 'submit', id: 'task-detail-show' }, '查看'),
        h(
          'button',
          {
            class: 'btn',
            type: 'button',
            id: 'task-detail-selected',
            onclick: () =>
              void selectedTaskRefs(deps.env())
                .then((refs) => {
                  const ids = refs.map((r) => r.id).filter(Boolean);
                  if (ids.length === 0)
                    showStatus({ level: 'error', text: '所选行没有督办编号，请先同步台账后再选择任务行。' });
                  else void loadDetail(ids);
                })
                .catch((e) => showStatus(failure(e))),
          },
          '按所选行',
        ),
      ),
      detail ? detail.tasks.map((t) => taskDetail(t, detail!)) : null,
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const no = value(form, 'taskNo').trim();
      if (!no) showStatus({ level: 'error', text: '请填写督办编号，或选中台账中的任务行后点“按所选行”。' });
      else void loadDetail([no]);
    });
    return form;
  }

  function taskDetail(t: TaskView, d: NonNullable<typeof detail>): HTMLElement {
    const today = deps.env().today();
    const clerkName = () => {
      const name = loadPrefs(deps.storage).clerk.trim();
      if (!name) throw new BackendError('config', '请先在督办面板的“设置”中填写经办人姓名。');
      return name;
    };
    const tick = (milestone: string, done: boolean) =>
      void act(
        done ? '正在登记节点完成…' : '正在取消节点完成…',
        async () => {
          const res = await deps.env().api().tickMilestone({
            ledgerId: d.ledgerId,
            taskId: t.id,
            milestone,
            done,
            by: clerkName(),
          });
          t.milestones = res.milestones;
          return {
            level: 'success' as const,
            text: res.changed.length
              ? `${t.id}：节点“${milestone}”已${done ? '标为完成' : '取消完成'}，已记入历史。`
              : `${t.id}：节点“${milestone}”原已${done ? '完成' : '未完成'}，未作改动。`,
          };
        },
        // The list shows what the backend answered; a refused tick (409 of a ledger mark) reverts.
        () => tab === 'ledger' && renderLedger(),
      );
    const setKind = (kind: string) =>
      void act(
        '正在设定指标类型…',
        async () => {
          const res = await deps
            .env()
            .api()
            .setTargetKind({
              ledgerId: d.ledgerId,
              taskIds: [t.id],
              kind: kind === 'cumulative' || kind === 'level' ? kind : null,
              by: clerkName(),
            });
          await loadDetail(d.tasks.map((x) => x.id));
          const name = kind === 'cumulative' || kind === 'level' ? TARGET_KIND_NAME[kind] : '按设置';
          return {
            level: 'success' as const,
            text: res.changes.length
              ? `${t.id}：指标类型已设为${name}，已记入历史。`
              : `${t.id}：指标类型原已是${name}，未作改动。`,
          };
        },
        () => tab === 'ledger' && renderLedger(),
      );
    const kindLine = t.target ? targetKindLine(t.target, t.targetKindSet, d.settings) : null;
    return h(
      'div',
      { class: 'task-detail', 'data-task': t.id },
      h('h3', {}, `${t.id}${t.no ? ` 第${t.no}项` : ''} ${t.title ?? ''}`),
      t.milestones.length
        ? h(
            'ul',
            { class: 'list milestones' },
            t.milestones.map((m) => {
              const line = milestoneLine(m, today);
              return h(
                'li',
                { 'data-milestone': m.text },
                h(
                  'label',
                  { class: 'grow' },
                  h('input', {
                    type: 'checkbox',
                    checked: line.done,
                    'aria-label': `节点“${m.text}”已完成`,
                    onchange: (ev: Event) => tick(m.text, (ev.target as HTMLInputElement).checked),
                  }),
                  h(
                    'span',
                    {},
                    `${line.when} ${line.text}`,
                    h(
                      'span',
                      { class: line.state.startsWith('已过期限') ? 'warn small state' : 'muted small state' },
                      line.state,
                    ),
                  ),
                ),
              );
            }),
          )
        : h('p', { class: 'muted small' }, '本任务在台账中没有时间节点。'),
      t.target && kindLine
        ? h(
            'label',
            { class: 'field' },
            h('span', {}, `指标类型（目标值 ${t.target.value}${t.target.unit}）`),
            h(
              'select',
              {
                name: 'targetKind',
                'aria-label': '指标类型',
                onchange: (ev: Event) => setKind((ev.target as HTMLSelectElement).value),
              },
              h(
                'option',
                { value: 'cumulative', selected: t.targetKindSet === 'cumulative' },
                TARGET_KIND_NAME.cumulative,
              ),
              h('option', { value: 'level', selected: t.targetKindSet === 'level' }, TARGET_KIND_NAME.level),
              h('option', { value: '', selected: !t.targetKindSet }, '按设置'),
            ),
            h('span', { class: 'muted small target-kind' }, kindLine.text),
          )
        : t.effectiveStars === 4
          ? h('p', { class: 'warn small' }, '台账未写明可识别的目标值（如1200人），无法设定指标类型。')
          : null,
    );
  }

  /**
   * 表头对应 (R4): the header cells the reader did not understand, each with a choice of field; the
   * missing required columns are offered first. Saved in the workbook and the backend, then checked again.
   */
  function columnMapForm(list: NonNullable<typeof problems>): HTMLElement {
    const missing = (list.missing ?? []) as LedgerField[];
    const order = [...missing, ...LEDGER_FIELDS.filter((f) => !missing.includes(f))];
    const form = h(
      'form',
      { class: 'card', id: 'column-map' },
      h('h3', {}, '表头对应'),
      h(
        'p',
        { class: 'small' },
        `表头缺少${missing.map((f) => `“${FIELD_LABELS[f]}”`).join('、')}列。下列表头未能识别，请为其中对应的列选择含义（只需选一次，以后读取本台账都按此对应）：`,
      ),
      (list.unknown ?? []).map((u, i) =>
        h(
          'label',
          { class: 'field' },
          h('span', {}, `${u.column}列“${u.label}”`),
          h(
            'select',
            { name: `map-${i}`, 'data-label': u.label, 'aria-label': `${u.column}列“${u.label}”对应为` },
            h('option', { value: '' }, '（不对应）'),
            order.map((f) => h('option', { value: f }, FIELD_LABELS[f])),
          ),
        ),
      ),
      h('button', { class: 'btn primary', type: 'submit', id: 'column-map-save' }, '保存对应并重新检查'),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const map: Record<string, LedgerField> = {};
      for (const sel of Array.from(form.querySelectorAll('select'))) {
        const label = sel.getAttribute('data-label');
        if (label && sel.value) map[label] = sel.value as LedgerField;
      }
      void act('正在保存表头对应…', () => mapColumns(paneEnv(), list.sheetName, map));
    });
    return form;
  }

  function closeForm(tasks: TaskRef[]): HTMLElement {
    const form = h(
      'form',
      { class: 'card', id: 'close-form' },
      h('h2', {}, `销号（${tasks.length} 项任务）`),
      h(
        'ul',
        { class: 'list small' },
        tasks.slice(0, 8).map((t) => h('li', {}, `第${t.row}行 ${t.no ?? ''} ${t.title}`)),
      ),
      tasks.length > 8 ? h('p', { class: 'muted small' }, `等 ${tasks.length} 项`) : null,
      h(
        'label',
        { class: 'field' },
        h('span', {}, '销号日期'),
        h('input', { type: 'date', name: 'date', value: deps.env().today(), required: true }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '销号依据（完成情况、佐证材料）'),
        h('textarea', { name: 'note', required: true }),
      ),
      h(
        'div',
        { class: 'row' },
        h('button', { class: 'btn primary', type: 'submit' }, '确认销号'),
        h('button', { class: 'btn', type: 'button', onclick: () => void openView('close') }, '按所选行'),
        h('button', { class: 'btn', type: 'button', onclick: () => ((closeTasks = null), render()) }, '取消'),
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = { taskIds: tasks.map((t) => t.id), date: value(form, 'date'), note: value(form, 'note') };
      void act(
        '正在销号…',
        () => submitClose(deps.env(), input),
        (o) => {
          if (o.level === 'success') {
            closeTasks = null;
            render();
          }
        },
      );
    });
    return form;
  }

  /**
   * R16: the banner of a year without holiday data (this year; next year from 1 November), with the
   * form to enter it: the same check as the backend (shared holidayYearProblems) before it is sent.
   */
  function calendarForm(banner: { year: number; text: string }): HTMLElement {
    const form = h(
      'form',
      { class: 'card banner', id: 'calendar-banner' },
      h('p', {}, banner.text),
      h(
        'label',
        { class: 'field' },
        h(
          'span',
          {},
          `${banner.year}年放假日期（每个日期一项，如 ${banner.year}-01-01，可用空格、逗号或换行分隔）`,
        ),
        h('textarea', { name: 'holidays', required: true }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, `${banner.year}年调休上班日期（周末上班的日子）`),
        h('textarea', { name: 'workdays' }),
      ),
      h('button', { class: 'btn primary', type: 'submit' }, `录入${banner.year}年节假日安排`),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const dates = (name: string) =>
        value(form, name)
          .split(/[\s,，、;；]+/)
          .map((d) => d.trim())
          .filter(Boolean);
      const entry = { holidays: dates('holidays'), workdays: dates('workdays') };
      void act(
        '正在录入节假日安排…',
        async () => {
          const bad = [...entry.holidays, ...entry.workdays].filter(
            (d) => !IsoDateSchema.safeParse(d).success,
          );
          if (bad.length)
            return { level: 'error', text: `日期应写成 YYYY-MM-DD：${bad.slice(0, 5).join('、')}` };
          const problems = holidayYearProblems(banner.year, entry);
          if (problems.length) return { level: 'error', text: problems.join('；') };
          await deps
            .env()
            .api()
            .putCalendar(banner.year, { ...entry, source: `${banner.year}年节假日安排（办公室录入）` });
          return { level: 'success', text: `已录入${banner.year}年节假日安排。` };
        },
        () => void renderReminders(),
      );
    });
    return form;
  }

  // ---------------------------------------------------------------- 提示
  async function renderReminders(): Promise<void> {
    const gen = ++renderGen;
    const env = deps.env();
    // 今日 by default; the clerk may look at another day of the period (e.g. the Monday of 5★ weekly prompts).
    const today = reminderDay ?? env.today();
    const title = () =>
      h(
        'div',
        { class: 'row' },
        h('h2', { style: 'flex:1' }, today === env.today() ? '今日提示' : '提示'),
        dayPicker(today),
      );
    clear(viewEl, title(), h('p', { class: 'muted' }, '正在读取…'));
    const retry = () => void renderReminders();
    const api = await load('读取提示失败', async () => env.api(), retry);
    if (gen !== renderGen) return;
    if (!api) {
      clear(viewEl, title(), h('p', { class: 'muted' }, '未能读取提示。'));
      return;
    }
    const thisYear = yearOf(env.today());
    const [day, outbox, coveredYears] = await Promise.all([
      load('读取今日提示失败', () => api.reminderDay(today, ledgerId()), retry),
      load('读取送达情况失败', () => api.outbox(today), retry),
      // R16: this year's and next year's holiday data, for the banner (a failed read shows none).
      Promise.all(
        [thisYear, thisYear + 1].map((y) =>
          api.calendarCovers(y).then(
            (ok) => (ok ? [y] : []),
            () => [y],
          ),
        ),
      ).then((l) => new Set(l.flat())),
    ]);
    const reminders = day?.reminders ?? null;
    if (gen !== renderGen) return;
    const banner = calendarBanner(env.today(), (y) => coveredYears.has(y));
    const roundupBox = h(
      'div',
      { id: 'roundup' },
      h('button', { class: 'btn', onclick: () => void loadRoundup() }, '打开督检汇总'),
    );
    async function loadRoundup(): Promise<void> {
      const { options, chosen } = roundupPeriods(env.today(), ledgerYear());
      const period = roundupPeriod ?? chosen;
      const picker = h(
        'select',
        { name: 'roundup-period', 'aria-label': '汇总周期' },
        options.map((o) => h('option', { value: o.period, selected: o.period === period }, o.label)),
      ) as HTMLSelectElement;
      picker.addEventListener('change', () => {
        roundupPeriod = picker.value;
        void loadRoundup();
      });
      clear(
        roundupBox,
        picker,
        h('p', { class: 'muted' }, '正在生成督检汇总…'),
        h('div', { class: 'progress', role: 'progressbar' }),
      );
      const report = await load(
        '读取督检汇总失败',
        () => api!.roundup(ledgerId(), period),
        () => void loadRoundup(),
      );
      if (!report) {
        clear(roundupBox, h('p', { class: 'muted' }, '未能读取督检汇总。'));
        return;
      }
      const download = h(
        'button',
        {
          class: 'btn',
          id: 'roundup-document',
          onclick: () =>
            void act('正在生成督检汇总报告…', async () => {
              const file = await deps.env().api().roundupDocument(ledgerId(), period);
              saveFile(file);
              return { level: 'success', text: `已下载《${file.fileName}》。` };
            }),
        },
        '下载汇总报告（Word）',
      );
      // R21: the round-up also goes into the workbook; an existing sheet is replaced only on 替换.
      const sheetBox = h('div', { id: 'roundup-sheet' });
      const writeSheet = async (replace: boolean): Promise<void> => {
        const env = deps.env();
        const r = await writeRoundupToWorkbook(env, report, ledgerId(), env.today(), replace);
        const line = h('p', { class: 'status', 'data-level': r.level }, r.text);
        if (!r.exists) return void clear(sheetBox, line);
        clear(
          sheetBox,
          line,
          h(
            'button',
            { class: 'btn', id: 'roundup-sheet-replace', onclick: () => void writeSheet(true) },
            '替换',
          ),
          h(
            'button',
            {
              class: 'btn',
              id: 'roundup-sheet-cancel',
              onclick: () => clear(sheetBox, h('p', { class: 'muted' }, `已保留原工作表“${r.exists}”。`)),
            },
            '取消',
          ),
        );
      };
      void writeSheet(false);
      clear(
        roundupBox,
        picker,
        download,
        sheetBox,
        h(
          'p',
          { class: 'muted small', id: 'roundup-period' },
          `${ledgerId()} · ${report.period}${report.notice ? `；${report.notice}` : ''}`,
        ),
        report.units.length === 0
          ? h('p', { class: 'muted' }, '本期暂无汇总数据。')
          : h(
              'table',
              { class: 'grid', id: 'roundup-table' },
              h(
                'tr',
                {},
                h('th', {}, '名次'),
                h('th', {}, '单位'),
                h('th', {}, '得分'),
                h('th', {}, '逾期'),
                h('th', {}, '牌'),
              ),
              report.units.map((u) =>
                h(
                  'tr',
                  {},
                  h('td', {}, u.rank === null ? '不参与排名' : String(u.rank)),
                  h('td', {}, u.unit),
                  h('td', {}, u.scoreText ?? String(u.score)),
                  h('td', {}, String(u.overdue.length)),
                  h('td', {}, STATE_NAME[u.state ?? 'none'] ?? ''),
                ),
              ),
            ),
      );
    }
    clear(
      viewEl,
      title(),
      banner ? calendarForm(banner) : h('span'),
      day?.calendarNotice
        ? h('p', { class: 'status', id: 'calendar-notice', 'data-level': 'error' }, day.calendarNotice)
        : h('span'),
      reminders === null
        ? h('p', { class: 'muted' }, '未能读取今日提示。')
        : reminders.length === 0
          ? h('p', { class: 'muted', id: 'reminders-empty' }, '当天没有应发出的提示。')
          : h(
              'ul',
              { class: 'list', id: 'reminders' },
              reminders.map((r) =>
                h(
                  'li',
                  {},
                  h(
                    'span',
                    { class: 'grow' },
                    `${r.leadUnit}：${r.taskNo ? `序号${r.taskNo} ` : ''}${'★'.repeat(r.stars)} ${REMINDER_NAME[r.reason] ?? r.reason} ${r.period}${r.note ? `（${r.note}）` : ''}，${r.feedbackDue} 前反馈`,
                  ),
                  h('span', { class: 'chip' }, r.queued ? '已排队' : '未排队'),
                ),
              ),
            ),
      h('h2', {}, '送达情况'),
      outbox === null || outbox.length === 0
        ? h('p', { class: 'muted' }, outbox === null ? '未能读取送达情况。' : '当天暂无发出的提示。')
        : h(
            'ul',
            { class: 'list', id: 'outbox' },
            outbox.map((o) =>
              h(
                'li',
                {},
                h(
                  'span',
                  { class: 'grow' },
                  `${o.unit}${o.taskNo ? ` 序号${o.taskNo}` : ''}${o.lastError ? `：${o.lastError}` : ''}`,
                ),
                h('span', { class: 'chip' }, deliveryName(o.status)),
              ),
            ),
          ),
      h('h2', {}, '督检汇总'),
      roundupBox,
    );
    if (pendingRoundup) {
      pendingRoundup = false;
      void loadRoundup();
    }
  }
  let pendingRoundup = false;
  let reminderDay: string | null = null;
  /** The round-up period the clerk picked; null = the most recent ended period (roundupPeriods). */
  let roundupPeriod: string | null = null;

  function dayPicker(day: string): HTMLElement {
    const input = h('input', {
      type: 'date',
      name: 'reminder-day',
      value: day,
      style: 'width:auto',
    }) as HTMLInputElement;
    input.addEventListener('change', () => {
      if (!input.value) return;
      reminderDay = input.value;
      void renderReminders();
    });
    return input;
  }

  // ---------------------------------------------------------------- 亮牌
  async function renderCards(): Promise<void> {
    const gen = ++renderGen;
    const env = deps.env();
    const parts: (HTMLElement | null)[] = [
      cardReason ? reasonForm(cardReason) : null,
      rectify ? rectificationForm(rectify) : null,
      interviewForm(interviewUnit ?? ''),
      h('h2', {}, '单位亮牌情况'),
      h('p', { class: 'muted', id: 'units-loading' }, '正在读取…'),
    ];
    clear(viewEl, parts);
    const retry = () => void renderCards();
    const api = await load('读取亮牌情况失败', async () => env.api(), retry);
    const [units, candidates] = api
      ? await Promise.all([
          load('读取亮牌情况失败', () => api.units(env.today()), retry),
          load('读取亮牌候选失败', () => api.candidateReport(ledgerId(), env.today()), retry),
        ])
      : [null, null];
    if (gen !== renderGen) return;
    viewEl.querySelector('#units-loading')?.remove();
    if (units) {
      knownUnits = units.map((u) => u.unit);
      const list = viewEl.querySelector('#known-units');
      if (list)
        clear(
          list as HTMLElement,
          knownUnits.map((u) => h('option', { value: u })),
        );
    }
    // R12: every red unit's four follow-up actions, as the backend keeps them (any clerk, any reload).
    viewEl.prepend(...(units ?? []).filter((u) => u.state === 'red').map(redChecklist));
    viewEl.append(
      unitList(units),
      h('h2', {}, '亮牌候选（系统提出，确认后生效）'),
      candidateList(candidates),
      ...[undeliveredList(candidates?.undelivered ?? null)].filter((e): e is HTMLElement => e !== null),
    );
  }

  function unitList(units: UnitView[] | null): HTMLElement {
    if (units === null) return h('p', { class: 'muted' }, '未能读取单位亮牌情况。');
    const shown = units.filter((u) => u.state !== 'none' || u.interviews > 0);
    if (shown.length === 0) return h('p', { class: 'muted', id: 'units' }, '本年度尚无单位被亮牌。');
    const colors = deps.env().settings.cardColors;
    return h(
      'ul',
      { class: 'list', id: 'units' },
      shown.map((u) =>
        h(
          'li',
          { 'data-unit': u.unit },
          h(
            'span',
            {
              class: `chip ${u.state}`,
              style: u.state === 'none' ? undefined : `background:${colors[u.state]}`,
            },
            STATE_NAME[u.state] ?? u.state,
          ),
          h(
            'span',
            { class: 'grow' },
            u.unit,
            h('br'),
            h(
              'span',
              { class: 'muted small' },
              `约谈 ${u.interviews} 次${u.cards.length ? `；${u.cards.map((c) => c.docNo ?? STATE_NAME[c.color]).join('、')}` : ''}${
                u.rectifyBy ? `；限 ${u.rectifyBy} 前整改` : ''
              }${u.rectificationOverdue ? '；整改已逾期' : ''}`,
            ),
            ...u.cards
              .filter((c) => c.docNo && c.color !== 'red')
              .map((c) =>
                h(
                  'button',
                  {
                    class: 'link small',
                    'data-document': c.docNo!,
                    onclick: () =>
                      void act('正在生成文书…', async () => {
                        const file = await deps.env().api().cardDocument(c.id);
                        saveFile(file);
                        return { level: 'success', text: `已下载《${file.fileName}》。` };
                      }),
                  },
                  `下载 ${c.docNo}`,
                ),
              ),
          ),
          h(
            'span',
            {},
            h(
              'button',
              {
                class: 'link',
                'aria-label': `登记${u.unit}的约谈`,
                onclick: () => ((interviewUnit = u.unit), void renderCards()),
              },
              '约谈',
            ),
            awaiting(u)
              ? h(
                  'button',
                  {
                    class: 'link',
                    'data-rectify': u.unit,
                    'aria-label': `登记${u.unit}的整改报告`,
                    onclick: () => (
                      (rectify = { unit: u.unit, cardId: awaiting(u)!.id }),
                      void renderCards()
                    ),
                  },
                  '整改',
                )
              : null,
          ),
        ),
      ),
    );
  }

  /** The orange card still waiting for its rectification report (R11), as the backend picks it too. */
  function awaiting(u: UnitView): { id: string } | null {
    return orangeCardForRectification(
      u.unit,
      u.cards.map((c) => ({ ...c, unit: u.unit })),
    );
  }

  function rectificationForm(r: { unit: string; cardId: string }): HTMLElement {
    const form = h(
      'form',
      { class: 'card', id: 'rectification-form' },
      h('h2', {}, `整改报告：${r.unit}`),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '报告日期'),
        h('input', { type: 'date', name: 'date', value: deps.env().today(), required: true }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '整改情况'),
        h('textarea', { name: 'note', required: true }),
      ),
      h(
        'div',
        { class: 'row' },
        h('button', { class: 'btn primary', type: 'submit' }, '登记整改'),
        h(
          'button',
          { class: 'btn', type: 'button', onclick: () => ((rectify = null), void renderCards()) },
          '取消',
        ),
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const filled = { ...r, date: value(form, 'date'), note: value(form, 'note') };
      const input = { ...filled, requestId: requestIdFor(['rectification', filled]) };
      void act(
        '正在登记整改报告…',
        () => submitRectification(deps.env(), input),
        (o) => {
          if (o.level === 'success') rectify = null;
          void renderCards();
        },
      );
    });
    return form;
  }

  /** A candidate's findings, each with its evidence (which prompt, sent when, over which channel, due when; which cell). */
  function evidenceList(c: CandidateView): HTMLElement | null {
    if (c.details.length === 0) return null;
    const shown = c.details.slice(0, EVIDENCE_SHOWN);
    const more = c.details.length - shown.length;
    return h(
      'ul',
      { class: 'evidence small muted' },
      shown.map((d) => h('li', {}, d)),
      more > 0 ? h('li', {}, `另有 ${more} 条`) : null,
    );
  }

  /**
   * The candidates still to decide, then those already carded this year (the backend sets them apart
   * by the shared rule: 已亮牌, no 确认, so no second card and number).
   */
  function candidateList(report: CandidateReport | null): HTMLElement {
    if (report === null) return h('p', { class: 'muted' }, '未能读取亮牌候选。');
    const open = [...report.yellow, ...report.orange];
    if (open.length === 0 && report.carded.length === 0)
      return h('p', { class: 'muted', id: 'candidates' }, '暂无候选。');
    const item = (c: CandidateView, carded: boolean) =>
      h(
        'li',
        { 'data-candidate': `${c.color}|${c.unit}|${c.reason}` },
        h(
          'span',
          { class: `chip ${c.color}`, style: `background:${deps.env().settings.cardColors[c.color]}` },
          STATE_NAME[c.color]!,
        ),
        h('span', { class: 'grow' }, `${c.unit}：${c.reason}`, evidenceList(c)),
        carded
          ? h('button', { class: 'btn', disabled: true, 'data-carded': c.unit }, '已亮牌')
          : h(
              'button',
              {
                class: 'btn',
                onclick: () =>
                  void act(
                    '正在亮牌…',
                    () =>
                      issueCardsFor(deps.env(), c.color, [
                        {
                          unit: c.unit,
                          taskIds: c.taskIds,
                          reason: c.reason,
                          requestId: requestIdFor(['card', c.color, c.unit, c.reason, c.taskIds]),
                        },
                      ]),
                    () => void renderCards(),
                  ),
              },
              '确认',
            ),
      );
    return h(
      'ul',
      { class: 'list', id: 'candidates' },
      open.map((c) => item(c, false)),
      report.carded.map((c) => item(c, true)),
    );
  }

  /**
   * R9: prompts that never reached their unit are the office's problem, not the unit's: listed here with
   * the cause (该单位无可用渠道，提示未送达) and never proposed as a late report.
   */
  function undeliveredList(list: UndeliveredPrompt[] | null): HTMLElement | null {
    if (!list || list.length === 0) return null;
    return h(
      'div',
      { class: 'card', id: 'undelivered' },
      h('h2', {}, `提示未送达（${list.length} 条，请办公室处理）`),
      h(
        'p',
        { class: 'small muted' },
        '这些单位没有收到提示，不计为上报材料不及时；请在单位设置中补充或修正提示渠道后重新发送。',
      ),
      h(
        'ul',
        { class: 'list' },
        list
          .slice(0, UNDELIVERED_SHOWN)
          .map((u) =>
            h(
              'li',
              { 'data-undelivered': u.unit },
              h(
                'span',
                { class: 'grow' },
                `${u.unit}：${u.message}`,
                h('br'),
                h(
                  'span',
                  { class: 'small muted' },
                  `${u.taskNo ? `第${u.taskNo}项任务` : `任务${u.taskId}`}（${u.period}），${u.sendOn} 应发，反馈期限 ${u.feedbackDue}${u.error ? `；${u.error}` : ''}`,
                ),
              ),
            ),
          ),
        list.length > UNDELIVERED_SHOWN
          ? h('li', { class: 'muted' }, `另有 ${list.length - UNDELIVERED_SHOWN} 条`)
          : null,
      ),
    );
  }

  function reasonForm(req: Extract<PaneRequest, { kind: 'cardReason' }>): HTMLElement {
    const reasons = reasonsFor(req.color);
    const form = h(
      'form',
      { class: 'card', id: 'reason-form' },
      h('h2', {}, `${STATE_NAME[req.color]}理由`),
      req.units.map((u, i) =>
        h(
          'div',
          { class: 'field' },
          h(
            'label',
            { class: 'field' },
            h('span', {}, `${u.unit}（${u.taskIds.length} 项任务）`),
            h(
              'select',
              { name: `reason-${i}` },
              reasons.map((r) => h('option', { value: r }, r)),
            ),
          ),
          // R10: slow progress is decided by the program; a unit it did not propose needs the clerk's
          // explicit confirmation (a card is never deleted, R8).
          req.color === 'orange' && !u.candidate
            ? h(
                'label',
                { class: 'small' },
                h('input', { type: 'checkbox', name: `confirm-${i}`, required: true }),
                h('span', {}, '该单位不是系统提出的橙牌候选（R10），仍要亮橙牌'),
              )
            : null,
        ),
      ),
      h(
        'div',
        { class: 'row' },
        h('button', { class: 'btn primary', type: 'submit' }, `确认亮${STATE_NAME[req.color]}`),
        h(
          'button',
          { class: 'btn', type: 'button', onclick: () => ((cardReason = null), void renderCards()) },
          '取消',
        ),
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const orders = req.units.map((u, i) => {
        const reason = value(form, `reason-${i}`) as CardReason;
        const requestId = requestIdFor(['card', req.color, u.unit, reason, u.taskIds]);
        return { unit: u.unit, taskIds: u.taskIds, reason, requestId };
      });
      void act(
        '正在亮牌…',
        () => issueCardsFor(deps.env(), req.color, orders),
        (o) => {
          if (o.level === 'success') cardReason = null;
          void renderCards();
        },
      );
    });
    return form;
  }

  function interviewForm(unit: string): HTMLElement {
    const form = h(
      'form',
      { class: 'card', id: 'interview-form' },
      h('h2', {}, '约谈登记'),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '被约谈单位（牵头单位）'),
        h('input', { name: 'unit', value: unit, required: true, list: 'known-units', autocomplete: 'off' }),
        // The units the backend knows, offered as the clerk types: a typo would start a new unit's count.
        h(
          'datalist',
          { id: 'known-units' },
          knownUnits.map((u) => h('option', { value: u })),
        ),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '约谈日期'),
        h('input', { type: 'date', name: 'date', value: deps.env().today(), required: true }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '约谈领导'),
        h('input', { name: 'leader', required: true }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '被约谈人（主要负责人）'),
        h('input', { name: 'interviewee', required: true }),
      ),
      h('label', { class: 'field' }, h('span', {}, '约谈记录'), h('textarea', { name: 'record' })),
      h(
        'div',
        { class: 'row' },
        h('button', { class: 'btn primary', type: 'submit' }, '登记约谈'),
        // A ShowTaskpane button does not reload a pane already at its view: the selection is read again here.
        h('button', { class: 'btn', type: 'button', onclick: () => void openView('interview') }, '按所选行'),
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = {
        unit: value(form, 'unit').trim(),
        date: value(form, 'date'),
        leader: value(form, 'leader'),
        interviewee: value(form, 'interviewee'),
        record: value(form, 'record'),
      };
      const request = { ...input, requestId: requestIdFor(['interview', input]) };
      void act(
        '正在登记约谈…',
        async () => {
          const o = await submitInterview(deps.env(), request);
          if (o.level === 'success') interviewUnit = null;
          return o;
        },
        () => void renderCards(),
      );
    });
    return form;
  }

  /** The red card's checklist (R12) from the backend; each tick is recorded there, nothing kept here. */
  function redChecklist(u: UnitView): HTMLElement {
    const card = [...u.cards].reverse().find((c) => c.color === 'red');
    const done = new Set((card?.checklist ?? []).filter((i) => i.done).map((i) => i.id));
    return h(
      'div',
      { class: 'card red red-checklist', 'data-unit': u.unit },
      h('h2', {}, `红牌：${u.unit}（R12）`),
      h('p', { class: 'small muted' }, `一年内被约谈 ${u.interviews} 次。请逐项落实并勾选：`),
      h(
        'div',
        { class: 'checklist' },
        RED_CHECKLIST.map((item) => {
          const box = h('input', {
            type: 'checkbox',
            name: item.id,
            checked: done.has(item.id),
            disabled: !card,
          }) as HTMLInputElement;
          box.addEventListener('change', () => {
            const env = deps.env();
            const checked = box.checked;
            void act(
              '正在记录…',
              async () => {
                if (!card) return { level: 'error', text: '找不到红牌编号，无法记录，请刷新“亮牌”页。' };
                const by = loadPrefs(deps.storage).clerk.trim();
                if (!by) return { level: 'error', text: '请先在“设置”中填写经办人姓名。' };
                await env.api().tickChecklist(card.id, item.id, checked, by);
                return {
                  level: 'success',
                  text: `已记录：${item.text}${checked ? '（已完成）' : '（未完成）'}`,
                };
              },
              // What the backend now holds is what the pane shows (a failed tick unticks again).
              () => void renderCards(),
            );
          });
          return h('label', {}, box, h('span', {}, item.text));
        }),
      ),
      // R12: the 通报批评 and the 专题报告 drafted from the unit's history, for the 县政府办公室 to number.
      h(
        'div',
        { class: 'actions red-documents' },
        (['tongbao', 'zhuanti'] as const).map((doc) =>
          h(
            'button',
            {
              class: 'btn',
              type: 'button',
              'data-doc': doc,
              disabled: !card,
              onclick: () =>
                void act(`正在生成${doc === 'tongbao' ? '通报批评' : '专题报告'}草稿…`, async () => {
                  if (!card) return { level: 'error', text: '找不到红牌编号，请刷新“亮牌”页。' };
                  const file = await deps.env().api().redCardDocument(card.id, doc);
                  saveFile(file);
                  return { level: 'success', text: `已下载《${file.fileName}》。` };
                }),
            },
            doc === 'tongbao' ? '下载通报批评草稿（Word）' : '下载专题报告草稿（Word）',
          ),
        ),
      ),
    );
  }

  // ---------------------------------------------------------------- 历史
  function renderHistory(): void {
    const out = h('div', { id: 'history' });
    const form = h(
      'form',
      {},
      h(
        'label',
        { class: 'field' },
        h('span', {}, '单位名称或督办编号'),
        h('input', { name: 'subject', placeholder: '如：县商务局 或 DB-2026-0003' }),
      ),
      h('button', { class: 'btn primary', type: 'submit' }, '查询'),
    );
    const query = async (subject: string, page?: string): Promise<void> => {
      const env = deps.env();
      const s = /^DB-\d{4}-\d+$/i.test(subject)
        ? { ledgerId: ledgerId(), taskId: subject.toUpperCase() }
        : { unit: subject };
      const res = await load(
        '读取历史失败',
        () => env.api().history(s, page),
        () => void query(subject, page),
      );
      if (!res) return;
      if (!page) clear(out);
      if (res.events.length === 0 && !page) out.append(h('p', { class: 'muted' }, '没有记录。'));
      out.append(
        h(
          'ol',
          { class: 'timeline' },
          res.events.map((e) => h('li', {}, describeEvent(e))),
        ),
      );
      const next = res.continuation;
      if (next)
        out.append(
          h(
            'button',
            {
              class: 'btn',
              onclick: (ev) => ((ev.target as HTMLElement).remove(), void query(subject, next)),
            },
            '更多',
          ),
        );
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const subject = value(form, 'subject').trim();
      if (subject) void query(subject);
    });
    clear(viewEl, h('h2', {}, '历史'), form, out);
  }

  // ---------------------------------------------------------------- 设置
  function renderSettings(): void {
    const prefs = loadPrefs(deps.storage);
    // Who the backend takes this pane for: with a clerk's own key, every record names that clerk.
    const signedIn = h(
      'p',
      { id: 'signed-in', class: 'small' },
      prefs.functionKey ? '正在确认登录身份…' : '尚未填写密钥。',
    );
    if (prefs.functionKey)
      void Promise.resolve()
        .then(() => deps.env().api().whoami())
        .then(
          (me) => {
            signedIn.textContent = me.clerk
              ? `已登录：${me.clerk}（本人密钥，记录一律署名 ${me.clerk}）`
              : '使用办公室通用密钥：记录署名为上方填写的经办人。建议为每位文书单独生成密钥（duban clerk add 姓名）。';
          },
          (e: unknown) => {
            signedIn.textContent = `无法确认登录身份：${e instanceof Error ? e.message : String(e)}`;
          },
        );
    const form = h(
      'form',
      { id: 'settings-form' },
      h(
        'label',
        { class: 'field' },
        h('span', {}, '督办后台地址（以 /api 结尾）'),
        h('input', { name: 'backendUrl', value: prefs.backendUrl }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '功能密钥（x-functions-key）'),
        h('input', { name: 'functionKey', type: 'password', value: prefs.functionKey, autocomplete: 'off' }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '经办人'),
        h('input', { name: 'clerk', value: prefs.clerk }),
      ),
      h(
        'label',
        { class: 'field' },
        h('span', {}, '台账标识（留空则为 ledger-年度）'),
        h('input', { name: 'ledgerId', value: prefs.ledgerId }),
      ),
      h('p', { class: 'muted small' }, '以上内容只保存在本机浏览器中，不写入工作簿。'),
      signedIn,
      h(
        'div',
        { class: 'row' },
        h('button', { class: 'btn primary', type: 'submit' }, '保存'),
        h(
          'button',
          { class: 'btn', type: 'button', id: 'test-connection', onclick: () => void testConnection() },
          '测试连接',
        ),
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const next: Prefs = {
        backendUrl: value(form, 'backendUrl').trim(),
        functionKey: value(form, 'functionKey').trim(),
        clerk: value(form, 'clerk').trim(),
        ledgerId: value(form, 'ledgerId').trim(),
      };
      // The function key travels with every request: never over plain http to another machine.
      if (!/^(\/|https:\/\/|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/)/.test(next.backendUrl)) {
        showStatus({
          level: 'error',
          text: '后台地址须以 https:// 开头（本机调试可用 /api 或 http://localhost）。设置未保存。',
        });
        return;
      }
      savePrefs(deps.storage, next);
      showStatus({ level: 'success', text: '设置已保存。' });
    });
    clear(viewEl, h('h2', {}, '设置'), form);
  }

  async function testConnection(): Promise<void> {
    await act('正在连接督办后台…', async () => {
      const units = await deps.env().api().units(deps.env().today());
      return { level: 'success', text: `已连接督办后台（${units.length} 个单位有记录）。` };
    });
  }

  // ---------------------------------------------------------------- requests from the ribbon
  function handle(request: PaneRequest): void {
    switch (request.kind) {
      case 'problems':
        problems = { ...request };
        if (tab === 'ledger') render();
        else show('ledger');
        break;
      case 'close':
        closeTasks = request.tasks;
        show('ledger');
        break;
      case 'cardReason':
        cardReason = request;
        show('cards');
        break;
      case 'interview':
        interviewUnit = request.unit;
        show('cards');
        break;
      case 'view':
        if (request.view === 'roundup') pendingRoundup = true;
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

  function receiveRequest(env: Envelope<PaneRequest> | null): void {
    if (!env || seen.has(env.id)) return;
    seen.add(env.id);
    if (Date.now() - Date.parse(env.at) > REQUEST_MAX_AGE_MS) return;
    // A request is handled by one pane, once: a pane loaded again (a ShowTaskpane view, a reload) must
    // not bring back a form already answered — confirming it again would issue a second card.
    if (deps.storage.getItem(REQUEST_DONE_KEY) === env.id) return;
    deps.storage.setItem(REQUEST_DONE_KEY, env.id);
    handle(env.body);
  }
  function receiveStatus(s: Status | null): void {
    if (!s || seen.has(s.id)) return;
    seen.add(s.id);
    const pending = s.pendingCards;
    const again = !s.retry
      ? undefined
      : pending
        ? () => void act('正在重试…', () => issueCardsFor(deps.env(), pending.color, pending.orders))
        : () => void act('正在重试…', async () => runAgain(s.command));
    showStatus(s, again);
  }
  /** 重试 of a ribbon command the pane heard about: the same command again, on the current selection. */
  async function runAgain(command: string): Promise<Outcome> {
    const run = RIBBON_COMMANDS[command];
    return run ? run(deps.env()) : { level: 'info', text: '请在功能区再次点击该按钮。' };
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
    const env: CommandEnv = {
      ...deps.env(),
      mailbox: { report: (st) => ({ id: '', at: '', ...st }), ask: (request) => handle(request) },
    };
    const outcome = await (view === 'interview' ? openInterview(env) : openClose(env));
    if (outcome.level === 'error') show('ledger');
    showStatus(outcome);
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
  void refreshSettings(deps);
  return { show, handle, openView };
}

/** Hands a document to the browser (Excel on the web) or the webview (desktop) as a download. */
function saveFile(file: { blob: Blob; fileName: string }): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The office's settings (card colours, …) from the backend, cached for the commands' page. */
async function refreshSettings(deps: PaneDeps): Promise<void> {
  try {
    const settings = await deps.env().api().settings();
    deps.storage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // the defaults of docs/rules.md stay in force until the backend answers
  }
}
