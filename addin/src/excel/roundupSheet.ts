// 督检汇总 as a sheet of the workbook (R20, R21): the ranking table formatted for printing and a native
// chart, in two syncs; an existing sheet of that name is replaced only when the clerk says so.
import { columnLetter } from '../../../shared/ledger/cells.js';
import type { ExcelHost, SetSupported } from './host.js';

/** One unit's line of the round-up sheet (R20: rank, score, cards; R21: the period's figures). */
export interface RoundupSheetUnit {
  unit: string;
  /** Null when the unit had nothing due and is listed apart (不参与排名). */
  rank: number | null;
  score: number;
  yellow: number;
  orange: number;
  red: number;
  overdue: number;
  lagging: number;
  /** The unit's card state now: 无, 黄牌, 橙牌, 红牌. */
  state: string;
}
export interface RoundupSheet {
  /** As the backend names it: 2026-Q1, 2026-03. */
  period: string;
  /** The printed title, e.g. 督检汇总（2026年第一季度）. */
  title: string;
  /** The line under the title: ledger, period, the day it was made, the tie rule. */
  subtitle: string;
  units: RoundupSheetUnit[];
}

/** The round-up sheet's columns: 排名, 单位, 得分, 黄牌, 橙牌, 红牌 (the chart's source B:F), then the rest. */
export const ROUNDUP_COLUMNS = [
  '排名',
  '单位',
  '得分',
  '黄牌',
  '橙牌',
  '红牌',
  '逾期任务',
  '滞后任务',
  '当前亮牌',
];
/**
 * Column widths in points: 排名/得分/牌 fit their header and figures on one line (never wrap), 单位 takes
 * the rest; the sum (496 pt) fits an A4 portrait page (595 pt) inside 0.5-inch margins.
 */
const ROUNDUP_WIDTHS = [40, 150, 48, 34, 34, 34, 52, 52, 52];
/** The header row the printed pages repeat (row 1 title, row 2 subtitle). */
const ROUNDUP_HEADER_ROW = 3;

