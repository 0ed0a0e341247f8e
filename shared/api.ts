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
} from './model.js';
import { SettingsSchema, HolidayYearSchema } from './settings.js';

/** Largest accepted request body, in bytes (413 beyond). A 10,000-row ledger sync fits. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

const Who = z.string().trim().min(1, '请填写经办人').max(50);
/**
 * Ledger ids, 督办编号, unit names, card ids: they become Table Storage keys (at most 512 UTF-16
 * characters, and a task's history key holds a ledger id and a 督办编号 together), so at most 100 each;
 * the backend checks the encoded length of every key as well and names the row when one is too long.
 */
const Id = z.string().trim().min(1).max(100, '编号或名称过长（最多 100 字）');
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
export const IssueCardRequestSchema = z.object({
  ledgerId: Id,
  unit: Id,
  color: z.enum(['yellow', 'orange']),
  reason: CardReasonSchema,
  taskIds: z.array(Id).max(1000).default([]),
  date: IsoDateSchema.optional(),
  note: Text(2000).optional(),
  requestId: RequestId.optional(),
  by: Who,
});
export type IssueCardRequest = z.input<typeof IssueCardRequestSchema>;

/** POST /interviews — 约谈登记 (R11, R12). */
export const RecordInterviewRequestSchema = z.object({
  unit: Id,
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
  unit: Id,
  cardId: Id,
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

/** PUT /settings — the office's settings (every [default] of RULES.md). */
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
