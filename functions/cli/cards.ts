// `duban cards --events FILE.json --as-of DATE`: each unit's card state from an exported history (R12, R13).
import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { UnitEventSchema } from '../../shared/model.js';
import { redWindowLabel, unitCardStates } from '../../shared/rules/cards.js';
import { makeSettings } from '../../shared/settings.js';
import { makeCalendar } from '../../shared/calendar.js';
import { UsageError } from './errors.js';
import { parse, requireDate, type Io } from './main.js';
import { renderTable } from './table.js';

const STATE_LABEL = { none: '无', yellow: '黄牌', orange: '橙牌', red: '红牌' } as const;

export async function cardsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    events: { type: 'string' },
    'as-of': { type: 'string' },
    window: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`多余的参数 unexpected arguments: ${positionals.join(' ')}`);
  const file = values.events as string | undefined;
  if (!file) throw new UsageError('缺少 --events FILE.json');
  if (!existsSync(file)) throw new UsageError(`找不到文件 file not found: ${file}`);
  const asOf = requireDate(values['as-of'], '--as-of');
  const window = (values.window as string | undefined) ?? 'calendar';
  if (window !== 'calendar' && window !== 'rolling')
    throw new UsageError(`--window 只能是 calendar 或 rolling (got ${window})`);

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`无法解析 JSON cannot parse ${file}: ${(e as Error).message}`);
  }
  const parsed = z.array(UnitEventSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length
      ? `第${Number(issue.path[0]) + 1}个事件 (events[${issue.path.join('].')}])`
      : '文件';
    throw new UsageError(`${where}：${issue?.message ?? '格式错误'}`);
  }
  const settings = makeSettings({ redWindow: window });
  const units = unitCardStates(parsed.data, asOf, settings, makeCalendar(settings)).map((u) => ({
    unit: u.unit,
    state: u.state,
    interviews: u.interviews,
  }));
  if (values.json) {
    io.out(JSON.stringify({ asOf, window, units }, null, 2));
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
  return 0;
}
