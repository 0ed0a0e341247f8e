// The rows of a ledger that are not tasks (R4: every row accounted for): blank, note, section.
import type { RowKind } from '../model.js';
import { compact } from './cells.js';

const NOTE = /^(?:注|备注|说明|填表说明|附注)\s*(?:[:：\d１-９、.．]|$)/;
// The sign-off lines under a ledger (填表人：… 联系电话：…, 审核人：…, 制表时间：…): notes, wherever their
// values sit along the row. A task row never starts with one of these labels.
const FOOTER =
  /^(?:填表人|填报人|制表人|审核人|审签人|签发人|审批人|负责人|单位负责人|分管领导|主要负责人|联系人|联系电话|电话|手机|制表时间|制表日期|填表时间|填表日期|填报时间|填报日期|报送时间|报送日期|填报单位|报送单位|单位盖章|单位（盖章）)\s*(?:[:：]|$)/;
const SECTION_HEADING =
  /^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|第[一二三四五六七八九十百\d]+[部分章节类项篇])/;
// A numbered line of a note block: 1. / 2、 / （3） followed by text.
export const NOTE_ITEM = /^(?:\d{1,2}[、.．]|[（(]\d{1,2}[）)])\s*\D/;
const CN_ORDINAL = /^[（(]?[一二三四五六七八九十百]+[）)、.．]?$/;
const NUMERIC = /^[\d.\-\s]+$/;

/** The kinds of a row that are not tasks, decided from its cell texts alone. */
export function classifyNonTask(
  texts: string[],
  titleCol: number,
  noCol: number | undefined,
): Exclude<RowKind, 'task' | 'header' | 'title'> | null {
  let first = -1;
  let distinct = 0;
  let count = 0;
  let only = '';
  for (let c = 0; c < texts.length; c++) {
    const t = texts[c]!;
    if (t === '') continue;
    count++;
    if (first === -1) first = c;
    if (distinct === 0) {
      distinct = 1;
      only = t;
    } else if (distinct === 1 && t !== only) distinct = 2;
  }
  if (first === -1) return 'blank';
  const firstText = texts[first]!;
  const titleText = texts[titleCol] ?? '';
  // 注：… (merged across the row, or typed in the first cell).
  if (NOTE.test(firstText) && (titleText === '' || titleText === firstText)) return 'note';
  if (FOOTER.test(firstText)) return 'note';
  // One text and nothing else is a heading when it sits in the row's first column (a merged heading as
  // Excel gives it), is repeated along the row (as an xlsx reader gives a merge) or reads as a heading.
  // A lone text in the title column is a task with only its title (R1 reports what it lacks), never a
  // silent section.
  if (distinct === 1 && !NUMERIC.test(only) && (first === 0 || count > 1 || SECTION_HEADING.test(only)))
    return 'section';
  // 一、经济发展 or （一） in the first cell, with at most a heading text in the title column.
  if (SECTION_HEADING.test(firstText) && onlyIn(texts, first, titleCol)) return 'section';
  // 一 | 经济发展: a Chinese ordinal in the number column and a heading in the title column, nothing else.
  if (noCol !== undefined && CN_ORDINAL.test(texts[noCol] ?? '') && onlyIn(texts, noCol, titleCol))
    return 'section';
  return null;
}

/** Whether every non-empty cell of the row is in column a or column b. */
function onlyIn(texts: string[], a: number, b: number): boolean {
  for (let c = 0; c < texts.length; c++) if (texts[c] !== '' && c !== a && c !== b) return false;
  return true;
}

/** A header label or cell text as compared for a repeated header: compact, without brackets or colons. */
export function normalizeForCompare(s: string): string {
  return compact(s).replace(/[()（）【】[\]*:：]/g, '');
}
