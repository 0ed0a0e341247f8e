// The letters that follow a card, as content: R14 numbers, R8 cited tasks, R11 rectification deadline.
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../../shared/calendar.js';
import { DEFAULT_SETTINGS, makeSettings } from '../../../shared/settings.js';
import { rectificationDeadline } from '../../../shared/rules/cards.js';
import {
  LETTER_FACTS_SHOWN,
  cardLetter,
  chineseDate,
  factSentences,
  chineseNumber,
  noLetterReason,
  periodName,
  safeFileName,
  type Block,
  type DocumentContent,
  type LetterCard,
  type LetterFact,
  type LetterTask,
} from '../../../shared/documents/index.js';

const calendar = makeCalendar(DEFAULT_SETTINGS);
const UNIT = '县住建局';

const tasks: LetterTask[] = [
  {
    id: 'A1',
    no: '3',
    title: '老旧小区改造120个',
    leadUnit: UNIT,
    supportUnits: ['县财政局', '县住建局'],
    deadline: { text: '2026年10月底前', date: '2026-10-31', recurrence: null },
  },
  {
    id: 'A2',
    no: '7',
    title: '城区供热管网改造',
    leadUnit: UNIT,
    supportUnits: ['县财政局', '县发改局'],
    deadline: { text: '', date: '2026-09-30', recurrence: null },
  },
  {
    id: 'B1',
    no: '9',
    title: '水库除险加固',
    leadUnit: '县水利局',
    supportUnits: [],
    deadline: { text: '2026年12月31日', date: '2026-12-31', recurrence: null },
  },
];

const yellow: LetterCard = {
  id: '20260317-yellow-1',
  unit: UNIT,
  color: 'yellow',
  reason: '上报材料不及时',
  taskIds: ['A2', 'A1'],
  date: '2026-03-17',
  docNo: '友政督提〔2026〕7号',
};

const orange: LetterCard = {
  id: '20260302-orange-1',
  unit: UNIT,
  color: 'orange',
  reason: '工作进展缓慢',
  taskIds: ['A1', 'A2'],
  date: '2026-03-02',
  docNo: '友政督警〔2026〕3号',
  rectifyBy: null,
};

const text = (c: DocumentContent) =>
  c.blocks
    .filter((b): b is Extract<Block, { kind: 'paragraph' }> => b.kind === 'paragraph')
    .map((b) => b.text)
    .join('\n');
const tableOf = (c: DocumentContent) =>
  c.blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');

