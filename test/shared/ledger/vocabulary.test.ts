// Ledgers laid out like published county and city 台账 (R4): their header vocabularies, grouped two-row
// headers, sign-off footers and note blocks, joint lead units; every row accounted for, every task read.
import { describe, expect, it } from 'vitest';
import {
  type CellValue,
  type LedgerField,
  FIELD_LABELS,
  HEADER_VARIANTS,
  PUBLISHED_HEADERS,
  fieldOfHeader,
  readLedger,
} from '../../../shared/ledger/index.js';

const TODAY = '2026-03-01';

/** The task cell a field gets in a test row (the row number makes each task distinct). */
function cellFor(field: LedgerField | null, n: number): CellValue {
  switch (field) {
    case 'no':
      return String(n);
    case 'title':
      return `重点任务${n}`;
    case 'measures':
      return '细化方案，按月调度。';
    case 'leadLeader':
      return '王志刚';
    case 'leadUnit':
      return n === 2 ? '县发改局、县财政局' : '县发改局'; // a jointly led task
    case 'supportUnits':
      return '县统计局、各乡镇';
    case 'deadline':
      return '2026年6月30日';
    case 'milestones':
      return '3月底前完成方案；6月底前完成';
    case 'progress':
      return '正在推进';
    case 'source':
      return '县政府工作报告';
    case 'target':
      return '1200人';
    default:
      return '';
  }
}

/** The field of each column of a published header (the lower row's label where there are two). */
function columnFields(rows: string[][]): (LedgerField | null)[] {
  const width = Math.max(...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => {
    const lower = rows.length > 1 ? rows[1]![c] : '';
    return fieldOfHeader(lower || rows[0]![c] || '');
  });
}

describe('R4: the header vocabulary of real ledgers', () => {
  it('every variant in the vocabulary names its field', () => {
    const wrong: string[] = [];
    for (const [field, names] of Object.entries(HEADER_VARIANTS) as [LedgerField, readonly string[]][])
      for (const name of names)
        if (fieldOfHeader(name) !== field) wrong.push(`${name} → ${fieldOfHeader(name)}`);
    expect(wrong).toEqual([]);
    // Brackets, stars and line breaks in a header cell change nothing.
    expect(fieldOfHeader('责任（配合）单位')).toBe('supportUnits');
    expect(fieldOfHeader('完成\n时限*')).toBe('deadline');
  });

  for (const { source, rows: header } of PUBLISHED_HEADERS) {
    it(`a ledger laid out like [${source}] reads every task, footers and notes accounted for`, () => {
      const fields = columnFields(header);
      const width = fields.length;
      const pad = (r: CellValue[]) => [...r, ...Array<CellValue>(width - r.length).fill('')];
      const task = (n: number) => fields.map((f) => cellFor(f, n));
      const values: CellValue[][] = [
        pad(['友谊县2026年重点工作任务分解台账']),
        ...header.map(pad),
        pad(['一、经济发展']),
        task(1),
        task(2),
        task(3),
        pad([]),
        pad(['注：1.星级由县政府督查室确定。']),
        pad(['2.每月25日前更新进展情况。']),
        pad(['填表人：李明', '', '联系电话：0000-1234567']),
        pad(['审核人：张华　　制表时间：2026年3月1日']),
      ];
      const r = readLedger(values, { today: TODAY });
      const h = header.length;
      expect(r.header.rows).toEqual(h === 2 ? [2, 3] : [2]);
      expect(r.problems).toEqual([]);
      expect(r.rows.map((x) => x.kind)).toEqual([
        'title',
        ...header.map(() => 'header'),
        'section',
        'task',
        'task',
        'task',
        'blank',
        'note',
        'note',
        'note',
        'note',
      ]);
      expect(r.tasks).toHaveLength(3);
      for (const t of r.tasks) {
        expect(t.title).toMatch(/^重点任务\d$/);
        expect(t.leadLeader).toBe('王志刚');
        expect(t.leadUnit).toMatch(/^县发改局/);
        expect(t.measures).toBe('细化方案，按月调度。');
        expect(t.deadline.date).toBe('2026-06-30');
      }
      expect(r.tasks[1]!.leadUnit).toBe('县发改局、县财政局');
      // Every required field was found in this layout.
      for (const f of ['title', 'leadLeader', 'leadUnit', 'measures', 'deadline'] as const)
        expect(r.header.columns[f], FIELD_LABELS[f]).toBeDefined();
    });
  }
});

