// The documents as a reader sees them (GB/T 9704): each .docx rendered by LibreOffice to PDF, the words
// and their positions read back with pdftotext -bbox, the pages kept as PNG in test-output/documents/.
// R8, R11, R12, R21: 28 characters on a full body line and 22 lines a page, the page number at the outer
// side one character in, the 版记 at the foot of the last page, titles and table headers never split
// inside a word, dates and stars never wrapped, no page holding only the signature.
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../../shared/calendar.js';
import { makeSettings } from '../../../shared/settings.js';
import type { Feedback, UnitEvent } from '../../../shared/model.js';
import { reminderSchedule } from '../../../shared/rules/schedule.js';
import { roundupReport, type RoundupTask } from '../../../shared/rules/roundup.js';
import {
  cardLetter,
  redCardDocument,
  roundupDocument,
  type DocumentContent,
  type LetterTask,
} from '../../../shared/documents/index.js';
import { GRID, renderDocx } from '../../../functions/documents/render.js';
import { words } from '../../../functions/documents/words.js';
import { MM, linesOf, renderPdf, type Line, type Rendered } from './pdf.js';

const settings = makeSettings({
  letters: {
    contactPerson: '王敏',
    contactPhone: '0451-5712345',
    electronicTo: 'dbjcs@youyi.gov.cn',
    yujingCc: ['县政府分管副县长'],
    redCc: ['县委办公室'],
  },
});
const calendar = makeCalendar(settings);

/** The type area (版心) in points from the page's top-left: margins 37 / 28 / 26 / 35 mm. */
const AREA = { top: 37 * MM, left: 28 * MM, right: (210 - 26) * MM, bottom: (297 - 35) * MM };
/** One character of 4号 (14 pt): the page number's indent from the type area's edge. */
const ONE_4HAO = 14;

const UNIT = '县住建局';
const letterTasks: LetterTask[] = [
  {
    id: 'A1',
    no: '12',
    title: '实施城区老旧小区改造工程，完成改造120个小区，惠及居民8600户',
    leadUnit: UNIT,
    supportUnits: ['县财政局', '县自然资源局'],
    deadline: { text: '2026年10月底前', date: '2026-10-31', recurrence: null },
  },
  {
    id: 'A2',
    no: '13',
    title: '城区供热管网改造',
    leadUnit: UNIT,
    supportUnits: ['县发改局'],
    deadline: { text: '', date: '2026-09-30', recurrence: null },
  },
];

function yellow(): DocumentContent {
  return cardLetter({
    card: {
      id: 'y1',
      unit: UNIT,
      color: 'yellow',
      reason: '上报材料不及时',
      taskIds: ['A1', 'A2'],
      date: '2026-03-17',
      docNo: '友政督提〔2026〕7号',
    },
    tasks: letterTasks,
    facts: [
      {
        kind: 'feedback',
        taskId: 'A1',
        period: '2026-02',
        sentOn: '2026-02-13',
        channels: ['短信', '邮件'],
        feedbackDue: '2026-02-25',
        receivedOn: null,
      },
      {
        kind: 'feedback',
        taskId: 'A2',
        period: '2026-02',
        sentOn: '2026-02-13',
        channels: ['短信'],
        feedbackDue: '2026-02-25',
        receivedOn: '2026-03-02',
      },
    ],
    settings,
    calendar,
  });
}

function orange(): DocumentContent {
  return cardLetter({
    card: {
      id: 'o1',
      unit: UNIT,
      color: 'orange',
      reason: '工作进展缓慢',
      taskIds: ['A1', 'A2'],
      date: '2026-04-02',
      docNo: '友政督警〔2026〕3号',
    },
    tasks: letterTasks,
    facts: [
      {
        kind: 'indicator',
        taskId: 'A1',
        checkpoint: '2026-03-31',
        reported: 12,
        expected: 29.59,
        target: 120,
        unit: '个',
      },
      { kind: 'milestone', taskId: 'A2', text: '完成管网招标', date: '2026-03-10' },
    ],
    settings,
    calendar,
  });
}

