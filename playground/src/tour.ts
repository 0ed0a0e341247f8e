// The guided tour: what to click next, and which rule of 友政办发〔2023〕1号 it shows (R1…R22).
export interface TourStep {
  title: string;
  rules: string;
  text: string;
  /** What to click next, highlighted on the page. */
  target: string;
}

export const TOUR: TourStep[] = [
  {
    title: '同步台账',
    rules: 'R1 R4',
    text: '点功能区“同步台账”：每项任务写入督办编号（新增一列），不规范的单元格标成浅红，面板列出问题，点问题即跳到该单元格。',
    target: '#pg-ribbon [data-button="syncLedger"]',
  },
  {
    title: '改正台账',
    rules: 'R1',
    text: '点面板里“第20行E列（牵头领导）为空”的定位按钮，直接输入牵头领导姓名后回车，再点“检查台账”：这条问题随即消失。',
    target: '#pg-ribbon [data-button="checkLedger"]',
  },
  {
    title: '赋星',
    rules: 'R5',
    text: '点行号选中任务行（按住 Ctrl 可多选），点“按类别赋星”：常规工作三星、指标任务四星、重大项目五星；也可直接点“三星/四星/五星”。',
    target: '#pg-ribbon [data-button="starsByKind"]',
  },
  {
    title: '今日提示',
    rules: 'R15 R16 R22',
    text: '把上方“今天”拨到督检前的提示日（如 2026-11-23，周一），点“运行早间任务并发送提示”：每日督办按星级算出到期提示，投递给牵头单位。',
    target: '#pg-morning',
  },
  {
    title: '单位收到提示',
    rules: 'R17',
    text: '右侧“单位端”按渠道显示单位收到的邮件、企业微信、钉钉和短信；同一任务同一期的提示只发一次，再运行一次也不会重复。',
    target: '#pg-inbox',
  },
  {
    title: '单位反馈',
    rules: 'R19',
    text: '点某条提示里的“打开反馈页”：单位的手机页面在手机框中打开，填写工作进展后点“提交”。',
    target: '#pg-inbox button.link',
  },
  {
    title: '反馈写回台账',
    rules: 'R19',
    text: '再点“同步台账”：单位的答复写进该任务的“进展情况”列，前面带【某月某日 某单位反馈】标签。',
    target: '#pg-ribbon [data-button="syncLedger"]',
  },
  {
    title: '亮牌',
    rules: 'R9 R10 R13 R14',
    text: '选中逾期任务所在行（如县工信局），点“橙牌”：程序判定工作进展缓慢，该单位各行标橙，生成预警通知书编号；黄牌用于迟报、材料质量不高等。',
    target: '#pg-ribbon [data-button="orangeCard"]',
  },
  {
    title: '约谈两次即红牌',
    rules: 'R11 R12',
    text: '点“约谈登记”，填写约谈领导、被约谈人和约谈记录后提交；一年内第二次约谈登记后立即亮红牌，面板列出红牌须办事项，可逐项勾选。',
    target: '#pg-ribbon [data-button="pane:interview"]',
  },
  {
    title: '督检汇总',
    rules: 'R20 R21',
    text: '点“督检汇总”：按季度或月份汇总各单位的任务、反馈与得分排名，可下载汇总报告（Word）。练完可点“重置”从头再来。',
    target: '#pg-ribbon [data-button="pane:roundup"]',
  },
];
