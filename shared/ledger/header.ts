// Finding the ledger's header row(s) and mapping columns by keywords and synonyms (R4).
import { type CellValue, cellText } from './cells.js';
import { HEADER_VARIANTS } from './vocabulary.js';

export type LedgerField =
  | 'no'
  | 'source'
  | 'title'
  | 'measures'
  | 'leadLeader'
  | 'leadUnit'
  | 'supportUnits'
  | 'deadline'
  | 'category'
  | 'stars'
  | 'progress'
  | 'milestones'
  | 'status'
  | 'id'
  | 'target'
  | 'startDate'
  | 'closedOn';

/** Every field, in the order the pane offers them when the clerk maps a column. */
export const LEDGER_FIELDS = [
  'title',
  'leadLeader',
  'leadUnit',
  'measures',
  'deadline',
  'no',
  'supportUnits',
  'source',
  'category',
  'stars',
  'progress',
  'milestones',
  'status',
  'target',
  'startDate',
  'closedOn',
  'id',
] as const satisfies readonly LedgerField[];

/** The office's own name of each column, used in messages when the sheet's header gives none. */
export const FIELD_LABELS: Record<LedgerField, string> = {
  no: '序号',
  source: '工作来源',
  title: '工作任务',
  measures: '工作措施',
  leadLeader: '牵头领导',
  leadUnit: '牵头单位',
  supportUnits: '责任单位',
  deadline: '完成时限',
  category: '工作类别',
  stars: '星级',
  progress: '进展情况',
  milestones: '时间节点',
  status: '状态',
  id: '督办编号',
  target: '目标值',
  startDate: '开始时间',
  closedOn: '销号时间',
};

/** The columns R1 requires of every task row (工作任务 is required to find the header at all). */
export const REQUIRED_FIELDS: readonly LedgerField[] = [
  'title',
  'leadLeader',
  'leadUnit',
  'measures',
  'deadline',
];

// Header text as compared: no spaces (incl. full-width), line breaks, brackets or required-field stars.
const HEADER_NOISE = /[\s\u3000\u00a0\ufeff()（）【】[\]〔〕*＊:：]/g;

export function normalizeHeader(s: string): string {
  return s.replace(HEADER_NOISE, '');
}

// Exact names first (目标任务 is the task, not its target), from the vocabulary of real ledgers; then
// keyword rules in order of specificity for the names no list can foresee.
const EXACT: Record<string, LedgerField> = {};
for (const [field, names] of Object.entries(HEADER_VARIANTS) as [LedgerField, readonly string[]][])
  for (const name of names) EXACT[normalizeHeader(name)] = field;
// 责任主体 alone (no sub-header under it) names the units responsible; as a group header over
// 牵头领导/牵头单位/责任单位 it is overridden by the sub-headers, which map first.

/**
 * The clerk's own mapping of header labels the vocabulary does not know, per ledger (R4): the sheet's
 * label (as normalizeHeader gives it) → the field. It outranks the vocabulary and the rules.
 */
export type ColumnMap = Readonly<Record<string, LedgerField>>;

const RULES: [LedgerField, RegExp][] = [
  ['id', /督办编号|督查编号|督办号/],
  ['no', /序号/],
  // 工作任务（目标） is still the task: the task words outrank the other keywords around them.
  ['title', /^(?:重点)?工作任务|^重点任务|^任务(?:名称|内容)|^督[查办](?:内容|事项)/],
  ['leadLeader', /领导/],
  ['leadUnit', /牵头.*(?:单位|部门|科室|机构)|(?:单位|部门).*牵头|^(?:主要|第一)责任(?:单位|部门)|承办/],
  ['supportUnits', /责任单位|责任部门|责任科室|配合|协办|协同|参与单位|参与部门/],
  ['startDate', /开始|启动时间|起始/],
  // 销号时间: a date there closes the task (R3); 办结时间 stays a deadline synonym.
  ['closedOn', /销号(?:时间|日期)/],
  ['milestones', /节点|进度安排|推进计划|计划安排/],
  ['deadline', /时限|完成时间|完成日期|完成期限|截止|办结时间|期限|时间要求/],
  ['source', /来源|出处|依据|交办/],
  ['measures', /措施|举措/],
  ['category', /类别|类型|分类/],
  ['stars', /星/],
  // 进展及完成情况 is a progress narrative, not a status (R3): only a bare 完成情况 is the status.
  ['progress', /(?:进展|进度).*完成情况|完成情况.*(?:进展|进度)/],
  ['status', /状态|完成情况|销号|是否完成|办结情况/],
  ['progress', /进展|进度|推进情况|落实情况|办理情况|工作动态/],
  ['target', /目标|指标/],
  ['title', /任务|工作内容|事项/],
];

