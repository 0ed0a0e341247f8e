// 台账: 检查台账 and 同步台账, the problems with jump-to-cell (R1), 表头对应 (R4), the 销号 form (R3) and
// 节点与指标 (R6, R7, views/taskDetail.ts).
import { FIELD_LABELS, LEDGER_FIELDS, type LedgerField } from '../../../../shared/ledger/index.js';
import {
  checkLedger,
  failure,
  mapColumns,
  submitClose,
  syncLedger,
  yearText,
} from '../../commands/actions.js';
import { selectCell } from '../../excel/workbook.js';
import { columnIndex } from '../../ledgerView.js';
import type { PaneRequest, TaskRef } from '../../mailbox.js';
import type { PaneContext } from '../context.js';
import { clear, h, value } from '../dom.js';
import { problemLine, problemPlace } from '../labels.js';
import { taskDetailPanel } from './taskDetail.js';

type Problems = Omit<Extract<PaneRequest, { kind: 'problems' }>, 'kind'>;

export interface LedgerTab {
  render(): void;
  /** The problems a check or a sync found (from the ribbon or the pane's own buttons). */
  showProblems(problems: Problems): void;
  /** 销号: the selected tasks, for the form's date and note. */
  askClose(tasks: TaskRef[]): void;
}

export function ledgerTab(ctx: PaneContext): LedgerTab {
  let problems: Problems | null = null;
  let closeTasks: TaskRef[] | null = null;
  const detail = taskDetailPanel(ctx, () => ctx.showing('ledger') && render());

  function render(): void {
    const list = problems;
    clear(
      ctx.view,
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
            onclick: () => void ctx.act('正在检查台账…', () => checkLedger(ctx.env)),
          },
          '检查台账',
        ),
        h(
          'button',
          {
            class: 'btn',
            id: 'sync',
            onclick: () => void ctx.act('正在同步台账…', () => syncLedger(ctx.env)),
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
                    h('span', { class: 'grow' }, problemLine(p)),
                    h(
                      'button',
                      {
                        class: 'link',
                        'aria-label': `定位到${problemPlace(p)}`,
                        onclick: () =>
                          void selectCell(
                            ctx.env.excel,
                            list.sheetName,
                            p.row,
                            p.column ? columnIndex(p.column) : 0,
                          ).catch((e) => ctx.showStatus(failure(e))),
                      },
                      '定位',
                    ),
                  ),
                ),
              ),
            ),
      detail.element(),
    );
  }

  /**
   * 表头对应 (R4): the header cells the reader did not understand, each with a choice of field; the
   * missing required columns are offered first. Saved in the workbook and the backend, then checked again.
   */
  function columnMapForm(list: Problems): HTMLElement {
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
      void ctx.act('正在保存表头对应…', () => mapColumns(ctx.env, list.sheetName, map));
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
        h('input', { type: 'date', name: 'date', value: ctx.env.today(), required: true }),
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
        h('button', { class: 'btn', type: 'button', onclick: () => void ctx.openView('close') }, '按所选行'),
        h('button', { class: 'btn', type: 'button', onclick: () => ((closeTasks = null), render()) }, '取消'),
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = { taskIds: tasks.map((t) => t.id), date: value(form, 'date'), note: value(form, 'note') };
      void ctx.act(
        '正在销号…',
        () => submitClose(ctx.env, input),
        (o) => {
          if (o.level === 'success') {
            closeTasks = null;
            if (ctx.showing('ledger')) render();
          }
        },
      );
    });
    return form;
  }

  return {
    render,
    showProblems(p) {
      problems = { ...p };
    },
    askClose(tasks) {
      closeTasks = tasks;
    },
  };
}
