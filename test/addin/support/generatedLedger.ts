// A generated ledger of n task rows in the sample's layout (title, header, tasks), for size tests and the bench.
import type { SimCell } from '../../../playground/simulatedExcel.js';
import { SAMPLE_HEADER, SAMPLE_KINDS } from '../../support/sampleLayout.js';

export const HEADER: string[] = [...SAMPLE_HEADER];
const KINDS = SAMPLE_KINDS;

export function generatedLedger(n: number, opts: { withIds?: boolean; year?: number } = {}): SimCell[][] {
  const year = opts.year ?? 2026;
  const rows: SimCell[][] = [
    [`友谊县${year}年重点工作落实“四个体系”台账`],
    [...HEADER, ...(opts.withIds ? ['督办编号'] : [])],
  ];
  for (let i = 1; i <= n; i++) {
    rows.push([
      String(i),
      `${year}年县政府工作报告`,
      `重点工作任务第${i}项`,
      `按月调度，逐项落实第${i}项措施。`,
      `领导${i % 7}`,
      `县第${i % 40}局`,
      '各乡（镇）人民政府',
      `${year}年12月底前`,
      KINDS[i % 3]!,
      '',
      '',
      '',
      ...(opts.withIds ? [`DB-${year}-${String(i).padStart(4, '0')}`] : []),
    ]);
  }
  return rows;
}
