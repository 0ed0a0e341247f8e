// The header vocabulary of real ledgers (R4): what county and city offices actually write over each
// column of a 重点工作任务分解台账, 督办事项台账 or 责任清单. Each name is matched exactly (after
// normalizeHeader); names not here fall back to the keyword rules in header.ts, and what neither knows
// the clerk maps once (ColumnMap).
//
// Where each variant was seen (published documents, names only):
//   [DW] 盘锦市大洼区《政府工作报告》任务分解表（2021）
//   [PJ] 盘锦市《2021年市〈政府工作报告〉任务分解和责任分工方案》
//   [HR] 华容县《2021年县政府重点工作任务分解》（华政发〔2021〕2号）
//   [JX] 泾县《关于分解落实政府工作报告目标任务的通知》（泾政〔2023〕1号）
//   [QC] 亳州市谯城区《2020年度政府工作报告重点工作任务分解表》
//   [LS] 鞍山市立山区《2023年重点工作任务分解和责任分工方案》（鞍立政发〔2023〕2号）
//   [ZY] 紫阳县《县政府常务会议确定事项落实情况的通报》（2022、2024）
//   [ZH] 《关于2020年县政府党组会议、常务会议、县长办公会议确定事项完成情况的通报》（督办通报第一期）
//   [JG] 杭州市江干区城市管理局 重点工作清单“执行台账、节点监测、分析报告”制度
//   [BD] 祁东县白地市镇《督查工作制度》（督查事项登记簿）
//   [DC] 政府督查工作规定（主办单位、协办单位的分工）
//   [GL] 全市重点公路工作任务清单（责任领导、责任科室、完成时间节点）
//   [YZ] 友政办发〔2023〕1号 四个体系 台账（this product's sample ledger）
// An untagged name is a common variant of a tagged one (the same words in another order or with the
// usual 县/市 prefix), kept because offices write it too.
import type { LedgerField } from './header.js';

export const HEADER_VARIANTS: Record<LedgerField, readonly string[]> = {
  no: ['序号', '编号', '序', 'NO', 'NO.', 'No', 'No.'], // [YZ] [DW] [LS] and every table
  id: ['督办编号', '督查编号', '督办号'], // the add-in's own column
  source: [
    '工作来源', // [YZ]
    '任务来源', // [BD]
    '交办来源',
    '来源',
  ],
  title: [
    '工作任务', // [YZ]
    '重点工作任务', // [HR] [LS]
    '重点任务',
    '重点工作', // [JG]
    '目标任务', // [JX]
    '主要任务',
    '具体任务',
    '任务内容',
    '任务名称',
    '工作内容',
    '工作事项',
    '工作要点',
    '项目名称',
    '任务',
    '确定事项', // [ZY] [ZH]
    '督办事项',
    '督查事项', // [BD]
    '交办事项',
    '督查内容', // [BD]
    '督办内容',
    '工作目标及任务要求', // [JG]
  ],
  measures: [
    '工作措施', // [YZ]
    '具体措施',
    '推进措施',
    '保障措施', // [JX]
    '工作举措',
    '主要措施',
  ],
  leadLeader: [
    '牵头领导', // [YZ]
    '牵头县领导', // [JX]
    '分管领导',
    '分管县领导',
    '分管市领导', // [PJ]
    '分线领导', // [HR]
    '县政府分线领导', // [HR]
    '责任领导', // [GL]
    '包抓领导',
    '包保领导',
    '联系领导',
    '县级领导',
    '县级责任领导',
  ],
  leadUnit: [
    '牵头单位', // [YZ] [DW] [PJ] [LS]
    '牵头部门',
    '牵头责任单位', // [JX]
    '主要责任单位', // [HR] [QC]
    '主责单位',
    '主责部门',
    '主办单位', // [DC]
    '承办单位', // [BD] [DC]
    '责任科室', // [GL]
    '牵头',
  ],
  supportUnits: [
    '责任单位', // [YZ] [LS] [ZY]
    '配合单位',
    '责任配合单位', // [DW] 责任（配合）单位
    '其他责任单位', // [HR]
    '协同责任单位', // [JX]
    '协同配合单位', // [QC]
    '协办单位', // [BD] [DC]
    '参与单位',
    '责任主体',
  ],
  deadline: [
    '完成时限', // [YZ] [DW]
    '完成时间',
    '完成期限',
    '办理时限',
    '办结时限',
    '时间要求',
    '完成时限要求',
    '截止时间',
    '办复要求', // [BD]
  ],
  category: ['工作类别', '类别', '任务类别', '工作类型'], // [YZ]
  stars: ['星级', '赋星', '星级评定'], // [YZ]
  progress: [
    '进展情况', // [YZ]
    '落实情况', // [ZY] [PJ]
    '推进情况',
    '办理情况',
    '工作动态', // [JG]
    '工作进度', // [JG]
    '完成进度',
  ],
  milestones: [
    '时间节点', // [YZ]
    '完成时间节点', // [GL]
    '序时进度', // [JX]
    '进度安排',
    '计划安排',
  ],
  status: ['状态', '完成情况', '办结情况', '是否办结', '是否销号', '完成状态'], // [ZH] [ZY]
  target: ['目标值', '量化目标', '年度目标', '目标'], // [JX]
  startDate: ['开始时间', '启动时间'],
  closedOn: ['销号时间', '销号日期'],
};

