// The ledger's year (R4): its title's, else the caller's, else the settings', else today's (R22: CST).
import type { IsoDate } from '../model.js';
import type { Settings } from '../settings.js';
import { chinaToday, yearOf } from '../dates.js';
import type { CellValue } from './cells.js';

// The ledger's year in its title: 友谊县2026年重点工作…, 2026年度, 2026年3月 (not a full date such as
// 2026年3月15日, which dates something else), or in Chinese numerals: 二〇二六年, 二零二六年度.
const TITLE_YEAR = /((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号])/;
const TITLE_YEAR_CN =
  /([一二][〇○零Ｏ０一二三四五六七八九]{3})\s*年(?!\s*[一二三四五六七八九十]{1,2}\s*月\s*[一二三四五六七八九十]{1,3}\s*[日号])/;
// The digit of each numeral: 〇/○/零/Ｏ/０ are all zero as clerks type it.
const CN_DIGITS = '〇○零Ｏ０一二三四五六七八九';
const cnDigit = (ch: string) => Math.max(0, CN_DIGITS.indexOf(ch) - 4);

/** The year a title states, in Arabic or Chinese numerals (R4); null when it states none. */
export function titleYear(text: string): number | null {
  const m = TITLE_YEAR.exec(text);
  if (m) return Number(m[1]);
  const cn = TITLE_YEAR_CN.exec(text);
  if (!cn) return null;
  const y = Number([...cn[1]!].map(cnDigit).join(''));
  return y >= 1900 && y <= 2099 ? y : null;
}

function yearFromToday(today: IsoDate | undefined): number {
  if (today && /^\d{4}-/.test(today)) return Number(today.slice(0, 4));
  // R22: the current year in China Standard Time. Adapters should pass `today` (duban does); this is the
  // last resort of a caller that did not, decided by dates.ts like every other CST date.
  return yearOf(chinaToday(new Date()));
}

export type YearSource = 'title' | 'option' | 'settings' | 'today';

/**
 * The year every 6月底前 of the ledger is read in (R4): the first year stated above the header (in the
 * first 40 rows), else `year`, else the settings' ledgerYear, else today's year.
 */
export function readLedgerYear(
  values: CellValue[][],
  headerStart: number,
  options: { year?: number; settings?: Settings; today?: IsoDate },
): { year: number; source: YearSource } {
  for (let i = 0; i < Math.min(headerStart, 40); i++) {
    for (const v of values[i] ?? []) {
      if (typeof v !== 'string') continue;
      const year = titleYear(v);
      if (year !== null) return { year, source: 'title' };
    }
  }
  if (options.year !== undefined) return { year: options.year, source: 'option' };
  if (options.settings?.ledgerYear != null) return { year: options.settings.ledgerYear, source: 'settings' };
  return { year: yearFromToday(options.today), source: 'today' };
}
