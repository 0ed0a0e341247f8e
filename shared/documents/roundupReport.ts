// R21 (and R19, R20): the round-up report (督检汇总报告) the office sends to the county government after
// each round: a numbered 报告 — 总体情况 with figures, 排名情况 (the rule in words and the table),
// 存在问题, 下步工作 — with the per-unit detail as its 附件 (roundupUnits.ts). Built from
// roundupReport()'s result only: the numbers are the rules', this file decides the wording.
import type { IsoDate } from '../model.js';
import type { Settings } from '../settings.js';
import type { RoundupReport, RoundupUnit } from '../rules/roundup.js';
import { DEFAULT_SETTINGS } from '../settings.js';
import { TIE_RULE } from '../rules/ranking.js';
import {
  NOTICE_CITATION,
  OFFICE_NAME,
  chineseDate,
  chineseNumber,
  periodName,
  safeFileName,
  type Block,
  type DocumentContent,
} from './content.js';
import { contactNote } from './letter.js';
import { STATE_NAME, cardsCount, cardsSummary, unitSection } from './roundupUnits.js';

export interface RoundupDocumentOptions {
  /** For the scoring formula shown under the ranking (R20 weights in force). */
  settings?: Settings;
  /** 成文日期; default the report's asOf. */
  date?: IsoDate;
  issuer?: string;
  /** 主送; default 县人民政府 (the report goes 报县政府). */
  addressee?: string;
  /**
   * The report's number n in settings.docPrefixes.roundup〔year〕n号; default the period's ordinal in its
   * year (Q1 → 1, March → 3, week 9 → 9, the year's report → 1).
   */
  number?: number;
}

/** At most two decimals, no trailing zeros: 40, 7.5, 33.33. */
function round(n: number): string {
  return String(Number(n.toFixed(2)));
}

const sumOf = (list: RoundupUnit[], n: (u: RoundupUnit) => number) => list.reduce((a, u) => a + n(u), 0);

/** A rate (0–1) as a percentage with at most one decimal: 87.5%. */
function percent(n: number): string {
  return `${Number((n * 100).toFixed(1))}%`;
}

/** The period's ordinal in its year: the default number of its report. */
function periodOrdinal(period: string): number {
  const m = /^\d{4}(?:-(?:Q|W)?(\d{1,2}))?$/.exec(period);
  return m?.[1] ? Number(m[1]) : 1;
}

/** The ranking rule in words: what counts as due and on time, the formula, how ties are ordered. */
function rankingRule(settings: Settings): string {
  const w = settings.ranking;
  return `得分 = 按时反馈率 × ${round(100 * w.feedbackWeight)} + 到期任务完成率 × ${round(100 * w.completionWeight)} − 黄牌数 × ${round(w.yellowPenalty)} − 橙牌数 × ${round(w.orangePenalty)} − 红牌数 × ${round(w.redPenalty)}（亮牌按年内累计）。按时反馈率 = 按时反馈项次 ÷ 应反馈项次（本期发出、反馈截止日已过或已反馈的提示），按时反馈指在反馈截止日当天或之前收到单位反馈；到期任务完成率 = 已销号的到期任务数 ÷ 到期任务数，到期任务指完成时限在本期内且截至统计日已届满的任务。${TIE_RULE}。${w.nothingDue === 'apart' ? '本期既无应反馈提示也无到期任务的单位单独列出，不参与排名。' : `本期无应反馈提示或无到期任务的，相应比率按${round(100 * w.rateWhenNothingDue)}%计。`}`;
}

