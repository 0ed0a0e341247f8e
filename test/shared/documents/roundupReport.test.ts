// The round-up report (督检汇总报告) as content, from a real roundupReport(): R21 per unit, R20 in rank order.
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../../shared/calendar.js';
import { DEFAULT_SETTINGS } from '../../../shared/settings.js';
import type { Deadline, Feedback, Reminder, UnitEvent } from '../../../shared/model.js';
import { roundupReport, type RoundupTask } from '../../../shared/rules/roundup.js';
import { roundupDocument, type Block, type DocumentContent } from '../../../shared/documents/index.js';

const EDU = '县教育局';
const FIN = '县财政局';
const WAT = '县水利局';
const by = (date: string): Deadline => ({ text: '', date, recurrence: null });
const calendar = makeCalendar(DEFAULT_SETTINGS);

const tasks: RoundupTask[] = [
  {
    id: 'E1',
    no: '1',
    title: '校舍安全排查',
    leadUnit: EDU,
    stars: 3,
    closed: false,
    deadline: by('2026-03-31'),
    milestones: [],
  },
  {
    id: 'E2',
    no: '2',
    title: '义务教育优质均衡',
    leadUnit: EDU,
    stars: 3,
    closed: false,
    deadline: by('2026-12-31'),
    milestones: [],
  },
  {
    id: 'F1',
    no: '3',
    title: '预算公开',
    leadUnit: FIN,
    stars: 3,
    closed: true,
    deadline: by('2026-03-31'),
    milestones: [],
  },
  {
    id: 'F2',
    no: '4',
    title: '盘活存量资金',
    leadUnit: FIN,
    stars: 3,
    closed: false,
    deadline: by('2026-12-31'),
    milestones: [],
  },
  {
    id: 'W1',
    no: '5',
    title: '水库除险加固',
    leadUnit: WAT,
    stars: 3,
    closed: false,
    deadline: by('2026-12-31'),
    milestones: [],
  },
];

const reminder = (t: RoundupTask): Reminder => ({
  taskId: t.id,
  taskNo: t.no,
  leadUnit: t.leadUnit as string,
  stars: 3,
  period: '2026-Q1',
  reason: 'quarterly',
  sendOn: '2026-03-17',
  feedbackDue: '2026-03-26',
  roundupOn: '2026-04-08',
});

const feedback: Feedback[] = [
  { taskId: 'F1', unit: FIN, period: '2026-Q1', receivedOn: '2026-03-20', text: '预算已全部公开' },
  {
    taskId: 'F2',
    unit: FIN,
    period: '2026-Q1',
    receivedOn: '2026-03-25',
    text: '已盘活3000万元',
    value: 3000,
  },
  { taskId: 'W1', unit: WAT, period: '2026-Q1', receivedOn: '2026-03-24', text: '主体工程已开工' },
  { taskId: 'E1', unit: EDU, period: '2026-Q1', receivedOn: '2026-03-30', text: '排查过半' },
];

const events: UnitEvent[] = [
  {
    type: 'card',
    unit: EDU,
    color: 'yellow',
    date: '2026-03-27',
    id: 'y1',
    reason: '上报材料不及时',
    docNo: '友政督提〔2026〕1号',
  },
];

const report = roundupReport({
  period: '2026-Q1',
  tasks,
  reminders: tasks.map(reminder),
  feedback,
  events,
  asOf: '2026-04-08',
  settings: DEFAULT_SETTINGS,
  calendar,
});

/** The report's body and its 附件 (the per-unit detail), as a reader reads them one after the other. */
const allBlocks = (c: DocumentContent) => [...c.blocks, ...(c.attachments ?? []).flatMap((a) => a.blocks)];
const paragraphs = (c: DocumentContent) =>
  allBlocks(c).flatMap((b) => (b.kind === 'paragraph' || b.kind === 'heading' ? [b.text] : []));
const tables = (c: DocumentContent) =>
  allBlocks(c).filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');

