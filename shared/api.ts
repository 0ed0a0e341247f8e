// The HTTP API's contract, shared by the functions (which validate every body with it) and the
// add-in's client (which builds requests with it). Paths are relative to `/api`.
import { z } from 'zod';
import {
  CardColorSchema,
  CardReasonSchema,
  CardStateSchema,
  IsoDateSchema,
  LedgerTaskSchema,
  ProblemSchema,
  StarsSchema,
  UNIT_NAME_MAX,
  UnitNameSchema,
} from './model.js';
import { SettingsSchema, HolidayYearSchema } from './settings.js';
import { reasonRefusal } from './rules/cardDecisions.js';
import { needsCleaning } from './text.js';

/** Largest accepted request body, in bytes (413 beyond). A 10,000-row ledger sync fits. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

const Who = z.string().trim().min(1, '请填写经办人').max(50);
/**
 * Ledger ids, 督办编号, unit names, card ids: they become Table Storage keys (at most 512 UTF-16
 * characters, and a task's history key holds a ledger id and a 督办编号 together), so at most 100 each;
 * the backend checks the encoded length of every key as well and names the row when one is too long.
 */
const Id = z
  .string()
  .trim()
  .min(1)
  .max(100, '编号或名称过长（最多 100 字）')
  // An id or a name is never silently changed by cleaning (it would name another task or unit).
  .refine((s) => !needsCleaning(s), '编号或名称含有不可见的控制字符或无效字符（如 U+2028、U+FFFF）');

/** One unit-name schema and limit for the API and the history (defined in model.ts). */
export { UNIT_NAME_MAX, UnitNameSchema };
const Text = (max: number) => z.string().max(max);
/**
 * An id the client makes once per action (e.g. crypto.randomUUID()) and sends again when it retries:
 * the server then answers with what the first request did instead of doing it twice (a second card
 * and number, or a second interview that would make the unit red).
 */
const RequestId = z.string().trim().min(8).max(100);

export const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** POST /ledger/sync — the add-in sends every task of the ledger (each with its 督办编号). */
export const SyncLedgerRequestSchema = z.object({
  ledgerId: Id,
  year: z.number().int().min(2000).max(2100),
  // startDate (开始时间, when the ledger has one): a task not yet started gets no reminders (R18).
  tasks: z
    .array(LedgerTaskSchema.extend({ id: Id, startDate: IsoDateSchema.nullable().optional() }))
    .max(20_000),
  problems: z.array(ProblemSchema).max(100_000).default([]),
  by: Who,
});
export type SyncLedgerRequest = z.input<typeof SyncLedgerRequestSchema>;

/** POST /stars — 赋星 for task ids: an explicit star, or `byKind` (R5). */
export const SetStarsRequestSchema = z.object({
  ledgerId: Id,
  taskIds: z.array(Id).min(1).max(20_000),
  stars: z.union([StarsSchema, z.literal('byKind')]),
  by: Who,
});
export type SetStarsRequest = z.input<typeof SetStarsRequestSchema>;

/** POST /cards — 亮牌: yellow or orange (red is never issued by hand, R12). */
export const IssueCardRequestSchema = z
  .object({
    ledgerId: Id,
    unit: UnitNameSchema,
    color: z.enum(['yellow', 'orange']),
    reason: CardReasonSchema,
    taskIds: z.array(Id).max(1000).default([]),
    date: IsoDateSchema.optional(),
    note: Text(2000).optional(),
    requestId: RequestId.optional(),
    by: Who,
  })
  .superRefine((card, ctx) => {
    // R9, R10: the reason goes with the colour (an orange card is only for slow progress).
    const refusal = reasonRefusal(card.color, card.reason);
    if (refusal) ctx.addIssue({ code: 'custom', path: ['reason'], message: refusal });
  });
export type IssueCardRequest = z.input<typeof IssueCardRequestSchema>;

