// The domain's vocabulary as zod schemas: one definition serves the reader, the rules,
// the HTTP API (request validation) and the add-in's client.
import { z } from 'zod';
import { needsCleaning } from './text.js';

/** A calendar date in China Standard Time, `YYYY-MM-DD` (R22). */
export const IsoDateSchema = z
  .string({ error: '日期应为 YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const dt = new Date(Date.UTC(y, m - 1, d));
    return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
  }, '不是有效的日期');
export type IsoDate = string;

/** A UTC instant, ISO 8601 (R22). */
export const InstantSchema = z.iso.datetime();

export const StarsSchema = z.union([z.literal(3), z.literal(4), z.literal(5)]);
export type Stars = z.infer<typeof StarsSchema>;

/** 常规性 → routine, 明确指标类 → indicator, 重大项目建设类 → major (R5). */
export const CategorySchema = z.enum(['routine', 'indicator', 'major']);
export type Category = z.infer<typeof CategorySchema>;

export const RecurrenceSchema = z.enum(['monthly', 'quarterly', 'ongoing']);
export type Recurrence = z.infer<typeof RecurrenceSchema>;

export const DeadlineSchema = z.object({
  text: z.string(),
  date: IsoDateSchema.nullable(),
  recurrence: RecurrenceSchema.nullable(),
});
export type Deadline = z.infer<typeof DeadlineSchema>;

/** Who said a milestone is done (R7): the ledger's own mark, the unit's feedback, or the office. */
export const MilestoneSourceSchema = z.enum(['ledger', 'feedback', 'office']);
export type MilestoneSource = z.infer<typeof MilestoneSourceSchema>;

/**
 * A 5★ milestone (节点, R7). `done` comes from the ledger (a ✓ or 已完成 beside it), the unit's feedback
 * or the clerk's tick, with who and when when known.
 */
export const MilestoneSchema = z.object({
  date: IsoDateSchema.nullable(),
  text: z.string(),
  done: z.boolean().optional(),
  doneOn: IsoDateSchema.nullable().optional(),
  doneBy: z.string().nullable().optional(),
  doneSource: MilestoneSourceSchema.optional(),
});
export type Milestone = z.infer<typeof MilestoneSchema>;

/**
 * A 4★ indicator target (R6): e.g. 1200 人, 3.2 亿元 (cumulative: pro-rated over the year), or 6 %,
 * 95 % (a level: a rate or a growth, judged against the target itself). `kind` absent = derived from
 * the unit and the title (see progress.ts `targetKind`).
 */
export const TargetSchema = z.object({
  value: z.number(),
  unit: z.string(),
  kind: z.enum(['cumulative', 'level']).optional(),
});
export type Target = z.infer<typeof TargetSchema>;

/** One task as read from a ledger row (R1, R2, R4). */
export const LedgerTaskSchema = z.object({
  row: z.number().int().positive(),
  /** 督办编号: the stable id column, once the ledger has been synced; null before. */
  id: z.string().nullable(),
  no: z.string().nullable(),
  parent: z.string().nullable(),
  title: z.string(),
  measures: z.string().nullable(),
  leadLeader: z.string().nullable(),
  /** 牵头单位 as written in the cell (one unit, or several: 县发改局、县财政局). */
  leadUnit: z.string().nullable(),
  /**
   * The lead units named in `leadUnit`, each one a unit of its own (a jointly led task has several).
   * Derived from `leadUnit` by the reader and again by the backend (shared/ledger/leadUnits.ts).
   */
  leadUnits: z.array(z.string()).default([]),
  supportUnits: z.array(z.string()),
  deadline: DeadlineSchema,
  category: CategorySchema.nullable(),
  stars: StarsSchema.nullable(),
  suggestedStars: StarsSchema.nullable(),
  closed: z.boolean(),
  /** When the office closed it (销号时间, or the date of a 已销号（date） mark), when the ledger says (R3). */
  closedOn: IsoDateSchema.nullable().optional(),
  milestones: z.array(MilestoneSchema),
  progress: z.string().nullable(),
  target: TargetSchema.nullable(),
  /** When work starts (开始时间); a task not yet started gets no reminders (R18). */
  startDate: IsoDateSchema.nullable().optional(),
});
export type LedgerTask = z.infer<typeof LedgerTaskSchema>;

export const RowKindSchema = z.enum(['title', 'header', 'section', 'task', 'blank', 'note', 'error']);
export type RowKind = z.infer<typeof RowKindSchema>;

export const LedgerRowSchema = z.object({
  row: z.number().int().positive(),
  kind: RowKindSchema,
  message: z.string().optional(),
});
export type LedgerRow = z.infer<typeof LedgerRowSchema>;

