// Property (R4): for generated ledgers — title lines, one- or two-row headers with shuffled columns,
// a random mix of section, blank, note and task rows, random merges, in both the Excel and the
// xlsx-reader shape — every input row comes back once, in order, with the kind it was made as.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  excelSerialToIsoDate,
  isoDateToExcelSerial,
  parseDeadline,
  readLedger,
  type CellValue,
} from '../../../shared/ledger/index.js';
import { HEADER, sheet, type Merge } from './sheet.js';

type Kind = 'title' | 'header' | 'section' | 'blank' | 'note' | 'task' | 'error';

const WORDS = [
  '推进',
  '完成',
  '县城',
  '供热',
  '管网',
  '改造',
  '就业',
  '招商',
  '农田',
  '医保',
  '教学楼',
  '安全生产',
];
const SECTIONS = ['一、经济发展', '（二）项目建设', '三、民生保障', '第四部分 社会治理', '生态环境'];
const NOTES = [
  '注：星级由县政府督办检查室确定。',
  '注1：进展每月25日前更新',
  '备注：无',
  '说明：本表为动态台账',
];
const TITLES = [
  '友谊县2026年重点工作落实“四个体系”台账',
  '填报单位：县政府督办检查室　　更新日期：2026年3月15日',
];
const DEADLINES = [
  '2026年6月30日',
  '6月底前',
  '年底前',
  '每月',
  '每季度末',
  '长期坚持',
  '尽快',
  46203,
  '',
  '2026/9/30',
];
const STARS = ['★★★', '★★★★', '4星', '五星', '', '★★', 4];
const NOS = (i: number) => [String(i), `${i}-1`, `${i}.2`, `${i}（3）`, '（2）', '(1)', ''];

const text = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }).map((w) => w.join(''));
const free = fc.oneof(fc.string({ maxLength: 12 }), text, fc.constant(''));

const taskSpec = (withTitle: boolean) =>
  fc.record({
    kind: fc.constant(withTitle ? ('task' as const) : ('error' as const)),
    cells: fc.record({
      序号: fc.nat(40).chain((i) => fc.constantFrom(...NOS(i + 1))),
      工作来源: free,
      工作任务: withTitle ? text : fc.constant(''),
      // a task row has more than its title (a lone text is a heading), an error row more than one text
      工作措施: withTitle ? free : text,
      牵头领导: withTitle ? free : text.map((t) => `${t}领导`),
      牵头单位: text.map((t) => `${t}局`),
      责任单位: fc.array(text, { maxLength: 3 }).map((a) => a.join('、')),
      完成时限: fc.constantFrom(...DEADLINES),
      工作类别: fc.constantFrom('常规性', '指标类', '重大项目建设类', '', '其他'),
      星级: fc.constantFrom(...STARS),
      进展情况: free,
      时间节点: fc.constantFrom('', '3月底前完成立项；6月底前开工', '尽快完成'),
    }),
    at: fc.constant(0),
    // a merge inside a task row starts at or right of 工作任务 (so both shapes show the same title)
    span: fc.nat(3),
  });

// A task row with nothing but its title (R1: the most non-standard row): a task, not a heading —
// unless the title column is the sheet's first, where a lone text is how a merged heading looks.
const titleOnlySpec = fc.record({
  kind: fc.constant('titleOnly' as const),
  cells: text.map((s) => ({ s })),
  at: fc.constant(0),
  span: fc.constant(0),
});

const otherSpec = fc.oneof(
  titleOnlySpec,
  fc.record({
    kind: fc.constant('blank' as const),
    cells: fc.constant({}),
    at: fc.constant(0),
    span: fc.constant(0),
  }),
  fc.record({
    kind: fc.constant('section' as const),
    cells: fc.constantFrom(...SECTIONS).map((s) => ({ s })),
    at: fc.constant(0),
    span: fc.nat(11),
  }),
  // In the title column a heading must read as one (一、…) or be repeated along the row (a merge as an
  // xlsx reader gives it, or as the add-in gives it with the merged areas): a lone word there is a task.
  fc.record({
    kind: fc.constant('section' as const),
    cells: fc
      .constantFrom(...SECTIONS.filter((x) => /^[一二三四五六七八九十（第]/.test(x)))
      .map((s) => ({ s })),
    at: fc.constant(2),
    span: fc.nat(11),
  }),
  fc.record({
    kind: fc.constant('note' as const),
    cells: fc.constantFrom(...NOTES).map((s) => ({ s })),
    at: fc.constant(0),
    span: fc.nat(11),
  }),
);

const ledger = fc.record({
  titles: fc.subarray(TITLES),
  twoRowHeader: fc.boolean(),
  order: fc.shuffledSubarray(
    HEADER.map((_, i) => i),
    { minLength: HEADER.length },
  ),
  body: fc.array(fc.oneof({ weight: 3, arbitrary: taskSpec(true) }, taskSpec(false), otherSpec), {
    maxLength: 45,
  }),
  firstRow: fc.integer({ min: 1, max: 5 }),
});

type Ledger = typeof ledger extends fc.Arbitrary<infer T> ? T : never;