describe('R4: footers and notes under the tasks', () => {
  const HEADER = ['序号', '工作任务', '牵头领导', '牵头单位', '工作措施', '完成时限'];
  const row = (n: string) => [n, `任务${n}`, '王志刚', '县发改局', '措施。', '6月底前'];

  it('填表人/联系电话/审核人/制表时间 lines are notes wherever their values sit, never sections or errors', () => {
    const r = readLedger(
      [
        HEADER,
        row('1'),
        row('2'),
        ['填表人：李明　联系电话：0000-1234567', '', '', '', '', ''],
        ['填表人：', '李明', '', '联系电话：', '0000-1234567', ''],
        ['审核人', '张华', '', '', '', ''],
        ['制表时间：2026年3月1日', '', '', '', '', ''],
        ['说明', '', '', '', '', ''],
        [
          '1.本表每月更新',
          '1.本表每月更新',
          '1.本表每月更新',
          '1.本表每月更新',
          '1.本表每月更新',
          '1.本表每月更新',
        ],
      ],
      { today: TODAY, year: 2026 },
    );
    expect(r.rows.map((x) => x.kind)).toEqual([
      'header',
      'task',
      'task',
      'note',
      'note',
      'note',
      'note',
      'note',
      'note',
    ]);
    expect(r.tasks).toHaveLength(2);
    expect(r.problems).toEqual([]);
  });

  it('a task row after the notes is still a task (nothing below the notes is dropped)', () => {
    const r = readLedger([HEADER, row('1'), ['注：本表每月更新', '', '', '', '', ''], row('2')], {
      today: TODAY,
    });
    expect(r.rows.map((x) => x.kind)).toEqual(['header', 'task', 'note', 'task']);
  });
});

describe('R4: the clerk maps a header the vocabulary does not know', () => {
  const values: CellValue[][] = [
    ['序号', '工作任务', '牵头领导', '牵头单位', '工作措施', '最迟办结', '备注'],
    ['1', '任务一', '王志刚', '县发改局', '措施。', '2026年6月30日', ''],
    ['2', '任务二', '李明', '县财政局', '措施。', '年底前', ''],
  ];

  it('the report names the header cells not understood and how to map one, in Chinese', () => {
    const r = readLedger(values, { today: TODAY, year: 2026 });
    expect(r.header.unknown).toEqual([
      { column: 'F', label: '最迟办结' },
      { column: 'G', label: '备注' },
    ]);
    expect(r.problems).toEqual([
      {
        row: 1,
        column: null,
        rule: 'R1',
        message:
          '第1行表头缺少“完成时限”列，各任务的完成时限均无法读取。未能识别的表头：F列“最迟办结”、G列“备注”。' +
          '如F列“最迟办结”就是完成时限，请在“台账体检”中把该列对应为“完成时限”，或运行 duban ledger --map 完成时限=最迟办结',
      },
    ]);
    expect(r.tasks.map((t) => t.deadline.date)).toEqual([null, null]);
  });

  it('with the mapping every deadline reads and the problem is gone', () => {
    const r = readLedger(values, { today: TODAY, year: 2026, columnMap: { 最迟办结: 'deadline' } });
    expect(r.problems).toEqual([]);
    expect(r.tasks.map((t) => t.deadline.date)).toEqual(['2026-06-30', '2026-12-31']);
    expect(r.header.unknown).toEqual([{ column: 'G', label: '备注' }]);
  });

  it('a mapping outranks the vocabulary (a column the office uses otherwise)', () => {
    const r = readLedger(values, {
      today: TODAY,
      columnMap: { 最迟办结: 'deadline', 牵头领导: 'leadLeader', 备注: 'progress' },
    });
    expect(r.header.columns.progress).toBe(6);
  });
});
