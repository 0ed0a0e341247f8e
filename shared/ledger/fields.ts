// The ledger's other cells: stars, kind, units, milestones, targets, status and the task number (R2, R5–R7).
import type { Category, Milestone, Stars, Target } from '../model.js';
import { type CellValue, cellText, chineseNumber, compact, excelSerialToIsoDate } from './cells.js';
import { DATE_PREFIX, isLikelySerial, parseDateText } from './deadline.js';

// ---------------------------------------------------------------- stars (R5)

const STAR_MARKS = /^[★☆✩✭✮⭐*＊]+$/;
const FILLED_STAR = /[★✭✮⭐*]/g;
const HOLLOW_STAR = /[☆✩]/g;
const STAR_NUMBER = /^(?:[★☆⭐]?)(\d{1,2}|[一二三四五六七八九十])(?:\.0)?(?:星级?|颗星|[★☆⭐])?$/;

/**
 * The star count written in a cell, whatever it is (★★★★, ★★★☆☆, 4星, 四星, 4, 4★, ★4 → 4), or null
 * when the cell is empty or not a star count at all. Range checking is `parseStars`'s job.
 */
export function starCount(value: CellValue): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  const s = compact(cellText(value));
  if (s === '') return null;
  if (STAR_MARKS.test(s)) {
    const filled = s.match(FILLED_STAR)?.length ?? 0;
    // ★★★☆☆ is three of five; a cell of hollow stars only (☆☆☆☆) counts them.
    return filled > 0 ? filled : (s.match(HOLLOW_STAR)?.length ?? 0);
  }
  const m = STAR_NUMBER.exec(s);
  if (!m) return null;
  return /\d/.test(m[1]!) ? Number(m[1]) : chineseNumber(m[1]!);
}

/** 3, 4 or 5 stars as the ledger writes them (R5); null for an empty cell or anything else. */
export function parseStars(value: CellValue): Stars | null {
  const n = starCount(value);
  return n === 3 || n === 4 || n === 5 ? n : null;
}

// ---------------------------------------------------------------- category (R5)

/** 常规性 → routine, (明确)指标类 → indicator, 重大项目(建设类) → major; null when empty or unknown. */
export function parseCategory(value: CellValue): Category | null {
  const s = compact(cellText(value));
  if (s === '') return null;
  if (s.includes('重大项目') || s.includes('项目建设')) return 'major';
  if (s.includes('指标')) return 'indicator';
  if (s.includes('常规')) return 'routine';
  return null;
}

// ---------------------------------------------------------------- unit lists (R4)

const UNIT_SEPARATORS = /[、，,;；/／\r\n]+/;

/** `县财政局、县税务局` → ['县财政局', '县税务局'] (separated by 、，, ; / or a line break). */
export function splitUnits(value: CellValue): string[] {
  const s = cellText(value);
  if (s === '') return [];
  const out: string[] = [];
  for (const part of s.split(UNIT_SEPARATORS)) {
    const t = part.trim();
    if (t !== '') out.push(t);
  }
  return out;
}

// ---------------------------------------------------------------- milestones (R7)

const MILESTONE_SEPARATORS = /[；;，,。\r\n]+/;
// An item marker in front of a milestone: 1、 (1) （1） ① and 1. before a space or a full year
// (but not the 3. of 3.15前, which is a date).
const ITEM_MARKER =
  /^(?:[(（]\d{1,2}[)）]|\d{1,2}[、)）]|\d{1,2}[.．](?=[\s\u3000]|\d{4})|[\u2460-\u2473])[\s\u3000]*/;
// (A milestone's date is the same kind of date prefix as in a deadline: see DATE_PREFIX.)

// The ledger's own mark that a milestone is done (R7): a tick before or after it (✓ ✔ √ ☑), or
// （已完成） / 已完成 / 已完工 after it. 完成立项 alone is the milestone's work, not a mark.
const DONE_TICK = /^[✓✔√☑][\s\u3000]*|[\s\u3000]*[✓✔√☑]$/;
const DONE_WORDS =
  /[\s\u3000]*(?:[（(][\s\u3000]*(?:已?完成|已完工|已办结|已实现|已达成)[\s\u3000]*[）)]|[—\-–:：]?(?:已完成|已完工|已办结))$/;

