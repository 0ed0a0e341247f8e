// 督检汇总 in the 提示 view (R20, R21): the period picker, the ranking, the report as Word, and the
// round-up written into the workbook as a sheet of its own (replaced only on 替换).
import type { DubanApi } from '../../api/client.js';
import { writeRoundupToWorkbook } from '../../commands/roundupSheet.js';
import { download, type PaneContext } from '../context.js';
import { clear, h } from '../dom.js';
import { rankText, STATE_NAME } from '../labels.js';
import { roundupPeriods } from '../periods.js';

export interface RoundupBox {
  /** The box with its 打开督检汇总 button, for a fresh render of the 提示 view. */
  element(api: DubanApi): HTMLElement;
  /** Opens the round-up in the box last made (督检汇总's ShowTaskpane view). */
  open(): void;
}

export function roundupBox(ctx: PaneContext): RoundupBox {
  /** The period the clerk picked; null = the most recent ended period (roundupPeriods). */
  let chosenPeriod: string | null = null;
  let box: HTMLElement = h('div', { id: 'roundup' });
  let api: DubanApi | null = null;

  async function load(): Promise<void> {
    if (!api) return;
    const from = api;
    const target = box;
    const { options, chosen } = roundupPeriods(ctx.env.today(), ctx.ledgerYear());
    const period = chosenPeriod ?? chosen;
    const picker = h(
      'select',
      { name: 'roundup-period', 'aria-label': '汇总周期' },
      options.map((o) => h('option', { value: o.period, selected: o.period === period }, o.label)),
    ) as HTMLSelectElement;
    picker.addEventListener('change', () => {
      chosenPeriod = picker.value;
      void load();
    });
    clear(
      target,
      picker,
      h('p', { class: 'muted' }, '正在生成督检汇总…'),
      h('div', { class: 'progress', role: 'progressbar' }),
    );
    const report = await ctx.load(
      '读取督检汇总失败',
      () => from.roundup(ctx.ledgerId(), period),
      () => void load(),
    );
    if (!report) {
      clear(target, h('p', { class: 'muted' }, '未能读取督检汇总。'));
      return;
    }
    const documentButton = h(
      'button',
      {
        class: 'btn',
        id: 'roundup-document',
        onclick: () =>
          download(ctx, '正在生成督检汇总报告…', () => ctx.env.api().roundupDocument(ctx.ledgerId(), period)),
      },
      '下载汇总报告（Word）',
    );
    // R21: the round-up also goes into the workbook; an existing sheet is replaced only on 替换.
    const sheetBox = h('div', { id: 'roundup-sheet' });
    const writeSheet = async (replace: boolean): Promise<void> => {
      const r = await writeRoundupToWorkbook(ctx.env, report, ctx.ledgerId(), ctx.env.today(), replace);
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
      target,
      picker,
      documentButton,
      sheetBox,
      h(
        'p',
        { class: 'muted small', id: 'roundup-period' },
        `${ctx.ledgerId()} · ${report.period}${report.notice ? `；${report.notice}` : ''}`,
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
                h('td', {}, rankText(u)),
                h('td', {}, u.unit),
                h('td', {}, u.scoreText ?? String(u.score)),
                h('td', {}, String(u.overdue.length)),
                h('td', {}, STATE_NAME[u.state ?? 'none'] ?? ''),
              ),
            ),
          ),
    );
  }

  return {
    element(from) {
      api = from;
      box = h(
        'div',
        { id: 'roundup' },
        h('button', { class: 'btn', onclick: () => void load() }, '打开督检汇总'),
      );
      return box;
    },
    open: () => void load(),
  };
}
