// What the backend answers, as the add-in reads it: loose shapes of the fields the pane and the
// commands show (more fields are tolerated), built on the schemas of shared/api.ts.
import { z } from 'zod';
import {
  UnitStateSchema,
  HistoryEventViewSchema,
  type Candidate,
  type CandidatesResponse,
  type HistoryEventView,
  type OutboxItemView,
} from '../../../shared/api.js';
import { MilestoneSchema, TargetSchema } from '../../../shared/model.js';

/** Loose response shapes: the add-in reads only the fields it shows, and tolerates more. */
export const CardResponse = z.looseObject({
  card: z.looseObject({
    id: z.string(),
    unit: z.string(),
    color: z.string(),
    docNo: z.string().nullable().optional(),
    rectifyBy: z.string().nullable().optional(),
  }),
});
export const InterviewResponse = z.looseObject({
  interview: z.looseObject({ id: z.string() }).optional(),
  /** The red card this interview made (R12), with its checklist; null when the unit did not turn red. */
  red: z
    .looseObject({
      id: z.string(),
      checklist: z
        .array(z.looseObject({ id: z.string(), text: z.string(), done: z.boolean() }))
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});
/** A unit's state (R13) with what the pane shows of each card: its rectification (R11) and red checklist (R12). */
export const UnitViewSchema = UnitStateSchema.extend({
  cards: z.array(
    z.looseObject({
      id: z.string(),
      color: z.enum(['yellow', 'orange', 'red']),
      docNo: z.string().nullable(),
      date: z.string(),
      reason: z.string().nullable().optional(),
      rectifyBy: z.string().nullable().optional(),
      rectifiedOn: z.string().nullable().optional(),
      checklist: z
        .array(z.looseObject({ id: z.string(), done: z.boolean() }))
        .nullable()
        .optional(),
    }),
  ),
});
export type UnitView = z.infer<typeof UnitViewSchema>;
export const UnitsResponse = z.looseObject({ units: z.array(UnitViewSchema) });
/** Candidates (R9, R10) with their evidence, as shared/api.ts defines them for both sides. */
export type CandidateView = Candidate;
export type CandidateReport = CandidatesResponse;
export const ReminderViewSchema = z.looseObject({
  taskId: z.string(),
  taskNo: z.string().nullable().optional(),
  leadUnit: z.string(),
  stars: z.number(),
  period: z.string(),
  reason: z.string(),
  sendOn: z.string(),
  feedbackDue: z.string(),
  taskTitle: z.string().optional(),
  note: z.string().nullable().optional(),
  /** Queued in the outbox by the daily run (R17). */
  queued: z.boolean().optional(),
});
export type ReminderView = z.infer<typeof ReminderViewSchema>;
export const RemindersResponse = z.looseObject({
  reminders: z.array(ReminderViewSchema),
  calendarNotice: z.string().nullable().optional(),
});
/** GET /outbox and GET /history: the statuses and event types of shared/api.ts, nothing else. */
export type OutboxItem = OutboxItemView;
export type HistoryEvent = HistoryEventView;
/** A feedback as received (GET /feedback, R19): what a unit answered through its signed link, and when. */
export const ReceivedFeedbackSchema = z.looseObject({
  id: z.string(),
  taskId: z.string(),
  unit: z.string(),
  period: z.string(),
  receivedOn: z.string(),
  text: z.string(),
  value: z.number().nullable().optional(),
  /** The UTC instant it arrived. */
  at: z.string(),
});
export type ReceivedFeedback = z.infer<typeof ReceivedFeedbackSchema>;
export const FeedbackResponse = z.looseObject({
  feedback: z.array(ReceivedFeedbackSchema),
  continuation: z.string().nullable().optional(),
});
/** A synced task as the pane shows it in 节点与指标 (GET /tasks): its milestones (R7) and target (R6). */
export const TaskViewSchema = z.looseObject({
  id: z.string(),
  no: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  row: z.number().optional(),
  effectiveStars: z.number().nullable().optional(),
  milestones: z.array(MilestoneSchema).default([]),
  target: TargetSchema.nullable().optional(),
  /** The kind the clerk set (POST /tasks/target-kind); null when the ledger or the settings decide. */
  targetKindSet: z.enum(['cumulative', 'level']).nullable().optional(),
  closedOn: z.string().nullable().optional(),
});
export type TaskView = z.output<typeof TaskViewSchema>;
export const TasksResponse = z.looseObject({ tasks: z.array(TaskViewSchema) });
export const TickMilestoneResponse = z.looseObject({
  taskId: z.string(),
  changed: z.array(z.string()),
  milestones: z.array(MilestoneSchema),
});
export const SetTargetKindResponse = z.looseObject({
  changes: z.array(z.looseObject({ taskId: z.string() })),
  unchanged: z.number(),
});

export const HistoryResponse = z.looseObject({
  events: z.array(HistoryEventViewSchema),
  continuation: z.string().nullable().optional(),
});

export const RoundupResponse = z.looseObject({
  period: z.string(),
  units: z.array(
    z.looseObject({
      unit: z.string(),
      rank: z.number().nullable(),
      score: z.number(),
      scoreText: z.string().optional(),
      state: z.string().optional(),
      overdue: z.array(z.unknown()).default([]),
      lagging: z.array(z.unknown()).default([]),
      feedback: z
        .looseObject({ expected: z.number(), onTime: z.number(), late: z.number(), missing: z.number() })
        .optional(),
    }),
  ),
  notice: z.string().nullable().optional(),
});
export type RoundupView = z.infer<typeof RoundupResponse>;
