import { describe, expect, it } from 'vitest';
import { LedgerRowSchema, LedgerTaskSchema, ProblemSchema } from '../../../shared/model.js';
import { makeSettings } from '../../../shared/settings.js';
import { headerScore, readLedger, type CellValue } from '../../../shared/ledger/index.js';
import { HEADER, sheet, taskRow } from './sheet.js';

const TITLE = '友谊县2026年重点工作落实“四个体系”台账';
const kinds = (values: CellValue[][], opts = {}) => readLedger(values, opts).rows.map((r) => r.kind);

describe('header', () => {
  it('R4: a two-row header with a merged group header (责任主体 over 牵头领导/牵头单位/责任单位) reads the same from Excel and from an xlsx reader', () => {
    const { excel, xlsx } = sheet(
      [
        [TITLE],
        ['序号', '工作任务', '责任主体', '', '', '完成时限', '工作措施', '星级'],
        ['', '', '牵头领导', '牵头单位', '责任单位', '', '', ''],
        [
          '1',
          '城镇新增就业1200人',
          '孙丽',
          '县人社局',
          '各乡（镇）人民政府',
          '2026-12-31',
          '开展专项招聘。',
          '★★★★',
        ],
        [
          '2',
          '建设高标准农田5万亩',
          '赵立新',
          '县农业农村局',
          '县财政局、县水务局',
          '11月底前',
          '整合涉农资金。',
          '5星',
        ],
      ],
      [
        [1, 1, 1, 8],
        [2, 1, 3, 1],
        [2, 2, 3, 2],
        [2, 3, 2, 5],
        [2, 6, 3, 6],
        [2, 7, 3, 7],
        [2, 8, 3, 8],
      ],
    );
    const a = readLedger(excel);
    const b = readLedger(xlsx);
    expect(a).toEqual(b);
    expect(a.header.rows).toEqual([2, 3]);
    expect(a.header.columns).toEqual({
      no: 0,
      title: 1,
      leadLeader: 2,
      leadUnit: 3,
      supportUnits: 4,
      deadline: 5,
      measures: 6,
      stars: 7,
    });
    expect(a.rows.map((r) => r.kind)).toEqual(['title', 'header', 'header', 'task', 'task']);
    expect(a.problems).toEqual([]);
    expect(a.tasks[1]).toMatchObject({
      no: '2',
      leadLeader: '赵立新',
      leadUnit: '县农业农村局',
      supportUnits: ['县财政局', '县水务局'],
      deadline: { date: '2026-11-30' },
      stars: 5,
    });
  });

  it('R4: a group header 牵头 over 领导 | 单位 combines with its sub-headers', () => {
    const { excel, xlsx } = sheet(
      [
        ['序号', '工作任务', '牵头', '', '配合单位', '完成时限', '工作措施'],
        ['', '', '领导', '单位', '', '', ''],
        ['1', '招商引资到位资金15亿元', '王志刚', '县商务局', '县发改局', '年底前', '链长制招商。'],
      ],
      [
        [1, 1, 2, 1],
        [1, 2, 2, 2],
        [1, 3, 1, 4],
        [1, 5, 2, 5],
        [1, 6, 2, 6],
        [1, 7, 2, 7],
      ],
    );
    for (const values of [excel, xlsx]) {
      const r = readLedger(values, { year: 2026 });
      expect(r.header.rows).toEqual([1, 2]);
      expect(r.header.columns).toMatchObject({ leadLeader: 2, leadUnit: 3, supportUnits: 4 });
      expect(r.tasks[0]).toMatchObject({
        leadLeader: '王志刚',
        leadUnit: '县商务局',
        deadline: { date: '2026-12-31' },
      });
    }
  });

  it('R4: header synonyms and spellings (牵头部门, 配合单位, 完成时间, 具体措施, spaces, line breaks, full-width brackets)', () => {
    const header = [
      '序 号',
      '重点\n任务',
      '具体措施',
      '牵头县领导',
      '牵　头\n部　门',
      '配合单位',
      '完成时间（时限）',
      '类别',
      '星级',
      '进展',
      '节点',
      '完成情况',
      '督办编号',
      '目标值',
      '开始时间',
      '任务来源',
    ];
    const row = [
      '1',
      '城镇新增就业1200人',
      '开展专项招聘。',
      '孙丽',
      '县人社局',
      '县财政局；县税务局',
      '2026/6/30',
      '明确指标类',
      '4',
      '一季度新增286人。',
      '3月底前启动；6月底前完成',
      '已销号',
      'DB-2026-001',
      '1300人',
      '2026年3月',
      '县委全会',
    ];
    const r = readLedger([[TITLE], header, row]);
    expect(r.header.columns).toEqual({
      no: 0,
      title: 1,
      measures: 2,
      leadLeader: 3,
      leadUnit: 4,
      supportUnits: 5,
      deadline: 6,
      category: 7,
      stars: 8,
      progress: 9,
      milestones: 10,
      status: 11,
      id: 12,
      target: 13,
      startDate: 14,
      source: 15,
    });
    expect(r.problems).toEqual([]);
    expect(r.tasks[0]).toEqual({
      row: 3,
      id: 'DB-2026-001',
      no: '1',
      parent: null,
      title: '城镇新增就业1200人',
      measures: '开展专项招聘。',
      leadLeader: '孙丽',
      leadUnit: '县人社局',
      leadUnits: ['县人社局'],
      supportUnits: ['县财政局', '县税务局'],
      deadline: { text: '2026/6/30', date: '2026-06-30', recurrence: null },
      category: 'indicator',
      stars: 4,
      suggestedStars: 4,
      closed: true,
      milestones: [
        { date: '2026-03-31', text: '启动' },
        { date: '2026-06-30', text: '完成' },
      ],
      progress: '一季度新增286人。',
      target: { value: 1300, unit: '人' },
      startDate: '2026-03-01',
    });
    expect(LedgerTaskSchema.parse(r.tasks[0])).toBeTruthy();
  });

  it('R4: more synonyms — 责任部门 = 责任单位, 时限 = 完成时限, 重点工作 = 工作任务, 状态 = status', () => {
    const r = readLedger(
      [
        ['序号', '重点工作', '工作措施', '牵头领导', '牵头单位', '责任部门', '时限', '状态'],
        ['1', '做好防汛', '值班值守。', '刘建国', '县应急管理局', '县水务局', '每月', '未完成'],
      ],
      { year: 2026 },
    );
    expect(r.header.columns).toEqual({
      no: 0,
      title: 1,
      measures: 2,
      leadLeader: 3,
      leadUnit: 4,
      supportUnits: 5,
      deadline: 6,
      status: 7,
    });
    expect(r.tasks[0]).toMatchObject({
      supportUnits: ['县水务局'],
      deadline: { recurrence: 'monthly' },
      closed: false,
    });
  });

  it('R4: 工作任务（目标） is the task column, not a target; 牵头单位（部门） the lead unit', () => {
    const r = readLedger(
      [
        ['序号', '工作任务（目标）', '工作措施', '牵头领导', '牵头单位（部门）', '完成时限', '目标值'],
        ['1', '新增就业1200人', '措施。', '孙丽', '县人社局', '年底前', '1200人'],
      ],
      { year: 2026 },
    );
    expect(r.header.columns).toEqual({
      no: 0,
      title: 1,
      measures: 2,
      leadLeader: 3,
      leadUnit: 4,
      deadline: 5,
      target: 6,
    });
    expect(r.tasks[0]).toMatchObject({ title: '新增就业1200人', target: { value: 1200, unit: '人' } });
  });

  it('R4: section headings are never header labels (（一）重点任务, 三、工作任务 right under the header)', () => {
    for (const heading of ['（一）重点任务', '三、工作任务', '1、重点任务']) {
      const { excel, xlsx } = sheet([HEADER, [heading], taskRow('1', '任务一')], [[2, 1, 2, 12]]);
      for (const values of [excel, xlsx]) {
        const r = readLedger(values, { year: 2026 });
        expect(r.rows.map((x) => x.kind)).toEqual(['header', 'section', 'task']);
      }
    }
  });

  it('R1: a required column missing from the header is one problem on the header row, not one per row', () => {
    const r = readLedger(
      [
        ['序号', '工作任务', '牵头单位', '完成时限', '工作措施'],
        ['1', '任务一', '县发改局', '6月底前', '措施。'],
        ['2', '任务二', '县财政局', '年底前', '措施。'],
      ],
      { year: 2026 },
    );
    expect(r.problems).toEqual([
      { row: 1, column: null, rule: 'R1', message: '第1行表头缺少“牵头领导”列，各任务的牵头领导均无法读取' },
    ]);
    expect(r.tasks).toHaveLength(2);
  });

  it('R4: headerScore ranks a ledger sheet above other sheets (0 when there is no header)', () => {
    const ledger = [[TITLE], HEADER, taskRow('1', '任务一')];
    const notes = [['填表说明'], ['1. 每月25日前更新进展。'], ['2. 星级由督办检查室确定。']];
    expect(headerScore(ledger)).toBe(12);
    expect(headerScore(notes)).toBe(0);
    expect(headerScore([])).toBe(0);
    expect(headerScore([['序号', '工作措施', '牵头单位']])).toBe(0); // no 工作任务: not a ledger
  });
});