/** POST /interviews — 约谈登记 (R11, R12). */
export const RecordInterviewRequestSchema = z.object({
  unit: UnitNameSchema,
  date: IsoDateSchema,
  leader: z.string().trim().min(1, '请填写约谈领导').max(50),
  interviewee: z.string().trim().min(1, '请填写被约谈人').max(50),
  record: Text(5000).default(''),
  cardId: Id.optional(),
  requestId: RequestId.optional(),
  by: Who,
});
export type RecordInterviewRequest = z.input<typeof RecordInterviewRequestSchema>;

/** POST /cards/{cardId}/checklist — tick an item of the red card's checklist (R12). */
export const TickChecklistRequestSchema = z.object({
  item: z.enum(['explain', 'selfCriticism', 'circular', 'report']),
  done: z.boolean(),
  by: Who,
});

/** POST /tasks/close — 销号 (R3). */
export const CloseTasksRequestSchema = z.object({
  ledgerId: Id,
  taskIds: z.array(Id).min(1).max(20_000),
  date: IsoDateSchema,
  note: z.string().trim().min(1, '请填写销号依据').max(2000),
  by: Who,
});

/** POST /rectifications — a unit's rectification report after an orange card (R11). */
export const RectificationRequestSchema = z.object({
  unit: UnitNameSchema,
  /** The orange card reported on; absent: the one shared orangeCardForRectification picks (R11). */
  cardId: Id.optional(),
  date: IsoDateSchema,
  note: Text(5000).default(''),
  requestId: RequestId.optional(),
  by: Who,
});

export const ChannelSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), to: z.email() }),
  z.object({ kind: z.literal('wecom'), url: z.url() }),
  z.object({ kind: z.literal('dingtalk'), url: z.url(), secret: z.string().max(200).optional() }),
  z.object({ kind: z.literal('webhook'), url: z.url(), phone: z.string().max(30).optional() }),
]);
export type Channel = z.infer<typeof ChannelSchema>;

/** PUT /units/{unit} — a unit's contacts and prompt channels. */
export const UnitContactRequestSchema = z.object({
  head: z.string().max(50).optional(),
  contact: z.string().max(50).optional(),
  channels: z.array(ChannelSchema).max(10),
});

/** PUT /settings — the office's settings (every [default] of docs/rules.md). */
export const PutSettingsRequestSchema = SettingsSchema.partial();

/** PUT /calendar/{year} — the national holiday calendar for a year (R16). */
export const PutCalendarRequestSchema = HolidayYearSchema;

/** POST /feedback/{token} — a unit's feedback through its signed link (R19). */
export const FeedbackRequestSchema = z.object({
  text: z.string().trim().min(1, '请填写反馈内容').max(5000),
  value: z.number().finite().nullable().optional(),
  milestonesDone: z.array(z.string().max(200)).max(50).optional(),
});

/** GET /units — every unit's card state (R13). */
export const UnitStateSchema = z.object({
  unit: z.string(),
  state: CardStateSchema,
  interviews: z.number().int(),
  cards: z.array(
    z.object({ id: z.string(), color: CardColorSchema, docNo: z.string().nullable(), date: IsoDateSchema }),
  ),
  rectifyBy: IsoDateSchema.nullable(),
  rectificationOverdue: z.boolean(),
});
export type UnitState = z.infer<typeof UnitStateSchema>;

// ---- One vocabulary for the pane and the backend: history event types, outbox statuses, and the
// shapes of GET /outbox, GET /history and GET /candidates. The backend writes only these types and
// statuses (its event writer and outbox are typed by them); the pane names them from the same tables.

