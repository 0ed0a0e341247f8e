// The add-in's client of the backend's HTTP API (functions/http under /api). Every request body is
// built and checked with the schemas of shared/api.ts, the same ones the functions validate with.
import { z } from 'zod';
import {
  CloseTasksRequestSchema,
  IssueCardRequestSchema,
  RecordInterviewRequestSchema,
  RectificationRequestSchema,
  SetStarsRequestSchema,
  SyncLedgerRequestSchema,
  TickChecklistRequestSchema,
  CandidatesResponseSchema,
  PutCalendarRequestSchema,
  OutboxResponseSchema,
  SetTargetKindRequestSchema,
  TickMilestoneRequestSchema,
  type SetTargetKindRequest,
  type TickMilestoneRequest,
  type IssueCardRequest,
  type SetStarsRequest,
  type SyncLedgerRequest,
  type RecordInterviewRequest,
} from '../../../shared/api.js';
import { SettingsSchema, type Settings } from '../../../shared/settings.js';

export interface BackendConfig {
  /** Base URL of the API, ending in /api (e.g. https://duban.azurewebsites.net/api, or /api through the dev server). */
  url: string;
  /** The function key, sent as x-functions-key. */
  key: string;
}

export type BackendErrorKind = 'unreachable' | 'unauthorized' | 'rejected' | 'config';

/** The most outbox entries of a day the pane reads (5 pages of 1,000), besides those that went wrong. */
export const OUTBOX_CAP = 5000;

/** Outbox statuses a clerk must see every entry of, however long the day: never sent, or not yet. */
export const OUTBOX_PROBLEMS = ['failed', 'retrying', 'stale'] as const;

/** A failure the clerk can act on; `message` is Chinese and says what to do. */
export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

import {
  CardResponse,
  InterviewResponse,
  UnitsResponse,
  RemindersResponse,
  FeedbackResponse,
  TasksResponse,
  TickMilestoneResponse,
  SetTargetKindResponse,
  HistoryResponse,
  RoundupResponse,
  type CandidateReport,
  type CandidateView,
  type OutboxItem,
  type ReceivedFeedback,
  type ReminderView,
  type TaskView,
  type UnitView,
} from './views.js';

export * from './views.js';

type Fetch = typeof fetch;

/** How long one request may take before the clerk is told the backend does not answer. */
export const REQUEST_TIMEOUT_MS = 30_000;

export class DubanApi {
  private readonly base: string;
  constructor(
    private readonly config: BackendConfig,
    private readonly fetchImpl: Fetch = (...a) => fetch(...a),
    private readonly timeoutMs: number = REQUEST_TIMEOUT_MS,
  ) {
    if (!config.url.trim()) throw new BackendError('config', '尚未设置督办后台地址，请在“设置”中填写。');
    this.base = config.url.replace(/\/+$/, '');
  }