function build(l: Ledger) {
  // The two-row header keeps the office's column order (its group header spans 牵头领导..责任单位).
  const order = l.twoRowHeader ? HEADER.map((_, i) => i) : l.order;
  const names = order.map((i) => HEADER[i]!);
  const width = names.length;
  const titleCol = names.indexOf('工作任务');
  const rows: CellValue[][] = [];
  const merges: Merge[] = [];
  const expected: Kind[] = [];
  const add = (row: CellValue[], kind: Kind) => {
    rows.push(row);
    expected.push(kind);
    return rows.length; // 1-based row in the values
  };
  for (const t of l.titles) merges.push([add([t], 'title'), 1, rows.length, width]);
  if (l.twoRowHeader) {
    const upper = names.map((n) =>
      n === '牵头领导' ? '责任主体' : n === '牵头单位' || n === '责任单位' ? '' : n,
    );
    const lower = names.map((n) => (n === '牵头领导' || n === '牵头单位' || n === '责任单位' ? n : ''));
    const top = add(upper, 'header');
    add(lower, 'header');
    names.forEach((n, c) => {
      if (n === '牵头领导') merges.push([top, c + 1, top, c + 3]);
      else if (lower[c] === '') merges.push([top, c + 1, top + 1, c + 1]);
    });
  } else add(names, 'header');
  for (const spec of l.body) {
    if (spec.kind === 'blank') add([], 'blank');
    else if (spec.kind === 'titleOnly') {
      const row: CellValue[] = new Array(width).fill('');
      row[titleCol] = spec.cells.s;
      add(row, titleCol === 0 ? 'section' : 'task');
    } else if (spec.kind === 'section' || spec.kind === 'note') {
      const at = spec.kind === 'section' ? Math.min(spec.at === 2 ? titleCol : 0, width - 1) : 0;
      const row: CellValue[] = new Array(width).fill('');
      row[at] = spec.cells.s as string;
      const r = add(row, spec.kind);
      const right = Math.min(width, at + 1 + spec.span);
      if (right > at + 1) merges.push([r, at + 1, r, right]);
    } else {
      const cells = spec.cells as Record<string, CellValue>;
      const row = names.map((n) => cells[n] ?? '');
      const r = add(row, spec.kind);
      // a horizontal merge from 工作任务 over `span` more cells (not over 序号 or 牵头单位, which keep
      // the row more than a lone heading text)
      const right = Math.min(width, titleCol + 1 + spec.span);
      const covered = names.slice(titleCol + 1, right);
      if (
        spec.kind === 'task' &&
        right > titleCol + 1 &&
        !covered.includes('序号') &&
        !covered.includes('牵头单位')
      ) {
        for (let c = titleCol + 1; c < right; c++) row[c] = '';
        merges.push([r, titleCol + 1, r, right]);
      }
    }
  }
  return { ...sheet(rows, merges), expected };
}

describe('R4: the reader never loses a row of a generated sheet', () => {
  it('R4: one entry per input row, in order, each with the kind it was generated as, in both shapes', () => {
    fc.assert(
      fc.property(ledger, (l) => {
        const { excel, xlsx, expected } = build(l);
        for (const values of [excel, xlsx]) {
          const r = readLedger(values, { firstRow: l.firstRow, year: 2026 });
          expect(r.rows.map((x) => x.row)).toEqual(values.map((_, i) => l.firstRow + i));
          expect(r.rows.map((x) => x.kind)).toEqual(expected);
          // every generated task row is a task (or, made without a title, an error row) — never lost
          const taskRows = expected.flatMap((k, i) => (k === 'task' ? [l.firstRow + i] : []));
          expect(r.tasks.map((t) => t.row)).toEqual(taskRows);
          for (const row of r.rows) if (row.kind === 'error') expect(row.message).toContain(`第${row.row}行`);
          for (const p of r.problems) expect(p.row).toBeGreaterThanOrEqual(l.firstRow);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('R4: arbitrary input never breaks the reader', () => {
  const cell: fc.Arbitrary<CellValue> = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(...HEADER, ...SECTIONS, ...NOTES, ...TITLES, '', '　', '（2）', '3-1'),
    fc.double({ noNaN: false }),
    fc.integer({ min: -5, max: 80_000 }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  );
  const values = fc.array(fc.array(cell, { maxLength: 14 }), { maxLength: 40 });

  it('R4: any 2-D array of cell values (with or without a header) gives one row entry per input row, in order', () => {
    fc.assert(
      fc.property(values, fc.boolean(), (vals, withHeader) => {
        const input = withHeader ? [HEADER, ...vals] : vals;
        const r = readLedger(input, { year: 2026 });
        expect(r.rows.map((x) => x.row)).toEqual(input.map((_, i) => i + 1));
        const taskRows = new Set(r.tasks.map((t) => t.row));
        for (const row of r.rows) expect(row.kind === 'task').toBe(taskRows.has(row.row));
      }),
      { numRuns: 200 },
    );
  });

  it('R4: parseDeadline reads any text or number without throwing, and an Excel serial round-trips', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.integer()), (v) => {
        const d = parseDeadline(v, 2026);
        expect(d.date === null || /^\d{4}-\d{2}-\d{2}$/.test(d.date)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(Date.UTC(1900, 2, 1)),
          max: new Date(Date.UTC(2199, 11, 31)),
          noInvalidDate: true,
        }),
        (dt) => {
          const iso = dt.toISOString().slice(0, 10);
          expect(excelSerialToIsoDate(isoDateToExcelSerial(iso))).toBe(iso);
        },
      ),
    );
  });
});