/** Every type of history event the backend writes (R8: the history is append-only), with its Chinese name. */
export const EVENT_TYPE_NAMES = {
  'ledger-sync': '同步台账',
  'task-removed': '任务移出台账',
  'task-restored': '任务回到台账',
  stars: '赋星',
  close: '销号',
  reminder: '提示',
  prompt: '提示投递',
  feedback: '反馈',
  candidate: '列为亮牌候选',
  card: '亮牌',
  interview: '约谈',
  rectification: '整改报告',
  'rectification-overdue': '整改逾期',
  checklist: '红牌事项勾选',
  contacts: '单位联系方式',
  settings: '设置',
  calendar: '节假日安排',
  'daily-run': '每日督办',
  'daily-run-failure': '每日督办未完成',
  'outbox-requeue': '重新发送提示',
  'clerk-key-added': '发放经办人密钥',
  'clerk-key-revoked': '作废经办人密钥',
  'links-revoked': '作废反馈链接',
  milestone: '节点完成情况',
  'target-kind': '指标类型',
} as const;
export type EventType = keyof typeof EVENT_TYPE_NAMES;
export const EVENT_TYPES = Object.keys(EVENT_TYPE_NAMES) as [EventType, ...EventType[]];
export const EventTypeSchema = z.enum(EVENT_TYPES);

/**
 * An outbox entry's status: queued → sending (claimed) → sent | retrying | failed; `cancelled` when its
 * task was closed or removed before it went out (R18); `stale` when its feedback due date or its link's
 expiry passed before it could go out (R17). With the Chinese name the clerk reads.
 */
export const OUTBOX_STATUS_NAMES = {
  queued: '待发送',
  sending: '发送中',
  sent: '已送达',
  retrying: '重试中',
  failed: '发送失败',
  cancelled: '已取消',
  stale: '已过期未发',
} as const;
export type OutboxStatus = keyof typeof OUTBOX_STATUS_NAMES;
export const OUTBOX_STATUSES = Object.keys(OUTBOX_STATUS_NAMES) as [OutboxStatus, ...OutboxStatus[]];
export const OutboxStatusSchema = z.enum(OUTBOX_STATUSES);

/** One channel's result for an outbox entry (kept across attempts). */
export const ChannelRecordSchema = z.looseObject({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  ok: z.boolean(),
  /** UTC instant of the last try on this channel. */
  at: z.string(),
  detail: z.string(),
  attempts: z.number(),
});

