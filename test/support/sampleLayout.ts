// The column layout of the office's sample ledger (test/fixtures/ledger-2026.xlsx), shared by the
// reader's tests, the add-in's generated ledgers and the benchmark, so they all read the same sheet.
export const SAMPLE_HEADER = [
  '序号',
  '工作来源',
  '工作任务',
  '工作措施',
  '牵头领导',
  '牵头单位',
  '责任单位',
  '完成时限',
  '工作类别',
  '星级',
  '进展情况',
  '时间节点',
] as const;

/** The three kinds of key work (R5), as the sample writes them. */
export const SAMPLE_KINDS = ['常规性', '指标类', '重大项目建设类'] as const;
