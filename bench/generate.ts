// A generated ledger of N task rows in the office's layout: title, 填报单位 line, header, merged section
// rows every 50 tasks, every deadline form of R4, decomposed rows, a note at the end.
import ExcelJS from 'exceljs';
import { SAMPLE_HEADER, SAMPLE_KINDS } from '../test/support/sampleLayout.js';

const UNITS = Array.from({ length: 300 }, (_, i) => `县第${i + 1}局`);
const DEADLINES = [
  '2026年6月30日',
  '2026.9.30',
  '2026-10-31',
  '2026年12月底前',
  '6月底前',
  '年底前',
  '2026年10月',
  '每月',
  '每季度',
  '长期坚持',
];
const KINDS = SAMPLE_KINDS;
const STARS = ['★★★', '★★★★', '★★★★★', '', '4星'];

export async function writeLedger(file: string, tasks: number): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('重点工作台账');
  const header = [...SAMPLE_HEADER];
  ws.addRow(['友谊县2026年重点工作落实“四个体系”台账']);
  ws.mergeCells(1, 1, 1, header.length);
  ws.addRow(['填报单位：县政府督办检查室']);
  ws.mergeCells(2, 1, 2, header.length);
  ws.addRow(header);
  for (let i = 0; i < tasks; i++) {
    if (i % 50 === 0) {
      const r = ws.addRow([`${'一二三四五六七八九十'[(i / 50) % 10]}、第${i / 50 + 1}类工作`]);
      ws.mergeCells(r.number, 1, r.number, header.length);
    }
    const kind = KINDS[i % 3]!;
    const no = i % 7 === 6 ? `${i - (i % 7)}-${i % 7}` : String(i + 1);
    const deadline = i % 11 === 0 ? new Date(Date.UTC(2026, i % 12, 28)) : DEADLINES[i % DEADLINES.length]!;
    ws.addRow([
      no,
      '2026年县政府工作报告',
      `第${i + 1}项重点工作，完成目标${(i % 90) + 10}个`,
      '细化措施，按月调度，及时协调解决问题。',
      i % 97 === 0 ? null : `领导${i % 20}`,
      UNITS[i % UNITS.length],
      `${UNITS[(i + 1) % UNITS.length]}、${UNITS[(i + 2) % UNITS.length]}`,
      deadline,
      kind,
      STARS[i % STARS.length],
      i % 2 ? '按计划推进。' : null,
      kind === '重大项目建设类' ? '3月底前完成立项；6月底前开工建设；10月底前主体完工' : null,
    ]);
  }
  ws.addRow([]);
  ws.addRow(['注：星级由县政府督办检查室按“赋星”管理规定确定。']);
  await wb.xlsx.writeFile(file);
}
