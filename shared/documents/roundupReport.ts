// R21 (and R19, R20): the round-up report (督检汇总报告) the office sends to the county government after
// each round — per lead unit, in rank order: its tasks, feedback (who reported, who is late, what they
// said), lagging and overdue tasks, milestone slips, cards and rank. Built from roundupReport()'s result
// only: the numbers are the rules', this file decides the wording.
import type { CardEvent, IsoDate } from '../model.js';
import type { Settings } from '../settings.js';
import type { RoundupFeedbackLine, RoundupReport, RoundupUnit } from '../rules/roundup.js';
import {
  NOTICE_CITATION,
  OFFICE_NAME,
  chineseDate,
  chineseNumber,
  periodName,
  safeFileName,
  starsText,
  type Block,
  type DocumentContent,
} from './content.js';

export interface RoundupDocumentOptions {
  /** For the scoring formula shown under the ranking (R20 weights in force). */
  settings?: Settings;
  /** 成文日期; default the report's asOf. */
  date?: IsoDate;
  issuer?: string;
  /** 主送; default 县人民政府 (the report goes 报县政府). */
  addressee?: string;
}

const COLOR_NAME: Record<CardEvent['color'], string> = { yellow: '黄牌', orange: '橙牌', red: '红牌' };
const STATE_NAME: Record<RoundupUnit['state'], string> = {
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

function cardsCount(cards: CardEvent[], color: CardEvent['color']): number {
  return cards.filter((c) => c.color === color).length;
}

/** 黄牌1张、橙牌1张 — or 无. */
function cardsSummary(cards: CardEvent[]): string {
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

function unitSection(u: RoundupUnit, index: number, asOf: IsoDate): Block[] {
  const blocks: Block[] = [];
  const titleOf = new Map(u.tasks.map((t) => [t.id, t.title]));
  const closed = u.tasks.filter((t) => t.closed).length;
  const overdueIds = new Set(u.overdue.map((o) => o.taskId));
  const laggingIds = new Set(u.lagging.map((l) => l.taskId));
  const slipIds = new Set(u.slips.map((s) => s.taskId));
  blocks.push({
    kind: 'heading',
    level: 2,
    text: `（${chineseNumber(index + 1)}）${u.unit}（第${u.rank}名，得分${u.scoreText}）`,
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
            `${taskRef(l.taskNo, titleOf.get(l.taskId) ?? null, l.taskId)}截至${chineseDate(l.checkpoint)}应完成${round(l.expected)}，实报${round(l.reported)}`,
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

/** At most two decimals, no trailing zeros: 40, 7.5, 33.33. */
function round(n: number): string {
  return String(Number(n.toFixed(2)));
}

/** R21: the round-up report's content; units in rank order (R20), as roundupReport() ranks them. */
export function roundupDocument(
  report: RoundupReport,
  options: RoundupDocumentOptions = {},
): DocumentContent {
  const issuer = options.issuer ?? OFFICE_NAME;
  const date = options.date ?? report.asOf;
  const units = [...report.units].sort((a, b) => a.rank - b.rank);
  const name = periodName(report.period);
  const sum = (f: (u: RoundupUnit) => number) => units.reduce((n, u) => n + f(u), 0);
  const allCards = units.flatMap((u) => u.cards);
  const year = report.asOf.slice(0, 4);
  const blocks: Block[] = [];

  blocks.push({
    kind: 'paragraph',
    text: `按照${NOTICE_CITATION}要求，县政府督办检查室对${name}（${chineseDate(report.range.start)}至${chineseDate(report.range.end)}）${units.length}个牵头单位承担的${sum((u) => u.tasks.length)}项重点工作进行了督检汇总，统计截至${chineseDate(report.asOf)}。现将有关情况报告如下：`,
  });

  blocks.push({ kind: 'heading', level: 1, text: '一、总体情况' });
  blocks.push({
    kind: 'paragraph',
    text: `本期共提示${sum((u) => u.feedback.expected)}项次，按时反馈${sum((u) => u.feedback.onTime)}项次，逾期反馈${sum((u) => u.feedback.late)}项次，未反馈${sum((u) => u.feedback.missing)}项次，未到反馈截止${sum((u) => u.feedback.pending)}项次。已销号任务${sum((u) => u.tasks.filter((t) => t.closed).length)}项，超期未完成任务${sum((u) => u.overdue.length)}项，进度滞后任务${sum((u) => u.lagging.length)}项，节点滞后${sum((u) => u.slips.length)}个。${year}年以来共亮黄牌${cardsCount(allCards, 'yellow')}张、橙牌${cardsCount(allCards, 'orange')}张、红牌${cardsCount(allCards, 'red')}张。`,
  });

  blocks.push({ kind: 'heading', level: 1, text: '二、排名情况' });
  const w = options.settings?.ranking;
  blocks.push({
    kind: 'paragraph',
    text: w
      ? `按照“排名亮丑”要求，对各牵头单位综合评分排名：得分 = 按时反馈率 × ${round(100 * w.feedbackWeight)} + 到期任务完成率 × ${round(100 * w.completionWeight)} − 黄牌 × ${round(w.yellowPenalty)} − 橙牌 × ${round(w.orangePenalty)} − 红牌 × ${round(w.redPenalty)}（亮牌按年内累计），同分时亮牌少者在前。`
      : '按照“排名亮丑”要求，对各牵头单位综合评分排名如下：',
  });
  if (units.length)
    blocks.push({
      kind: 'table',
      columns: [
        { title: '排名', width: 7, align: 'center', nowrap: true },
        { title: '牵头单位', width: 22 },
        { title: '得分', width: 10, align: 'center', nowrap: true },
        { title: '任务（项）', width: 10, align: 'center' },
        { title: '按时反馈/提示', width: 13, align: 'center' },
        { title: '超期', width: 8, align: 'center' },
        { title: '滞后', width: 8, align: 'center' },
        { title: '亮牌', width: 14, align: 'center' },
        { title: '牌色', width: 8, align: 'center' },
      ],
      rows: units.map((u) => [
        String(u.rank),
        u.unit,
        u.scoreText,
        String(u.tasks.length),
        `${u.feedback.onTime}/${u.feedback.expected}`,
        String(u.overdue.length),
        String(u.lagging.length),
        cardsSummary(u.cards),
        STATE_NAME[u.state],
      ]),
    });
  else blocks.push({ kind: 'paragraph', text: '本期没有承担重点工作的牵头单位。' });

  blocks.push({ kind: 'heading', level: 1, text: '三、各单位情况' });
  units.forEach((u, i) => blocks.push(...unitSection(u, i, report.asOf)));

  if (report.notice) blocks.push({ kind: 'paragraph', text: `说明：${report.notice}。` });

  const dateText = chineseDate(date);
  return {
    kind: 'roundup',
    fileName: `${safeFileName(`督检汇总报告（${name}）`)}.docx`,
    issuer,
    docNo: null,
    title: `关于${name}重点工作督检情况的汇总报告`,
    addressees: [options.addressee ?? '县人民政府'],
    blocks,
    signature: { issuer, date, dateText },
    imprint: { issuer, dateText },
  };
}
