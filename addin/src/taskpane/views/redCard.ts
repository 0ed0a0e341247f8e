// A red unit's checklist (R12) as the backend keeps it (each tick recorded there, nothing kept in the
// browser), and the two drafts of a red card: the county-wide 通报批评 and the 专题报告 to 县委.
import { RED_CHECKLIST } from '../../../../shared/model.js';
import type { UnitView } from '../../api/client.js';
import { download, type PaneContext } from '../context.js';
import { checklistDone, draftNumber, redCardOf } from '../decisions.js';
import { h } from '../dom.js';

const RED_DOCUMENTS = { tongbao: '通报批评', zhuanti: '专题报告' } as const;
const DRAFT_NUMBER_LABEL = '文号（可留空，在草稿中补填）';

/** `changed` re-renders the 亮牌 view with what the backend now holds (a failed tick unticks again). */
export function redChecklist(ctx: PaneContext, u: UnitView, changed: () => void): HTMLElement {
  const card = redCardOf(u);
  const done = checklistDone(card);
  const numberBox = h('input', {
    name: 'red-doc-no',
    inputmode: 'numeric',
    autocomplete: 'off',
    disabled: !card,
    'aria-label': DRAFT_NUMBER_LABEL,
  }) as HTMLInputElement;
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
          const checked = box.checked;
          void ctx.act(
            '正在记录…',
            async () => {
              if (!card) return { level: 'error', text: '找不到红牌编号，无法记录，请刷新“亮牌”页。' };
              const by = ctx.env.prefs().clerk.trim();
              if (!by) return { level: 'error', text: '请先在“设置”中填写经办人姓名。' };
              await ctx.env.api().tickChecklist(card.id, item.id, checked, by);
              return {
                level: 'success',
                text: `已记录：${item.text}${checked ? '（已完成）' : '（未完成）'}`,
              };
            },
            changed,
          );
        });
        return h('label', {}, box, h('span', {}, item.text));
      }),
    ),
    // R12: the 通报批评 and the 专题报告 drafted from the unit's history; the number may be given now or
    // filled in by hand later (the draft leaves it blank).
    // Not a <label>: the checklist's items are its labels; the field is named by its aria-label.
    h('div', { class: 'field' }, h('span', { 'aria-hidden': 'true' }, DRAFT_NUMBER_LABEL), numberBox),
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
            onclick: () => {
              const no = draftNumber(numberBox.value);
              download(ctx, `正在生成${RED_DOCUMENTS[doc]}草稿…`, async () =>
                !card
                  ? { level: 'error', text: '找不到红牌编号，请刷新“亮牌”页。' }
                  : no === 'invalid'
                    ? { level: 'error', text: '文号应为 1 至 99999 的整数，或留空。' }
                    : ctx.env.api().redCardDocument(card.id, doc, no),
              );
            },
          },
          `下载${RED_DOCUMENTS[doc]}草稿（Word）`,
        ),
      ),
    ),
  );
}
