// 督检汇总 in the workbook (R20, R21): the round-up the pane reads from the backend is also written as a
// sheet of its own (督检汇总2026Q1), ready to print, with a chart. An existing sheet of that name is never
// replaced without the clerk's word: the first run reports it, the pane asks 替换 / 取消.
import type { RoundupView } from '../api/client.js';
import { TIE_RULE } from '../../../shared/rules/ranking.js';
import {
  roundupSheetName,
  writeRoundupSheet,
  type ExcelHost,
  type RoundupSheet,
  type SetSupported,
} from '../excel/workbook.js';
import { failure, type Outcome } from './actions.js';

const STATE_NAME: Record<string, string> = { none: '无', yellow: '黄牌', orange: '橙牌', red: '红牌' };
const QUARTER = ['一', '二', '三', '四'];

/** 2026-Q1 → 2026年第一季度, 2026-03 → 2026年3月. */
export function roundupPeriodLabel(period: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return `${q[1]}年第${QUARTER[Number(q[2]) - 1]}季度`;
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  return period;
}

/** The backend's round-up as the sheet shows it: ranked units first, units listed apart after them. */
export function roundupSheetOf(view: RoundupView, ledgerId: string, today: string): RoundupSheet {
  const cardsOf = (u: RoundupView['units'][number], color: string) => {
    const cards = (u as { cards?: unknown }).cards;
    return Array.isArray(cards)
      ? cards.filter((c) => (c as { color?: unknown } | null)?.color === color).length
      : 0;
  };
  const apart = view.units.some((u) => u.rank === null);
  return {
    period: view.period,
    title: `督检汇总（${roundupPeriodLabel(view.period)}）`,
    subtitle:
      `${ledgerId} · ${today} 生成。${TIE_RULE}。` +
      (apart ? '本期无到期任务的单位列于表末，不参与排名。' : ''),
    units: view.units.map((u) => ({
      unit: u.unit,
      rank: u.rank,
      score: u.score,
      yellow: cardsOf(u, 'yellow'),
      orange: cardsOf(u, 'orange'),
      red: Math.max(cardsOf(u, 'red'), u.state === 'red' ? 1 : 0),
      overdue: u.overdue.length,
      lagging: u.lagging.length,
      state: STATE_NAME[u.state ?? 'none'] ?? u.state ?? '',
    })),
  };
}

export interface RoundupSheetResult extends Outcome {
  /** Set when a sheet of that name exists and was left alone: the pane asks whether to replace it. */
  exists?: string;
}

/** Writes the round-up sheet (two syncs); `replace` only after the clerk said 替换. */
export async function writeRoundupToWorkbook(
  env: { excel: ExcelHost; isSetSupported: SetSupported },
  view: RoundupView,
  ledgerId: string,
  today: string,
  replace: boolean,
): Promise<RoundupSheetResult> {
  try {
    const outcome = await writeRoundupSheet(
      env.excel,
      env.isSetSupported,
      roundupSheetOf(view, ledgerId, today),
      { replace },
    );
    if (outcome.status === 'exists')
      return {
        level: 'info',
        text: `工作簿中已有工作表“${outcome.sheetName}”，是否替换为本次汇总？`,
        exists: outcome.sheetName,
      };
    return {
      level: 'success',
      text:
        `已${replace ? '替换' : '写入'}工作表“${outcome.sheetName}”（排名表与得分、亮牌图表）。` +
        (outcome.pageLayout
          ? ''
          : '此版本 Excel 不支持打印设置（需 Excel 2019 及以上），请在“页面布局”中设为 A4。'),
    };
  } catch (err) {
    const f = failure(err);
    return { ...f, text: `未能写入工作表“${roundupSheetName(view.period)}”：${f.text}` };
  }
}