// Section headings and item numbers are never header labels (三、重点任务 is a section, not a column).
const HEADING = /^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])/;
const MAX_LABEL = 16;

const cache = new Map<string, LedgerField | null>();

/**
 * The field a header cell names, or null (also null for anything that is not header-like text). The
 * clerk's mapping, when given, decides first.
 */
export function fieldOfHeader(text: string, map?: ColumnMap): LedgerField | null {
  const s = normalizeHeader(text);
  if (s === '') return null;
  const mapped = map && Object.hasOwn(map, s) ? map[s] : undefined;
  if (mapped !== undefined) return mapped;
  if (s.length > MAX_LABEL) return null;
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  if (HEADING.test(text.trim())) return null;
  let field: LedgerField | null = EXACT[s] ?? null;
  if (field === null && !/^[\d.]+$/.test(s)) {
    for (const [f, re] of RULES) {
      if (re.test(s)) {
        field = f;
        break;
      }
    }
  }
  if (cache.size > 5000) cache.clear();
  cache.set(s, field);
  return field;
}

/** Short text that can be a header label (not a number, not a heading, not a sentence). */
function isHeaderLike(text: string): boolean {
  const s = normalizeHeader(text);
  return s.length <= MAX_LABEL && !/^[\d.\-/]+$/.test(s) && !HEADING.test(text.trim());
}

export interface HeaderMatch {
  /** 0-based indexes into the values of the header row(s). */
  rows: number[];
  columns: Partial<Record<LedgerField, number>>;
  /** The sheet's own label of each mapped column (the lower row's where there are two). */
  labels: Partial<Record<LedgerField, string>>;
  /** Header cells with a label that names no field (0-based column, normalized label): for the clerk to map. */
  unknown: { column: number; label: string }[];
  score: number;
}

/** How many rows from the top are searched for the header. */
export const HEADER_SEARCH_ROWS = 40;

function rowTexts(row: CellValue[] | undefined, width: number): string[] {
  const out = new Array<string>(width);
  for (let c = 0; c < width; c++) out[c] = row ? cellText(row[c]) : '';
  return out;
}

function mapSingle(texts: string[], rowIndex: number, map?: ColumnMap): HeaderMatch {
  const columns: Partial<Record<LedgerField, number>> = {};
  const labels: Partial<Record<LedgerField, string>> = {};
  const unknown: HeaderMatch['unknown'] = [];
  let score = 0;
  for (let c = 0; c < texts.length; c++) {
    const t = texts[c]!;
    if (t === '') continue;
    const f = fieldOfHeader(t, map);
    if (f !== null && columns[f] === undefined) {
      columns[f] = c;
      labels[f] = normalizeHeader(t);
      score++;
    } else if (f === null && isHeaderLike(t)) unknown.push({ column: c, label: normalizeHeader(t) });
  }
  return { rows: [rowIndex], columns, labels, unknown, score };
}

/**
 * Two header rows: a group header (责任主体, merged over 牵头领导/牵头单位/责任单位) above sub-headers.
 * Excel gives a merged group's text only in its first cell, xlsx readers in every cell, and a
 * vertically merged label (序号 over two rows) only in the upper cell, or in both: all read alike.
 * Null when the lower row is not a sub-header row.
 */