/** A quarter of 9 units: enough to fill the 报告's pages and a multi-page 附件. */
function roundup(): DocumentContent {
  const units = [
    '县住建局',
    '县财政局',
    '县教育局',
    '县水利局',
    '县交通运输局',
    '县农业农村局',
    '县卫生健康局',
    '县商务局',
    '县档案馆',
  ];
  const tasks: RoundupTask[] = units.slice(0, 8).flatMap((unit, u) =>
    [0, 1, 2].map((i) => ({
      id: `T${u}${i}`,
      no: String(u * 3 + i + 1),
      title: `${unit.replace('县', '')}重点工作任务第${i + 1}项：推进项目建设和民生实事落地见效`,
      leadUnit: unit,
      stars: (i === 0 ? 5 : i === 1 ? 4 : 3) as 3 | 4 | 5,
      closed: i === 2 && u % 2 === 0,
      deadline: { text: '', date: i === 2 ? '2026-03-20' : '2026-12-31', recurrence: null },
      milestones: i === 0 ? [{ date: '2026-03-15', text: '完成项目前期手续' }] : [],
      target: i === 1 ? { value: 1200, unit: '人' } : null,
      reported: i === 1 ? 100 + u * 40 : null,
    })),
  );
  const reminders = reminderSchedule(
    tasks.map((t) => ({
      id: t.id,
      no: t.no,
      leadUnit: t.leadUnit!,
      stars: t.stars!,
      closed: false,
      milestones: t.milestones,
    })),
    '2026-01-01',
    '2026-03-31',
    calendar,
    settings,
  );
  const feedback: Feedback[] = reminders
    .filter((_, i) => i % 3 !== 0)
    .map((r, i) => ({
      taskId: r.taskId,
      unit: r.leadUnit,
      period: r.period,
      receivedOn: i % 4 === 0 ? calendar.addWorkingDays(r.feedbackDue, 2) : r.sendOn,
      text: '按计划推进，已完成阶段性目标',
      value: null,
    }));
  const events: UnitEvent[] = [
    {
      type: 'card',
      unit: '县教育局',
      color: 'yellow',
      date: '2026-02-10',
      id: 'y',
      reason: '上报材料不及时',
      docNo: '友政督提〔2026〕2号',
    },
    {
      type: 'card',
      unit: '县水利局',
      color: 'orange',
      date: '2026-03-02',
      id: 'o',
      reason: '工作进展缓慢',
      docNo: '友政督警〔2026〕1号',
    },
  ];
  const report = roundupReport({
    period: '2026-Q1',
    units,
    tasks,
    reminders,
    feedback,
    events,
    asOf: '2026-04-08',
    settings,
    calendar,
  });
  return roundupDocument(report, { settings });
}

function red(kind: 'tongbao' | 'zhuanti'): DocumentContent {
  return redCardDocument({
    kind,
    card: {
      id: 'r1',
      unit: UNIT,
      color: 'red',
      reason: '一年内被约谈2次以上',
      taskIds: ['A1', 'A2'],
      date: '2026-06-10',
      docNo: null,
    },
    cards: [
      {
        id: 'y1',
        color: 'yellow',
        date: '2026-03-17',
        reason: '上报材料不及时',
        docNo: '友政督提〔2026〕7号',
        taskIds: ['A2'],
      },
      {
        id: 'o1',
        color: 'orange',
        date: '2026-04-02',
        reason: '工作进展缓慢',
        docNo: '友政督警〔2026〕3号',
        taskIds: ['A1'],
        rectifyBy: '2026-04-17',
        rectifiedOn: null,
      },
    ],
    interviews: [
      { type: 'interview', unit: UNIT, date: '2026-04-08', leader: '张副县长', interviewee: '住建局赵局长' },
      { type: 'interview', unit: UNIT, date: '2026-06-10', leader: '张副县长', interviewee: '住建局赵局长' },
    ],
    tasks: letterTasks.map((t) => ({
      ...t,
      closed: false,
      latest: '已完成改造45个小区（2026年6月5日反馈）',
    })),
    settings,
  });
}

const isBodyLine = (l: Line) =>
  l.xMin >= AREA.left - 1 && l.xMin <= AREA.left + 40 && l.yMax > AREA.top && l.yMax < AREA.bottom;
const cjkOnly = (t: string) => !/[\x20-\x7e]/.test(t);
const pageNumberLine = (lines: Line[]) => lines.find((l) => /^—\d+—$/.test(l.text));