describe('督检汇总报告 (R21)', () => {
  // Handed over in a scrambled order: the document puts the units in rank order itself.
  const doc = roundupDocument(
    { ...report, units: [...report.units].reverse() },
    { settings: DEFAULT_SETTINGS },
  );

  it('R21: is addressed to the county government, titled with the period and dated with asOf', () => {
    expect(doc.kind).toBe('roundup');
    // R21: a 报告 with its number (prefix a setting; the first quarter's report is number 1).
    expect(doc.docNo).toBe('友政督报〔2026〕1号');
    expect(doc.attachments?.map((a) => a.title)).toEqual(['2026年第一季度各牵头单位重点工作督检情况']);
    expect(doc.title).toBe('关于2026年第一季度重点工作督检情况的汇总报告');
    expect(doc.addressees).toEqual(['县人民政府']);
    expect(doc.fileName).toBe('督检汇总报告（2026年第一季度）.docx');
    expect(doc.signature.dateText).toBe('2026年4月8日');
    expect(paragraphs(doc)[0]).toContain(
      '2026年第一季度（2026年1月1日至2026年3月31日）3个牵头单位承担的5项重点工作',
    );
  });

  it('R20/R21: the ranking table lists the ranked units in rank order with score, both rates and cards', () => {
    const ranking = tables(doc)[0];
    expect(ranking?.columns.map((c) => c.title)).toEqual([
      '排名',
      '牵头单位',
      '得分',
      '按时反馈率',
      '到期任务完成率',
      '亮牌',
      '牌色',
    ]);
    const ranked = report.units.filter((u) => u.rank !== null);
    expect(ranking?.rows.map((r) => [r[0], r[1], r[2]])).toEqual(
      ranked.map((u) => [String(u.rank), u.unit, u.scoreText]),
    );
    // The education bureau: feedback late, its due task overdue, a yellow card: last, 0×40 + 0×60 − 2.
    expect(ranking?.rows.at(-1)).toEqual([
      String(ranked.length),
      EDU,
      '-2.00',
      '0%\n（0/2）',
      '0%\n（0/1）',
      '黄牌1张',
      '黄牌',
    ]);
  });

  it('R20: shows the scoring formula with the weights in force', () => {
    expect(paragraphs(doc).join('\n')).toContain(
      '得分 = 按时反馈率 × 40 + 到期任务完成率 × 60 − 黄牌数 × 2 − 橙牌数 × 5 − 红牌数 × 10',
    );
    // The two rates defined in words, and how ties are ordered.
    expect(paragraphs(doc).join('\n')).toContain('到期任务指完成时限在本期内且截至统计日已届满的任务');
    expect(paragraphs(doc).join('\n')).toContain('按时反馈指在反馈截止日当天或之前收到单位反馈');
    expect(paragraphs(doc).join('\n')).toContain('得分相同的单位并列同一名次');
  });

  it('R21: one section per unit, in rank order, each with its tasks table', () => {
    const headings = allBlocks(doc).flatMap((b) => (b.kind === 'heading' && b.level === 2 ? [b.text] : []));
    const byRank = report.units;
    expect(headings).toEqual(
      byRank.map(
        (u, i) =>
          `（${['一', '二', '三'][i]}）${u.unit}（${u.rank === null ? '本期无到期任务，不参与排名' : `第${u.rank}名，得分${u.scoreText}`}）`,
      ),
    );
    const eduTasks = tables(doc).find(
      (t) => t.rows.some((r) => r[1] === '校舍安全排查') && t.columns[2]?.title === '星级',
    );
    expect(eduTasks?.rows).toEqual([
      ['1', '校舍安全排查', '★★★', '2026年3月31日', '超期未完成'],
      ['2', '义务教育优质均衡', '★★★', '2026年12月31日', '推进中'],
    ]);
    const finTasks = tables(doc).find(
      (t) => t.rows.some((r) => r[1] === '预算公开') && t.columns[2]?.title === '星级',
    );
    expect(finTasks?.rows[0]?.[4]).toBe('已销号');
  });

  it('R19/R21: feedback — who reported, who is late, what they said, the values', () => {
    const text = paragraphs(doc).join('\n');
    expect(text).toContain('反馈情况：本期提示2项次，按时反馈0项次，逾期反馈1项次，未反馈1项次。');
    const eduFeedback = tables(doc).find(
      (t) => t.columns[4]?.title === '反馈内容' && t.rows.some((r) => r[1] === '校舍安全排查'),
    );
    expect(eduFeedback?.rows).toEqual([
      ['1', '校舍安全排查', '2026年3月26日', '逾期反馈（2026年3月30日）', '排查过半'],
      ['2', '义务教育优质均衡', '2026年3月26日', '未反馈', '—'],
    ]);
    const finFeedback = tables(doc).find(
      (t) => t.columns[4]?.title === '反馈内容' && t.rows.some((r) => r[1] === '盘活存量资金'),
    );
    expect(finFeedback?.rows.find((r) => r[1] === '盘活存量资金')?.[4]).toBe(
      '已盘活3000万元（报送数值：3000）',
    );
  });

  it('R21: overdue tasks and cards are named in the unit’s section', () => {
    const text = paragraphs(doc).join('\n');
    expect(text).toContain('超期未完成：第1项“校舍安全排查”（完成时限2026年3月31日）。');
    expect(text).toContain(
      '亮牌情况：2026年3月27日因上报材料不及时被亮黄牌（友政督提〔2026〕1号）；当前牌色为黄牌。',
    );
    expect(text).toContain('亮牌情况：年内未被亮牌。');
  });

  it('R21: the overall figures add up the units', () => {
    const text = paragraphs(doc).join('\n');
    expect(text).toContain('本期共发出工作提示5项次');
    expect(text).toContain('逾期反馈1项次，未反馈1项次，未到反馈截止0项次');
    expect(text).toContain(
      '超期未完成1项，进度滞后0项，节点滞后0个。2026年以来共亮黄牌1张、橙牌0张、红牌0张。',
    );
    expect(text).toMatch(/按时反馈率\d+(\.\d)?%/);
  });

  it('R16: a calendar year the office has not loaded is said in the report', () => {
    const d = roundupDocument({
      ...report,
      notice: '2027年的节假日安排未载入，这些年份按周一至周五计算工作日',
    });
    expect(paragraphs(d)).toContain('说明：2027年的节假日安排未载入，这些年份按周一至周五计算工作日。');
  });
});

