// `duban`: the office's admin command. Human-readable tables by default, `--json` for machines.
// Exit 0 when the input was read (even with problems reported), 2 for bad arguments or unreadable input.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { DEFAULT_SETTINGS, makeSettings, type Settings } from '../../shared/settings.js';
import { UsageError } from './errors.js';

// The clerk reads zod's own messages (too small, expected number …) in Chinese, as from the API.
z.config(z.locales.zhCN());

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

export const HELP = `duban — 督办 command line (友政办发〔2023〕1号 四个体系)

Usage:
  duban ledger FILE.xlsx [--sheet NAME] [--year YYYY] [--map 字段=表头 ...] [--map-file FILE.json] [--json]
      Read a ledger workbook (台账): every row accounted for, tasks, non-standard rows (R1, R4).
  duban plan FILE.xlsx --from YYYY-MM-DD --to YYYY-MM-DD [--sheet NAME] [--year YYYY] [--settings FILE.json] [--json]
      The reminder schedule (提示, R15) for the ledger's open tasks between two dates.
  duban cards --events FILE.json --as-of YYYY-MM-DD [--window calendar|rolling] [--settings FILE.json] [--json]
      Card state (亮牌, R12/R13) of every unit from an exported history of card and interview events.
  --settings FILE.json: the office's settings (as stored: schedule, holidays, redWindow …); the
      defaults of RULES.md otherwise.
  duban run-daily --on YYYY-MM-DD [--json]
      Run the daily supervision once against the configured storage (AzureWebJobsStorage).
  duban deliver [--now ISO-INSTANT] [--requeue YYYY-MM-DD [--unit UNIT]] [--json]
      Deliver the queued prompts once (email, WeCom, DingTalk, webhook). --requeue first puts the
      failed prompts of that send date (of one unit) back in the queue, e.g. after fixing its channels.
  duban help | --help

Exit codes: 0 the input was read (problems, if any, are reported); 2 bad arguments or unreadable input.
`;

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a sub-command's arguments; unknown options are a UsageError (exit 2), never ignored. */
export function parse(
  argv: string[],
  options: Options,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    throw new UsageError(`参数错误: ${(e as Error).message}`);
  }
}

export function requireDate(value: unknown, flag: string): string {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(value + 'T00:00:00Z'))
  ) {
    throw new UsageError(
      `${flag} 需要日期 YYYY-MM-DD (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`,
    );
  }
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d)
    throw new UsageError(`${flag}: ${value} 不是有效的日期`);
  return value;
}

export function optionalYear(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{4}$/.test(value))
    throw new UsageError(`--year 需要四位年份 (got ${JSON.stringify(value)})`);
  return Number(value);
}

/**
 * The office's settings from a JSON file (`--settings`), validated by makeSettings; DEFAULT_SETTINGS
 * when no file is given. A bad file is a UsageError (exit 2) naming the field, in Chinese.
 */
export function loadSettingsFile(file: unknown): Settings {
  if (file === undefined) return DEFAULT_SETTINGS;
  if (typeof file !== 'string' || file === '') throw new UsageError('--settings 需要一个 JSON 文件');
  if (!existsSync(file)) throw new UsageError(`找不到设置文件 file not found: ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`无法解析设置文件 cannot parse ${file}: ${(e as Error).message}`);
  }
  try {
    return makeSettings(raw as Parameters<typeof makeSettings>[0]);
  } catch (e) {
    if (!(e instanceof z.ZodError)) throw e;
    const lines = e.issues.slice(0, 5).map((i) => {
      const path = i.path.map(String).join('.');
      return path ? `字段 ${path}：${i.message}` : i.message;
    });
    throw new UsageError(`设置文件 ${file} 有误：${lines.join('；')}`);
  }
}

type Command = (argv: string[], io: Io) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  ledger: async () => (await import('./ledger.js')).ledgerCommand,
  plan: async () => (await import('./plan.js')).planCommand,
  cards: async () => (await import('./cards.js')).cardsCommand,
  'run-daily': async () => (await import('./runDaily.js')).runDailyCommand,
  deliver: async () => (await import('./deliver.js')).deliverCommand,
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(HELP);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.err(`未知命令 unknown command: ${name}\n\n${HELP}`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`duban ${name}: ${e.message}`);
      return 2;
    }
    io.err(`duban ${name}: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}
