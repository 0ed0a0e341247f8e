// The documents the office sends and files (友政办发〔2023〕1号 二（二）, R21), as plain structured values:
// what a document says, in which order, decided here; functions/documents renders it to .docx.
// The layout follows the county's 公文 habit (GB/T 9704): 红头 issuer, number, 主送, body, 落款, 版记.
import type { IsoDate } from '../model.js';
import { periodRange } from '../dates.js';

/** The issuing office (the 红头 line and the signature). */
export const OFFICE_NAME = '友谊县人民政府督办检查室';

/** The notice every letter and report rests on. */
export const NOTICE_CITATION =
  '《友谊县人民政府办公室关于进一步深化“四个体系”工作机制强化督查检查推动重点工作落实的通知》（友政办发〔2023〕1号）';

/** 提示函, 预警通知书, 督检汇总报告, and a red card's 通报 (通报批评, R12) and 专题报告 (to 县委, R12). */
export type DocumentKind = 'tishihan' | 'yujing' | 'roundup' | 'tongbao' | 'zhuanti';

export interface TableColumn {
  title: string;
  /** Relative width (the renderer scales the columns to the page). */
  width: number;
  align?: 'left' | 'center';
  /**
   * The column is as wide as its widest cell and its cells never wrap (序号, 完成时限, 排名, 星级: a date or
   * ★★★★★ split over two lines misreads).
   */
  nowrap?: boolean;
}

export type Block =
  /** Body text, first line indented two characters unless `indent` is false. */
  | { kind: 'paragraph'; text: string; indent?: boolean }
  /** Level 1 (一、 黑体) or level 2 (（一） 楷体) heading. */
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'table'; columns: TableColumn[]; rows: string[][] };

export interface DocumentContent {
  kind: DocumentKind;
  /** The file name a clerk saves it under, e.g. 友政督提〔2026〕7号.docx. */
  fileName: string;
  /** The 红头 line. */
  issuer: string;
  /** R14 number (letters); null for the round-up report. */
  docNo: string | null;
  title: string;
  /** 主送: the units (or 县人民政府) the document is addressed to. */
  addressees: string[];
  blocks: Block[];
  /** 落款 and 成文日期. */
  signature: { issuer: string; date: IsoDate; dateText: string };
  /** 版记: who prints it and when (印发). */
  imprint: { issuer: string; dateText: string };
  /** 附注 under the date, in parentheses (e.g. the office's contact person and phone); none when absent. */
  note?: string | null;
  /** 抄送 (in the 版记), e.g. the leader in charge; none when empty. */
  cc?: string[];
  /** 附件: each on a page of its own after the signature, named in the 附件说明 under the body (GB/T 9704 7.3). */
  attachments?: { title: string; blocks: Block[] }[];
}

/**
 * 成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros: 2026年3月17日 (the older
 * all-characters style 二〇二六年三月十七日 was dropped by that standard).
 */
export function chineseDate(d: IsoDate): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${day}日`;
}

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 17 → 十七, 31 → 三十一, 99 → 九十九 (headings and quarters need no more). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return DIGITS[n] as string;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

/** A period label as the report names it: 2026-Q1 → 2026年第一季度, 2026-03 → 2026年3月, 2026-W09 → 2026年第9周, 2026 → 2026年度. */
export function periodName(period: string): string {
  let m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (m) return `${m[1]}年第${chineseNumber(Number(m[2]))}季度`;
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  m = /^(\d{4})-W(\d{2})$/.exec(period);
  if (m) return `${m[1]}年第${Number(m[2])}周`;
  m = /^(\d{4})$/.exec(period);
  if (m) return `${m[1]}年度`;
  const range = periodRange(period);
  return range ? chineseDate(range.start) : period;
}

/** Characters Windows and Office refuse in a file name, replaced by a full-width look-alike or removed. */
export function safeFileName(name: string): string {
  return (
    name
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .replace(/[\\/]/g, '－')
      .replace(/:/g, '：')
      .replace(/\*/g, '＊')
      .replace(/\?/g, '？')
      .replace(/"/g, '“')
      .replace(/</g, '＜')
      .replace(/>/g, '＞')
      .replace(/\|/g, '｜')
      .trim()
  );
}

/** Stars as the ledger shows them: 3 → ★★★. */
export function starsText(stars: number | null): string {
  return stars ? '★'.repeat(stars) : '未赋星';
}

/** Units counted in whole things: a figure in them is a whole number (no 295.89 people). */
const COUNT_UNITS = new Set([
  '人',
  '名',
  '个',
  '项',
  '户',
  '家',
  '座',
  '套',
  '所',
  '间',
  '台',
  '辆',
  '次',
  '件',
  '处',
  '张',
  '批',
]);

/**
 * A figure as a report prints it, rounded as its unit reads: whole numbers for counted things (人, 个,
 * 项), at most two decimals otherwise (万元 12.35, % 87.5), never trailing zeros.
 */
export function formatFigure(n: number, unit: string | null = null): string {
  if (!Number.isFinite(n)) return String(n);
  if (unit && COUNT_UNITS.has(unit.trim())) return String(Math.round(n));
  return String(Number(n.toFixed(2)));
}