describe('rows (R4: every row accounted for)', () => {
  it('R4: title, blank, header, sections (merged, 一、, （一）, 一 | heading), note, repeated header, task, error', () => {
    const { excel, xlsx } = sheet(
      [
        [TITLE],
        ['填报单位：县政府督办检查室'],
        [],
        HEADER,
        ['一、经济发展'],
        taskRow('1', '地区生产总值增长6%以上'),
        ['（一）稳增长'],
        ['', '', '二、项目建设'],
        taskRow('2', '县城集中供热管网改造'),
        ['三', '', '民生保障'],
        [],
        HEADER,
        taskRow('3', '城镇新增就业1200人'),
        ['4', '县委全会', '', '措施。', '孙丽', '县人社局'],
        ['注：星级由县政府督办检查室确定。'],
        ['备注'],
      ],
      [
        [1, 1, 1, 12],
        [2, 1, 2, 12],
        [5, 1, 5, 12],
        [7, 1, 7, 12],
        [8, 3, 8, 12],
        [15, 1, 15, 12],
      ],
    );
    const expected = [
      'title',
      'title',
      'blank',
      'header',
      'section',
      'task',
      'section',
      'section',
      'task',
      'section',
      'blank',
      'header',
      'task',
      'error',
      'note',
      'note',
    ];
    expect(kinds(excel)).toEqual(expected);
    expect(kinds(xlsx)).toEqual(expected);
    const r = readLedger(excel);
    expect(r.rows.map((x) => x.row)).toEqual(expected.map((_, i) => i + 1));
    for (const row of r.rows) LedgerRowSchema.parse(row);
  });

  it('R1: a row with content but no 工作任务 is an error row whose message names the row and column', () => {
    const r = readLedger([[TITLE], HEADER, taskRow('1', '任务一'), taskRow('2', '')]);
    expect(r.rows[3]).toEqual({
      row: 4,
      kind: 'error',
      message: '第4行有内容，但C列（工作任务）为空，未能作为任务读取',
    });
    expect(r.problems).toEqual([
      { row: 4, column: 'C', rule: 'R1', message: '第4行有内容，但C列（工作任务）为空，未能作为任务读取' },
    ]);
    expect(r.tasks.map((t) => t.row)).toEqual([3]);
  });

  it('R1, R4: a row with only 工作任务 filled (推进老旧小区改造) is a task with its R1 problems, not a silent section', () => {
    const r = readLedger(
      [[TITLE], HEADER, ['', '', '推进老旧小区改造'], ['', '', '', '', '', '', '', '孤立文字']],
      {
        year: 2026,
      },
    );
    expect(r.rows.map((x) => x.kind)).toEqual(['title', 'header', 'task', 'error']);
    expect(r.tasks.map((t) => t.title)).toEqual(['推进老旧小区改造']);
    expect(r.problems.filter((p) => p.row === 3).map((p) => p.message)).toEqual([
      '第3行D列（工作措施）为空',
      '第3行E列（牵头领导）为空',
      '第3行F列（牵头单位）为空',
      '第3行H列（完成时限）为空',
    ]);
    expect(r.problems.find((p) => p.row === 4)?.message).toBe(
      '第4行有内容，但C列（工作任务）为空，未能作为任务读取',
    );
    // The same words as a merged heading (first column, or repeated along the row) stay a section.
    expect(kinds([HEADER, ['推进老旧小区改造'], ['', '', '生态环境', '生态环境', '生态环境']])).toEqual([
      'header',
      'section',
      'section',
    ]);
  });

  it('R4: a sheet without a ledger header loses no row: each non-blank row is an error, with one problem', () => {
    const r = readLedger([['名单'], ['张三', '县发改局'], [], ['李四', '县财政局']], { year: 2026 });
    expect(r.rows.map((x) => x.kind)).toEqual(['error', 'error', 'blank', 'error']);
    expect(r.rows[1]!.message).toContain('第2行未能读取');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ row: 1, column: null, rule: 'R4' });
    expect(r.tasks).toEqual([]);
  });

  it('R4: firstRow and firstColumn make rows and columns sheet positions (values taken from B3)', () => {
    const values = [HEADER, taskRow('1', '任务一', { 牵头领导: '' })];
    const r = readLedger(values, { firstRow: 3, firstColumn: 2, year: 2026 });
    expect(r.header.rows).toEqual([3]);
    expect(r.rows).toEqual([
      { row: 3, kind: 'header' },
      { row: 4, kind: 'task' },
    ]);
    expect(r.problems).toEqual([{ row: 4, column: 'F', rule: 'R1', message: '第4行F列（牵头领导）为空' }]);
  });

  it('R4: jagged rows, null/undefined cells and trailing blank rows are read, not dropped', () => {
    const values: CellValue[][] = [
      HEADER,
      ['1', undefined, '任务一', '措施', '王', '县局', null, '6月底前'],
      [],
      [null, ''],
    ];
    const r = readLedger(values, { year: 2026 });
    expect(r.rows.map((x) => x.kind)).toEqual(['header', 'task', 'blank', 'blank']);
    expect(r.problems).toEqual([]);
  });
});

