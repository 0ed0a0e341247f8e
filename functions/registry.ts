// THE table of functions. Both hosts read it: functions/index.ts registers each entry with the Azure
// Functions runtime (`func start`, Azure), functions/devhost.ts serves the same entries on
// http://localhost:7071/api and fires the timers. A route appears once; an entry with several
// methods dispatches to one handler per method (one file per handler under http/).
import type { HttpHandler, HttpMethod, HttpRequest, InvocationContext, TimerHandler } from '@azure/functions';
import type { z } from 'zod';
import { syncLedger } from './http/syncLedger.js';
import { listTasks, Query as TasksQuery } from './http/listTasks.js';
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
import { getCandidates, Query as CandidatesQuery } from './http/getCandidates.js';
import { getReminders, Query as RemindersQuery } from './http/getReminders.js';
import { getHistory, Query as HistoryQuery } from './http/getHistory.js';
import { getOutbox, Query as OutboxQuery } from './http/getOutbox.js';
import { requeueOutbox } from './http/requeueOutbox.js';
import { getRoundup, Query as RoundupQuery } from './http/getRoundup.js';
import { createFeedbackLink } from './http/createFeedbackLink.js';
import { getFeedbackForm, submitFeedback } from './http/feedback.js';
import { listFeedback, Query as FeedbackQuery } from './http/listFeedback.js';
import { revokeLinks } from './http/revokeLinks.js';
import { whoami } from './http/whoami.js';
import { cardDocument, RedQuery } from './http/cardDocument.js';
import { roundupDocument } from './http/roundupDocument.js';
import { checkKey, corsHeaders, errorBody } from './http/adapter.js';
import { AsOfQuery } from './http/common.js';
import { runtimeEnv } from './runtime/index.js';
import { dailySupervision } from './timers/dailySupervision.js';
import { DELIVERY_SCHEDULE, deliveryTimer } from './timers/delivery.js';
import { DAILY_QUEUE, dailyLedger } from './timers/dailyQueue.js';

export interface HttpFunction {
  name: string;
  kind: 'http';
  /** Relative to /api; `{name}` is one path segment. */
  route: string;
  methods: HttpMethod[];
  /** 'key': x-functions-key required (checked in the handler, so both hosts behave alike); 'link': a signed link. */
  auth: 'key' | 'link';
  /**
   * The query parameters each method reads (besides `code`, the function key). Any other parameter is
   * a 400 naming it, never silently ignored: `?date=` where `?on=` is meant must not look like success.
   */
  query: Partial<Record<HttpMethod, readonly string[]>>;
  handler: HttpHandler;
}

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

/** The function key may always come as `?code=` (Azure's own convention). */
const ALWAYS_ALLOWED = ['code'];

/** The parameter names of a handler's query schema. */
const names = (schema: z.ZodObject) => Object.keys(schema.shape);

/**
 * One handler per method on one route; OPTIONS (CORS preflight) goes to the first, which answers it.
 * A query parameter the method does not read is refused before the handler runs.
 */
function byMethod(
  handlers: Partial<Record<HttpMethod, HttpHandler>>,
  query: Partial<Record<HttpMethod, readonly string[]>>,
  auth: 'key' | 'link',
): HttpHandler {
  /** Only a caller with the key learns what a route reads; without it the handler answers 401. */
  const authorised = (req: HttpRequest) => {
    if (auth === 'link') return true;
    try {
      checkKey(req, runtimeEnv());
      return true;
    } catch {
      return false;
    }
  };
  return (req: HttpRequest, ctx: InvocationContext) => {
    const method = req.method as HttpMethod;
    const h = handlers[method] ?? (method === 'OPTIONS' ? Object.values(handlers)[0] : undefined);
    if (!h) return { status: 405, jsonBody: errorBody('method_not_allowed', `不支持 ${req.method} 方法`) };
    // The unit's page (a signed link) is exempt: WeChat and other apps append their own parameters
    // (`?from=singlemessage&isappinstalled=0`) to links shared in chats, and the unit must still get in.
    if (method !== 'OPTIONS' && auth === 'key') {
      const allowed = [...(query[method] ?? []), ...ALWAYS_ALLOWED];
      const unknown = [...new Set(req.query.keys())].filter((k) => !allowed.includes(k));
      if (unknown.length && authorised(req)) {
        const known = allowed.filter((k) => !ALWAYS_ALLOWED.includes(k));
        return {
          status: 400,
          headers: corsHeaders(req, runtimeEnv()),
          jsonBody: errorBody(
            'unknown_query_parameter',
            `不支持的查询参数：${unknown.join('、')}（${req.method} 本接口${
              known.length ? `可用的查询参数：${known.join('、')}` : '不接受查询参数'
            }）`,
          ),
        };
      }
    }
    return h(req, ctx);
  };
}

