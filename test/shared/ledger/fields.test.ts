import { describe, expect, it } from 'vitest';
import {
  columnLetter,
  excelSerialToIsoDate,
  isoDateToExcelSerial,
  parentOfNo,
  isItemNumber,
  parseCategory,
  parseClosed,
  parseDeadline,
  parseMilestones,
  parseStars,
  parseTarget,
  splitUnits,
} from '../../../shared/ledger/index.js';

describe('Excel serial dates', () => {
  it('R4: serials convert both ways (46022 is 2025-12-31; the 1900 leap-year bug is honoured)', () => {
    expect(excelSerialToIsoDate(46022)).toBe('2025-12-31');
    expect(excelSerialToIsoDate(46203)).toBe('2026-06-30');
    expect(excelSerialToIsoDate(46203.75)).toBe('2026-06-30');
    expect(excelSerialToIsoDate(1)).toBe('1900-01-01');
    expect(excelSerialToIsoDate(59)).toBe('1900-02-28');
    expect(excelSerialToIsoDate(61)).toBe('1900-03-01');
    expect(isoDateToExcelSerial('2026-06-30')).toBe(46203);
    expect(isoDateToExcelSerial('1900-01-01')).toBe(1);
    expect(isoDateToExcelSerial('1900-03-01')).toBe(61);
    for (const d of ['2024-02-29', '2026-01-01', '2026-12-31', '2099-07-15'])
      expect(excelSerialToIsoDate(isoDateToExcelSerial(d))).toBe(d);
  });

  it('R4: column letters name sheet columns (A, Z, AA, AZ, BA)', () => {
    expect([0, 4, 25, 26, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'E',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('deadlines', () => {
  const date = (v: string | number, year = 2026) => parseDeadline(v, year);

  it.each([
    ['2026年6月30日', '2026-06-30'],
    ['2026.6.30', '2026-06-30'],
    ['2026-06-30', '2026-06-30'],
    ['2026/6/30', '2026-06-30'],
    ['2026年6月底前', '2026-06-30'],
    ['6月底前', '2026-06-30'],
    ['年底前', '2026-12-31'],
    ['2026年12月底前', '2026-12-31'],
    ['2026年9月30日前', '2026-09-30'],
    ['2026年10月', '2026-10-31'],
    ['6月30日前', '2026-06-30'],
    ['2月底前', '2026-02-28'],
    ['2026年底前', '2026-12-31'],
    ['年内完成', '2026-12-31'],
    ['2026年10月15日前完成', '2026-10-15'],
    ['１０月底前', '2026-10-31'],
    ['十月底前', '2026-10-31'],
    ['2026年 6 月 30 日', '2026-06-30'],
    ['2026-06-30 00:00:00', '2026-06-30'],
    ['2026年三季度末', '2026-09-30'],
    ['上半年', '2026-06-30'],
    ['6月中旬', '2026-06-20'],
    ['2026年3月至6月', '2026-06-30'],
    ['2026年6月底前完成初步设计', '2026-06-30'],
    ['3月底前启动，12月底前全面完成', '2026-12-31'],
  ])('R4: %s → %s', (text, iso) => {
    expect(date(text)).toEqual({ text: text.trim(), date: iso, recurrence: null });
  });

  it('R4: the ledger year fills a deadline that has none (6月底前 in a 2025 ledger is 2025-06-30)', () => {
    expect(date('6月底前', 2025).date).toBe('2025-06-30');
    expect(date('年底前', 2027).date).toBe('2027-12-31');
    expect(date('2月底前', 2028).date).toBe('2028-02-29');
  });

  it('R4: an Excel serial number is a date, and its text is the date', () => {
    expect(date(46203)).toEqual({ text: '2026-06-30', date: '2026-06-30', recurrence: null });
  });

  it.each([
    ['每月', 'monthly'],
    ['每月25日前', 'monthly'],
    ['按月报送', 'monthly'],
    ['每季度', 'quarterly'],
    ['每季度末', 'quarterly'],
    ['长期坚持', 'ongoing'],
    ['长期', 'ongoing'],
    ['持续推进', 'ongoing'],
  ])('R4: recurring term %s → %s', (text, recurrence) => {
    expect(date(text)).toEqual({ text, date: null, recurrence });
  });

  it.each([
    ['6月底前建立长效机制', '2026-06-30'],
    ['2026年底前完成持续整治', '2026-12-31'],
    ['2026年6月30日前\n2026年9月30日前', '2026-09-30'],
    ['2026年6月30日前\r\n2026年9月30日前', '2026-09-30'],
    ['3月、6月、9月、12月底前', '2026-12-31'],
  ])('R4: %j is read by its (last) date, not as a standing term or its first date', (text, expected) => {
    expect(date(text)).toEqual({ text, date: expected, recurrence: null });
  });

  it('R4: four digits that are not a plausible year (1130) are not a deadline; 2026 still is', () => {
    expect(date('1130')).toEqual({ text: '1130', date: null, recurrence: null });
    expect(date('1130年6月30日').date).toBeNull();
    expect(date('2026').date).toBe('2026-12-31');
  });

  it.each(['尽快', '2026年13月', '2月30日前', '下步', 'TRUE', '3'])(
    'R1: %s cannot be read (no date, no recurrence)',
    (text) => {
      const d = date(text);
      expect(d.text).toBe(text);
      expect(d.date).toBeNull();
      expect(d.recurrence).toBeNull();
    },
  );

  it('R1: an empty cell is an empty deadline', () => {
    expect(parseDeadline(null, 2026)).toEqual({ text: '', date: null, recurrence: null });
    expect(parseDeadline('  　', 2026)).toEqual({ text: '', date: null, recurrence: null });
  });
});

describe('stars, kinds and status', () => {
  it.each([
    ['★★★★', 4],
    ['★★★☆☆', 3],
    ['☆☆☆☆☆', 5],
    ['4星', 4],
    ['四星', 4],
    ['五星级', 5],
    ['4', 4],
    [4, 4],
    ['4★', 4],
    ['★4', 4],
    ['３星', 3],
    [' ★★★ ', 3],
  ] as const)('R5: stars written %s → %i', (v, n) => {
    expect(parseStars(v)).toBe(n);
  });

  it.each(['★★', '6星', '二星', 7, 4.5, '很重要', '', null])('R5: %s is not a 3–5 star rating', (v) => {
    expect(parseStars(v)).toBeNull();
  });

  it('R5: kinds — 常规性/常规 → routine, (明确)指标类 → indicator, 重大项目(建设类) → major', () => {
    expect(['常规性', '常规', '常规性工作'].map(parseCategory)).toEqual(['routine', 'routine', 'routine']);
    expect(['指标类', '明确指标类'].map(parseCategory)).toEqual(['indicator', 'indicator']);
    expect(['重大项目建设类', '重大项目'].map(parseCategory)).toEqual(['major', 'major']);
    expect(parseCategory('其他')).toBeNull();
    expect(parseCategory('')).toBeNull();
  });

  it('R3: 已完成/已销号/销号 close a task; 未完成, 待销号 and progress text do not', () => {
    for (const s of ['已完成', '已销号', '销号', '完成', '已销号（3月10日）'])
      expect(parseClosed(s), s).toBe(true);
    for (const s of ['未完成', '待销号', '正在推进', '', '不能销号']) expect(parseClosed(s), s).toBe(false);
  });

  it('R3: a progress note that mentions completion does not close the task (已完成前期手续，正在施工)', () => {
    for (const s of ['已完成前期手续，正在施工', '已完成投资1.2亿元，占年度计划的40%', '已办结3件，剩余2件'])
      expect(parseClosed(s), s).toBe(false);
    for (const s of ['已完成。', ' 已 销号 ', '是', '√', '已销号（2026-03-20）已完成年度目标，见验收报告'])
      expect(parseClosed(s), s).toBe(true);
  });
});

describe('task numbers', () => {
  it('R2: 3-2, 3.2, 3（2）, 3(2), 3－2 name their parent 3; 3-2-1 names 3-2; plain numbers have none', () => {
    expect(['3-2', '3.2', '3（2）', '3(2)', '3－2', '3．2', '12-10'].map(parentOfNo)).toEqual([
      '3',
      '3',
      '3',
      '3',
      '3',
      '3',
      '12',
    ]);
    expect(parentOfNo('3-2-1')).toBe('3-2');
    expect(parentOfNo('3')).toBeNull();
    expect(parentOfNo('（2）')).toBeNull();
  });

  it('R2: （2）, (2), 2）, ② are item numbers of the task above', () => {
    for (const s of ['（2）', '(2)', '2）', '②', '（ 2 ）']) expect(isItemNumber(s), s).toBe(true);
    for (const s of ['2', '3-2', '（二）', '一']) expect(isItemNumber(s), s).toBe(false);
  });
});

describe('milestones and targets', () => {
  it('R7: 时间节点 splits into dated milestones (；;，, line breaks), the year is the ledger year', () => {
    expect(parseMilestones('3月底前完成立项；5月底前取得施工许可；6月底前开工建设', 2026)).toEqual([
      { date: '2026-03-31', text: '完成立项' },
      { date: '2026-05-31', text: '取得施工许可' },
      { date: '2026-06-30', text: '开工建设' },
    ]);
    expect(parseMilestones('4月底前完成招标;5月15日前开工，\n9月底前完成管网铺设', 2025)).toEqual([
      { date: '2025-04-30', text: '完成招标' },
      { date: '2025-05-15', text: '开工' },
      { date: '2025-09-30', text: '完成管网铺设' },
    ]);
    expect(parseMilestones('1. 2026年7月20日：完成验收\n2. 年底前投产', 2026)).toEqual([
      { date: '2026-07-20', text: '完成验收' },
      { date: '2026-12-31', text: '投产' },
    ]);
  });

  it('R7: a milestone without a readable date is kept, dated null', () => {
    expect(parseMilestones('尽快完成设计；6月底前开工', 2026)).toEqual([
      { date: null, text: '尽快完成设计' },
      { date: '2026-06-30', text: '开工' },
    ]);
    expect(parseMilestones('', 2026)).toEqual([]);
  });

  it('R6: targets from titles: 城镇新增就业1200人, 一般公共预算收入完成3.2亿元, 增长6%以上', () => {
    expect(parseTarget('城镇新增就业1200人', true)).toEqual({ value: 1200, unit: '人' });
    expect(parseTarget('一般公共预算收入完成3.2亿元', true)).toEqual({ value: 3.2, unit: '亿元' });
    expect(parseTarget('地区生产总值增长6%以上', true)).toEqual({ value: 6, unit: '%' });
    expect(parseTarget('建设高标准农田5万亩', true)).toEqual({ value: 5, unit: '万亩' });
    expect(parseTarget('参保率达到９５％', true)).toEqual({ value: 95, unit: '%' });
    expect(parseTarget('巩固拓展脱贫攻坚成果', true)).toBeNull();
  });

  it('R6: targets from a target column: 1200, "1,200人", "3.2亿元", "15 家以上"', () => {
    expect(parseTarget(1200)).toEqual({ value: 1200, unit: '' });
    expect(parseTarget('1,200人')).toEqual({ value: 1200, unit: '人' });
    expect(parseTarget('3.2亿元')).toEqual({ value: 3.2, unit: '亿元' });
    expect(parseTarget('15 家以上')).toEqual({ value: 15, unit: '家' });
    expect(parseTarget('')).toBeNull();
  });
});

describe('unit lists', () => {
  it('R4: a cell of several units is a list (、，, ; ； / and line breaks), trimmed, no empties', () => {
    expect(splitUnits('县财政局、县税务局')).toEqual(['县财政局', '县税务局']);
    expect(splitUnits('县财政局，县税务局,县统计局;县工信局；县商务局')).toEqual([
      '县财政局',
      '县税务局',
      '县统计局',
      '县工信局',
      '县商务局',
    ]);
    expect(splitUnits('县财政局\n县税务局\r\n　县医保局　')).toEqual(['县财政局', '县税务局', '县医保局']);
    expect(splitUnits('县财政局/县税务局、、')).toEqual(['县财政局', '县税务局']);
    expect(splitUnits('各乡（镇）人民政府')).toEqual(['各乡（镇）人民政府']);
    expect(splitUnits(null)).toEqual([]);
    expect(splitUnits('  ')).toEqual([]);
  });
});
