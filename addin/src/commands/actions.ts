// What each ribbon command does, as plain exported functions (the ribbon wiring is in ribbon.ts; the
// pane calls the same functions after asking the clerk). Each runs in one Excel.run: read once,
// decide with shared/ and the backend, write once. The backend is called before anything is written,
// so a failure leaves the workbook as it was.
import { cardRefusal } from '../../../shared/rules/cardDecisions.js';
import { splitLeadUnits } from '../../../shared/ledger/leadUnits.js';
import { starChanges } from '../../../shared/rules/stars.js';
import type { CardReason, CardState, IsoDate, LedgerTask, Stars } from '../../../shared/model.js';
import type { Settings } from '../../../shared/settings.js';
import { BackendError, type DubanApi } from '../api/client.js';
import {
  readSheet,
  writePlan,
  excelCode,
  PAINTED_SETTING,
  WorkbookError,
  type ExcelHost,
  type SetSupported,
  type CellWrite,
  type SheetRead,
  type WritePlan,
} from '../excel/workbook.js';
import {
  LedgerError,
  STATUS_HEADER,
  assignIds,
  hiddenByMerge,
  paintRows,
  paintedOf,
  rowsOfUnits,
  withPainted,
  starText,
  viewLedger,
  type LedgerView,
} from '../ledgerView.js';
import type { Mailbox, TaskRef } from '../mailbox.js';
import {
  FEEDBACK_SETTING,
  askSince,
  cursorOf,
  planFeedback,
  withCursor,
  type FeedbackPlan,
} from '../ledgerFeedback.js';
import { ledgerIdFor, type Prefs } from '../prefs.js';

export interface CommandEnv {
  excel: ExcelHost;
  isSetSupported: SetSupported;
  /** The backend client; throws BackendError('config') when no backend is set. */
  api(): DubanApi;
  prefs(): Prefs;
  settings: Settings;
  today(): IsoDate;
  mailbox: Mailbox;
  /**
   * Shows the command's outcome (the last status) where the clerk sees it when no task pane is open
   * (Office's dialog); resolves when the clerk has closed it. Absent where a pane always listens.
   */
  notice?: () => Promise<void>;
  /** Remembers the ledger of a successful 同步台账 for the pane (browser storage; absent in tests). */
  rememberLedger?: (ledger: { ledgerId: string; year: number }) => void;
}

export interface Outcome {
  level: 'success' | 'info' | 'error';
  text: string;
  details?: string[];
  retry?: boolean;
  /**
   * The card orders still to issue after a failure, each with the requestId it was first sent with:
   * 重试 sends only these, with the same ids, so a card the backend committed before a 502 is not
   * issued twice (R14: one number) — see issueCardsFor.
   */
  pendingCards?: { color: 'yellow' | 'orange'; orders: CardOrder[] };
  /** Ids of unit feedback kept because it could not be written (同步台账): the clerk may dismiss them. */
  pendingFeedback?: string[];
}

/**
 * A fresh id for one action the clerk confirmed (a card order, an interview): sent again, unchanged,
 * on every retry of that action, so the backend answers a retry with what the first request did.
 */
export function newRequestId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

const COLOR_NAME = { yellow: '黄牌', orange: '橙牌', red: '红牌' } as const;

function clerk(env: CommandEnv): string {
  const name = env.prefs().clerk.trim();
  if (!name) throw new LedgerError('请先在督办面板的“设置”中填写经办人姓名。');
  return name;
}

/** A list for a status line: the first few names, then how many more. */
export function listNames(names: string[], max = 5): string {
  return names.length <= max
    ? names.join('、')
    : `${names.slice(0, max).join('、')}等 ${names.length} 个单位`;
}

function rowLabel(t: LedgerTask): string {
  return `第${t.row}行${t.no ? `（序号${t.no}）` : ''}`;
}

