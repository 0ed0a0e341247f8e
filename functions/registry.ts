// THE table of functions. Both hosts read it: functions/index.ts registers each entry with the Azure
// Functions runtime (`func start`, Azure), functions/devhost.ts serves the same entries on
// http://localhost:7071/api and fires the timers. Each HTTP function is declared in its own file
// under http/ — name, route, the handler of each method, auth and query parameters, as
// `httpFunction(name, {...})` (http/route.ts) — and listed here once.
import type { InvocationContext, TimerHandler } from '@azure/functions';
import type { HttpFunction } from './http/route.js';
import ledgerSync from './http/syncLedger.js';
import tasks from './http/listTasks.js';
import tasksClose from './http/closeTasks.js';
import taskMilestones from './http/tickMilestone.js';
import taskTargetKind from './http/setTargetKind.js';
import stars from './http/setStars.js';
import cards from './http/issueCard.js';
import card from './http/getCard.js';
import cardChecklist from './http/tickChecklist.js';
import interviews from './http/recordInterview.js';
import rectifications from './http/reportRectification.js';
import units from './http/getUnitStates.js';
import unit from './http/unit.js';
import unitLinksRevoke from './http/revokeLinks.js';
import settings from './http/settings.js';
import whoami from './http/whoami.js';
import calendar from './http/calendar.js';
import candidates from './http/getCandidates.js';
import reminders from './http/getReminders.js';
import history from './http/getHistory.js';
import outbox from './http/getOutbox.js';
import outboxRequeue from './http/requeueOutbox.js';
import roundup from './http/getRoundup.js';
import feedbackLinks from './http/createFeedbackLink.js';
import feedbackList from './http/listFeedback.js';
import feedback from './http/feedback.js';
import cardDocument from './http/cardDocument.js';
import roundupDocument from './http/roundupDocument.js';
import { dailySupervision } from './timers/dailySupervision.js';
import { DELIVERY_SCHEDULE, deliveryTimer } from './timers/delivery.js';
import { DAILY_QUEUE, dailyLedger } from './timers/dailyQueue.js';

export type { HttpFunction } from './http/route.js';

export interface TimerFunction {
  name: string;
  kind: 'timer';
  /** NCRONTAB with seconds, in UTC (R22: 08:00 Beijing = `0 0 0 * * *`). */
  schedule: string;
  handler: TimerHandler;
}

/** A queue-triggered function (`app.storageQueue` on the runtime's account, AzureWebJobsStorage). */
export interface QueueFunction {
  name: string;
  kind: 'queue';
  queueName: string;
  handler: (payload: unknown, context: InvocationContext) => Promise<void>;
}

export type FunctionEntry = HttpFunction | TimerFunction | QueueFunction;

export const FUNCTIONS: FunctionEntry[] = [
  ledgerSync,
  tasks,
  tasksClose,
  taskMilestones,
  taskTargetKind,
  stars,
  cards,
  card,
  cardChecklist,
  interviews,
  rectifications,
  units,
  unit,
  unitLinksRevoke,
  settings,
  whoami,
  calendar,
  candidates,
  reminders,
  history,
  outbox,
  outboxRequeue,
  roundup,
  feedbackLinks,
  feedbackList,
  feedback,
  cardDocument,
  roundupDocument,
  { name: 'dailySupervision', kind: 'timer', schedule: '0 0 0 * * *', handler: dailySupervision },
  { name: 'delivery', kind: 'timer', schedule: DELIVERY_SCHEDULE, handler: deliveryTimer },
  { name: 'dailyLedger', kind: 'queue', queueName: DAILY_QUEUE, handler: dailyLedger },
];