/** The layout facts every document must show. */
function checkLayout(r: Rendered, content: DocumentContent) {
  const pages = r.pages.map(linesOf);
  // 28 characters on a full body line: every line that runs to the right edge and holds only Chinese.
  const full = pages
    .flat()
    .filter(
      (l) =>
        isBodyLine(l) &&
        l.xMax > AREA.right - 8 &&
        l.xMax < AREA.right + 1.5 &&
        cjkOnly(l.text) &&
        l.xMin < AREA.left + 2,
    );
  expect(full.length, 'full body lines').toBeGreaterThan(0);
  const counts = full.map((l) => [...l.text].length);
  expect(Math.max(...counts)).toBe(GRID.charsPerLine);
  // A line ends short only where the next characters may not start a line (，。”） kinsoku) or a number
  // or date must stay whole: most full lines hold exactly 28.
  expect(counts.filter((n) => n === GRID.charsPerLine).length / counts.length).toBeGreaterThan(0.5);
  // Nothing spills past the right edge of the type area but hanging punctuation.
  for (const l of pages.flat())
    if (l.yMax > AREA.top && l.yMax < AREA.bottom) expect(l.xMax, l.text).toBeLessThan(AREA.right + 16);

  // 22 lines a page: body lines are the grid's pitch apart (225 mm ÷ 22), 22 of them fill the type area.
  const pitch = GRID.linePitch / 20;
  const page1Body = pages[0]!.filter((l) => isBodyLine(l) && l.text.length > 3);
  const steps = page1Body.slice(1).map((l, i) => l.yMax - page1Body[i]!.yMax);
  expect(steps.filter((s) => Math.abs(s - pitch) < 0.6).length).toBeGreaterThan(2);
  expect(Math.floor((AREA.bottom - AREA.top + 0.5) / pitch)).toBe(GRID.linesPerPage);

  // Page numbers: "— n —" 4号, odd pages on the right and even pages on the left, one character in.
  pages.forEach((lines, i) => {
    const n = pageNumberLine(lines);
    expect(n?.text, `page ${i + 1}`).toBe(`—${i + 1}—`);
    if ((i + 1) % 2 === 1) expect(Math.abs(n!.xMax - (AREA.right - ONE_4HAO))).toBeLessThan(2);
    else expect(Math.abs(n!.xMin - (AREA.left + ONE_4HAO))).toBeLessThan(2);
    // Under the type area, about 7 mm below it.
    expect(n!.yMin).toBeGreaterThan(AREA.bottom + 3 * MM);
    expect(n!.yMin).toBeLessThan(AREA.bottom + 12 * MM);
  });

  // 版记 at the foot of the last page: its 印发 line ends at the bottom of the type area.
  const last = pages.at(-1)!;
  const imprint = last.find((l) => l.text.endsWith('印发'));
  expect(imprint?.text).toBe(`${content.imprint.issuer}${content.imprint.dateText}印发`);
  expect(AREA.bottom - imprint!.yMax).toBeLessThan(12);
  expect(AREA.bottom - imprint!.yMax).toBeGreaterThan(-2);
  for (const p of pages.slice(0, -1)) expect(p.some((l) => l.text.endsWith('印发'))).toBe(false);

  // A paragraph that leads into a table (…如下：) is never the last line of a page, away from its table.
  for (const [i, p] of pages.entries()) {
    const text = p.filter((l) => l.yMax < AREA.bottom + 1);
    expect(text.at(-1)?.text.endsWith('如下：'), `page ${i + 1} ends with “如下：”`).toBe(false);
  }

  // No page with only the signature: the line above the 落款 on its page is body text.
  const sigPage = pages.findIndex((p) => p.some((l) => l.text === content.signature.dateText));
  const sig = pages[sigPage]!;
  const sigIndex = sig.findIndex((l) => l.text === content.signature.issuer);
  expect(sigIndex, 'the signature has body text above it on its page').toBeGreaterThan(0);
  expect(sig.slice(0, sigIndex).some((l) => isBodyLine(l) && l.text.length > 3)).toBe(true);

  // The title: each of its lines whole words.
  const title = pages[0]!.filter(
    (l) => content.title.includes(l.text) && l.text.length >= 4 && l.yMax < AREA.top + 240,
  );
  expect(title.map((l) => l.text).join('')).toBe(content.title);
  const pieces = words(content.title);
  let at = 0;
  const cuts = new Set(pieces.map((p) => (at += [...p].length)));
  let joined = 0;
  for (const l of title.slice(0, -1)) {
    joined += [...l.text].length;
    expect(cuts.has(joined), `title broken inside a word after “${l.text}”`).toBe(true);
  }

  // Table headers: every word of every header on one line; dates and stars never wrapped.
  const allText = pages.flat().map((l) => l.text);
  for (const table of [...content.blocks, ...(content.attachments ?? []).flatMap((a) => a.blocks)])
    if (table.kind === 'table') {
      for (const c of table.columns)
        for (const w of words(c.title))
          expect(
            allText.some((t) => t.includes(w)),
            `header word ${w}`,
          ).toBe(true);
      table.columns.forEach((c, i) => {
        if (!c.nowrap) return;
        // Each line of the cell (a cell may hold explicit lines, e.g. 75% over （12/16）) whole on a line.
        for (const row of table.rows)
          for (const part of (row[i] ?? '').split('\n'))
            if (part && part !== '—')
              expect(
                allText.some((t) => t.includes(part)),
                `${c.title} ${part}`,
              ).toBe(true);
      });
    }
  return pages;
}