describe('tasks', () => {
  it('R1: missing 牵头领导/牵头单位/工作措施/完成时限 and an unreadable deadline are problems naming row and column; the row is still a task', () => {
    const r = readLedger([
      [TITLE],
      HEADER,
      taskRow('1', '任务一', { 牵头领导: '', 牵头单位: '　', 工作措施: null, 完成时限: '' }),
      taskRow('2', '任务二', { 完成时限: '尽快' }),
    ]);
    expect(r.rows.map((x) => x.kind)).toEqual(['title', 'header', 'task', 'task']);
    expect(r.problems).toEqual([
      { row: 3, column: 'D', rule: 'R1', message: '第3行D列（工作措施）为空' },
      { row: 3, column: 'E', rule: 'R1', message: '第3行E列（牵头领导）为空' },
      { row: 3, column: 'F', rule: 'R1', message: '第3行F列（牵头单位）为空' },
      { row: 3, column: 'H', rule: 'R1', message: '第3行H列（完成时限）为空' },
      {
        row: 4,
        column: 'H',
        rule: 'R1',
        message:
          '第4行H列（完成时限）“尽快”无法识别为日期或周期性时限（可写作2026年6月30日、6月底前、年底前、每月、每季度、长期坚持等）',
      },
    ]);
    for (const p of r.problems) ProblemSchema.parse(p);
  });

  it('R1: problems use the sheet’s own header words (牵头部门 for 牵头单位)', () => {
    const header = HEADER.map((h) => (h === '牵头单位' ? '牵头部门' : h));
    const r = readLedger([header, taskRow('1', '任务一', { 牵头单位: '' })], { year: 2026 });
    expect(r.problems).toEqual([{ row: 2, column: 'F', rule: 'R1', message: '第2行F列（牵头部门）为空' }]);
  });

  it('R5: stars as written (★★★★, 4星, 四星, 4) and R5 suggestion by kind; bad stars and kinds are problems', () => {
    const r = readLedger([
      [TITLE],
      HEADER,
      taskRow('1', '甲', { 星级: '★★★★', 工作类别: '指标类' }),
      taskRow('2', '乙', { 星级: '四星', 工作类别: '重大项目建设类' }),
      taskRow('3', '丙', { 星级: 5, 工作类别: '常规' }),
      taskRow('4', '丁', { 星级: '', 工作类别: '重大项目' }),
      taskRow('5', '戊', { 星级: '★★', 工作类别: '其他' }),
      taskRow('6', '己', { 星级: '很重要', 工作类别: '' }),
    ]);
    expect(r.tasks.map((t) => [t.stars, t.category, t.suggestedStars])).toEqual([
      [4, 'indicator', 4],
      [4, 'major', 5],
      [5, 'routine', 3],
      [null, 'major', 5],
      [null, null, null],
      [null, null, null],
    ]);
    expect(r.problems).toEqual([
      { row: 7, column: 'J', rule: 'R5', message: '第7行J列（星级）“★★”为2星，星级应为3至5星' },
      {
        row: 7,
        column: 'I',
        rule: 'R5',
        message: '第7行I列（工作类别）“其他”无法识别（应为常规性、指标类或重大项目建设类）',
      },
      {
        row: 8,
        column: 'J',
        rule: 'R5',
        message: '第8行J列（星级）“很重要”无法识别为星级（可写作★★★★、4星、四星或4）',
      },
    ]);
  });

  it('R2: 3-2, 3.2, 3（2）, 3(2) and （2）/(2) under task 3 (or under its other items) are items of task 3', () => {
    const r = readLedger(
      [
        HEADER,
        taskRow('3', '父任务'),
        taskRow('3-1', '子一'),
        taskRow('3.2', '子二'),
        taskRow('3（3）', '子三'),
        taskRow('3(4)', '子四'),
        taskRow('4', '另一任务'),
        taskRow('（1）', '四之一'),
        taskRow('(2)', '四之二'),
        taskRow('②', '四之三'),
        ['二、民生'],
        taskRow('（1）', '无上级'),
        taskRow('5', '五'),
        taskRow('5-1', '五之一'),
        taskRow('5-1-1', '五之一之一'),
      ],
      { year: 2026 },
    );
    expect(r.tasks.map((t) => [t.no, t.parent])).toEqual([
      ['3', null],
      ['3-1', '3'],
      ['3.2', '3'],
      ['3（3）', '3'],
      ['3(4)', '3'],
      ['4', null],
      ['（1）', '4'],
      ['(2)', '4'],
      ['②', '4'],
      ['（1）', null],
      ['5', null],
      ['5-1', '5'],
      ['5-1-1', '5-1'],
    ]);
    expect(r.problems).toEqual([]);
  });

  it('R2: a number Excel stored as 3.2 (a number) still names its parent; a child of a missing parent is a problem', () => {
    const r = readLedger(
      [HEADER, taskRow('3', '父'), [3.2, ...taskRow('', '子').slice(1)], taskRow('7-1', '孤儿')],
      {
        year: 2026,
      },
    );
    expect(r.tasks.map((t) => [t.no, t.parent])).toEqual([
      ['3', null],
      ['3.2', '3'],
      ['7-1', '7'],
    ]);
    expect(r.problems).toEqual([
      {
        row: 3,
        column: 'A',
        rule: 'R2',
        message: '第3行A列（序号）被Excel存成了数字（3.2），3.20 与 3.2 无法区分；请把该列设为文本格式',
      },
      { row: 4, column: 'A', rule: 'R2', message: '第4行A列（序号）“7-1”的上级任务“7”不在它上面的行中' },
    ]);
  });

  it('R2: 3.10 typed as a number reads as 3.1 and collides with the real 3.1: both are reported', () => {
    const r = readLedger(
      [
        HEADER,
        taskRow('3', '父'),
        [3.1, ...taskRow('', '一').slice(1)],
        [3.1, ...taskRow('', '十').slice(1)],
      ],
      { year: 2026 },
    );
    expect(r.problems.map((p) => p.message)).toEqual([
      '第3行A列（序号）被Excel存成了数字（3.1），3.10 与 3.1 无法区分；请把该列设为文本格式',
      '第4行A列（序号）被Excel存成了数字（3.1），3.10 与 3.1 无法区分；请把该列设为文本格式',
      '第4行A列（序号）“3.1”与第3行的序号重复，请修改其中一个',
    ]);
  });

  it('R2: a number repeated within one section is reported; numbering restarting after a section heading, and （1） under different parents, are not', () => {
    const r = readLedger(
      [
        HEADER,
        ['一、经济发展'],
        taskRow('1', '甲'),
        taskRow('（1）', '甲一'),
        taskRow('2', '乙'),
        taskRow('（1）', '乙一'),
        taskRow('2', '丙'),
        ['二、民生保障'],
        taskRow('1', '丁'),
      ],
      { year: 2026 },
    );
    expect(r.problems.map((p) => p.message)).toEqual([
      '第7行A列（序号）“2”与第5行的序号重复，请修改其中一个',
    ]);
  });

  it('R2: 3-2 that Excel turned into a date serial is read back as 3-2, with a problem asking for a text column', () => {
    const serial = 46083; // 2026-03-02: what Excel stores when a clerk types 3-2 into a General cell
    const r = readLedger([HEADER, taskRow('3', '父'), [serial, ...taskRow('', '子').slice(1)]], {
      year: 2026,
    });
    expect(r.tasks[1]).toMatchObject({ no: '3-2', parent: '3' });
    expect(r.problems).toEqual([
      {
        row: 3,
        column: 'A',
        rule: 'R2',
        message: '第3行A列（序号）被Excel存成了日期（3月2日），已按“3-2”读取；请把该列设为文本格式',
      },
    ]);
  });

  it('R2: an item’s measures, leader, lead unit and deadline merged with its parent’s read the same from Excel (its areas listed, or inferred on a host that cannot list them) and xlsx', () => {
    const { excel, xlsx } = sheet(
      [
        HEADER,
        taskRow('3', '招商引资', {
          工作措施: '链长制。',
          牵头领导: '王志刚',
          牵头单位: '县商务局',
          完成时限: '年底前',
        }),
        taskRow('3-1', '引进项目', { 工作措施: '', 牵头领导: '', 牵头单位: '', 完成时限: '' }),
        taskRow('3-2', '举办活动', { 工作措施: '', 牵头领导: '', 牵头单位: '', 完成时限: '' }),
      ],
      [
        [2, 4, 4, 4],
        [2, 5, 4, 5],
        [2, 6, 4, 6],
        [2, 8, 4, 8],
      ],
    );
    const a = readLedger(excel, { year: 2026, inferMerges: true });
    expect(a).toEqual(readLedger(xlsx, { year: 2026 }));
    expect(readLedger(excel, { year: 2026, merges: ['D2:D4', 'E2:E4', 'F2:F4', 'H2:H4'] })).toEqual(a);
    expect(a.problems).toEqual([]);
    expect(a.tasks.map((t) => [t.no, t.measures, t.leadLeader, t.leadUnit, t.deadline.date])).toEqual([
      ['3', '链长制。', '王志刚', '县商务局', '2026-12-31'],
      ['3-1', '链长制。', '王志刚', '县商务局', '2026-12-31'],
      ['3-2', '链长制。', '王志刚', '县商务局', '2026-12-31'],
    ]);
  });

  it('R1: a child row whose 牵头领导/牵头单位/工作措施 are blank and merged with nothing does not take its parent’s: each blank cell is reported', () => {
    const rows = [
      HEADER,
      taskRow('3', '招商引资', { 工作措施: '链长制。', 牵头领导: '王志刚', 牵头单位: '县商务局' }),
      taskRow('3-1', '引进项目', { 工作措施: '', 牵头领导: '', 牵头单位: '' }),
    ];
    const { excel, xlsx } = sheet(rows);
    for (const values of [excel, xlsx]) {
      const r = readLedger(values, { year: 2026, merges: [] });
      expect(r.tasks[1]).toMatchObject({ no: '3-1', measures: null, leadLeader: null, leadUnit: null });
      expect(r.problems).toEqual([
        { row: 3, column: 'D', rule: 'R1', message: '第3行D列（工作措施）为空' },
        { row: 3, column: 'E', rule: 'R1', message: '第3行E列（牵头领导）为空' },
        { row: 3, column: 'F', rule: 'R1', message: '第3行F列（牵头单位）为空' },
      ]);
    }
    // The same blanks read from an xlsx file (no areas listed: it repeats merged values itself).
    expect(readLedger(xlsx, { year: 2026 }).problems).toHaveLength(3);
  });

  it('R4: with the merged areas given (Office.js/exceljs A1 ranges), any vertical merge reads as an xlsx reader gives it', () => {
    const rows = [
      HEADER,
      taskRow('4', '甲', { 牵头领导: '刘建国', 责任单位: '县财政局、县税务局' }),
      taskRow('5', '乙', { 牵头领导: '', 责任单位: '' }),
      taskRow('5-1', '乙之一', { 责任单位: '' }),
    ];
    const areas = ['E2:E3', "'重点工作台账'!$G$2:$G$4"];
    const { excel, xlsx } = sheet(rows, [
      [2, 5, 3, 5],
      [2, 7, 4, 7],
    ]);
    const before = JSON.stringify(excel);
    const plain = readLedger(excel, { year: 2026 });
    // without the areas, Excel's '' below a merge is an empty cell
    expect(plain.problems).toEqual([
      { row: 3, column: 'E', rule: 'R1', message: '第3行E列（牵头领导）为空' },
    ]);
    const merged = readLedger(excel, { year: 2026, merges: areas });
    expect(merged).toEqual(readLedger(xlsx, { year: 2026 }));
    expect(merged.problems).toEqual([]);
    expect(merged.tasks.map((t) => [t.leadLeader, t.supportUnits])).toEqual([
      ['刘建国', ['县财政局', '县税务局']],
      ['刘建国', ['县财政局', '县税务局']],
      ['王志刚', ['县财政局', '县税务局']],
    ]);
    expect(JSON.stringify(excel)).toBe(before); // the caller's values are not changed
    // areas are in sheet coordinates: a range taken from row 2 still lines up
    const offset = readLedger(excel.slice(1), { year: 2026, firstRow: 2, merges: areas });
    expect(offset.tasks).toEqual(readLedger(xlsx.slice(1), { year: 2026, firstRow: 2 }).tasks);
  });

  it('R4: one unit leading sibling tasks 1–3 (牵头领导/牵头单位 merged down, no parent/child) reads alike from Excel with its merged areas and from xlsx', () => {
    const rows = [
      HEADER,
      taskRow('1', '招商引资', { 牵头领导: '李红', 牵头单位: '县商务局' }),
      taskRow('2', '外贸稳增长', { 牵头领导: '', 牵头单位: '' }),
      taskRow('3', '消费提振', { 牵头领导: '', 牵头单位: '' }),
    ];
    const { excel, xlsx } = sheet(rows, [
      [2, 5, 4, 5],
      [2, 6, 4, 6],
    ]);
    // Without the areas Excel's '' below the merge top is an empty cell: four false R1 problems.
    expect(readLedger(excel, { year: 2026 }).problems.map((p) => p.message)).toEqual([
      '第3行E列（牵头领导）为空',
      '第3行F列（牵头单位）为空',
      '第4行E列（牵头领导）为空',
      '第4行F列（牵头单位）为空',
    ]);
    const merged = readLedger(excel, { year: 2026, merges: ['E2:E4', 'F2:F4'] });
    expect(merged).toEqual(readLedger(xlsx, { year: 2026 }));
    expect(merged.problems).toEqual([]);
    expect(merged.tasks.map((t) => [t.no, t.parent, t.leadLeader, t.leadUnit])).toEqual([
      ['1', null, '李红', '县商务局'],
      ['2', null, '李红', '县商务局'],
      ['3', null, '李红', '县商务局'],
    ]);
  });

  it('R7: milestones come from 时间节点 with the ledger year; an undated milestone is a problem', () => {
    const r = readLedger([
      ['友谊县2025年重点工作台账'],
      HEADER,
      taskRow('1', '大豆加工项目', {
        工作类别: '重大项目建设类',
        时间节点: '3月底前完成立项；5月底前取得施工许可；6月底前开工建设\n尽快投产',
      }),
    ]);
    expect(r.tasks[0]!.milestones).toEqual([
      { date: '2025-03-31', text: '完成立项' },
      { date: '2025-05-31', text: '取得施工许可' },
      { date: '2025-06-30', text: '开工建设' },
      { date: null, text: '尽快投产' },
    ]);
    expect(r.problems).toEqual([
      { row: 3, column: 'L', rule: 'R7', message: '第3行L列（时间节点）节点“尽快投产”没有可识别的日期' },
    ]);
  });

  it('R6: an indicator task’s target comes from its title when there is no target column; other kinds get none', () => {
    const r = readLedger(
      [
        HEADER,
        taskRow('1', '一般公共预算收入完成3.2亿元', { 工作类别: '指标类' }),
        taskRow('2', '友谊县10万吨大豆精深加工项目', { 工作类别: '重大项目建设类' }),
      ],
      { year: 2026 },
    );
    expect(r.tasks.map((t) => t.target)).toEqual([{ value: 3.2, unit: '亿元' }, null]);
  });

  it('R4: supporting units are a list; the status column closes tasks (R3)', () => {
    const header = [...HEADER, '状态'];
    const r = readLedger(
      [
        header,
        [...taskRow('1', '甲', { 责任单位: '县财政局、县税务局\n县医保局' }), '已销号'],
        [...taskRow('2', '乙', { 责任单位: '' }), '推进中'],
      ],
      { year: 2026 },
    );
    expect(r.tasks.map((t) => [t.supportUnits, t.closed])).toEqual([
      [['县财政局', '县税务局', '县医保局'], true],
      [[], false],
    ]);
  });
});