/** The milestone text without the ledger's done mark, and whether it had one. */
function doneMark(part: string): { text: string; done: boolean } {
  let text = part;
  let done = false;
  for (const mark of [DONE_TICK, DONE_WORDS, DONE_TICK]) {
    const stripped = text.replace(mark, '');
    if (stripped !== text && stripped.trim() !== '') {
      text = stripped.trim();
      done = true;
    }
  }
  return { text, done };
}

/**
 * 时间节点 → dated milestones: `3月底前完成立项；6月底前开工建设` → [{date:'2026-03-31', text:'完成立项'}, …].
 * A part with no readable date is kept with `date: null` (the reader reports it, R7). A part the
 * ledger marks done (`3月底前完成立项（已完成）`, `✓6月底前开工建设`) is done, with source 'ledger'.
 */
export function parseMilestones(text: CellValue, year: number): Milestone[] {
  if (typeof text === 'number' && isLikelySerial(text)) {
    const date = excelSerialToIsoDate(text);
    return [{ date, text: date }];
  }
  const s = cellText(text);
  if (s === '') return [];
  const out: Milestone[] = [];
  for (const raw of s.split(MILESTONE_SEPARATORS)) {
    const marked = doneMark(raw.trim().replace(ITEM_MARKER, ''));
    const part = marked.text.replace(ITEM_MARKER, '');
    if (part === '') continue;
    const done = marked.done ? { done: true, doneSource: 'ledger' as const } : {};
    const flat = compact(part);
    const m = DATE_PREFIX.exec(flat);
    if (!m) {
      out.push({ date: null, text: part, ...done });
      continue;
    }
    const date = parseDateText(m[1]!, year, true);
    // Keep the clerk's own text: slice the original when compacting changed nothing (the usual case).
    const rest = (flat === part ? part : flat).slice(m[0].length);
    out.push({ date, text: date === null ? part : rest || part, ...done });
  }
  return out;
}

// ---------------------------------------------------------------- targets (R6)

// Known units, longest first, so that 亿元 is not read as 元 and 万亩 not as 亩.
const KNOWN_UNITS =
  '万亿元|亿元|万元|元|万人次|人次|万人|人|万户|户|万家|家|万吨|吨|万亩|亩|万平方米|平方米|平方公里|公里|千米|米|万千瓦|千瓦|兆瓦|个百分点|%|‰|个|场|处|项|所|套|辆|座|台|次|件|条|栋|间|张|天|倍|批|宗|期|艘|株|棵|头|只|口|盏';
const TARGET_IN_TITLE = new RegExp(`(\\d+(?:\\.\\d+)?)(${KNOWN_UNITS})`);
const TARGET_CELL = /^[^\d]*?(\d+(?:\.\d+)?)\s*([^\d\s]*)/;
const HAS_DIGIT = /\d/;
const THOUSANDS = /(\d),(?=\d{3}(?!\d))/g;
const TARGET_TAIL = /(?:以上|以内|左右|及以上|以下)$/;
// R6: the kind of a target, where the ledger writes it in the target cell: 1200人（累计）, 全年累计3.2亿元;
// 95%（水平值）, 保持95%以上, 不低于95%, 稳定在95%.
const TARGET_KIND_CUMULATIVE = /累计/;
const TARGET_KIND_LEVEL = /水平|保持|不低于|稳定在|时点/;
const TARGET_KIND_WORDS = /[（(]?(?:累计值?|水平值?|时点值?)[）)]?/g;

/**
 * A 4★ target (R6) from a target cell (`1200人`, `3.2亿元`, 1200; its kind when the cell says it:
 * `1200人（累计）` cumulative, `95%（水平值）` or `保持95%` a level) or, with `fromTitle`, from a task's
 * title (`城镇新增就业1200人` → {1200, '人'}, `增长6%以上` → {6, '%'}; never a kind: a title only
 * suggests one); null when there is none.
 */