describe('《重点工作督办提示函》 (yellow card)', () => {
  const letter = cardLetter({ card: yellow, tasks, settings: DEFAULT_SETTINGS, calendar });

  it('R14: carries the card’s number, under the office’s 红头, and is saved under that number', () => {
    expect(letter.kind).toBe('tishihan');
    expect(letter.docNo).toBe('友政督提〔2026〕7号');
    expect(letter.issuer).toBe('友谊县人民政府督办检查室');
    expect(letter.title).toBe('重点工作督办提示函');
    expect(letter.fileName).toBe('友政督提〔2026〕7号.docx');
  });

  it('R8: goes to the lead unit only, names the reason and cites the tasks with 序号 and 工作任务 in the card’s order', () => {
    expect(letter.addressees).toEqual([UNIT]);
    expect(text(letter)).toContain('上报材料不及时');
    expect(text(letter)).toContain('友政办发〔2023〕1号');
    expect(text(letter)).toContain('“亮黄牌”');
    const table = tableOf(letter);
    expect(table?.columns.map((c) => c.title)).toEqual(['序号', '台账序号', '工作任务', '完成时限']);
    expect(table?.rows).toEqual([
      ['1', '7', '城区供热管网改造', '2026年9月30日'],
      ['2', '3', '老旧小区改造120个', '2026年10月底前'],
    ]);
  });

  it('R20: tells the unit what the card costs in the ranking (the yellow penalty in force)', () => {
    expect(text(letter)).toContain('每张黄牌扣2分');
    const other = cardLetter({
      card: yellow,
      tasks,
      settings: makeSettings({ ranking: { yellowPenalty: 3 } }),
      calendar,
    });
    expect(text(other)).toContain('每张黄牌扣3分');
  });

  it('R11: a yellow letter is dated with the card’s date (成文日期 2026年3月17日) and has no rectification deadline', () => {
    expect(letter.signature).toEqual({
      issuer: '友谊县人民政府督办检查室',
      date: '2026-03-17',
      dateText: '2026年3月17日',
    });
    expect(letter.imprint.dateText).toBe('2026年3月17日');
    expect(text(letter)).not.toContain('限期整改');
    expect(text(letter)).toContain('特此函告。');
  });

  it('R8: a cited task that left the ledger is still listed, as missing, never dropped', () => {
    const l = cardLetter({
      card: { ...yellow, taskIds: ['A1', 'GONE'] },
      tasks,
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    expect(tableOf(l)?.rows.map((r) => r[2])).toEqual([
      '老旧小区改造120个',
      '（台账中已无此任务，督办编号 GONE）',
    ]);
  });

  it('keeps the clerk’s note as the concrete problem', () => {
    const l = cardLetter({
      card: { ...yellow, note: '3月26日前未报送一季度进展' },
      tasks,
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    expect(text(l)).toContain('具体问题：3月26日前未报送一季度进展');
  });
});

describe('《重点工作督办预警通知书》 (orange card)', () => {
  const notice = cardLetter({ card: orange, tasks, settings: DEFAULT_SETTINGS, calendar });

  it('R14: carries the 预警通知书 number', () => {
    expect(notice.kind).toBe('yujing');
    expect(notice.title).toBe('重点工作督办预警通知书');
    expect(notice.docNo).toBe('友政督警〔2026〕3号');
    expect(notice.fileName).toBe('友政督警〔2026〕3号.docx');
  });

  it('R10: the 预警通知书 goes to the lead unit and the responsible units of the cited tasks (each once, the lead unit first)', () => {
    expect(notice.addressees).toEqual([UNIT, '县财政局', '县发改局']);
    expect(tableOf(notice)?.rows).toEqual([
      ['1', '3', '老旧小区改造120个', '县财政局、县住建局', '2026年10月底前'],
      ['2', '7', '城区供热管网改造', '县财政局、县发改局', '2026年9月30日'],
    ]);
    expect(text(notice)).toContain('相关责任单位（县财政局、县发改局）');
    expect(text(notice)).toContain('特此通知。');
  });

  it('R11: 限期整改 by rectificationDeadline — 10 working days after the card (2026-03-02 → 2026年3月16日)', () => {
    expect(rectificationDeadline('2026-03-02', calendar, DEFAULT_SETTINGS)).toBe('2026-03-16');
    expect(text(notice)).toContain('于2026年3月16日前（10个工作日内）完成整改');
  });

  it('R11: the deadline counts working days over the 清明 holiday, and follows the setting', () => {
    const card = { ...orange, date: '2026-03-27' };
    const byRule = rectificationDeadline('2026-03-27', calendar, DEFAULT_SETTINGS);
    expect(byRule).toBe('2026-04-13');
    expect(text(cardLetter({ card, tasks, settings: DEFAULT_SETTINGS, calendar }))).toContain(
      '于2026年4月13日前（10个工作日内）',
    );
    const five = makeSettings({ rectificationWorkingDays: 5 });
    expect(text(cardLetter({ card, tasks, settings: five, calendar: makeCalendar(five) }))).toContain(
      '于2026年4月3日前（5个工作日内）',
    );
  });

  it('R11: the deadline recorded on the card is the one the letter states', () => {
    const l = cardLetter({
      card: { ...orange, rectifyBy: '2026-03-20' },
      tasks,
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    expect(text(l)).toContain('于2026年3月20日前');
  });

  it('R11: states the interview once it is recorded, and that one is to come before', () => {
    expect(text(notice)).toContain('县政府分管领导将约谈县住建局主要负责人');
    const l = cardLetter({
      card: orange,
      tasks,
      interviews: [
        { type: 'interview', unit: UNIT, date: '2026-03-05', leader: '张副县长', interviewee: '赵局长' },
      ],
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    expect(text(l)).toContain('2026年3月5日，县政府分管领导张副县长约谈了赵局长');
  });

  it('R12: warns that two interviews within a year make the card red', () => {
    expect(text(notice)).toContain('一年内被约谈两次以上的牵头单位将被“亮红牌”');
  });
});

describe('the computed facts in a letter', () => {
  const late = (i: number): LetterFact => ({
    kind: 'feedback',
    taskId: i % 2 ? 'A1' : 'A2',
    period: `2026-${String(i).padStart(2, '0')}`,
    sentOn: '2026-01-13',
    channels: ['短信（13900000000）'],
    feedbackDue: '2026-01-26',
    receivedOn: i === 1 ? '2026-01-30' : null,
  });

  it('R9/R8: a late feedback names when it came; a level target is compared with the target itself', () => {
    const letter = cardLetter({
      card: yellow,
      tasks,
      settings: DEFAULT_SETTINGS,
      calendar,
      facts: [
        late(1),
        {
          kind: 'indicator',
          taskId: 'A2',
          checkpoint: '2026-03-10',
          reported: 88.5,
          expected: 95,
          target: 95,
          unit: '%',
          level: true,
        },
      ],
    });
    expect(text(letter)).toContain(
      '第3项“老旧小区改造120个”：县政府督办检查室2026年1月工作提示已于2026年1月13日通过短信（13900000000）送达你单位，要求于2026年1月26日前反馈进展，你单位2026年1月30日才反馈，已逾期',
    );
    expect(text(letter)).toContain(
      '第7项“城区供热管网改造”：目标为95%，截至2026年3月10日实报88.5%，为目标值的93.2%',
    );
  });

  it('R9/R1: a ledger problem names its row and column once, whether or not the reader’s message already does', () => {
    const said = factSentences(
      { ...yellow, reason: '台账清单不规范' },
      [
        {
          kind: 'ledger-problem',
          taskId: 'A1',
          row: 20,
          column: 'E',
          message: '第20行E列完成时限无法识别：“年底”。',
        },
        { kind: 'ledger-problem', taskId: 'A2', row: 21, column: null, message: '缺少牵头单位' },
      ],
      tasks,
    );
    expect(said).toEqual([
      '第3项“老旧小区改造120个”：台账第20行E列完成时限无法识别：“年底”',
      '第7项“城区供热管网改造”：台账第21行缺少牵头单位',
    ]);
  });

  it(`R8: a card with many late reports states the first ${LETTER_FACTS_SHOWN} and counts the rest, so the letter stays a letter`, () => {
    const facts = Array.from({ length: LETTER_FACTS_SHOWN + 5 }, (_, i) => late(i + 1));
    const said = factSentences(yellow, facts, tasks);
    expect(said).toHaveLength(LETTER_FACTS_SHOWN + 1);
    expect(said.at(-1)).toBe('另有5项同类情况，详见督办台账');
  });
});

describe('red cards and unnumbered cards', () => {
  it('R12: a red card has no letter of the office; the reason says what follows instead', () => {
    expect(noLetterReason('yellow')).toBeNull();
    expect(noLetterReason('orange')).toBeNull();
    expect(noLetterReason('red')).toContain('通报批评');
    expect(() =>
      cardLetter({
        card: { ...orange, color: 'red', docNo: null },
        tasks,
        settings: DEFAULT_SETTINGS,
        calendar,
      }),
    ).toThrow(/红牌不发提示函或预警通知书/);
  });

  it('R14: a yellow card without a number cannot make a letter', () => {
    expect(() =>
      cardLetter({ card: { ...yellow, docNo: null }, tasks, settings: DEFAULT_SETTINGS, calendar }),
    ).toThrow(/没有文号/);
  });
});

describe('wording helpers', () => {
  it('dates in the 公文 style of GB/T 9704-2012: 2026年3月17日', () => {
    expect(chineseDate('2026-03-17')).toBe('2026年3月17日');
    expect(chineseDate('2026-12-01')).toBe('2026年12月1日');
  });

  it('Chinese numbers for headings', () => {
    expect([1, 10, 11, 20, 31, 99].map(chineseNumber)).toEqual([
      '一',
      '十',
      '十一',
      '二十',
      '三十一',
      '九十九',
    ]);
  });

  it('period names as the report says them', () => {
    expect(periodName('2026-Q1')).toBe('2026年第一季度');
    expect(periodName('2026-03')).toBe('2026年3月');
    expect(periodName('2026-W09')).toBe('2026年第9周');
    expect(periodName('2026')).toBe('2026年度');
  });

  it('file names lose the characters Windows refuses', () => {
    expect(safeFileName('a/b:c*d?"e"<f>|g')).toBe('a－b：c＊d？“e“＜f＞｜g');
    expect(safeFileName('友政督提〔2026〕7号')).toBe('友政督提〔2026〕7号');
  });
});