describe('documents on the page (GB/T 9704), rendered by LibreOffice', () => {
  it('R8: the 提示函 — 28 × 22, page numbers outside, 版记 at the foot, reply-by date, reply form, contact and the facts with figures', async () => {
    const content = yellow();
    const r = await renderPdf('tishihan', await renderDocx(content));
    const pages = checkLayout(r, content);
    const text = pages
      .flat()
      .map((l) => l.text)
      .join('');
    expect(text).toContain('于2026年3月24日前将改进落实情况书面报送县政府督办检查室');
    expect(text).toContain('加盖单位公章');
    expect(text).toContain('dbjcs@youyi.gov.cn');
    expect(text).toContain('联系人：王敏，联系电话：0451-5712345');
    expect(text).toContain(
      '2026年2月工作提示已于2026年2月13日通过短信、邮件送达你单位，要求于2026年2月25日前反馈进展，截至2026年3月17日未反馈',
    );
    expect(text).toContain('你单位2026年3月2日才反馈，已逾期');
  }, 120_000);

  it('R11: the 预警通知书 — 抄送 in the 版记 between full-width rules, figures with their units', async () => {
    const content = orange();
    const r = await renderPdf('yujing', await renderDocx(content));
    const pages = checkLayout(r, content);
    const last = pages.at(-1)!;
    const cc = last.find((l) => l.text.startsWith('抄送'));
    expect(cc?.text).toBe('抄送：县政府分管副县长。');
    const imprint = last.find((l) => l.text.endsWith('印发'))!;
    // The 抄送 line right above the 印发 line, both in the 版记 block at the foot.
    expect(imprint.yMax - cc!.yMax).toBeGreaterThan(20);
    expect(imprint.yMax - cc!.yMax).toBeLessThan(40);
    const text = pages
      .flat()
      .map((l) => l.text)
      .join('');
    expect(text).toContain(
      '全年目标120个，截至2026年3月31日按序时进度应完成30个，实报12个，为应完成值的40.6%',
    );
    // The page's number sits between the lines pdftotext reads where the paragraph turns the page.
    expect(text.replace(/—\d+—/g, '')).toContain(
      '节点“完成管网招标”应于2026年3月10日完成，截至2026年4月2日未完成',
    );
  }, 120_000);

  it('R20, R21: the 督检汇总报告 — numbered, 2–3 pages of body, the per-unit detail as 附件 on its own page', async () => {
    const content = roundup();
    const r = await renderPdf('roundup', await renderDocx(content));
    const pages = checkLayout(r, content);
    expect(pages[0]!.some((l) => l.text === '友政督报〔2026〕1号')).toBe(true);
    const attachmentPage = pages.findIndex((p) => p.some((l) => l.text === '附件' && l.xMin < AREA.left + 2));
    expect(attachmentPage, 'the 附件 starts a page').toBeGreaterThan(0);
    // 2–3 pages of body before the 附件 (with nine units the 落款, kept with the last body line, may
    // open a fourth page).
    expect(attachmentPage).toBeGreaterThanOrEqual(2);
    expect(attachmentPage).toBeLessThanOrEqual(4);
    const bodyEnd = pages.findIndex((p) => p.some((l) => l.text === '四、下步工作'));
    expect(bodyEnd).toBeLessThanOrEqual(2);
    const text = pages
      .flat()
      .map((l) => l.text)
      .join('');
    for (const h of ['一、总体情况', '二、排名情况', '三、存在问题', '四、下步工作', '特此报告。'])
      expect(text).toContain(h);
    expect(text).toContain('县档案馆本期无到期任务，不参与排名。');
    // Stars never wrap: ★★★★★ whole on its line.
    expect(pages.flat().some((l) => l.text.includes('★★★★★'))).toBe(true);
  }, 180_000);

  it('R12: the red card’s 通报批评 and 专题报告 drafts on the same page layout', async () => {
    for (const kind of ['tongbao', 'zhuanti'] as const) {
      const content = red(kind);
      const r = await renderPdf(kind, await renderDocx(content));
      const pages = checkLayout(r, content);
      expect(pages[0]![0]?.text).toBe('友谊县人民政府办公室');
      expect(pages.at(-1)!.some((l) => l.text === '抄送：县委办公室。')).toBe(true);
    }
  }, 180_000);
});
