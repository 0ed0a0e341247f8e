// Test sheets in both shapes a ledger arrives in: Excel's `range.values` (a merged area's value in its
// top-left cell only, '' elsewhere) and an xlsx reader's (the merged value in every cell of the area).
import type { CellValue } from '../../../shared/ledger/index.js';
import { SAMPLE_HEADER } from '../../support/sampleLayout.js';

/** A merged area, 1-based and inclusive like Excel's: top row, left column, bottom row, right column. */
export type Merge = [top: number, left: number, bottom: number, right: number];

export interface TwoShapes {
  /** As Excel's range.values gives it. */
  excel: CellValue[][];
  /** As exceljs gives it (merged value repeated, empty cells null). */
  xlsx: CellValue[][];
}

/**
 * Builds both shapes from rows written as Excel shows them (the merged value in the top-left cell),
 * padded to the widest row.
 */
export function sheet(rows: CellValue[][], merges: Merge[] = []): TwoShapes {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const excel = rows.map((r) =>
    Array.from({ length: width }, (_, c) => (r[c] === undefined || r[c] === null ? '' : r[c])),
  );
  const xlsx: CellValue[][] = excel.map((r) => r.map((v) => (v === '' ? null : v)));
  for (const [top, left, bottom, right] of merges) {
    const v = excel[top - 1]![left - 1];
    for (let r = top; r <= bottom; r++)
      for (let c = left; c <= right; c++) {
        if (r === top && c === left) continue;
        excel[r - 1]![c - 1] = '';
        xlsx[r - 1]![c - 1] = v === '' ? null : v;
      }
  }
  return { excel, xlsx };
}

/** The office's one-row header, as in the sample ledger. */
export const HEADER: string[] = [...SAMPLE_HEADER];

/** A complete task row in the HEADER layout. */
export function taskRow(
  no: string,
  title: string,
  over: Partial<Record<(typeof HEADER)[number], CellValue>> = {},
) {
  const base: Record<string, CellValue> = {
    序号: no,
    工作来源: '县政府工作报告',
    工作任务: title,
    工作措施: '细化措施，按月调度。',
    牵头领导: '王志刚',
    牵头单位: '县发改局',
    责任单位: '县统计局、县工信局',
    完成时限: '2026年6月底前',
    工作类别: '常规性',
    星级: '★★★',
    进展情况: '',
    时间节点: '',
    ...over,
  };
  return HEADER.map((h) => base[h] ?? '');
}