/**
 * One header row (or grouped pair) per source above, built from the column names that document uses
 * (two rows where it groups units or leaders under one heading); 序号 and the other columns every ledger
 * has fill the rest. The reader's test reads each and checks that every column is found.
 */
export const PUBLISHED_HEADERS: { source: string; rows: string[][] }[] = [
  {
    source: 'DW',
    rows: [['序号', '工作任务', '牵头领导', '牵头单位', '责任（配合）单位', '工作措施', '完成时限']],
  },
  {
    source: 'PJ',
    rows: [
      ['序号', '重点工作任务', '分管市领导', '牵头单位', '责任单位', '具体措施', '完成时限', '落实情况'],
    ],
  },
  {
    source: 'HR',
    rows: [
      ['序号', '重点工作任务', '县政府分线领导', '责任单位', '', '工作措施', '完成时间'],
      ['', '', '', '主要责任单位', '其他责任单位', '', ''],
    ],
  },
  {
    source: 'JX',
    rows: [
      ['序号', '目标任务', '量化目标', '牵头县领导', '责任主体', '', '保障措施', '序时进度', '完成时限'],
      ['', '', '', '', '牵头责任单位', '协同责任单位', '', '', ''],
    ],
  },
  {
    source: 'QC',
    rows: [['序号', '重点工作任务', '分管领导', '主要责任单位', '协同配合单位', '推进措施', '完成时间']],
  },
  {
    source: 'ZY',
    rows: [
      [
        '序号',
        '确定事项',
        '分管县领导',
        '承办单位',
        '配合单位',
        '工作措施',
        '办理时限',
        '落实情况',
        '办结情况',
      ],
    ],
  },
  {
    source: 'JG',
    rows: [
      ['序号', '工作目标及任务要求', '责任领导', '牵头部门', '主要措施', '完成时限', '工作动态', '工作进度'],
    ],
  },
  {
    source: 'BD',
    rows: [['编号', '任务来源', '督查内容', '包抓领导', '承办单位', '协办单位', '具体措施', '办复要求']],
  },
  {
    source: 'GL',
    rows: [['序号', '重点工作', '责任领导', '责任科室', '工作举措', '完成时间节点', '截止时间']],
  },
  {
    source: 'YZ',
    rows: [
      [
        '序号',
        '工作来源',
        '工作任务',
        '工作措施',
        '责任主体',
        '',
        '',
        '完成时限',
        '工作类别',
        '星级',
        '进展情况',
        '时间节点',
      ],
      ['', '', '', '', '牵头领导', '牵头单位', '责任单位', '', '', '', '', ''],
    ],
  },
];
