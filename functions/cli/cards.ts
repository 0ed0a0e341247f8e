// `duban cards --events FILE.json --as-of DATE`: each unit's card state from an exported history (R12, R13).
import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { UnitEventSchema } from '../../shared/model.js';
import { redWindowLabel, unitCardStates } from '../../shared/rules/cards.js';
import type { Settings } from '../../shared/settings.js';
import { makeCalendar } from '../../shared/calendar.js';
import { UsageError } from './errors.js';
import { loadSettingsFile } from './settingsFile.js';
import { parse, requireDate, type Io } from './main.js';
import { renderTable } from './table.js';

const STATE_LABEL = { none: '无', yellow: '黄牌', orange: '橙牌', red: '红牌' } as const;

export async function cardsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    events: { type: 'string' },
    'as-of': { type: 'string' },
    window: { type: 'string' },
    settings: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`多余的参数：${positionals.join(' ')}`);
  const file = values.events as string | undefined;
  if (!file) throw new UsageError('缺少 --events FILE.json');
  if (!existsSync(file)) throw new UsageError(`找不到文件：${file}`);
  const asOf = requireDate(values['as-of'], '--as-of');
  const office = loadSettingsFile(values.settings);
  // --window, when given, overrides the settings' window.
  const window = (values.window as string | undefined) ?? office.redWindow;
  if (window !== 'calendar' && window !== 'rolling')
    throw new UsageError(`--window 只能是 calendar 或 rolling（收到的是 ${window}）`);

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`无法解析 JSON 文件 ${file}：${(e as Error).message}`);
  }
  const parsed = z.array(UnitEventSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [index, ...rest] = issue?.path ?? [];
    const where =
      index !== undefined
        ? `第${Number(index) + 1}个事件 (events[${String(index)}]${rest.length ? '.' + rest.map(String).join('.') : ''})`
        : '文件';
    throw new UsageError(`${where}：${issue?.message ?? '格式错误'}`);
  }
  const settings: Settings = { ...office, redWindow: window };
  // R8: history is never deduplicated silently, but an exact repeat (a row exported twice) can make a
  // unit red by itself: say so.
  const warnings = duplicateWarnings(raw as unknown[]);
  const units = unitCardStates(parsed.data, asOf, settings, makeCalendar(settings)).map((u) => ({
    unit: u.unit,
    state: u.state,
    interviews: u.interviews,
  }));
  if (values.json) {
    io.out(JSON.stringify({ asOf, window, units, warnings }, null, 2));
    for (const w of warnings) io.err(`注意：${w}`);
    return 0;
  }
  io.out(`截至 ${asOf}（${redWindowLabel(settings)}）`);
  io.out(
    renderTable(
      ['牵头单位', '亮牌', '约谈次数'],
      units.map((u) => [u.unit, STATE_LABEL[u.state], u.interviews]),
      [24, 6, 8],
    ),
  );
  for (const w of warnings) io.err(`注意：${w}`);
  return 0;
}

/** Canonical text of an event (keys sorted), so that key order does not hide a repeat. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** One warning per event that repeats an earlier one exactly: 「第3个事件与第2个事件完全相同…」. */
function duplicateWarnings(events: unknown[]): string[] {
  const first = new Map<string, number>();
  const out: string[] = [];
  events.forEach((e, i) => {
    const key = canonical(e);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else
      out.push(
        `第${i + 1}个事件与第${earlier + 1}个事件完全相同（是否重复导出？），两次都已计入；约谈重复会多计一次约谈`,
      );
  });
  return out;
}
