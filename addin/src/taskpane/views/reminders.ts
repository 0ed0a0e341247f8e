// 提示: the day's reminders (R15) with the holiday banner and form (R16), their delivery (R17) and
// 督检汇总 (R20, R21, views/roundup.ts).
import { calendarBanner } from '../../../../shared/calendar.js';
import { yearOf } from '../../../../shared/dates.js';
import type { PaneContext } from '../context.js';
import { dateList, holidayEntryRefusal } from '../decisions.js';
import { clear, h, value } from '../dom.js';
import { outboxInOrder, outboxLine, outboxSummary, reminderLine } from '../labels.js';
import { deliveryName } from '../vocabulary.js';
import { roundupBox } from './roundup.js';

export interface RemindersTab {
  render(): Promise<void>;
  /** 督检汇总's ShowTaskpane view: the round-up opens with the next render. */
  openRoundupNext(): void;
}

export function remindersTab(ctx: PaneContext): RemindersTab {
  /** The day shown: null = today; the clerk may look at another (e.g. the Monday of 5★ weekly prompts). */
  let reminderDay: string | null = null;
  let roundupPending = false;
  const roundup = roundupBox(ctx);

  async function render(): Promise<void> {
    const current = ctx.fresh();
    const env = ctx.env;
    const today = reminderDay ?? env.today();
    const title = () =>
      h(
        'div',
        { class: 'row' },
        h('h2', { style: 'flex:1' }, today === env.today() ? '今日提示' : '提示'),
        dayPicker(today),
      );
    clear(ctx.view, title(), h('p', { class: 'muted' }, '正在读取…'));
    const retry = () => void render();
    const api = await ctx.load('读取提示失败', async () => env.api(), retry);
    if (!current()) return;
    if (!api) {
      clear(ctx.view, title(), h('p', { class: 'muted' }, '未能读取提示。'));
      return;
    }
    const thisYear = yearOf(env.today());
    const [day, outbox, coveredYears] = await Promise.all([
      ctx.load('读取今日提示失败', () => api.reminderDay(today, ctx.ledgerId()), retry),
      ctx.load('读取送达情况失败', () => api.outbox(today), retry),
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
    if (!current()) return;
    const banner = calendarBanner(env.today(), (y) => coveredYears.has(y));
    clear(
      ctx.view,
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
                  h('span', { class: 'grow' }, reminderLine(r)),
                  h('span', { class: 'chip' }, r.queued ? '已排队' : '未排队'),
                ),
              ),
            ),
      h('h2', {}, '送达情况'),
      outbox === null || outbox.items.length === 0
        ? h('p', { class: 'muted' }, outbox === null ? '未能读取送达情况。' : '当天暂无发出的提示。')
        : h(
            'p',
            { class: 'muted', id: 'outbox-summary' },
            outboxSummary(outbox.items, outbox.more, deliveryName),
          ),
      outbox === null || outbox.items.length === 0
        ? h('span')
        : h(
            'ul',
            { class: 'list', id: 'outbox' },
            outboxInOrder(outbox.items).map((o) =>
              h(
                'li',
                {},
                h('span', { class: 'grow' }, outboxLine(o)),
                h('span', { class: 'chip' }, deliveryName(o.status)),
              ),
            ),
          ),
      h('h2', {}, '督检汇总'),
      roundup.element(api),
    );
    if (roundupPending) {
      roundupPending = false;
      roundup.open();
    }
  }

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
      void render();
    });
    return input;
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
      const entry = {
        holidays: dateList(value(form, 'holidays')),
        workdays: dateList(value(form, 'workdays')),
      };
      void ctx.act(
        '正在录入节假日安排…',
        async () => {
          const refusal = holidayEntryRefusal(banner.year, entry);
          if (refusal) return { level: 'error', text: refusal };
          await ctx.env
            .api()
            .putCalendar(banner.year, { ...entry, source: `${banner.year}年节假日安排（办公室录入）` });
          return { level: 'success', text: `已录入${banner.year}年节假日安排。` };
        },
        () => void render(),
      );
    });
    return form;
  }

  return {
    render,
    openRoundupNext() {
      roundupPending = true;
    },
  };
}