const http = (
  name: string,
  route: string,
  handlers: Partial<Record<HttpMethod, HttpHandler>>,
  options: { auth?: 'key' | 'link'; query?: Partial<Record<HttpMethod, readonly string[]>> } = {},
): HttpFunction => {
  const query = options.query ?? {};
  const auth = options.auth ?? 'key';
  return {
    name,
    kind: 'http',
    route,
    methods: [...(Object.keys(handlers) as HttpMethod[]), 'OPTIONS'],
    auth,
    query,
    handler: byMethod(handlers, query, auth),
  };
};

export const FUNCTIONS: FunctionEntry[] = [
  http('ledgerSync', 'ledger/sync', { POST: syncLedger }),
  http('tasks', 'tasks', { GET: listTasks }, { query: { GET: names(TasksQuery) } }),
  http('tasksClose', 'tasks/close', { POST: closeTasks }),
  http('taskMilestones', 'tasks/milestones', { POST: tickMilestone }),
  http('taskTargetKind', 'tasks/target-kind', { POST: setTargetKind }),
  http('stars', 'stars', { POST: setStars }),
  http('cards', 'cards', { POST: issueCard }),
  http('card', 'cards/{cardId}', { GET: getCard }),
  http('cardChecklist', 'cards/{cardId}/checklist', { POST: tickChecklist }),
  http('interviews', 'interviews', { POST: recordInterview }),
  http('rectifications', 'rectifications', { POST: reportRectification }),
  http('units', 'units', { GET: getUnitStates }, { query: { GET: names(AsOfQuery) } }),
  http('unit', 'units/{unit}', { GET: getUnitContacts, PUT: putUnitContacts }),
  http('unitLinksRevoke', 'units/{unit}/links/revoke', { POST: revokeLinks }),
  http('settings', 'settings', { GET: getSettings, PUT: putSettings }),
  http('whoami', 'whoami', { GET: whoami }),
  http('calendar', 'calendar/{year}', { GET: getCalendar, PUT: putCalendar }),
  http('candidates', 'candidates', { GET: getCandidates }, { query: { GET: names(CandidatesQuery) } }),
  http('reminders', 'reminders', { GET: getReminders }, { query: { GET: names(RemindersQuery) } }),
  http('history', 'history', { GET: getHistory }, { query: { GET: names(HistoryQuery) } }),
  http('outbox', 'outbox', { GET: getOutbox }, { query: { GET: names(OutboxQuery) } }),
  http('outboxRequeue', 'outbox/requeue', { POST: requeueOutbox }),
  http('roundup', 'roundup', { GET: getRoundup }, { query: { GET: names(RoundupQuery) } }),
  http('feedbackLinks', 'feedback-links', { POST: createFeedbackLink }),
  http('feedbackList', 'feedback', { GET: listFeedback }, { query: { GET: names(FeedbackQuery) } }),
  http('feedback', 'feedback/{token}', { GET: getFeedbackForm, POST: submitFeedback }, { auth: 'link' }),
  http('cardDocument', 'cards/{cardId}/document', { GET: cardDocument }, { query: { GET: names(RedQuery) } }),
  // The same query as GET roundup: the document is made from that answer.
  http(
    'roundupDocument',
    'roundup/document',
    { GET: roundupDocument },
    { query: { GET: names(RoundupQuery) } },
  ),
  { name: 'dailySupervision', kind: 'timer', schedule: '0 0 0 * * *', handler: dailySupervision },
  { name: 'delivery', kind: 'timer', schedule: DELIVERY_SCHEDULE, handler: deliveryTimer },
  { name: 'dailyLedger', kind: 'queue', queueName: DAILY_QUEUE, handler: dailyLedger },
];
