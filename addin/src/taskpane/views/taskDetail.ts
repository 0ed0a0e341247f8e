// 节点与指标 (R6, R7), in the 台账 view: the tasks the clerk asked about (by 督办编号 or the selected
// rows) as the backend has them, a 5★ task's milestones to tick, a 4★ target's kind to set.
import type { Settings } from '../../../../shared/settings.js';
import { BackendError, type TaskView } from '../../api/client.js';
import { failure, selectedTaskRefs } from '../../commands/actions.js';
import type { PaneContext } from '../context.js';
import { h, value } from '../dom.js';
import { milestoneLine, targetKindLine, TARGET_KIND_NAME } from '../taskDetail.js';

interface Detail {
  ledgerId: string;
  tasks: TaskView[];
  settings: Settings;
}

/** The 节点与指标 card; `changed` re-renders the view that holds it after a load or a change. */
export function taskDetailPanel(ctx: PaneContext, changed: () => void): { element(): HTMLElement } {
  let detail: Detail | null = null;

  /** Reads the tasks `ids` from the backend (GET /tasks) with the settings that decide a target's kind. */
  async function loadDetail(ids: string[]): Promise<void> {
    const id = ctx.ledgerId();
    const got = await ctx.load(
      '读取任务失败',
      async () => {
        const [tasks, settings] = await Promise.all([ctx.env.api().tasks(id), ctx.env.api().settings()]);
        return { tasks, settings };
      },
      () => void loadDetail(ids),
    );
    if (!got) return;
    const wanted = new Set(ids.map((i) => i.toUpperCase()));
    const tasks = got.tasks.filter((t) => wanted.has(t.id.toUpperCase()));
    if (tasks.length === 0) {
      ctx.showStatus({
        level: 'error',
        text: `台账 ${id} 中没有督办编号为 ${ids.join('、')} 的任务（请先同步台账，或核对督办编号）。`,
      });
      return;
    }
    detail = { ledgerId: id, tasks, settings: got.settings };
    changed();
  }

  function element(): HTMLElement {
    const d = detail;
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
              void selectedTaskRefs(ctx.env)
                .then((refs) => {
                  const ids = refs.map((r) => r.id).filter(Boolean);
                  if (ids.length === 0)
                    ctx.showStatus({
                      level: 'error',
                      text: '所选行没有督办编号，请先同步台账后再选择任务行。',
                    });
                  else void loadDetail(ids);
                })
                .catch((e) => ctx.showStatus(failure(e))),
          },
          '按所选行',
        ),
      ),
      d ? d.tasks.map((t) => taskDetail(t, d)) : null,
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const no = value(form, 'taskNo').trim();
      if (!no)
        ctx.showStatus({ level: 'error', text: '请填写督办编号，或选中台账中的任务行后点“按所选行”。' });
      else void loadDetail([no]);
    });
    return form;
  }

  function clerkName(): string {
    const name = ctx.env.prefs().clerk.trim();
    if (!name) throw new BackendError('config', '请先在督办面板的“设置”中填写经办人姓名。');
    return name;
  }

  function taskDetail(t: TaskView, d: Detail): HTMLElement {
    const today = ctx.env.today();
    const tick = (milestone: string, done: boolean) =>
      void ctx.act(
        done ? '正在登记节点完成…' : '正在取消节点完成…',
        async () => {
          const res = await ctx.env
            .api()
            .tickMilestone({ ledgerId: d.ledgerId, taskId: t.id, milestone, done, by: clerkName() });
          t.milestones = res.milestones;
          return {
            level: 'success' as const,
            text: res.changed.length
              ? `${t.id}：节点“${milestone}”已${done ? '标为完成' : '取消完成'}，已记入历史。`
              : `${t.id}：节点“${milestone}”原已${done ? '完成' : '未完成'}，未作改动。`,
          };
        },
        // The list shows what the backend answered; a refused tick (409 of a ledger mark) reverts.
        changed,
      );
    const setKind = (kind: string) =>
      void ctx.act(
        '正在设定指标类型…',
        async () => {
          const res = await ctx.env.api().setTargetKind({
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
        changed,
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

  return { element };
}