  /** One HTTP exchange; any failure becomes a BackendError the clerk can act on. */
  private async send(method: string, path: string, body: unknown): Promise<Response> {
    const url = `${this.base}${path}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(this.config.key ? { 'x-functions-key': this.config.key } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A backend that accepts the connection and never answers must not hold the pane (busy) or a
        // ribbon command (event.completed) forever.
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new BackendError(
          'unreachable',
          `督办后台 ${Math.round(this.timeoutMs / 1000)} 秒内没有应答（${this.base}）。请稍后点“重试”。`,
        );
      }
      throw new BackendError(
        'unreachable',
        `无法连接督办后台（${this.base}）。请检查网络，或在“设置”中核对后台地址，然后点“重试”。`,
      );
    }
    if (res.ok) return res;
    let json: unknown = null;
    try {
      json = JSON.parse(await res.text());
    } catch {
      json = null;
    }
    const err = ErrorBody.safeParse(json);
    if (res.status === 401 || res.status === 403) {
      throw new BackendError(
        'unauthorized',
        '后台拒绝访问：功能密钥不正确或未填写，请在“设置”中核对。',
        res.status,
      );
    }
    if (res.status === 502 || res.status === 503 || res.status === 504) {
      throw new BackendError(
        'unreachable',
        `无法连接督办后台（${this.base}，HTTP ${res.status}）。请稍后点“重试”，或在“设置”中核对后台地址。`,
        res.status,
      );
    }
    if (res.status >= 500) {
      throw new BackendError(
        'unreachable',
        err.success
          ? `督办后台暂时出错：${err.data.error.message}`
          : `督办后台暂时不可用（HTTP ${res.status}），请稍后点“重试”。`,
        res.status,
      );
    }
    throw new BackendError(
      'rejected',
      err.success ? err.data.error.message : `请求未被接受（HTTP ${res.status}）。`,
      res.status,
      err.success ? err.data.error.code : undefined,
    );
  }

  private async request<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new BackendError('rejected', `后台返回的数据无法识别（${method} ${path}）。`, res.status);
    return parsed.data;
  }

  /** A document (.docx) with the name the backend gives it (RFC 6266 filename*). */
  private async download(path: string): Promise<{ blob: Blob; fileName: string }> {
    const res = await this.send('GET', path, undefined);
    const disposition = res.headers.get('content-disposition') ?? '';
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
    const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
    const fileName = star ? decodeURIComponent(star) : (plain ?? 'document.docx');
    return { blob: await res.blob(), fileName };
  }

  /** The letter that follows a card (R14): 提示函 for yellow, 预警通知书 for orange. */
  cardDocument(cardId: string) {
    return this.download(`/cards/${encodeURIComponent(cardId)}/document`);
  }

  /** A red card's draft 通报批评 (tongbao) or 专题报告 to 县委 (zhuanti), R12; `no` prints its number. */
  redCardDocument(cardId: string, doc: 'tongbao' | 'zhuanti', no?: number | null) {
    return this.download(`/cards/${encodeURIComponent(cardId)}/document?doc=${doc}${no ? `&no=${no}` : ''}`);
  }

  /** The round-up report of a period (R21) as .docx. */
  roundupDocument(ledgerId: string, period: string) {
    return this.download(
      `/roundup/document?ledgerId=${encodeURIComponent(ledgerId)}&period=${encodeURIComponent(period)}`,
    );
  }

  syncLedger(body: SyncLedgerRequest) {
    return this.request('POST', '/ledger/sync', SyncLedgerRequestSchema.parse(body), z.looseObject({}));
  }

  setStars(body: SetStarsRequest) {
    return this.request('POST', '/stars', SetStarsRequestSchema.parse(body), z.looseObject({}));
  }

  issueCard(body: IssueCardRequest) {
    return this.request('POST', '/cards', IssueCardRequestSchema.parse(body), CardResponse);
  }

  recordInterview(body: RecordInterviewRequest) {
    return this.request('POST', '/interviews', RecordInterviewRequestSchema.parse(body), InterviewResponse);
  }

  tickChecklist(cardId: string, item: string, done: boolean, by: string) {
    const body = TickChecklistRequestSchema.parse({ item, done, by });
    return this.request('POST', `/cards/${encodeURIComponent(cardId)}/checklist`, body, z.looseObject({}));
  }

  /** 整改报告 after an orange card (R11): ends the daily overdue flag. */
  reportRectification(body: z.input<typeof RectificationRequestSchema>) {
    return this.request('POST', '/rectifications', RectificationRequestSchema.parse(body), z.looseObject({}));
  }

  closeTasks(body: z.input<typeof CloseTasksRequestSchema>) {
    return this.request('POST', '/tasks/close', CloseTasksRequestSchema.parse(body), z.looseObject({}));
  }

  /** The synced tasks of a ledger (GET /tasks), with their milestones and targets. */
  async tasks(ledgerId: string): Promise<TaskView[]> {
    const q = `?ledgerId=${encodeURIComponent(ledgerId)}`;
    return (await this.request('GET', `/tasks${q}`, undefined, TasksResponse)).tasks;
  }

  /** Ticks (or unticks) a 5★ milestone (R7); answers the task's milestones as they now read. */
  tickMilestone(body: TickMilestoneRequest) {
    return this.request(
      'POST',
      '/tasks/milestones',
      TickMilestoneRequestSchema.parse(body),
      TickMilestoneResponse,
    );
  }

  /** Sets the kind of 4★ targets (R6): cumulative, level, or null for 按设置. */
  setTargetKind(body: SetTargetKindRequest) {
    return this.request(
      'POST',
      '/tasks/target-kind',
      SetTargetKindRequestSchema.parse(body),
      SetTargetKindResponse,
    );
  }

  async units(asOf?: string): Promise<UnitView[]> {
    const q = asOf ? `?asOf=${asOf}` : '';
    return (await this.request('GET', `/units${q}`, undefined, UnitsResponse)).units;
  }

  /**
   * Yellow (R9) and orange (R10) candidates of a synced ledger still to decide (the backend leaves out
   * those already carded this year), each with its evidence.
   */
  async candidates(ledgerId: string, asOf: string): Promise<CandidateView[]> {
    const res = await this.candidateReport(ledgerId, asOf);
    return [...res.yellow, ...res.orange];
  }

  /** The whole GET /candidates: open candidates, those already carded, and the undelivered prompts (R9). */
  async candidateReport(ledgerId: string, asOf: string): Promise<CandidateReport> {
    const q = `?ledgerId=${encodeURIComponent(ledgerId)}&asOf=${asOf}`;
    return this.request('GET', `/candidates${q}`, undefined, CandidatesResponseSchema);
  }

  async reminders(on: string, ledgerId?: string): Promise<ReminderView[]> {
    return (await this.reminderDay(on, ledgerId)).reminders;
  }

  /** The reminders due on a day, with R16's note when that day's working days were counted Mon–Fri. */
  async reminderDay(
    on: string,
    ledgerId?: string,
  ): Promise<{ reminders: ReminderView[]; calendarNotice: string | null }> {
    const l = ledgerId ? `&ledgerId=${encodeURIComponent(ledgerId)}` : '';
    const res = await this.request('GET', `/reminders?on=${on}${l}`, undefined, RemindersResponse);
    return { reminders: res.reminders, calendarNotice: res.calendarNotice ?? null };
  }

  /** R16: whether the backend has the holiday calendar of a year (the office's entry or a built-in one). */
  async calendarCovers(year: number): Promise<boolean> {
    const res = await this.request(
      'GET',
      `/calendar/${year}`,
      undefined,
      z.looseObject({ covered: z.boolean() }),
    );
    return res.covered;
  }

  /** R16: enters a year's holidays and 调休 working days (PUT /calendar/{year}), checked as the backend checks. */
  putCalendar(year: number, entry: z.input<typeof PutCalendarRequestSchema>) {
    return this.request(
      'PUT',
      `/calendar/${year}`,
      PutCalendarRequestSchema.parse(entry),
      z.looseObject({ year: z.number() }),
    );
  }

  /**
   * R17: a day's outbox, every page up to `cap` entries (a county's day can hold thousands): `more`
   * says that the day has entries past the cap, so the pane never presents a part as the whole. On
   * such a day every entry that failed, is retrying or went stale is read too, whatever the cap.
   */
  async outbox(date: string, cap = OUTBOX_CAP): Promise<{ items: OutboxItem[]; more: boolean }> {
    const first = await this.outboxPages(date, cap);
    if (!first.more) return first;
    const byKey = new Map(first.items.map((i) => [i.key, i]));
    for (const status of OUTBOX_PROBLEMS)
      for (const i of (await this.outboxPages(date, cap, status)).items) byKey.set(i.key, i);
    return { items: [...byKey.values()], more: true };
  }

  /** Pages of a day's outbox (of one status) until `cap` entries or the end. */
  private async outboxPages(
    date: string,
    cap: number,
    status?: OutboxItem['status'],
  ): Promise<{ items: OutboxItem[]; more: boolean }> {
    const items: OutboxItem[] = [];
    const seen = new Set<string>();
    const most = Math.max(1, Math.trunc(cap));
    let continuation: string | null | undefined = null;
    do {
      const q =
        `date=${encodeURIComponent(date)}&limit=${Math.min(1000, most - items.length)}` +
        (status ? `&status=${status}` : '') +
        (continuation ? `&continuation=${encodeURIComponent(continuation)}` : '');
      const page: z.infer<typeof OutboxResponseSchema> = await this.request(
        'GET',
        `/outbox?${q}`,
        undefined,
        OutboxResponseSchema,
      );
      for (const i of page.items) if (!seen.has(i.key) && seen.add(i.key)) items.push(i);
      // A page with nothing in it, or the same continuation again, would never end: stop there.
      if (page.items.length === 0 || page.continuation === continuation) {
        continuation = page.items.length === 0 ? null : page.continuation;
        break;
      }
      continuation = page.continuation;
    } while (continuation && items.length < most);
    return { items, more: Boolean(continuation) };
  }

  /** A page of the history of a unit or of a task (newest first as stored); `continuation` for the next page. */
  history(subject: { unit: string } | { ledgerId: string; taskId: string }, continuation?: string) {
    const q =
      'unit' in subject
        ? `unit=${encodeURIComponent(subject.unit)}`
        : `ledgerId=${encodeURIComponent(subject.ledgerId)}&taskId=${encodeURIComponent(subject.taskId)}`;
    const p = continuation ? `&continuation=${encodeURIComponent(continuation)}` : '';
    return this.request('GET', `/history?${q}${p}`, undefined, HistoryResponse);
  }

  /** Every feedback of a ledger received at or after `since` (UTC ISO), all pages. */
  async feedbackSince(ledgerId: string, since: string | null): Promise<ReceivedFeedback[]> {
    const out: ReceivedFeedback[] = [];
    let continuation: string | null | undefined = null;
    do {
      const q =
        `ledgerId=${encodeURIComponent(ledgerId)}&limit=1000` +
        (since ? `&since=${encodeURIComponent(since)}` : '') +
        (continuation ? `&continuation=${encodeURIComponent(continuation)}` : '');
      const page: z.infer<typeof FeedbackResponse> = await this.request(
        'GET',
        `/feedback?${q}`,
        undefined,
        FeedbackResponse,
      );
      out.push(...page.feedback);
      continuation = page.continuation;
    } while (continuation);
    return out;
  }

  /** The office's settings (GET /settings): card colours and every [default] of docs/rules.md. */
  async settings(): Promise<Settings> {
    const res = await this.request('GET', '/settings', undefined, z.looseObject({ settings: z.unknown() }));
    return SettingsSchema.parse(res.settings);
  }

  /** Who the key belongs to (GET /whoami): a clerk's own key names the clerk; the office key names none. */
  whoami(): Promise<{ role: 'clerk' | 'office'; clerk: string | null }> {
    return this.request(
      'GET',
      '/whoami',
      undefined,
      z.object({ role: z.enum(['clerk', 'office']), clerk: z.string().nullable() }),
    );
  }

  /** Changes only the settings sent (PUT /settings merges them at any depth); gives the whole result. */
  async putSettings(patch: Partial<Settings>): Promise<Settings> {
    const res = await this.request('PUT', '/settings', patch, z.looseObject({ settings: z.unknown() }));
    return SettingsSchema.parse(res.settings);
  }

  /** The round-up report of a period (R19–R21): per unit feedback, lagging, overdue, cards, rank. */
  roundup(ledgerId: string, period: string) {
    const q = `ledgerId=${encodeURIComponent(ledgerId)}&period=${encodeURIComponent(period)}`;
    return this.request('GET', `/roundup?${q}`, undefined, RoundupResponse);
  }
}
