// The commands over the whole ledger: 同步台账 (R1, R13, R19), 检查台账 (R1, R4), 表头对应 (R4) and
// 已知悉，不再提示 for feedback that could not be written (R19).
import type { CardState } from '../../../shared/model.js';
import type { Settings } from '../../../shared/settings.js';
import {
  FIELD_LABELS,
  REQUIRED_FIELDS,
  type ColumnMap,
  type LedgerResult,
} from '../../../shared/ledger/index.js';
import { COLUMN_MAP_SETTING, readSheet, writePlan } from '../excel/workbook.js';
import { assignIds, LedgerError, withColumnMap } from '../ledgerView.js';
import {
  FEEDBACK_SETTING,
  askSince,
  cursorOf,
  planFeedback,
  withCursor,
  type FeedbackPlan,
} from '../ledgerFeedback.js';
import { ledgerIdFor } from '../prefs.js';
import { ledgerCommand, paintAndRecord, unitStates, writeRecorded } from './ledgerRun.js';
import { failure, type CommandEnv, type Outcome } from './outcome.js';

/**
 * 同步台账: ids for new rows, tasks to the backend, non-standard cells marked (R1), rows coloured (R13),
 * and the units' feedback written back into the 进展情况 column (R19) — one read, one write.
 */
export function syncLedger(env: CommandEnv): Promise<Outcome> {
  return ledgerCommand(
    env,
    { fills: true, setting: FEEDBACK_SETTING, records: true },
    async ({ context, read, view, by }) => {
      const api = env.api();
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
      const paint = paintAndRecord(env, { read, view }, rows, states, { current: read.fills, lastColumn });
      const settings = feedback
        ? [{ key: FEEDBACK_SETTING, value: withCursor(read.setting, ledgerId, feedback.cursor) }]
        : [];
      await writeRecorded(
        context,
        env,
        read.sheetName,
        { cells, fills: paint.fills, settings: [...settings, ...paint.settings] },
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
    },
  );
}

/** 检查台账: the same check, nothing sent; problems listed in the pane with jump-to-cell. */
export function checkLedger(env: CommandEnv): Promise<Outcome> {
  return ledgerCommand(env, { fills: true, readOnly: true }, async ({ context, read, view }) => {
    const { problems, tasks } = view.ledger;
    let states: Map<string, CardState> | null = null;
    try {
      states = await unitStates(env.api(), env.today());
    } catch {
      states = null; // offline check: card colours are left as they are
    }
    const rows = [...tasks.map((t) => t.row), ...problems.map((p) => p.row)];
    const paint = paintAndRecord(env, { read, view }, rows, states, { current: read.fills });
    const ledger = view.ledger;
    env.mailbox.ask({
      kind: 'problems',
      sheetName: read.sheetName,
      problems,
      year: ledger.year,
      yearSource: ledger.yearSource,
      missing: REQUIRED_FIELDS.filter((f) => ledger.header.columns[f] === undefined),
      unknown: ledger.header.unknown,
    });
    // Which sheet was read and which year it is taken to be: the first things a clerk checks (R4).
    const where = `读取的是工作表“${read.sheetName}”（${yearText(ledger)}）。`;
    if (read.protected) {
      // Nothing recorded anywhere: the problems are listed, the marks wait for an unprotected sheet.
      return {
        level: 'info' as const,
        text: `台账检查完成：${tasks.length} 项任务，发现 ${problems.length} 处不规范（见下方）。工作表“${read.sheetName}”受保护，未标色。${where}`,
      };
    }
    await writePlan(context, env.isSetSupported, read.sheetName, { cells: [], ...paint });
    return problems.length
      ? {
          level: 'info' as const,
          text: `台账检查完成：${tasks.length} 项任务，发现 ${problems.length} 处不规范（已用浅红色标出）。${where}`,
        }
      : { level: 'success' as const, text: `台账检查完成：${tasks.length} 项任务，均规范。${where}` };
  });
}

/** 2026年（取自标题）: the ledger's year and where it came from, in the clerk's words (R4). */
export function yearText(ledger: Pick<LedgerResult, 'year' | 'yearSource'>): string {
  const from = {
    title: '取自标题',
    option: '按指定年份',
    settings: '取自设置中的台账年份',
    today: '标题中未写年份，按今年计；如不对请在标题中写明年份或在设置中填写台账年份',
  }[ledger.yearSource];
  return `${ledger.year}年，${from}`;
}

/**
 * 表头对应 (R4): the clerk's choice of field for header cells the reader did not understand, kept in the
 * workbook (COLUMN_MAP_SETTING, for every later read of this workbook) and in the backend
 * (settings.columnMaps, for this ledger wherever it is read); then the ledger is checked again with it.
 */
export async function mapColumns(env: CommandEnv, sheetName: string, map: ColumnMap): Promise<Outcome> {
  const pairs = Object.entries(map);
  if (pairs.length === 0) return { level: 'error', text: '请先为未识别的表头选择对应的列。' };
  try {
    await env.excel.run(async (context) => {
      const read = await readSheet(context, env.isSetSupported, { setting: COLUMN_MAP_SETTING });
      if (read.sheetName !== sheetName)
        throw new LedgerError(`请切换回工作表“${sheetName}”后再保存表头对应。`);
      await writePlan(context, env.isSetSupported, sheetName, {
        cells: [],
        fills: [],
        settings: [{ key: COLUMN_MAP_SETTING, value: withColumnMap(read.columnMap, sheetName, map) }],
      });
    });
  } catch (err) {
    return failure(err);
  }
  const said = pairs.map(([label, f]) => `“${label}”→${FIELD_LABELS[f]}`).join('、');
  let backend = '';
  try {
    env.settings = await env.api().putSettings({ columnMaps: { [sheetName]: map } } as Partial<Settings>);
    backend = '，并已保存到督办后台';
  } catch (err) {
    // The workbook keeps the mapping either way; the backend copy can be saved again later.
    backend = `；督办后台未保存（${failure(err).text}），工作簿中已保存，下次对应时会一并保存`;
    env.settings = {
      ...env.settings,
      columnMaps: {
        ...env.settings.columnMaps,
        [sheetName]: { ...env.settings.columnMaps?.[sheetName], ...map },
      },
    };
  }
  const checked = await checkLedger(env);
  return { ...checked, text: `已保存表头对应：${said}${backend}。${checked.text}` };
}

/**
 * 已知悉，不再提示 (R19): feedback that could not be written (its 督办编号 is gone, its cell merged) stops
 * being reported at every sync. It stays in the backend (and its history); only the workbook's record
 * forgets it — marked as written, so the next pull's overlap window does not bring it back.
 */
export function dismissPendingFeedback(env: CommandEnv, ids: string[]): Promise<Outcome> {
  return ledgerCommand(
    env,
    { setting: FEEDBACK_SETTING, readOnly: true },
    async ({ context, read, view }) => {
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
    },
  );
}
