// R21's 附件 to the 督检汇总报告: per lead unit, in rank order, its rank and score, its tasks (star,
// deadline, state), its feedback (who reported, who is late, what they said), lagging and overdue
// tasks, milestone slips (R7) and its cards. The numbers are the rules' (roundupReport()); this file
// decides the wording.
import type { CardEvent, IsoDate, MilestoneSource } from '../model.js';
import type { RoundupFeedbackLine, RoundupUnit } from '../rules/roundup.js';
import { chineseDate, chineseNumber, formatFigure, starsText, type Block } from './content.js';

const COLOR_NAME: Record<CardEvent['color'], string> = { yellow: '黄牌', orange: '橙牌', red: '红牌' };
export const STATE_NAME: Record<RoundupUnit['state'], string> = {
  none: '无',
  yellow: '黄牌',
  orange: '橙牌',
  red: '红牌',
};
const FEEDBACK_STATUS: Record<RoundupFeedbackLine['status'], string> = {
  onTime: '按时反馈',
  late: '逾期反馈',
  missing: '未反馈',
  pending: '未到截止',
};

export function cardsCount(cards: CardEvent[], color: CardEvent['color']): number {
  return cards.filter((c) => c.color === color).length;
}

/** 黄牌1张、橙牌1张 — or 无. */
export function cardsSummary(cards: CardEvent[]): string {
  const parts = (['yellow', 'orange', 'red'] as const)
    .map((c) => [c, cardsCount(cards, c)] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${COLOR_NAME[c]}${n}张`);
  return parts.length ? parts.join('、') : '无';
}

/** How a task is named in running text: 第3项“任务” (the ledger's 序号 when it has one). */
function taskRef(no: string | null, title: string | null, id: string): string {
  const name = title ? `“${title}”` : `督办编号${id}`;
  return no ? `第${no}项${name}` : name;
}

export function unitSection(u: RoundupUnit, index: number, asOf: IsoDate): Block[] {
  const blocks: Block[] = [];
  const titleOf = new Map(u.tasks.map((t) => [t.id, t.title]));
  const closed = u.tasks.filter((t) => t.closed).length;
  const overdueIds = new Set(u.overdue.map((o) => o.taskId));
  const laggingIds = new Set(u.lagging.map((l) => l.taskId));
  const slipIds = new Set(u.slips.map((s) => s.taskId));
  blocks.push({
    kind: 'heading',
    level: 2,
    text: `（${chineseNumber(index + 1)}）${u.unit}（${rankText(u)}）`,
  });
  blocks.push({
    kind: 'paragraph',
    text: `承担重点工作${u.tasks.length}项，已销号${closed}项；超期未完成${u.overdue.length}项，进度滞后${u.lagging.length}项，节点滞后${u.slips.length}个。`,
  });
  if (u.tasks.length)
    blocks.push({
      kind: 'table',
      columns: [
        { title: '序号', width: 8, align: 'center', nowrap: true },
        { title: '工作任务', width: 46 },
        { title: '星级', width: 10, align: 'center', nowrap: true },
        { title: '完成时限', width: 18, align: 'center', nowrap: true },
        { title: '状态', width: 12, align: 'center' },
      ],
      rows: u.tasks.map((t, i) => [
        t.no ?? String(i + 1),
        t.title ?? `督办编号${t.id}`,
        starsText(t.stars),
        t.deadline.text.trim() || (t.deadline.date ? chineseDate(t.deadline.date) : '—'),
        t.closed
          ? '已销号'
          : overdueIds.has(t.id)
            ? '超期未完成'
            : laggingIds.has(t.id)
              ? '进度滞后'
              : slipIds.has(t.id)
                ? '节点滞后'
                : '推进中',
      ]),
    });

  const f = u.feedback;
  blocks.push({
    kind: 'paragraph',
    text: f.expected
      ? `反馈情况：本期提示${f.expected}项次，按时反馈${f.onTime}项次，逾期反馈${f.late}项次，未反馈${f.missing}项次${f.pending ? `，未到反馈截止${f.pending}项次` : ''}。`
      : '反馈情况：本期无提示事项。',
  });
  if (f.lines.length)
    blocks.push({
      kind: 'table',
      columns: [
        { title: '序号', width: 7, align: 'center', nowrap: true },
        { title: '工作任务', width: 27 },
        { title: '反馈截止', width: 15, align: 'center', nowrap: true },
        { title: '情况', width: 13, align: 'center' },
        { title: '反馈内容', width: 38 },
      ],
      rows: f.lines.map((l) => [
        l.taskNo ?? '—',
        titleOf.get(l.taskId) ?? `督办编号${l.taskId}`,
        chineseDate(l.feedbackDue),
        l.status === 'late' && l.receivedOn
          ? `${FEEDBACK_STATUS.late}（${chineseDate(l.receivedOn)}）`
          : FEEDBACK_STATUS[l.status],
        [l.text?.trim() || '', l.value !== null ? `（报送数值：${l.value}）` : ''].join('').trim() || '—',
      ]),
    });

  if (u.lagging.length)
    blocks.push({
      kind: 'paragraph',
      text: `进度滞后：${u.lagging
        .map(
          (l) =>
            `${taskRef(l.taskNo, titleOf.get(l.taskId) ?? null, l.taskId)}截至${chineseDate(l.checkpoint)}应完成${formatFigure(l.expected, l.unit ?? null)}${l.unit ?? ''}，实报${formatFigure(l.reported, l.unit ?? null)}${l.unit ?? ''}`,
        )
        .join('；')}。`,
    });
  if (u.overdue.length)
    blocks.push({
      kind: 'paragraph',
      text: `超期未完成：${u.overdue
        .map(
          (o) =>
            `${taskRef(o.taskNo, titleOf.get(o.taskId) ?? null, o.taskId)}（完成时限${chineseDate(o.deadline)}）`,
        )
        .join('；')}。`,
    });
  if (u.slips.length)
    blocks.push({
      kind: 'paragraph',
      text: `节点滞后：${u.slips
        .map(
          (s) =>
            `${taskRef(s.taskNo, titleOf.get(s.taskId) ?? null, s.taskId)}的节点“${s.milestone.text}”${s.milestone.date ? `（${chineseDate(s.milestone.date)}）` : ''}`,
        )
        .join('；')}。`,
    });

  // R7: every 5★ milestone with its state, as a table (a row each), after a line of counts.
  const withMilestones = u.tasks.filter((t) => t.milestones.length > 0);
  if (withMilestones.length) {
    const all = withMilestones.flatMap((t) => t.milestones);
    const count = (state: string) => all.filter((m) => m.state === state).length;
    const parts = (
      [
        ['已完成', 'done'],
        ['已过期限未完成', 'slipped'],
        ['未到期', 'pending'],
        ['未定期限', 'undated'],
      ] as const
    )
      .map(([name, state]) => [name, count(state)] as const)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${name}${n}个`);
    blocks.push({
      kind: 'paragraph',
      text: `重大项目节点：共${all.length}个，${parts.join('，')}。`,
    });
    blocks.push({
      kind: 'table',
      columns: [
        { title: '工作任务', width: 30 },
        { title: '节点', width: 24 },
        { title: '时限', width: 16, align: 'center', nowrap: true },
        { title: '完成情况', width: 24 },
      ],
      rows: withMilestones.flatMap((t) =>
        t.milestones.map((m, i) => [
          i === 0 ? taskRef(t.no, t.title, t.id) : '',
          m.text,
          m.date ? chineseDate(m.date) : '未定期限',
          milestoneText(m),
        ]),
      ),
    });
  }

  const cardLines = u.cards.map(
    (c) =>
      `${chineseDate(c.date)}${c.reason ? `因${c.reason}` : ''}被亮${COLOR_NAME[c.color]}${c.docNo ? `（${c.docNo}）` : ''}`,
  );
  const extra = [
    u.interviews ? `年内被约谈${u.interviews}次` : '',
    u.rectificationOverdue ? `截至${chineseDate(asOf)}橙牌整改已逾期，尚未报送整改情况` : '',
  ].filter(Boolean);
  blocks.push({
    kind: 'paragraph',
    text: cardLines.length
      ? `亮牌情况：${cardLines.join('；')}；当前牌色为${STATE_NAME[u.state]}${extra.length ? `，${extra.join('，')}` : ''}。`
      : `亮牌情况：年内未被亮牌${extra.length ? `，${extra.join('，')}` : ''}。`,
  });
  return blocks;
}

const MILESTONE_SOURCE: Record<MilestoneSource, string> = {
  ledger: '台账标注',
  feedback: '单位反馈',
  office: '督查室确认',
};

/**
 * R7: a milestone's state on the round's day: 已完成 with the day, who and the source that said so;
 * 已过期限未完成 (a slip); 未到期; 未定期限.
 */
function milestoneText(m: RoundupUnit['tasks'][number]['milestones'][number]): string {
  if (m.state === 'done') {
    const how = [
      m.doneOn ? `${chineseDate(m.doneOn)}完成` : '',
      m.doneBy ?? '',
      m.doneSource ? MILESTONE_SOURCE[m.doneSource] : '',
    ].filter(Boolean);
    return `已完成${how.length ? `（${how.join('，')}）` : ''}`;
  }
  if (m.state === 'slipped') return '已过期限未完成';
  if (m.state === 'pending') return '未到期';
  return '未定期限';
}

/** 第1名，得分98.00 — or, for a unit listed apart, 本期无到期任务，不参与排名. */
function rankText(u: RoundupUnit): string {
  return u.rank === null ? '本期无到期任务，不参与排名' : `第${u.rank}名，得分${u.scoreText}`;
}