/** Excel's error codes a clerk may meet, in Chinese (Excel.ErrorCodes). */
const EXCEL_ERRORS: Record<string, string> = {
  AccessDenied: '没有权限更改（工作表或工作簿受保护）',
  ItemNotFound: '找不到工作表或区域（可能已被重命名或删除）',
  InvalidSelection: '当前选择不适用于此操作',
  InvalidOperationInCellEditMode: '单元格正在编辑，请先按 Enter 或 Esc 结束编辑',
  RequestPayloadSizeLimitExceeded: '数据量超过 Excel 网页版单次请求的上限',
  Conflict: '工作簿正被他人同时修改，请稍后再试',
};

/** Turns any failure into what the clerk reads; the backend being down is one click from a retry. */
export function failure(err: unknown): Outcome {
  if (err instanceof BackendError) {
    return { level: 'error', text: err.message, retry: err.kind === 'unreachable' };
  }
  if (err instanceof LedgerError || err instanceof WorkbookError)
    return { level: 'error', text: err.message };
  if (err && typeof err === 'object' && 'issues' in err) {
    const issues = (err as { issues: { message: string; path: PropertyKey[] }[] }).issues;
    return { level: 'error', text: `数据未通过检查：${issues.map((i) => i.message).join('；')}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = excelCode(err);
  // Excel's own message follows Office's language; the clerk first reads what it means, in Chinese.
  const meaning = Object.entries(EXCEL_ERRORS).find(([c]) => code.includes(c))?.[1];
  return {
    level: 'error',
    text: `操作未完成，工作簿未被修改：${meaning ? `${meaning}（${message}）` : message}`,
  };
}

/**
 * A protected sheet cannot be written: refused right after the read, before the backend is called, so
 * the backend never records what the ledger cannot show.
 */
function refuseProtected(read: SheetRead): void {
  if (read.protected) {
    throw new LedgerError(
      `工作表“${read.sheetName}”受保护，督办无法写入。请先在“审阅”中撤销工作表保护，再点一次；后台未作任何记录。`,
    );
  }
}

/**
 * The write after the backend has recorded: Excel's batches are not transactional (and a write past
 * 4 MB is several), so a failure here may leave part of it in the workbook. The clerk is told what the
 * backend recorded and to run 同步台账 again, never that the workbook is untouched.
 */
async function writeRecorded(
  context: Excel.RequestContext,
  env: CommandEnv,
  sheetName: string,
  plan: WritePlan,
  recorded: string,
): Promise<void> {
  try {
    await writePlan(context, env.isSetSupported, sheetName, plan);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new LedgerError(
      `后台已记录：${recorded}。但写入工作簿时出错（${message}），工作簿可能只写入了一部分：请点“同步台账”再同步一次。`,
    );
  }
}

async function unitStates(api: DubanApi, asOf: IsoDate): Promise<Map<string, CardState>> {
  return new Map((await api.units(asOf)).map((u) => [u.unit, u.state]));
}

function selectedWithIds(view: LedgerView): (LedgerTask & { id: string })[] {
  const selected = view.selectedTasks;
  if (view.read.selectionElsewhere && selected.length === 0) {
    throw new LedgerError(`请在台账工作表“${view.read.sheetName}”中选中任务行后再试。`);
  }
  if (selected.length === 0) throw new LedgerError('请先选中台账中的任务行（可多选）。');
  const missing = selected.filter((t) => !t.id);
  if (missing.length > 0) {
    throw new LedgerError(`${missing.map(rowLabel).join('、')}还没有督办编号，请先点“同步台账”。`);
  }
  return selected as (LedgerTask & { id: string })[];
}

/**
 * 同步台账: ids for new rows, tasks to the backend, non-standard cells marked (R1), rows coloured (R13),
 * and the units' feedback written back into the 进展情况 column (R19) — one read, one write.
 */
export async function syncLedger(env: CommandEnv): Promise<Outcome> {
  try {
    return await env.excel.run(async (context) => {
      const by = clerk(env);
      const api = env.api();
      const read = await readSheet(context, env.isSetSupported, { fills: true, setting: FEEDBACK_SETTING });
      refuseProtected(read);
      const view = viewLedger(read, env.settings, env.today());
      const { tasks, writes, renumbered } = assignIds(view);
      const { problems, year } = view.ledger;
      const ledgerId = ledgerIdFor(env.prefs(), year);
      await api.syncLedger({ ledgerId, year, tasks, problems, by });
      env.rememberLedger?.({ ledgerId, year });
      const states = await unitStates(api, env.today()).catch(() => null);
      // Feedback is pulled after the sync succeeded; if only the pull fails, the sync still stands.
      const cursor = cursorOf(read.setting, ledgerId);
      let feedback: FeedbackPlan | null = null;
      let feedbackError: string | null = null;
      try {
        const received = await api.feedbackSince(ledgerId, askSince(cursor));
        const lastColumn = writes.reduce((m, w) => Math.max(m, w.column), view.lastColumn);
        feedback = planFeedback({ view, tasks, received, cursor, newColumn: lastColumn + 1 });
      } catch (err) {
        feedbackError = failure(err).text;
      }
      const cells = [...writes, ...(feedback?.cells ?? [])];
      const lastColumn = cells.reduce((m, w) => Math.max(m, w.column), view.lastColumn);
      const rows = [...tasks.map((t) => t.row), ...problems.map((p) => p.row)];
      const fills = paintRows({
        view,
        rows,
        states,
        problems,
        colors: env.settings.cardColors,
        current: read.fills,
        lastColumn,
        painted: paintedOf(read.painted, read.sheetName),
      });
      const settings = feedback
        ? [{ key: FEEDBACK_SETTING, value: withCursor(read.setting, ledgerId, feedback.cursor) }]
        : [];
      await writeRecorded(
        context,
        env,
        read.sheetName,
        {
          cells,
          fills,
          settings: [
            ...settings,
            { key: PAINTED_SETTING, value: withPainted(read.painted, read.sheetName, fills) },
          ],
        },
        `同步台账（${tasks.length} 项任务）`,
      );
      env.mailbox.ask({ kind: 'problems', sheetName: read.sheetName, problems });
      const added = writes.filter((w) => w.row !== view.headerRow).length;
      const pulled = feedback?.written.length ?? 0;
      const unplaced = feedback?.unplaced ?? [];
      const feedbackNote = feedbackError
        ? `反馈未能拉取（${feedbackError}），下次同步再试。`
        : `${pulled ? `写入单位反馈 ${pulled} 条。` : ''}${
            unplaced.length ? `${unplaced.length} 条反馈未能写入（原因见下方），下次同步再试。` : ''
          }`;
      return {
        level: unplaced.length || feedbackError ? ('info' as const) : ('success' as const),
        text: `已同步 ${tasks.length} 项任务${added ? `，新编督办编号 ${added} 个` : ''}；${
          problems.length ? `发现 ${problems.length} 处不规范，已标出。` : '台账规范。'
        }${feedbackNote}`,
        details: [...renumbered, ...unplaced, ...(feedback?.written ?? [])],
        ...(feedback?.cursor.pending.length
          ? { pendingFeedback: feedback.cursor.pending.map((f) => f.id) }
          : {}),
      };
    });
  } catch (err) {
    return failure(err);
  }
}

/** 检查台账: the same check, nothing sent; problems listed in the pane with jump-to-cell. */
export async function checkLedger(env: CommandEnv): Promise<Outcome> {
  try {
    return await env.excel.run(async (context) => {
      const read = await readSheet(context, env.isSetSupported, { fills: true });
      const view = viewLedger(read, env.settings, env.today());
      const { problems, tasks } = view.ledger;
      let states: Map<string, CardState> | null = null;
      try {
        states = await unitStates(env.api(), env.today());
      } catch {
        states = null; // offline check: card colours are left as they are
      }
      const rows = [...tasks.map((t) => t.row), ...problems.map((p) => p.row)];
      const fills = paintRows({
        view,
        rows,
        states,
        problems,
        colors: env.settings.cardColors,
        current: read.fills,
        painted: paintedOf(read.painted, read.sheetName),
      });
      env.mailbox.ask({ kind: 'problems', sheetName: read.sheetName, problems });
      if (read.protected) {
        // Nothing recorded anywhere: the problems are listed, the marks wait for an unprotected sheet.
        return {
          level: 'info' as const,
          text: `台账检查完成：${tasks.length} 项任务，发现 ${problems.length} 处不规范（见下方）。工作表“${read.sheetName}”受保护，未标色。`,
        };
      }
      await writePlan(context, env.isSetSupported, read.sheetName, {
        cells: [],
        fills,
        settings: [{ key: PAINTED_SETTING, value: withPainted(read.painted, read.sheetName, fills) }],
      });
      return problems.length
        ? {
            level: 'info' as const,
            text: `台账检查完成：${tasks.length} 项任务，发现 ${problems.length} 处不规范（已用浅红色标出）。`,
          }
        : { level: 'success' as const, text: `台账检查完成：${tasks.length} 项任务，均规范。` };
    });
  } catch (err) {
    return failure(err);
  }
}

/** 赋星 (R5): by kind or explicit; written into the star column of the selected tasks and recorded. */
export async function setStars(env: CommandEnv, target: Stars | 'byKind'): Promise<Outcome> {
  try {
    return await env.excel.run(async (context) => {
      const by = clerk(env);
      const read = await readSheet(context, env.isSetSupported);
      refuseProtected(read);
      const view = viewLedger(read, env.settings, env.today());
      const selected = selectedWithIds(view);
      const starColumn = view.column('stars');
      if (starColumn === null) throw new LedgerError('台账中没有“星级”列，请先在表头添加“星级”列。');
      const changes = starChanges(
        selected.map((t) => ({ id: t.id, row: t.row, stars: t.stars, category: t.category })),
        target,
      );
      // A star cell merged over sibling rows can hold one value only (Excel refuses the hidden cells):
      // refused before the backend records a star the ledger cannot show.
      const merged = changes
        .map((c) => ({ row: c.row as number, area: hiddenByMerge(read.merges, c.row as number, starColumn) }))
        .filter((c) => c.area !== null);
      if (merged.length > 0) {
        throw new LedgerError(
          `${merged.map((c) => `第${c.row}行`).join('、')}的星级单元格在合并单元格 ${merged[0]!.area} 之内，无法单独赋星：请先取消该星级单元格的合并，再赋星。后台未作任何记录。`,
        );
      }
      const unknownKind = target === 'byKind' ? selected.filter((t) => t.category === null) : [];
      const notes = unknownKind.map((t) => `${rowLabel(t)}工作类别不明，未赋星`);
      if (changes.length === 0) {
        return {
          level: 'info' as const,
          text: `所选 ${selected.length} 项任务的星级无需变更。`,
          details: notes,
        };
      }
      await env.api().setStars({
        ledgerId: ledgerIdFor(env.prefs(), view.ledger.year),
        taskIds: changes.map((c) => c.taskId as string),
        stars: target,
        by,
      });
      const cells: CellWrite[] = changes.map((c) => ({
        row: c.row as number,
        column: starColumn,
        value: starText(c.to),
      }));
      await writeRecorded(
        context,
        env,
        read.sheetName,
        { cells, fills: [] },
        `${changes.length} 项任务的星级（${changes.map((c) => `第${c.row}行 ${starText(c.to)}`).join('、')}）`,
      );
      return {
        level: 'success' as const,
        text: `已为 ${changes.length} 项任务赋星${target === 'byKind' ? '（按类别）' : `（${starText(target)}）`}。`,
        details: [
          ...changes.map((c) => `第${c.row}行 ${c.from ? starText(c.from) : '未定'} → ${starText(c.to)}`),
          ...notes,
        ],
      };
    });
  } catch (err) {
    return failure(err);
  }
}

function groupByUnit(tasks: (LedgerTask & { id: string })[]): {
  units: Map<string, string[]>;
  noUnit: LedgerTask[];
} {
  const units = new Map<string, string[]>();
  const noUnit: LedgerTask[] = [];
  for (const t of tasks) {
    if (t.leadUnits.length === 0) {
      noUnit.push(t);
      continue;
    }
    // A jointly led task goes to each of its lead units (县发改局、县财政局 is two units).
    for (const unit of t.leadUnits) units.set(unit, [...(units.get(unit) ?? []), t.id]);
  }
  return { units, noUnit };
}

/**
 * 黄牌/橙牌 (R8–R10, R13, R14): one card per lead unit of the selected rows. The reason comes from
 * the backend's candidates (R9, R10), from `reasons` (the clerk's choice in the pane), or the pane
 * is asked. The units' rows are coloured by their new state and each card's number is reported.
 */
export async function issueCards(
  env: CommandEnv,
  color: 'yellow' | 'orange',
  reasons?: Map<string, CardReason>,
): Promise<Outcome> {
  try {
    return await env.excel.run(async (context) => {
      clerk(env);
      const read = await readSheet(context, env.isSetSupported);
      refuseProtected(read);
      const view = viewLedger(read, env.settings, env.today());
      const chosenRows = selectedWithIds(view);
      // R3, R8: the shared rule the backend enforces — a closed task is never carded — said per row here.
      const refused = chosenRows.flatMap((t) => {
        const r = t.leadUnit
          ? cardRefusal(splitLeadUnits(t.leadUnit)[0] ?? t.leadUnit, [
              { id: t.id, leadUnit: t.leadUnit, closed: t.closed },
            ])
          : null;
        return r ? [`${rowLabel(t)}：${r.message}`] : [];
      });
      const selected = chosenRows.filter((t) => !t.closed);
      const { units, noUnit } = groupByUnit(selected);
      const notes = [...refused, ...noUnit.map((t) => `${rowLabel(t)}没有牵头单位，未亮牌`)];
      if (units.size === 0)
        return {
          level: 'error' as const,
          text: refused.length
            ? '所选任务都已销号或没有牵头单位，无法亮牌。'
            : '所选任务都没有牵头单位，无法亮牌。',
          details: notes,
        };
      const api = env.api();
      const ledgerId = ledgerIdFor(env.prefs(), view.ledger.year);
      const today = env.today();
      const chosen = new Map<string, CardReason>();
      /** The tasks a card cites: the candidate's own (the slow ones, R10), else the selected rows. */
      const cited = new Map(units);
      const candidateUnits = new Set<string>();
      if (reasons) {
        for (const unit of units.keys()) {
          const r = reasons.get(unit);
          if (r) chosen.set(unit, r);
        }
      } else {
        // R9/R10: the program proposes (the backend's candidates), the clerk decides. An orange card is
        // never issued by one click on a unit the program did not propose: the pane asks to confirm.
        const candidates = await api.candidates(ledgerId, today);
        for (const unit of units.keys()) {
          const c = candidates.find((x) => x.unit === unit && x.color === color);
          if (!c) continue;
          candidateUnits.add(unit);
          chosen.set(unit, c.reason as CardReason);
          if (c.taskIds.length) cited.set(unit, c.taskIds);
        }
      }
      const unasked = [...units.keys()].filter((u) => !chosen.has(u));
      if (unasked.length > 0) {
        env.mailbox.ask({
          kind: 'cardReason',
          color,
          units: [...cited].map(([unit, taskIds]) => ({
            unit,
            taskIds,
            candidate: candidateUnits.has(unit),
          })),
        });
        return {
          level: 'info' as const,
          text:
            color === 'orange'
              ? `请在下方确认：${listNames(unasked)}不是系统提出的橙牌候选（R10），确需亮橙牌请逐个勾选确认。`
              : `请在下方选择${COLOR_NAME[color]}理由：${listNames(unasked)}没有系统提出的理由。`,
          details: notes,
        };
      }
      // The ribbon click is the clerk's confirmation: each order gets its requestId now, kept for retries.
      const list = [...cited].map(([unit, taskIds]) => ({
        unit,
        taskIds,
        reason: chosen.get(unit)!,
        requestId: newRequestId(),
      }));
      const outcome = await issueAndPaint(env, context, view, color, list);
      return { ...outcome, details: [...(outcome.details ?? []), ...notes] };
    });
  } catch (err) {
    return failure(err);
  }
}

export interface CardOrder {
  unit: string;
  taskIds: string[];
  reason: CardReason;
  /** Made once when the clerk confirms (newRequestId); the same on every retry of this order. */
  requestId: string;
}

/** Issues one card per unit (in the backend first), then colours those units' rows by their new state (R13). */
async function issueAndPaint(
  env: CommandEnv,
  context: Excel.RequestContext,
  view: LedgerView,
  color: 'yellow' | 'orange',
  orders: CardOrder[],
): Promise<Outcome> {
  const by = clerk(env);
  const api = env.api();
  const ledgerId = ledgerIdFor(env.prefs(), view.ledger.year);
  const today = env.today();
  const issued: string[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const failed: CardOrder[] = [];
  let firstError = '';
  let retryable = false;
  for (const order of orders) {
    const { unit, taskIds, reason, requestId } = order;
    try {
      const res = await api.issueCard({ ledgerId, unit, color, reason, taskIds, date: today, by, requestId });
      issued.push(unit);
      const rectify = res.card.rectifyBy ? `，限 ${res.card.rectifyBy} 前整改` : '';
      notes.push(
        `${unit}：${COLOR_NAME[color]}（${reason}）${res.card.docNo ? `，${res.card.docNo}` : ''}${rectify}`,
      );
    } catch (err) {
      const o = failure(err);
      if (o.retry) retryable = true;
      firstError ||= o.text;
      failed.push(order);
      failures.push(`${unit}：${o.text}`);
    }
  }
  const pendingCards = failed.length ? { color, orders: failed } : undefined;
  if (issued.length === 0) {
    // Nothing issued: nothing to paint, the workbook stays as it was.
    return {
      level: 'error',
      text: orders.length === 1 ? firstError : `亮${COLOR_NAME[color]}未成功：${firstError}`,
      details: orders.length === 1 ? [] : failures,
      retry: retryable,
      ...(retryable ? { pendingCards } : {}),
    };
  }
  // A unit's colour is its most severe card of the year (R13), decided by the backend: when that state
  // cannot be read, the colours are left as they are rather than guessed (a red unit given a yellow
  // card must not turn yellow).
  const states = await unitStates(api, today).catch(() => null);
  let colourNote = '';
  if (states) {
    const only = new Map<string, CardState>();
    for (const u of issued) {
      const state = states.get(u);
      if (state) only.set(u, state);
    }
    const fills = paintRows({
      view,
      rows: rowsOfUnits(view, [...only.keys()]),
      states: only,
      problems: view.ledger.problems,
      colors: env.settings.cardColors,
      painted: paintedOf(view.read.painted, view.read.sheetName),
    });
    const settings = [
      { key: PAINTED_SETTING, value: withPainted(view.read.painted, view.read.sheetName, fills) },
    ];
    await writeRecorded(context, env, view.read.sheetName, { cells: [], fills, settings }, notes.join('；'));
  } else {
    colourNote = '未能读取单位亮牌状态，台账颜色未改动，将在下次“同步台账”时更新';
  }
  return {
    level: failures.length ? 'error' : colourNote ? 'info' : 'success',
    text: `已向 ${listNames(issued)} 亮${COLOR_NAME[color]}${failures.length ? `；${failures.length} 个单位未成功${retryable ? '，点“重试”只重发这些单位' : ''}` : ''}${colourNote ? `；${colourNote}` : ''}。`,
    details: [...notes, ...failures],
    retry: retryable,
    ...(retryable ? { pendingCards } : {}),
  };
}

/** 亮牌 from the pane: the clerk chose the reasons (or confirmed a candidate, R9/R10) for these units. */
export async function issueCardsFor(
  env: CommandEnv,
  color: 'yellow' | 'orange',
  orders: CardOrder[],
): Promise<Outcome> {
  try {
    return await env.excel.run(async (context) => {
      const read = await readSheet(context, env.isSetSupported);
      refuseProtected(read);
      const view = viewLedger(read, env.settings, env.today());
      return issueAndPaint(env, context, view, color, orders);
    });
  } catch (err) {
    return failure(err);
  }
}

/** The selected tasks, for a form in the pane (约谈登记, 销号): one read, nothing written. */
export async function selectedTaskRefs(env: CommandEnv): Promise<TaskRef[]> {
  return env.excel.run(async (context) => {
    const read = await readSheet(context, env.isSetSupported);
    const view = viewLedger(read, env.settings, env.today());
    return view.selectedTasks.map((t) => ({
      id: t.id ?? '',
      no: t.no,
      title: t.title,
      row: t.row,
      leadUnit: t.leadUnit,
    }));
  });
}

/** 约谈登记 (the ribbon's ShowTaskpane view, or 按所选行): the interview form for the selected row's lead unit. */
export async function openInterview(env: CommandEnv): Promise<Outcome> {
  try {
    const tasks = await selectedTaskRefs(env).catch(() => []);
    // The first lead unit of the first selected task (a jointly led task's others can be typed in).
    const unit = tasks.flatMap((t) => splitLeadUnits(t.leadUnit))[0] ?? null;
    env.mailbox.ask({ kind: 'interview', unit });
    return { level: 'info', text: `请在下方填写约谈记录${unit ? `（${unit}）` : ''}。` };
  } catch (err) {
    return failure(err);
  }
}

export interface InterviewForm {
  unit: string;
  date: IsoDate;
  leader: string;
  interviewee: string;
  record: string;
  /**
   * Made when the clerk confirms the form and sent again on every retry: a retry after a 502 whose
   * request the backend did commit is then not a second interview (which would turn the unit red, R12).
   */
  requestId?: string;
}

/** 约谈登记 (R11, R12): recorded in the backend; a unit that turns red is coloured red at once. */
export async function submitInterview(
  env: CommandEnv,
  form: InterviewForm,
): Promise<Outcome & { red: boolean; redCardId: string | null }> {
  try {
    const by = clerk(env);
    const api = env.api();
    // An orange card opens the interview to record (R11): the backend links it to the orange card the
    // shared rule picks (orangeCardForInterview), the same for every client.
    await api.recordInterview({ ...form, by });
    const units = await api.units(env.today());
    const state = units.find((u) => u.unit === form.unit);
    const red = state?.state === 'red';
    const redCardId = [...(state?.cards ?? [])].reverse().find((c) => c.color === 'red')?.id ?? null;
    const interviews = state?.interviews ?? 0;
    if (red) {
      await env.excel.run(async (context) => {
        const read = await readSheet(context, env.isSetSupported);
        const view = viewLedger(read, env.settings, env.today());
        const fills = paintRows({
          view,
          rows: rowsOfUnits(view, [form.unit]),
          states: new Map([[form.unit, 'red' as CardState]]),
          problems: view.ledger.problems,
          colors: env.settings.cardColors,
          painted: paintedOf(read.painted, read.sheetName),
        });
        await writeRecorded(
          context,
          env,
          read.sheetName,
          {
            cells: [],
            fills,
            settings: [{ key: PAINTED_SETTING, value: withPainted(read.painted, read.sheetName, fills) }],
          },
          `${form.unit} 的约谈（一年内第 ${interviews} 次，已亮红牌）`,
        );
      });
    }
    return {
      level: 'success',
      text: red
        ? `已登记约谈。${form.unit} 一年内已被约谈 ${interviews} 次，亮红牌（R12），请逐项落实红牌事项。`
        : `已登记约谈（${form.unit} ${env.settings.redWindow === 'rolling' ? '一年内' : '本年度'}第 ${interviews} 次）。`,
      red,
      redCardId,
    };
  } catch (err) {
    return { ...failure(err), red: false, redCardId: null };
  }
}

/** 整改报告 (R11): the unit's report on an orange card, recorded in the backend; ends the overdue flag. */
export async function submitRectification(
  env: CommandEnv,
  /** `requestId`: made when the clerk confirms, the same on every retry (POST /rectifications takes it). */
  input: { unit: string; cardId: string; date: IsoDate; note: string; requestId?: string },
): Promise<Outcome> {
  try {
    await env.api().reportRectification({ ...input, by: clerk(env) });
    return { level: 'success', text: `已登记 ${input.unit} 的整改报告（${input.date}）。` };
  } catch (err) {
    return failure(err);
  }
}

/** 销号 (the ribbon's ShowTaskpane view, or 按所选行): the selected tasks go to the pane's form (date + note). */
export async function openClose(env: CommandEnv): Promise<Outcome> {
  try {
    return await env.excel.run(async (context) => {
      const read = await readSheet(context, env.isSetSupported);
      const view = viewLedger(read, env.settings, env.today());
      const tasks = selectedWithIds(view);
      env.mailbox.ask({
        kind: 'close',
        tasks: tasks.map((t) => ({ id: t.id, no: t.no, title: t.title, row: t.row, leadUnit: t.leadUnit })),
      });
      return { level: 'info' as const, text: `请在下方填写销号日期和依据（${tasks.length} 项任务）。` };
    });
  } catch (err) {
    return failure(err);
  }
}

/**
 * 销号 (R3): recorded in the backend, then the status column of those tasks (found again by id,
 * since rows may have moved while the form was open) says 已销号 with the date and the note.
 */
export async function submitClose(
  env: CommandEnv,
  input: { taskIds: string[]; date: IsoDate; note: string },
): Promise<Outcome> {
  try {
    return await env.excel.run(async (context) => {
      const by = clerk(env);
      const read = await readSheet(context, env.isSetSupported);
      refuseProtected(read);
      const view = viewLedger(read, env.settings, env.today());
      const ids = new Set(input.taskIds);
      const tasks = view.ledger.tasks.filter((t) => t.id !== null && ids.has(t.id));
      if (tasks.length === 0)
        throw new LedgerError('在台账中找不到要销号的任务（督办编号不符），请重新选择。');
      await env.api().closeTasks({
        ledgerId: ledgerIdFor(env.prefs(), view.ledger.year),
        taskIds: tasks.map((t) => t.id as string),
        date: input.date,
        note: input.note,
        by,
      });
      const cells: CellWrite[] = [];
      let statusColumn = view.column('status');
      if (statusColumn === null) {
        statusColumn = view.lastColumn + 1;
        cells.push({ row: view.headerRow, column: statusColumn, value: STATUS_HEADER });
      }
      for (const t of tasks) {
        cells.push({
          row: t.row,
          column: statusColumn,
          value: `已销号（${input.date}）${input.note.trim()}`,
        });
      }
      await writeRecorded(
        context,
        env,
        read.sheetName,
        { cells, fills: [] },
        `${tasks.length} 项任务销号（${tasks.map(rowLabel).join('、')}，${input.date}）`,
      );
      return {
        level: 'success' as const,
        text: `已销号 ${tasks.length} 项任务（${input.date}）。`,
        details: tasks.map(rowLabel),
      };
    });
  } catch (err) {
    return failure(err);
  }
}

/**
 * 已知悉，不再提示 (R19): feedback that could not be written (its 督办编号 is gone, its cell merged) stops
 * being reported at every sync. It stays in the backend (and its history); only the workbook's record
 * forgets it — marked as written, so the next pull's overlap window does not bring it back.
 */
export async function dismissPendingFeedback(env: CommandEnv, ids: string[]): Promise<Outcome> {
  try {
    return await env.excel.run(async (context) => {
      const read = await readSheet(context, env.isSetSupported, { setting: FEEDBACK_SETTING });
      const view = viewLedger(read, env.settings, env.today());
      const ledgerId = ledgerIdFor(env.prefs(), view.ledger.year);
      const cursor = cursorOf(read.setting, ledgerId);
      const drop = new Set(ids);
      const dropped = cursor.pending.filter((f) => drop.has(f.id));
      if (dropped.length === 0) return { level: 'info' as const, text: '没有需要忽略的反馈。' };
      const next = {
        ...cursor,
        pending: cursor.pending.filter((f) => !drop.has(f.id)),
        written: [...new Set([...cursor.written, ...dropped.map((f) => f.id)])],
      };
      await writePlan(context, env.isSetSupported, read.sheetName, {
        cells: [],
        fills: [],
        settings: [{ key: FEEDBACK_SETTING, value: withCursor(read.setting, ledgerId, next) }],
      });
      return {
        level: 'success' as const,
        text: `已不再提示 ${dropped.length} 条未能写入台账的反馈（仍保存在督办后台，可在“历史”中查看）。`,
      };
    });
  } catch (err) {
    return failure(err);
  }
}