/** R21: the sheet a period's round-up is written to: 督检汇总2026Q1, 督检汇总2026年03月. */
export function roundupSheetName(period: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return `督检汇总${quarter[1]}Q${quarter[2]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return `督检汇总${month[1]}年${month[2]}月`;
  // Any other period keeps only what a sheet name may hold (R21 names quarterly and monthly ones).
  return `督检汇总${period.replace(/[:\\/?*[\]']/g, '')}`.slice(0, 31);
}

export type RoundupSheetOutcome =
  | { status: 'exists'; sheetName: string; syncs: number }
  | { status: 'written'; sheetName: string; syncs: number; pageLayout: boolean };

/**
 * R20/R21 in the workbook: the round-up as a sheet of its own, ready to print (A4 portrait, title, the
 * header row repeated on each page) with a clustered column chart of the scores and cards per unit.
 * Sync 1 reads the sheet names; an existing sheet of that name is replaced only when `replace` is set
 * (the pane asks the clerk first), else the outcome says it exists and nothing is written. Sync 2
 * writes everything. Page setup needs ExcelApi 1.9; below it the sheet is written without it.
 */
export async function writeRoundupSheet(
  host: ExcelHost,
  isSetSupported: SetSupported,
  roundup: RoundupSheet,
  opts: { replace: boolean },
): Promise<RoundupSheetOutcome> {
  const sheetName = roundupSheetName(roundup.period);
  return host.run(async (context) => {
    const sheets = context.workbook.worksheets;
    sheets.load('items/name');
    await context.sync();
    // Excel compares sheet names case-insensitively.
    const existing = sheets.items.find((s) => s.name.toLowerCase() === sheetName.toLowerCase());
    if (existing && !opts.replace) return { status: 'exists', sheetName: existing.name, syncs: 1 };

    if (isSetSupported('ExcelApi', '1.9')) context.workbook.application.suspendScreenUpdatingUntilNextSync();
    if (existing) existing.delete();
    const sheet = sheets.add(sheetName);
    const n = roundup.units.length;
    const lastCol = columnLetter(ROUNDUP_COLUMNS.length - 1);
    const lastRow = ROUNDUP_HEADER_ROW + Math.max(n, 1);
    sheet.getRange('A1').values = [[roundup.title]];
    sheet.getRange(`A1:${lastCol}1`).merge();
    sheet.getRange('A1').format.font.bold = true;
    sheet.getRange('A1').format.font.size = 16;
    sheet.getRange('A1').format.horizontalAlignment = 'Center';
    sheet.getRange('A2').values = [[roundup.subtitle]];
    sheet.getRange(`A2:${lastCol}2`).merge();
    sheet.getRange(`A2:${lastCol}2`).format.wrapText = true;
    const header = sheet.getRange(`A${ROUNDUP_HEADER_ROW}:${lastCol}${ROUNDUP_HEADER_ROW}`);
    header.values = [ROUNDUP_COLUMNS];
    header.format.font.bold = true;
    header.format.horizontalAlignment = 'Center';
    header.format.fill.color = '#D9D9D9';
    ROUNDUP_WIDTHS.forEach((w, c) => {
      // A cell's columnWidth is its whole column's width.
      sheet.getRange(`${columnLetter(c)}${ROUNDUP_HEADER_ROW}`).format.columnWidth = w;
    });
    if (n === 0) {
      sheet.getRange(`A${ROUNDUP_HEADER_ROW + 1}`).values = [['本期暂无汇总数据']];
    } else {
      const body = sheet.getRange(`A${ROUNDUP_HEADER_ROW + 1}:${lastCol}${lastRow}`);
      // Text columns as text, so a unit named =… stays a name; 得分 with two decimals (R20).
      body.numberFormat = roundup.units.map(() => ['General', '@', '0.00', '0', '0', '0', '0', '0', '@']);
      body.values = roundup.units.map((u) => [
        u.rank === null ? '不参与排名' : u.rank,
        u.unit,
        u.score,
        u.yellow,
        u.orange,
        u.red,
        u.overdue,
        u.lagging,
        u.state,
      ]);
      body.format.wrapText = false;
      sheet.getRange(`A${ROUNDUP_HEADER_ROW + 1}:A${lastRow}`).format.horizontalAlignment = 'Center';
      sheet.getRange(`B${ROUNDUP_HEADER_ROW + 1}:B${lastRow}`).format.wrapText = true;
    }
    // The chart below the table: 单位 as categories, 得分 and the three card counts as series.
    const chartTop = lastRow + 2;
    const chart = sheet.charts.add(
      'ColumnClustered' as Excel.ChartType,
      sheet.getRange(`B${ROUNDUP_HEADER_ROW}:F${lastRow}`),
      'Columns' as Excel.ChartSeriesBy,
    );
    chart.title.text = '各单位得分与亮牌';
    chart.dataLabels.showValue = true;
    chart.setPosition(`A${chartTop}`, `${lastCol}${chartTop + 18}`);
    const pageLayout = isSetSupported('ExcelApi', '1.9');
    if (pageLayout) {
      sheet.pageLayout.paperSize = 'A4' as Excel.PaperType;
      sheet.pageLayout.orientation = 'Portrait' as Excel.PageOrientation;
      sheet.pageLayout.leftMargin = 36;
      sheet.pageLayout.rightMargin = 36;
      sheet.pageLayout.centerHorizontally = true;
      sheet.pageLayout.setPrintTitleRows(`$${ROUNDUP_HEADER_ROW}:$${ROUNDUP_HEADER_ROW}`);
      sheet.pageLayout.setPrintArea(`A1:${lastCol}${chartTop + 18}`);
    }
    // The active sheet stays the ledger: every ribbon command reads the active sheet.
    await context.sync();
    return { status: 'written', sheetName, syncs: 2, pageLayout };
  });
}
