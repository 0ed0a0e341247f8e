// The .docx files themselves: a real zip that Word opens, whose document.xml holds the 红头, the number,
// the title, the unit and the cited tasks, in the 公文 layout (A4, 仿宋/黑体, red issuer line).
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../../shared/calendar.js';
import { DEFAULT_SETTINGS } from '../../../shared/settings.js';
import { roundupReport } from '../../../shared/rules/roundup.js';
import { cardLetter, roundupDocument, type LetterTask } from '../../../shared/documents/index.js';
import { renderDocx } from '../../../functions/documents/render.js';
import { contentDisposition } from '../../../functions/documents/respond.js';
import { paragraphsOf, unzipDocx } from './docx.js';

const calendar = makeCalendar(DEFAULT_SETTINGS);
const tasks: LetterTask[] = [
  {
    id: 'A1',
    no: '3',
    title: '老旧小区改造120个 & 管网更新',
    leadUnit: '县住建局',
    supportUnits: ['县财政局'],
    deadline: { text: '2026年10月底前', date: '2026-10-31', recurrence: null },
  },
];

describe('a letter as .docx', () => {
  it('R14: the 提示函 is a Word file whose text has the 红头, the number, the title, the unit and the task', async () => {
    const content = cardLetter({
      card: {
        id: 'c1',
        unit: '县住建局',
        color: 'yellow',
        reason: '上报材料不及时',
        taskIds: ['A1'],
        date: '2026-03-17',
        docNo: '友政督提〔2026〕7号',
      },
      tasks,
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    const bytes = await renderDocx(content);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const files = unzipDocx(bytes);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'docProps/core.xml']),
    );
    const xml = files['word/document.xml'] as string;
    const text = paragraphsOf(xml);
    expect(text.slice(0, 4)).toEqual([
      '友谊县人民政府督办检查室',
      '友政督提〔2026〕7号',
      '重点工作督办提示函',
      '县住建局：',
    ]);
    // The cited task in its table row, & escaped and read back.
    expect(text).toEqual(
      expect.arrayContaining(['1', '3', '老旧小区改造120个 & 管网更新', '2026年10月底前']),
    );
    expect(text.slice(-3)).toEqual([
      '友谊县人民政府督办检查室',
      '2026年3月17日',
      '友谊县人民政府督办检查室2026年3月17日印发',
    ]);
    // 公文 layout: A4 portrait; the issuer in red 小标宋, body 仿宋, table header 黑体, East Asian language zh-CN —
    // each a named paragraph style, so a clerk can restyle the document in Word in one place.
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:pStyle w:val="DubanIssuer"\/>[\s\S]*?友谊县人民政府督办检查室/);
    const styles = files['word/styles.xml'] as string;
    const style = (id: string) =>
      new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>[\\s\\S]*?</w:style>`).exec(styles)?.[0] ?? '';
    expect(style('DubanIssuer')).toContain('w:color w:val="FF0000"');
    expect(style('DubanIssuer')).toContain('w:eastAsia="方正小标宋简体"');
    expect(style('DubanBody')).toContain('<w:name w:val="督办 正文"/>');
    expect(style('DubanCellHead')).toContain('w:eastAsia="黑体"');
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)?.[0] ?? '';
    expect(defaults).toContain('w:eastAsia="仿宋_GB2312"');
    expect(defaults).toContain('w:eastAsia="zh-CN"');
    expect(files['docProps/core.xml']).toContain('重点工作督办提示函（友政督提〔2026〕7号）');
  });

  it('R11: the 预警通知书 states the rectification deadline and goes to the responsible units too', async () => {
    const content = cardLetter({
      card: {
        id: 'c2',
        unit: '县住建局',
        color: 'orange',
        reason: '工作进展缓慢',
        taskIds: ['A1'],
        date: '2026-03-02',
        docNo: '友政督警〔2026〕3号',
      },
      tasks,
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    const text = paragraphsOf(unzipDocx(await renderDocx(content))['word/document.xml'] as string);
    expect(text.slice(1, 4)).toEqual([
      '友政督警〔2026〕3号',
      '重点工作督办预警通知书',
      '县住建局、县财政局：',
    ]);
    expect(text.join('\n')).toContain('于2026年3月16日前（10个工作日内）完成整改');
  });
});

describe('the round-up report as .docx', () => {
  it('R21: lists the units in rank order', async () => {
    const report = roundupReport({
      period: '2026-03',
      tasks: [
        {
          id: 'X',
          no: '1',
          title: '甲任务',
          leadUnit: '县甲局',
          stars: 4,
          closed: false,
          deadline: { text: '', date: '2026-03-10', recurrence: null },
          milestones: [],
        },
        {
          id: 'Y',
          no: '2',
          title: '乙任务',
          leadUnit: '县乙局',
          stars: 4,
          closed: true,
          deadline: { text: '', date: '2026-03-10', recurrence: null },
          milestones: [],
        },
      ],
      reminders: [],
      feedback: [],
      events: [],
      asOf: '2026-04-03',
      settings: DEFAULT_SETTINGS,
      calendar,
    });
    const text = paragraphsOf(
      unzipDocx(await renderDocx(roundupDocument(report)))['word/document.xml'] as string,
    );
    expect(text.slice(0, 4)).toEqual([
      '友谊县人民政府督办检查室',
      '友政督报〔2026〕3号',
      // The title set in two lines broken between words (a <w:br/> between runs).
      '关于2026年3月重点工作督检情况的汇总报告',
      '县人民政府：',
    ]);
    const first = text.indexOf('（一）县乙局（第1名，得分100.00）');
    const second = text.indexOf('（二）县甲局（第2名，得分40.00）');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
  });
});

describe('Content-Disposition', () => {
  it('gives the Chinese file name as RFC 5987 UTF-8 and an ASCII fallback', () => {
    const h = contentDisposition("友政督提〔2026〕7号 (副本)'.docx", 'tishihan-c1.docx');
    expect(h).toBe(
      'attachment; filename="tishihan-c1.docx"; filename*=UTF-8\'\'' +
        '%E5%8F%8B%E6%94%BF%E7%9D%A3%E6%8F%90%E3%80%942026%E3%80%957%E5%8F%B7%20%28%E5%89%AF%E6%9C%AC%29%27.docx',
    );
    const encoded = h.split("UTF-8''")[1] as string;
    expect(decodeURIComponent(encoded)).toBe("友政督提〔2026〕7号 (副本)'.docx");
  });
});
