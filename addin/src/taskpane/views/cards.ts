// 亮牌: the red units' checklists (R12), the forms (views/cardForms.ts), every unit's card state with
// its letters (R13, R14), the candidates the program proposes (R9, R10) and the prompts that never
// reached their unit (R9).
import type { UndeliveredPrompt } from '../../../../shared/api.js';
import type { CandidateReport, CandidateView, UnitView } from '../../api/client.js';
import { issueCardsFor } from '../../commands/actions.js';
import { download, type PaneContext } from '../context.js';
import { awaitingRectification, candidateRows, firstOf, letterCards, shownUnits } from '../decisions.js';
import { clear, h } from '../dom.js';
import { STATE_NAME, stateName, undeliveredLine, unitSummary } from '../labels.js';
import { interviewForm, reasonForm, rectificationForm, type CardReasonRequest } from './cardForms.js';
import { redChecklist } from './redCard.js';

/** How many findings of a candidate, and how many undelivered prompts, the pane lists before 另有 N 条. */
const EVIDENCE_SHOWN = 20;
const UNDELIVERED_SHOWN = 50;

export interface CardsTab {
  render(): Promise<void>;
  /** 黄牌/橙牌 from the ribbon on units without a proposed reason: the pane asks for it. */
  askReason(request: CardReasonRequest): void;
  /** 约谈登记: the form, prefilled with the selected row's lead unit. */
  askInterview(unit: string | null): void;
}