export function parseTarget(value: CellValue, fromTitle = false): Target | null {
  if (typeof value === 'number') return Number.isFinite(value) ? { value, unit: '' } : null;
  const s = compact(cellText(value)).replace(THOUSANDS, '$1');
  if (s === '') return null;
  if (!HAS_DIGIT.test(s)) return null;
  if (fromTitle) {
    const m = TARGET_IN_TITLE.exec(s);
    return m ? { value: Number(m[1]), unit: m[2]! } : null;
  }
  const kind = TARGET_KIND_CUMULATIVE.test(s)
    ? ({ kind: 'cumulative' } as const)
    : TARGET_KIND_LEVEL.test(s)
      ? ({ kind: 'level' } as const)
      : {};
  const known = TARGET_IN_TITLE.exec(s);
  if (known) return { value: Number(known[1]), unit: known[2]!, ...kind };
  const m = TARGET_CELL.exec(s);
  if (!m) return null;
  return {
    value: Number(m[1]),
    unit: m[2]!.replace(TARGET_TAIL, '').replace(TARGET_KIND_WORDS, ''),
    ...kind,
  };
}

// ---------------------------------------------------------------- status (R3)

// The whole cell, once punctuation is gone, must say closed: 已完成, 销号, 已办结, 是, √ … A longer text
// (已完成前期手续，正在施工; 已办结3件，剩余2件) is a progress note, not a closing (R3).
const STATUS_PUNCT = /[\s\u3000。．.！!，,、；;：:]/g;
const CLOSED = /^(?:已经?)?(?:完成|销号|办结|结项)$|^(?:是|√|✓)$/;
// The office's own closing mark, as the add-in writes it: 已销号（2026-03-20）evidence note.
const CLOSED_MARK = /^\s*已?销号\s*[（(]([^）)]*)[）)]/;
const CLOSING_WORD = /完成|销号|办结|结项/;
const NOT_CLOSED = /未|不|没|待|暂/;

/** 状态/完成情况 → closed (已完成, 已销号, 销号, 办结, 已销号（3月10日）…); 未完成, 待销号 and any other text → open. */
export function parseClosed(value: CellValue): boolean {
  if (CLOSED_MARK.test(cellText(value))) return true;
  const s = compact(cellText(value)).replace(STATUS_PUNCT, '');
  if (s === '' || NOT_CLOSED.test(s)) return false;
  return CLOSED.test(s);
}

/** The status cell as the reader needs it (R3): closed or not, the date of a 已销号（date） mark, and doubt. */
export interface StatusRead {
  closed: boolean;
  /** The date in the office's mark 已销号（2026-03-20）…, when it has a readable one. */
  closedOn: string | null;
  /** Text that speaks of completion but is not a closing (已完成前期手续，正在施工): reported, kept open. */
  notClosing: boolean;
}

export function readStatus(value: CellValue, year: number): StatusRead {
  const text = cellText(value);
  const mark = CLOSED_MARK.exec(text);
  if (mark) return { closed: true, closedOn: parseDateText(mark[1]!, year, true), notClosing: false };
  const closed = parseClosed(value);
  const s = compact(text);
  return {
    closed,
    closedOn: null,
    notClosing: !closed && CLOSING_WORD.test(s) && !NOT_CLOSED.test(s),
  };
}

// ---------------------------------------------------------------- task numbers (R2)

const CHILD_SEPARATED = /^(.*\d)\s*[-－—–.．_]\s*(\d+)$/;
const CHILD_PAREN = /^(.*\d)\s*[（(]\s*(\d+)\s*[）)]$/;
const ITEM_ONLY = /^(?:[（(]\s*\d+\s*[）)]|\d+\s*[）)]|[\u2460-\u2473])$/;

/**
 * The parent number written into a task number: `3-2`, `3.2`, `3（2）` → '3'; `3-2-1` → '3-2'; else null.
 * (A number written as a bare item, `（2）`, takes its parent from the rows above; see `isItemNumber`.)
 */
export function parentOfNo(no: string): string | null {
  const s = no.trim();
  if (s.length > 24) return null; // not a task number (and no backtracking over a long text)
  const m = CHILD_SEPARATED.exec(s) ?? CHILD_PAREN.exec(s);
  return m ? m[1]!.trim() : null;
}

/** `（2）`, `(2)`, `2）`, `②`: an item of the task above (R2). */
export function isItemNumber(no: string): boolean {
  return ITEM_ONLY.test(no);
}
