// THE table of functions. Both hosts read it: functions/index.ts registers each entry with the Azure
// Functions runtime (`func start`, Azure), functions/devhost.ts serves the same entries on
// http://localhost:7071/api and fires the timers. A route appears once; an entry with several
// methods dispatches to one handler per method (one file per handler under http/).
import type { HttpHandler, HttpMethod, HttpRequest, InvocationContext, TimerHandler } from '@azure/functions';
import { syncLedger } from './http/syncLedger.js';
import { listTasks } from './http/listTasks.js';
import { setStars } from './http/setStars.js';
import { closeTasks } from './http/closeTasks.js';
import { tickMilestone } from './http/tickMilestone.js';
import { setTargetKind } from './http/setTargetKind.js';
import { issueCard } from './http/issueCard.js';
import { getCard } from './http/getCard.js';
import { tickChecklist } from './http/tickChecklist.js';
import { recordInterview } from './http/recordInterview.js';
import { reportRectification } from './http/reportRectification.js';
import { getUnitStates } from './http/getUnitStates.js';
import { getUnitContacts } from './http/getUnitContacts.js';
import { putUnitContacts } from './http/putUnitContacts.js';
import { getSettings } from './http/getSettings.js';
import { putSettings } from './http/putSettings.js';
import { getCalendar } from './http/getCalendar.js';
import { putCalendar } from './http/putCalendar.js';
import { getCandidates } from './http/getCandidates.js';
import { getReminders } from './http/getReminders.js';
import { getHistory } from './http/getHistory.js';
import { getOutbox } from './http/getOutbox.js';
import { requeueOutbox } from './http/requeueOutbox.js';
import { getRoundup } from './http/getRoundup.js';
import { createFeedbackLink } from './http/createFeedbackLink.js';
import { getFeedbackForm, submitFeedback } from './http/feedback.js';
import { listFeedback } from './http/listFeedback.js';
import { cardDocument } from './http/cardDocument.js';
import { roundupDocument } from './http/roundupDocument.js';
import { errorBody } from './http/adapter.js';
import { dailySupervision } from './timers/dailySupervision.js';
import { DELIVERY_SCHEDULE, deliveryTimer } from './timers/delivery.js';

export interface HttpFunction {
  name: string;
  kind: 'http';
  /** Relative to /api; `{name}` is one path segment. */
  route: string;
  methods: HttpMethod[];
  /** 'key': x-functions-key required (checked in the handler, so both hosts behave alike); 'link': a signed link. */
  auth: 'key' | 'link';
  handler: HttpHandler;
}

export interface TimerFunction {
  name: string;
  kind: 'timer';
  /** NCRONTAB with seconds, in UTC (R22: 08:00 Beijing = `0 0 0 * * *`). */
  schedule: string;
  handler: TimerHandler;
}

export type FunctionEntry = HttpFunction | TimerFunction;

/** One handler per method on one route; OPTIONS (CORS preflight) goes to the first, which answers it. */
function byMethod(handlers: Partial<Record<HttpMethod, HttpHandler>>): HttpHandler {
  return (req: HttpRequest, ctx: InvocationContext) => {
    const h =
      handlers[req.method as HttpMethod] ??
      (req.method === 'OPTIONS' ? Object.values(handlers)[0] : undefined);
    if (!h) return { status: 405, jsonBody: errorBody('method_not_allowed', `不支持 ${req.method} 方法`) };
    return h(req, ctx);
  };
}

const http = (
  name: string,
  route: string,
  handlers: Partial<Record<HttpMethod, HttpHandler>>,
  auth: 'key' | 'link' = 'key',
): HttpFunction => ({
  name,
  kind: 'http',
  route,
  methods: [...(Object.keys(handlers) as HttpMethod[]), 'OPTIONS'],
  auth,
  handler: byMethod(handlers),
});

export const FUNCTIONS: FunctionEntry[] = [
  http('ledgerSync', 'ledger/sync', { POST: syncLedger }),
  http('tasks', 'tasks', { GET: listTasks }),
  http('tasksClose', 'tasks/close', { POST: closeTasks }),
  http('taskMilestones', 'tasks/milestones', { POST: tickMilestone }),
  http('taskTargetKind', 'tasks/target-kind', { POST: setTargetKind }),
  http('stars', 'stars', { POST: setStars }),
  http('cards', 'cards', { POST: issueCard }),
  http('card', 'cards/{cardId}', { GET: getCard }),
  http('cardChecklist', 'cards/{cardId}/checklist', { POST: tickChecklist }),
  http('interviews', 'interviews', { POST: recordInterview }),
  http('rectifications', 'rectifications', { POST: reportRectification }),
  http('units', 'units', { GET: getUnitStates }),
  http('unit', 'units/{unit}', { GET: getUnitContacts, PUT: putUnitContacts }),
  http('settings', 'settings', { GET: getSettings, PUT: putSettings }),
  http('calendar', 'calendar/{year}', { GET: getCalendar, PUT: putCalendar }),
  http('candidates', 'candidates', { GET: getCandidates }),
  http('reminders', 'reminders', { GET: getReminders }),
  http('history', 'history', { GET: getHistory }),
  http('outbox', 'outbox', { GET: getOutbox }),
  http('outboxRequeue', 'outbox/requeue', { POST: requeueOutbox }),
  http('roundup', 'roundup', { GET: getRoundup }),
  http('feedbackLinks', 'feedback-links', { POST: createFeedbackLink }),
  http('feedbackList', 'feedback', { GET: listFeedback }),
  http('feedback', 'feedback/{token}', { GET: getFeedbackForm, POST: submitFeedback }, 'link'),
  http('cardDocument', 'cards/{cardId}/document', { GET: cardDocument }),
  http('roundupDocument', 'roundup/document', { GET: roundupDocument }),
  { name: 'dailySupervision', kind: 'timer', schedule: '0 0 0 * * *', handler: dailySupervision },
  { name: 'delivery', kind: 'timer', schedule: DELIVERY_SCHEDULE, handler: deliveryTimer },
];
