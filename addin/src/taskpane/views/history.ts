// 历史 (R8): a unit's or a task's history as the backend keeps it, page by page (更多).
import type { PaneContext } from '../context.js';
import { historySubject } from '../decisions.js';
import { clear, h, value } from '../dom.js';
import { describeEvent } from '../vocabulary.js';

export function renderHistory(ctx: PaneContext): void {
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
    const s = historySubject(subject, ctx.ledgerId());
    const res = await ctx.load(
      '读取历史失败',
      () => ctx.env.api().history(s, page),
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
          { class: 'btn', onclick: (ev) => ((ev.target as HTMLElement).remove(), void query(subject, next)) },
          '更多',
        ),
      );
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const subject = value(form, 'subject').trim();
    if (subject) void query(subject);
  });
  clear(ctx.view, h('h2', {}, '历史'), form, out);
}
