// The forms of the 亮牌 view: the reason of a yellow/orange card (R8–R10), 约谈登记 (R11, R12) and the
// 整改报告 of an orange card (R11). Each sends one requestId per confirmed content (retries repeat nothing).
import type { CardReason } from '../../../../shared/model.js';
import { reasonsFor } from '../../../../shared/rules/cardDecisions.js';
import { issueCardsFor, submitInterview, submitRectification } from '../../commands/actions.js';
import type { PaneRequest } from '../../mailbox.js';
import type { PaneContext } from '../context.js';
import { h, value } from '../dom.js';
import { STATE_NAME } from '../labels.js';

export type CardReasonRequest = Extract<PaneRequest, { kind: 'cardReason' }>;

/** 黄牌/橙牌理由 for the units the program did not propose; `done(issued)` after each attempt. */
export function reasonForm(
  ctx: PaneContext,
  req: CardReasonRequest,
  done: (issued: boolean) => void,
  cancel: () => void,
): HTMLElement {
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
      h('button', { class: 'btn', type: 'button', onclick: cancel }, '取消'),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const orders = req.units.map((u, i) => {
      const reason = value(form, `reason-${i}`) as CardReason;
      const requestId = ctx.requestIdFor(['card', req.color, u.unit, reason, u.taskIds]);
      return { unit: u.unit, taskIds: u.taskIds, reason, requestId };
    });
    void ctx.act(
      '正在亮牌…',
      () => issueCardsFor(ctx.env, req.color, orders),
      (o) => done(o.level === 'success'),
    );
  });
  return form;
}

/** 约谈登记, prefilled with `unit`; `knownUnits` are offered as the clerk types. */
export function interviewForm(
  ctx: PaneContext,
  unit: string,
  knownUnits: string[],
  done: (recorded: boolean) => void,
): HTMLElement {
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
      h('input', { type: 'date', name: 'date', value: ctx.env.today(), required: true }),
    ),
    h('label', { class: 'field' }, h('span', {}, '约谈领导'), h('input', { name: 'leader', required: true })),
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
      h(
        'button',
        { class: 'btn', type: 'button', onclick: () => void ctx.openView('interview') },
        '按所选行',
      ),
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
    const request = { ...input, requestId: ctx.requestIdFor(['interview', input]) };
    let recorded = false;
    void ctx.act(
      '正在登记约谈…',
      async () => {
        const o = await submitInterview(ctx.env, request);
        recorded = o.level === 'success';
        return o;
      },
      () => done(recorded),
    );
  });
  return form;
}

/** 整改报告 on the orange card `r.cardId` (the one shared orangeCardForRectification picks). */
export function rectificationForm(
  ctx: PaneContext,
  r: { unit: string; cardId: string },
  done: (recorded: boolean) => void,
  cancel: () => void,
): HTMLElement {
  const form = h(
    'form',
    { class: 'card', id: 'rectification-form' },
    h('h2', {}, `整改报告：${r.unit}`),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '报告日期'),
      h('input', { type: 'date', name: 'date', value: ctx.env.today(), required: true }),
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
      h('button', { class: 'btn', type: 'button', onclick: cancel }, '取消'),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const filled = { ...r, date: value(form, 'date'), note: value(form, 'note') };
    const input = { ...filled, requestId: ctx.requestIdFor(['rectification', filled]) };
    void ctx.act(
      '正在登记整改报告…',
      () => submitRectification(ctx.env, input),
      (o) => done(o.level === 'success'),
    );
  });
  return form;
}