describe('督检汇总报告: lagging, slips, an empty round', () => {
  it('R6/R7/R21: a lagging 4★ task and a slipped 5★ milestone are named with the figures the rules computed', () => {
    const r = roundupReport({
      period: '2026-03',
      tasks: [
        {
          id: 'J1',
          no: '8',
          title: '新增就业1200人',
          leadUnit: '县人社局',
          stars: 4,
          closed: false,
          deadline: by('2026-12-31'),
          milestones: [],
          target: { value: 1200, unit: '人' },
          reported: 100,
        },
        {
          id: 'P1',
          no: '9',
          title: '产业园建设',
          leadUnit: '县人社局',
          stars: 5,
          closed: false,
          deadline: by('2026-12-31'),
          milestones: [{ date: '2026-03-20', text: '完成土地征收' }],
        },
      ],
      reminders: [],
      feedback: [],
      events: [],
      asOf: '2026-03-31',
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    // 1200 × 90/365 days = 295.89 expected by 31 March (R6 pro rata), 100 reported: printed as whole people.
    expect(r.units[0]?.lagging[0]).toMatchObject({ checkpoint: '2026-03-31', reported: 100, unit: '人' });
    const text = paragraphs(roundupDocument(r)).join('\n');
    expect(text).toContain('进度滞后：第8项“新增就业1200人”截至2026年3月31日应完成296人，实报100人。');
    expect(text).not.toContain('295.89');
    expect(text).toContain('节点滞后：第9项“产业园建设”的节点“完成土地征收”（2026年3月20日）。');
    const tasksTable = tables(roundupDocument(r)).find((t) => t.columns[2]?.title === '星级');
    expect(tasksTable?.rows.map((row) => row[4])).toEqual(['进度滞后', '节点滞后']);
  });

  it('R7/R21: each 5★ milestone is shown with its state — done (when, who, from where), slipped, pending', () => {
    const r = roundupReport({
      period: '2026-Q2',
      tasks: [
        {
          id: 'P2',
          no: '12',
          title: '城区污水管网改造',
          leadUnit: '县住建局',
          stars: 5,
          closed: false,
          deadline: by('2026-12-31'),
          milestones: [
            {
              date: '2026-03-31',
              text: '完成立项',
              done: true,
              doneOn: '2026-03-28',
              doneBy: '王明',
              doneSource: 'office',
            },
            {
              date: '2026-05-31',
              text: '完成招标',
              done: true,
              doneOn: '2026-05-20',
              doneBy: '县住建局',
              doneSource: 'feedback',
            },
            { date: '2026-06-15', text: '开工建设' },
            { date: '2026-09-30', text: '主体完工' },
            // Done after the round's day: on 30 June it was not yet done, so it still slips then.
            {
              date: '2026-06-20',
              text: '管材进场',
              done: true,
              doneOn: '2026-07-02',
              doneBy: '县住建局',
              doneSource: 'feedback',
            },
          ],
        },
      ],
      reminders: [],
      feedback: [],
      events: [],
      asOf: '2026-06-30',
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    const d = roundupDocument(r);
    const text = paragraphs(d).join('\n');
    expect(text).toContain('重大项目节点：共5个，已完成2个，已过期限未完成2个，未到期1个。');
    const table = tables(d).find((t) => t.columns[1]?.title === '节点');
    expect(table?.columns.map((c) => c.title)).toEqual(['工作任务', '节点', '时限', '完成情况']);
    expect(table?.rows).toEqual([
      [
        '第12项“城区污水管网改造”',
        '完成立项',
        '2026年3月31日',
        '已完成（2026年3月28日完成，王明，督查室确认）',
      ],
      ['', '完成招标', '2026年5月31日', '已完成（2026年5月20日完成，县住建局，单位反馈）'],
      ['', '开工建设', '2026年6月15日', '已过期限未完成'],
      ['', '主体完工', '2026年9月30日', '未到期'],
      // Done after the round's day: on 30 June it was not yet done, so it still slips then.
      ['', '管材进场', '2026年6月20日', '已过期限未完成'],
    ]);
    // The done milestones are no slips: only the two past and undone ones are counted as 节点滞后.
    expect(text).toContain('节点滞后2个');
  });

  it('R21: a round with no lead unit says so instead of an empty table', () => {
    const r = roundupReport({
      period: '2026-Q1',
      tasks: [],
      reminders: [],
      feedback: [],
      events: [],
      asOf: '2026-04-08',
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    const d = roundupDocument(r);
    expect(tables(d)).toEqual([]);
    expect(paragraphs(d)).toContain('本期没有承担重点工作的牵头单位。');
  });
});