describe('closing (R3)', () => {
  it('R3: progress text in 完成情况 keeps the task open and says so; only a closing status or 销号时间 closes it', () => {
    const header = [...HEADER, '完成情况', '销号时间'];
    const r = readLedger(
      [
        header,
        [...taskRow('1', '甲'), '已完成前期手续，正在施工', ''],
        [...taskRow('2', '乙'), '已完成投资1.2亿元，占年度计划的40%', ''],
        [...taskRow('3', '丙'), '已办结3件，剩余2件', ''],
        [...taskRow('4', '丁'), '已完成', ''],
        [...taskRow('5', '戊'), '已销号（2026-03-20）已完成年度目标，见验收报告', ''],
        [...taskRow('6', '己'), '推进中', 46110],
        [...taskRow('7', '庚'), '', '下月'],
      ],
      { year: 2026 },
    );
    expect(r.tasks.map((t) => [t.no, t.closed, t.closedOn ?? null])).toEqual([
      ['1', false, null],
      ['2', false, null],
      ['3', false, null],
      ['4', true, null],
      ['5', true, '2026-03-20'],
      ['6', true, '2026-03-29'],
      ['7', false, null],
    ]);
    expect(r.problems.map((p) => `${p.rule} ${p.message}`)).toEqual([
      'R3 第2行M列（完成情况）“已完成前期手续，正在施工”不是销号状态，未按已销号处理',
      'R3 第3行M列（完成情况）“已完成投资1.2亿元，占年度计划的40%”不是销号状态，未按已销号处理',
      'R3 第4行M列（完成情况）“已办结3件，剩余2件”不是销号状态，未按已销号处理',
      'R3 第8行N列（销号时间）“下月”无法识别为日期，未按已销号处理',
    ]);
  });

  it('R3: a header 进展及完成情况 is the progress column, so its narrative never closes a task', () => {
    const header = [...HEADER.filter((h) => h !== '进展情况'), '目前进展及完成情况'];
    const row = taskRow('1', '甲').filter((_, i) => HEADER[i] !== '进展情况');
    const r = readLedger([header, [...row, '已完成前期手续，正在施工']], { year: 2026 });
    expect(r.header.columns.status).toBeUndefined();
    expect(r.tasks[0]).toMatchObject({ closed: false, progress: '已完成前期手续，正在施工' });
  });
});