export function cardsTab(ctx: PaneContext): CardsTab {
  let cardReason: CardReasonRequest | null = null;
  let interviewUnit: string | null = null;
  let rectify: { unit: string; cardId: string } | null = null;
  /** The units the backend knows (GET /units), offered in the interview form. */
  let knownUnits: string[] = [];
  const rerender = () => void render();

  async function render(): Promise<void> {
    const current = ctx.fresh();
    const env = ctx.env;
    clear(
      ctx.view,
      cardReason
        ? reasonForm(
            ctx,
            cardReason,
            (issued) => ((cardReason = issued ? null : cardReason), rerender()),
            () => ((cardReason = null), rerender()),
          )
        : null,
      rectify
        ? rectificationForm(
            ctx,
            rectify,
            (recorded) => ((rectify = recorded ? null : rectify), rerender()),
            () => ((rectify = null), rerender()),
          )
        : null,
      interviewForm(ctx, interviewUnit ?? '', knownUnits, (recorded) => {
        if (recorded) interviewUnit = null;
        rerender();
      }),
      h('h2', {}, '单位亮牌情况'),
      h('p', { class: 'muted', id: 'units-loading' }, '正在读取…'),
    );
    const retry = rerender;
    const api = await ctx.load('读取亮牌情况失败', async () => env.api(), retry);
    const [units, candidates] = api
      ? await Promise.all([
          ctx.load('读取亮牌情况失败', () => api.units(env.today()), retry),
          ctx.load('读取亮牌候选失败', () => api.candidateReport(ctx.ledgerId(), env.today()), retry),
        ])
      : [null, null];
    if (!current()) return;
    ctx.view.querySelector('#units-loading')?.remove();
    if (units) {
      knownUnits = units.map((u) => u.unit);
      const list = ctx.view.querySelector('#known-units');
      if (list)
        clear(
          list as HTMLElement,
          knownUnits.map((u) => h('option', { value: u })),
        );
    }
    // R12: every red unit's four follow-up actions, as the backend keeps them (any clerk, any reload).
    ctx.view.prepend(
      ...(units ?? []).filter((u) => u.state === 'red').map((u) => redChecklist(ctx, u, rerender)),
    );
    ctx.view.append(
      unitList(units),
      h('h2', {}, '亮牌候选（系统提出，确认后生效）'),
      candidateList(candidates),
      ...[undeliveredList(candidates?.undelivered ?? null)].filter((e): e is HTMLElement => e !== null),
    );
  }

  function unitList(units: UnitView[] | null): HTMLElement {
    if (units === null) return h('p', { class: 'muted' }, '未能读取单位亮牌情况。');
    const shown = shownUnits(units);
    if (shown.length === 0) return h('p', { class: 'muted', id: 'units' }, '本年度尚无单位被亮牌。');
    const colors = ctx.env.settings.cardColors;
    return h(
      'ul',
      { class: 'list', id: 'units' },
      shown.map((u) => {
        const awaiting = awaitingRectification(u);
        return h(
          'li',
          { 'data-unit': u.unit },
          h(
            'span',
            {
              class: `chip ${u.state}`,
              style: u.state === 'none' ? undefined : `background:${colors[u.state]}`,
            },
            stateName(u.state),
          ),
          h(
            'span',
            { class: 'grow' },
            u.unit,
            h('br'),
            h('span', { class: 'muted small' }, unitSummary(u)),
            ...letterCards(u).map((c) =>
              h(
                'button',
                {
                  class: 'link small',
                  'data-document': c.docNo!,
                  onclick: () => download(ctx, '正在生成文书…', () => ctx.env.api().cardDocument(c.id)),
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
                onclick: () => ((interviewUnit = u.unit), rerender()),
              },
              '约谈',
            ),
            awaiting
              ? h(
                  'button',
                  {
                    class: 'link',
                    'data-rectify': u.unit,
                    'aria-label': `登记${u.unit}的整改报告`,
                    onclick: () => ((rectify = { unit: u.unit, cardId: awaiting.id }), rerender()),
                  },
                  '整改',
                )
              : null,
          ),
        );
      }),
    );
  }

  /** A candidate's findings, each with its evidence (which prompt, sent when, over which channel, due when; which cell). */
  function evidenceList(c: CandidateView): HTMLElement | null {
    if (c.details.length === 0) return null;
    const { shown, more } = firstOf(c.details, EVIDENCE_SHOWN);
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
    const rows = candidateRows(report);
    if (rows.length === 0) return h('p', { class: 'muted', id: 'candidates' }, '暂无候选。');
    const confirm = (c: CandidateView) =>
      void ctx.act(
        '正在亮牌…',
        () =>
          issueCardsFor(ctx.env, c.color, [
            {
              unit: c.unit,
              taskIds: c.taskIds,
              reason: c.reason,
              requestId: ctx.requestIdFor(['card', c.color, c.unit, c.reason, c.taskIds]),
            },
          ]),
        rerender,
      );
    return h(
      'ul',
      { class: 'list', id: 'candidates' },
      rows.map(({ candidate: c, carded }) =>
        h(
          'li',
          { 'data-candidate': `${c.color}|${c.unit}|${c.reason}` },
          h(
            'span',
            { class: `chip ${c.color}`, style: `background:${ctx.env.settings.cardColors[c.color]}` },
            STATE_NAME[c.color]!,
          ),
          h('span', { class: 'grow' }, `${c.unit}：${c.reason}`, evidenceList(c)),
          carded
            ? h('button', { class: 'btn', disabled: true, 'data-carded': c.unit }, '已亮牌')
            : h('button', { class: 'btn', onclick: () => confirm(c) }, '确认'),
        ),
      ),
    );
  }

  /**
   * R9: prompts that never reached their unit are the office's problem, not the unit's: listed here with
   * the cause (该单位无可用渠道，提示未送达) and never proposed as a late report.
   */
  function undeliveredList(list: UndeliveredPrompt[] | null): HTMLElement | null {
    if (!list || list.length === 0) return null;
    const { shown, more } = firstOf(list, UNDELIVERED_SHOWN);
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
        shown.map((u) =>
          h(
            'li',
            { 'data-undelivered': u.unit },
            h(
              'span',
              { class: 'grow' },
              `${u.unit}：${u.message}`,
              h('br'),
              h('span', { class: 'small muted' }, undeliveredLine(u)),
            ),
          ),
        ),
        more > 0 ? h('li', { class: 'muted' }, `另有 ${more} 条`) : null,
      ),
    );
  }

  return {
    render,
    askReason(request) {
      cardReason = request;
    },
    askInterview(unit) {
      interviewUnit = unit;
    },
  };
}