/** A problem found in a ledger: `column` is the sheet column letter (A, B, ...) or null for the whole row. */
export const ProblemSchema = z.object({
  row: z.number().int().positive(),
  column: z.string().nullable(),
  rule: z.string(),
  message: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const CardColorSchema = z.enum(['yellow', 'orange', 'red'], {
  error: '颜色应为 yellow、orange 或 red',
});
export type CardColor = z.infer<typeof CardColorSchema>;
export const CardStateSchema = z.enum(['none', 'yellow', 'orange', 'red']);
export type CardState = z.infer<typeof CardStateSchema>;

/** Yellow reasons (R9 and the clerk's judgment); orange: slow progress (R10). */
export const CardReasonSchema = z.enum([
  '贯彻落实不力',
  '工作不到位',
  '上报材料不及时',
  '报送材料质量不高',
  '台账清单不规范',
  '工作进展缓慢',
]);
export type CardReason = z.infer<typeof CardReasonSchema>;

/** The kinds of numbered documents (R14): 提示函 follows yellow, 预警通知书 follows orange. */
export const DocKindSchema = z.enum(['tishihan', 'yujing']);
export type DocKind = z.infer<typeof DocKindSchema>;

/** The red card's four follow-up actions (R12), each ticked off by the office. */
export const RED_CHECKLIST = [
  { id: 'explain', text: '牵头领导在县政府常务会议上作情况说明' },
  { id: 'selfCriticism', text: '牵头部门主要负责人在县政府常务会议上作检讨发言' },
  { id: 'circular', text: '县政府办公室对牵头部门、责任部门全县通报批评并跟踪督促整改' },
  { id: 'report', text: '县政府办公室以专题报告形式报县委' },
] as const;
export type RedChecklistItem = (typeof RED_CHECKLIST)[number]['id'];

export const ReminderReasonSchema = z.enum(['quarterly', 'monthly', 'weekly', 'milestone']);
export type ReminderReason = z.infer<typeof ReminderReasonSchema>;

/** One reminder (提示) the schedule says is due (R15). */
export const ReminderSchema = z.object({
  taskId: z.string(),
  taskNo: z.string().nullable(),
  leadUnit: z.string(),
  stars: StarsSchema,
  period: z.string(),
  reason: ReminderReasonSchema,
  sendOn: IsoDateSchema,
  feedbackDue: IsoDateSchema,
  roundupOn: IsoDateSchema,
  /** For milestone reminders, the milestone's text. */
  note: z.string().optional(),
  /** A jointly led task: its other lead units (each gets its own reminder). */
  jointWith: z.array(z.string()).optional(),
});
export type Reminder = z.infer<typeof ReminderSchema>;

/**
 * History events, append-only (R8). `date` is the CST calendar date the event counts for;
 * `at` is the UTC instant it was recorded. Minimal shapes (as in an exported history) are valid.
 */
/** The longest unit name (a Table Storage key part): one limit for every path that takes one. */
export const UNIT_NAME_MAX = 100;
/** A unit's name, wherever one is taken (API body, path or query; an exported history): trimmed, not empty, no control characters. */
export const UnitNameSchema = z
  .string({ error: '应写明单位名称' })
  .trim()
  .min(1, '单位名称不能为空')
  .max(UNIT_NAME_MAX, `单位名称过长（最多 ${UNIT_NAME_MAX} 字）`)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, '单位名称含有不可见的控制字符')
  .refine((s) => !needsCleaning(s), '单位名称含有不可见的控制字符或无效字符（如 U+2028、U+FFFF）');

export const CardEventSchema = z.object({
  type: z.literal('card'),
  unit: UnitNameSchema,
  color: CardColorSchema,
  date: IsoDateSchema,
  id: z.string().optional(),
  reason: z.string().optional(),
  taskIds: z.array(z.string()).optional(),
  docNo: z.string().optional(),
  by: z.string().optional(),
  at: InstantSchema.optional(),
});
export const InterviewEventSchema = z.object({
  type: z.literal('interview'),
  unit: UnitNameSchema,
  date: IsoDateSchema,
  id: z.string().optional(),
  cardId: z.string().optional(),
  leader: z.string().optional(),
  interviewee: z.string().optional(),
  record: z.string().optional(),
  by: z.string().optional(),
  at: InstantSchema.optional(),
});
export const RectificationEventSchema = z.object({
  type: z.literal('rectification'),
  unit: UnitNameSchema,
  cardId: z.string({ error: '整改报告应写明所针对的牌 cardId' }),
  date: IsoDateSchema,
  note: z.string().optional(),
  by: z.string().optional(),
  at: InstantSchema.optional(),
});
export const UnitEventSchema = z.discriminatedUnion(
  'type',
  [CardEventSchema, InterviewEventSchema, RectificationEventSchema],
  { error: '事件类型 type 应为 card（亮牌）、interview（约谈）或 rectification（整改）' },
);
export type CardEvent = z.infer<typeof CardEventSchema>;
export type InterviewEvent = z.infer<typeof InterviewEventSchema>;
export type RectificationEvent = z.infer<typeof RectificationEventSchema>;
export type UnitEvent = z.infer<typeof UnitEventSchema>;

/** A unit's feedback (反馈) on a task for a period (R19). */
export const FeedbackSchema = z.object({
  taskId: z.string(),
  unit: z.string(),
  period: z.string(),
  receivedOn: IsoDateSchema,
  text: z.string(),
  value: z.number().nullable().optional(),
  milestonesDone: z.array(z.string()).optional(),
});
export type Feedback = z.infer<typeof FeedbackSchema>;