/** R21: the round-up report's content: a 报告 of a few pages, the per-unit detail as its 附件. */
export function roundupDocument(
  report: RoundupReport,
  options: RoundupDocumentOptions = {},
): DocumentContent {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const issuer = options.issuer ?? OFFICE_NAME;
  const date = options.date ?? report.asOf;
  // Ranked units in rank order (ties as the ranking ordered them), then those listed apart.
  const units = [...report.units].sort(
    (a, b) =>
      (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
      a.cards.length - b.cards.length ||
      a.unit.localeCompare(b.unit, 'zh-CN'),
  );
  const ranked = units.filter((u) => u.rank !== null);
  const apart = units.filter((u) => u.rank === null);
  const name = periodName(report.period);
  const sum = (f: (u: RoundupUnit) => number) => units.reduce((n, u) => n + f(u), 0);
  const allCards = units.flatMap((u) => u.cards);
  const year = report.range.end.slice(0, 4);
  const attachmentTitle = `${name}各牵头单位重点工作督检情况`;
  const blocks: Block[] = [];

  blocks.push({
    kind: 'paragraph',
    text: `按照${NOTICE_CITATION}要求，县政府督办检查室对${name}（${chineseDate(report.range.start)}至${chineseDate(report.range.end)}）${units.length}个牵头单位承担的${sum((u) => u.tasks.length)}项重点工作进行了督检汇总，统计截至${chineseDate(report.asOf)}。现将有关情况报告如下：`,
  });

  blocks.push({ kind: 'heading', level: 1, text: '一、总体情况' });
  const dueTasks = sum((u) => u.due.tasks);
  const doneTasks = sum((u) => u.due.tasksDone);
  const dueFeedback = sum((u) => u.due.feedback);
  const onTime = sum((u) => u.due.feedbackOnTime);
  blocks.push({
    kind: 'paragraph',
    text: `本期共发出工作提示${sum((u) => u.feedback.expected)}项次，其中反馈截止日已过的${dueFeedback}项次，按时反馈${onTime}项次，按时反馈率${dueFeedback ? percent(onTime / dueFeedback) : '—（本期无应反馈提示）'}；逾期反馈${sum((u) => u.feedback.late)}项次，未反馈${sum((u) => u.feedback.missing)}项次，未到反馈截止${sum((u) => u.feedback.pending)}项次。本期到期任务${dueTasks}项，已销号${doneTasks}项，到期任务完成率${dueTasks ? percent(doneTasks / dueTasks) : '—（本期无到期任务）'}；全部任务中已销号${sum((u) => u.tasks.filter((t) => t.closed).length)}项，超期未完成${sum((u) => u.overdue.length)}项，进度滞后${sum((u) => u.lagging.length)}项，节点滞后${sum((u) => u.slips.length)}个。${year}年以来共亮黄牌${cardsCount(allCards, 'yellow')}张、橙牌${cardsCount(allCards, 'orange')}张、红牌${cardsCount(allCards, 'red')}张。`,
  });

  blocks.push({ kind: 'heading', level: 1, text: '二、排名情况' });
  blocks.push({ kind: 'paragraph', text: rankingRule(settings) });
  if (ranked.length)
    blocks.push({
      kind: 'table',
      columns: [
        { title: '排名', width: 6, align: 'center', nowrap: true },
        { title: '牵头单位', width: 24 },
        { title: '得分', width: 8, align: 'center', nowrap: true },
        { title: '按时反馈率', width: 12, align: 'center', nowrap: true },
        { title: '到期任务完成率', width: 12, align: 'center', nowrap: true },
        { title: '亮牌', width: 14, align: 'center' },
        { title: '牌色', width: 8, align: 'center', nowrap: true },
      ],
      rows: ranked.map((u) => [
        String(u.rank),
        u.unit,
        u.scoreText,
        u.due.feedback
          ? `${percent(u.onTimeFeedbackRate)}\n（${u.due.feedbackOnTime}/${u.due.feedback}）`
          : '—',
        u.due.tasks ? `${percent(u.completionRate)}\n（${u.due.tasksDone}/${u.due.tasks}）` : '—',
        cardsSummary(u.cards),
        STATE_NAME[u.state],
      ]),
    });
  else blocks.push({ kind: 'paragraph', text: '本期没有参与排名的牵头单位。' });
  if (apart.length)
    blocks.push({
      kind: 'paragraph',
      text: `${apart.map((u) => u.unit).join('、')}本期无到期任务，不参与排名。`,
    });

  blocks.push({ kind: 'heading', level: 1, text: '三、存在问题' });
  const problems: string[] = [];
  const missing = units.filter((u) => u.feedback.missing > 0);
  /** Units named with their figure, the worst first; beyond four, the rest counted. */
  const named = (list: RoundupUnit[], n: (u: RoundupUnit) => number, unit: string) => {
    const sorted = [...list].sort((a, b) => n(b) - n(a));
    const shown = sorted.slice(0, 4).map((u) => `${u.unit}${n(u)}${unit}`);
    return sorted.length > 4 ? `${shown.join('、')}等${sorted.length}个单位` : shown.join('、');
  };
  if (missing.length)
    problems.push(
      `反馈不及时。${named(missing, (u) => u.feedback.missing, '项次')}截至统计日未反馈，${units.filter((u) => u.feedback.late > 0).length}个单位存在逾期反馈。`,
    );
  const overdue = units.filter((u) => u.overdue.length > 0);
  if (overdue.length)
    problems.push(
      `部分任务超期未完成。${named(overdue, (u) => u.overdue.length, '项')}已过完成时限仍未销号。`,
    );
  const lagging = units.filter((u) => u.lagging.length + u.slips.length > 0);
  if (lagging.length)
    problems.push(
      `部分任务进度滞后。${sumOf(lagging, (u) => u.lagging.length)}项指标低于序时进度，${sumOf(lagging, (u) => u.slips.length)}个节点未按期完成，涉及${named(lagging, (u) => u.lagging.length + u.slips.length, '项（个）')}。`,
    );
  const late = units.filter((u) => u.rectificationOverdue);
  if (late.length) problems.push(`橙牌整改逾期。${late.map((u) => u.unit).join('、')}未按期报送整改情况。`);
  blocks.push(
    ...(problems.length
      ? problems.map((t, i) => ({ kind: 'paragraph' as const, text: `${chineseNumber(i + 1)}是${t}` }))
      : [{ kind: 'paragraph' as const, text: '本期各牵头单位均按时反馈，未发现超期、滞后问题。' }]),
  );

  blocks.push({ kind: 'heading', level: 1, text: '四、下步工作' });
  blocks.push({
    kind: 'paragraph',
    text: `一是持续跟踪督办。对超期未完成、进度滞后的任务，县政府督办检查室将按“赋星”频次加密督查，督促牵头单位倒排工期、限时完成。二是严格“亮牌”管理。对未按时反馈、推进不力的单位，按规定亮牌并下发提示函或预警通知书，一年内被约谈两次以上的单位“亮红牌”。三是落实“排名亮丑”。各单位得分和排名按期通报，作为年度考核的重要依据。`,
  });
  if (report.notice) blocks.push({ kind: 'paragraph', text: `说明：${report.notice}。` });
  blocks.push({ kind: 'paragraph', text: '特此报告。' });

  const detail: Block[] = [];
  units.forEach((u, i) => detail.push(...unitSection(u, i, report.asOf)));
  if (!units.length) detail.push({ kind: 'paragraph', text: '本期没有承担重点工作的牵头单位。' });

  const dateText = chineseDate(date);
  const docNo = `${settings.docPrefixes.roundup}〔${year}〕${options.number ?? periodOrdinal(report.period)}号`;
  return {
    kind: 'roundup',
    fileName: `${safeFileName(`督检汇总报告（${name}）`)}.docx`,
    issuer,
    docNo,
    title: `关于${name}重点工作督检情况的汇总报告`,
    addressees: [options.addressee ?? '县人民政府'],
    blocks,
    signature: { issuer, date, dateText },
    imprint: { issuer, dateText },
    note: contactNote(settings),
    attachments: [{ title: attachmentTitle, blocks: detail }],
  };
}