function mapPair(upper: string[], lower: string[], upperIndex: number, map?: ColumnMap): HeaderMatch | null {
  const width = upper.length;
  let distinctLower = 0;
  let distinctUpper = 0;
  let upperLabels = 0;
  let newLabels = 0;
  let seen = '';
  let seenUpper = '';
  for (let c = 0; c < width; c++) {
    const u = upper[c]!;
    const l = lower[c]!;
    if (u !== '') {
      if (!isHeaderLike(u)) return null;
      if (u !== seenUpper) {
        distinctUpper++;
        seenUpper = u;
      }
      if (fieldOfHeader(u, map) !== null) upperLabels++;
    }
    if (l === '') continue;
    if (!isHeaderLike(l)) return null;
    if (l !== seen) {
      distinctLower++;
      seen = l;
    }
    if (l !== u && fieldOfHeader(l, map) !== null) newLabels++;
  }
  // Both rows must look like header rows: several labels each, and the upper one naming at least one
  // column itself (a short title or a blank row above a one-row header is not a group header row).
  if (distinctLower < 2 || newLabels < 1 || distinctUpper < 2 || upperLabels < 1) return null;
  const columns: Partial<Record<LedgerField, number>> = {};
  const labels: Partial<Record<LedgerField, string>> = {};
  const unknown: HeaderMatch['unknown'] = [];
  let score = 0;
  let group = '';
  for (let c = 0; c < width; c++) {
    const l = lower[c]!;
    let u = upper[c]!;
    // A merged group header's cells after the first are '' in Excel: they belong to the group.
    if (u === '' && l !== '' && group !== '') u = group;
    group = u !== '' && l !== '' ? u : '';
    let f: LedgerField | null = null;
    let label = '';
    if (l !== '' && l !== u) {
      f = fieldOfHeader(l, map);
      label = l;
      if (f === null && u !== '') {
        f = fieldOfHeader(u + l, map);
        label = u + l;
      }
    }
    if (f === null && u !== '') {
      f = fieldOfHeader(u, map);
      label = u;
    }
    if (f !== null && columns[f] === undefined) {
      columns[f] = c;
      labels[f] = normalizeHeader(label);
      score++;
    } else if (f === null && (l !== '' || u !== '')) {
      // The lower label is the one to map where there is one (the upper is the group's name).
      unknown.push({ column: c, label: normalizeHeader(l !== '' && l !== u ? l : u) });
    }
  }
  return { rows: [upperIndex, upperIndex + 1], columns, labels, unknown, score };
}

function isLedgerHeader(m: HeaderMatch): boolean {
  return m.columns.title !== undefined && m.score >= 3;
}

/** The best header in the top rows of a sheet, or null when there is none (no 工作任务 column). */
export function findHeader(values: CellValue[][], map?: ColumnMap): HeaderMatch | null {
  const limit = Math.min(values.length, HEADER_SEARCH_ROWS);
  let width = 0;
  for (let i = 0; i < limit; i++) width = Math.max(width, values[i]?.length ?? 0);
  let best: HeaderMatch | null = null;
  let prev: string[] | null = null;
  const consider = (m: HeaderMatch | null) => {
    if (m && isLedgerHeader(m) && (best === null || m.score > best.score)) best = m;
  };
  for (let i = 0; i < limit; i++) {
    const texts = rowTexts(values[i], width);
    // The pair (i-1, i) is weighed before row i alone, so that an xlsx reader's repeated labels in
    // the lower row of a two-row header still read as the two-row header Excel's values give.
    if (prev) consider(mapPair(prev, texts, i - 1, map));
    consider(mapSingle(texts, i, map));
    prev = texts;
  }
  return best;
}

/** How well the sheet's top rows look like a ledger header (0 when there is none): picks the sheet. */
export function headerScore(values: CellValue[][], map?: ColumnMap): number {
  return findHeader(values, map)?.score ?? 0;
}