describe('year (R4)', () => {
  const body = [HEADER, taskRow('1', '甲', { 完成时限: '6月底前' })];

  it('R4: the title’s year wins over options; a date on a 填报 line is not the ledger year', () => {
    const r = readLedger([['友谊县2025年度重点工作台账'], ['更新日期：2026年3月15日'], ...body], {
      year: 2030,
    });
    expect([r.year, r.yearSource, r.tasks[0]!.deadline.date]).toEqual([2025, 'title', '2025-06-30']);
    const s = readLedger([['重点工作台账'], ['更新日期：2026年3月15日'], ...body], { year: 2027 });
    expect([s.year, s.yearSource]).toEqual([2027, 'option']);
  });

  it('R4: no title year → options.year → settings.ledgerYear → the year of options.today', () => {
    expect(readLedger(body, { year: 2027 })).toMatchObject({ year: 2027, yearSource: 'option' });
    const settings = makeSettings({ ledgerYear: 2028 });
    const s = readLedger(body, { settings, today: '2029-01-05' });
    expect([s.year, s.yearSource, s.tasks[0]!.deadline.date]).toEqual([2028, 'settings', '2028-06-30']);
    expect(readLedger(body, { settings: makeSettings(), today: '2029-01-05' })).toMatchObject({
      year: 2029,
      yearSource: 'today',
    });
    const now = readLedger(body);
    expect(now.yearSource).toBe('today');
    expect(now.year).toBeGreaterThanOrEqual(2026);
  });

  it('R4: a title with the year in Chinese numerals (二〇二六年, 二零二六年度) dates the ledger, in January as in June', () => {
    for (const title of [
      '友谊县二〇二六年重点工作台账',
      '友谊县二零二六年度重点工作督办台账',
      '二〇二六年3月重点工作台账',
    ]) {
      const r = readLedger([[title], ...body], { today: '2027-01-08' });
      expect([r.year, r.yearSource, r.tasks[0]!.deadline.date]).toEqual([2026, 'title', '2026-06-30']);
      expect(r.problems).toEqual([]);
    }
    // 2026年3月 (a month and no day) is a title year too; a full date on an update line is not.
    expect(readLedger([['2026年3月重点工作台账'], ...body], { today: '2027-01-08' }).year).toBe(2026);
  });

  it('R4: a title with a month and no year is reported, never silently read with the clock’s year', () => {
    const rows = [['3月份重点工作督办台账'], ...body];
    const fromSettings = readLedger(rows, {
      settings: makeSettings({ ledgerYear: 2026 }),
      today: '2027-01-08',
    });
    expect([fromSettings.year, fromSettings.tasks[0]!.deadline.date]).toEqual([2026, '2026-06-30']);
    expect(fromSettings.problems).toEqual([
      {
        row: 1,
        column: null,
        rule: 'R4',
        message:
          '台账标题中没有可识别的年份（如“2026年”或“二〇二六年”），时限和节点已按设置中的台账年份2026年读取；请在标题中写明年份',
      },
    ]);
    const fromClock = readLedger(rows, { settings: makeSettings(), today: '2027-01-08' });
    expect(fromClock.year).toBe(2027);
    expect(fromClock.problems.map((p) => [p.row, p.rule, p.message])).toEqual([
      [
        1,
        'R4',
        '台账标题中没有可识别的年份（如“2026年”或“二〇二六年”），设置中也没有台账年份，时限和节点暂按今天所在的2027年读取；请在标题中写明年份，或在设置中填写台账年份',
      ],
    ]);
  });
});