/** One entry of GET /outbox, as the pane reads it. `sendOn` is the CST day it is due (its partition). */
export const OutboxItemViewSchema = z.looseObject({
  key: z.string(),
  sendOn: IsoDateSchema,
  ledgerId: z.string(),
  taskId: z.string(),
  taskNo: z.string().nullable(),
  unit: z.string(),
  period: z.string(),
  status: OutboxStatusSchema,
  attempts: z.number(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
  channels: z.array(ChannelRecordSchema),
});
export type OutboxItemView = z.infer<typeof OutboxItemViewSchema>;
export const OutboxResponseSchema = z.looseObject({
  items: z.array(OutboxItemViewSchema),
  continuation: z.string().nullable().optional(),
});

/** One event of GET /history. */
export const HistoryEventViewSchema = z.looseObject({
  id: z.string(),
  type: EventTypeSchema,
  at: z.string(),
  date: z.string(),
  by: z.string().nullable().optional(),
  unit: z.string().optional(),
  ledgerId: z.string().optional(),
  taskId: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type HistoryEventView = z.infer<typeof HistoryEventViewSchema>;

/**
 * R9's evidence for 上报材料不及时: which prompt (task, period), when it was sent and over which
 * channels it was delivered, when feedback was due, and when (if ever) it came.
 */
export const LateReportEvidenceSchema = z.object({
  kind: z.literal('late-report'),
  taskId: z.string(),
  taskNo: z.string().nullable(),
  period: z.string(),
  sendOn: IsoDateSchema,
  /** UTC instant of the first channel that delivered it. */
  deliveredAt: z.string(),
  channels: z.array(z.string()),
  feedbackDue: IsoDateSchema,
  receivedOn: IsoDateSchema.nullable(),
});
/** R9's evidence for 台账清单不规范: an R1 problem of an open task, at its row and column. */
export const LedgerProblemEvidenceSchema = z.object({
  kind: z.literal('ledger-problem'),
  taskId: z.string().nullable(),
  row: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export const CandidateEvidenceSchema = z.discriminatedUnion('kind', [
  LateReportEvidenceSchema,
  LedgerProblemEvidenceSchema,
]);
export type LateReportEvidence = z.infer<typeof LateReportEvidenceSchema>;
export type LedgerProblemEvidence = z.infer<typeof LedgerProblemEvidenceSchema>;
export type CandidateEvidence = z.infer<typeof CandidateEvidenceSchema>;

/** A card candidate (R9 yellow, R10 orange): the program proposes, a clerk confirms with POST /cards. */
export const CandidateSchema = z.object({
  unit: z.string(),
  color: z.enum(['yellow', 'orange']),
  reason: CardReasonSchema,
  taskIds: z.array(z.string()),
  /** One line per finding, in Chinese, for the clerk. */
  details: z.array(z.string()),
  /** The findings as data (late reports, ledger problems); orange findings are in `details`. */
  evidence: z.array(CandidateEvidenceSchema).default([]),
});
export type Candidate = z.output<typeof CandidateSchema>;

/**
 * Why a prompt did not reach its unit in time: `no-channel` (the unit has none), `failed` (every
 * channel failed for good), `pending` (still queued or retrying after its feedback was due),
 * `not-queued` (recorded, never put in the outbox), `late-delivery` (delivered only after its
 * feedback was due).
 */
export const UndeliveredCauseSchema = z.enum([
  'no-channel',
  'failed',
  'pending',
  'not-queued',
  'late-delivery',
]);
export type UndeliveredCause = z.infer<typeof UndeliveredCauseSchema>;

/** A prompt that did not reach its unit: the office's problem to fix (R9: it never makes the unit late). */
export const UndeliveredPromptSchema = z.object({
  unit: z.string(),
  taskId: z.string(),
  taskNo: z.string().nullable(),
  period: z.string(),
  sendOn: IsoDateSchema,
  feedbackDue: IsoDateSchema,
  cause: UndeliveredCauseSchema,
  /** The delivery's last error, when there was one. */
  error: z.string().nullable(),
  /** In Chinese, for the clerk: 该单位无可用渠道，提示未送达 … */
  message: z.string(),
});
export type UndeliveredPrompt = z.infer<typeof UndeliveredPromptSchema>;

/** GET /candidates. */
export const CandidatesResponseSchema = z.object({
  ledgerId: z.string(),
  asOf: IsoDateSchema,
  yellow: z.array(CandidateSchema),
  orange: z.array(CandidateSchema),
  /** Candidates left out because the unit already has that card this year (R9, R10, R13). */
  carded: z.array(CandidateSchema).default([]),
  /** Prompts that never reached their unit: shown as the office's problem, never as a candidate. */
  undelivered: z.array(UndeliveredPromptSchema).default([]),
});
export type CandidatesResponse = z.output<typeof CandidatesResponseSchema>;

/** POST /tasks/milestones — the clerk ticks (or unticks) a 5★ milestone of a task (R7), with history. */
export const TickMilestoneRequestSchema = z.object({
  ledgerId: Id,
  taskId: Id,
  /** The milestone's text as the ledger reads it (完成立项 of 3月底前完成立项). */
  milestone: z.string().trim().min(1, '请指明节点').max(200),
  done: z.boolean({ error: '请说明节点是否完成 done' }),
  /** The day it was done (default: today, CST). */
  date: IsoDateSchema.optional(),
  by: Who,
});
export type TickMilestoneRequest = z.input<typeof TickMilestoneRequestSchema>;

/**
 * POST /tasks/target-kind — the clerk sets the kind of 4★ targets (R6): cumulative (pro-rated over the
 * year) or level (held from January); null clears it (the ledger's kind, else the setting, decides).
 */
export const SetTargetKindRequestSchema = z.object({
  ledgerId: Id,
  taskIds: z.array(Id).min(1).max(20_000),
  kind: z
    .enum(['cumulative', 'level'], { error: '指标类型 kind 应为 cumulative（累计值）或 level（水平值）' })
    .nullable(),
  by: Who,
});
export type SetTargetKindRequest = z.input<typeof SetTargetKindRequestSchema>;
