// `duban`: the office's admin command. Human-readable tables by default, `--json` for machines.
// Exit 0 when the input was read and the run completed (problems are reported, not fatal), 1 when a
// run against storage or a channel failed, 2 for bad arguments or unreadable input. Every failure is
// one Chinese line (the stack with --verbose). The configuration is `npm start`'s: the environment,
// then local.settings.json.
// Only what `duban --help` needs is imported here: every sub-command, zod and the storage client are
// loaded when a command runs (a compiled `duban --help` starts in about the time of a bare `node`).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

export type Env = Record<string, string | undefined>;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** What a command gets besides its arguments: the configuration in force and the clock. */
export interface CommandContext {
  env: Env;
  now: () => Date;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

export const HELP = `duban — 督办命令行工具（友政办发〔2023〕1号 四个体系）

用法：
  duban ledger 台账.xlsx [--sheet 工作表] [--year 年份] [--map 字段=表头 ...] [--map-file 对应.json] [--json]
      读取台账：逐行说明，列出任务和不规范之处（R1、R4）；--map 指定词表不认识的表头对应哪个字段
      （如 --map 完成时限=办结日期），--map-file 从文件读取对应关系。
  duban plan 台账.xlsx --from YYYY-MM-DD --to YYYY-MM-DD [--sheet 工作表] [--year 年份] [--settings 设置.json] [--json]
      两个日期之间未办结任务的提示计划（R15）。
  duban cards --events 事件.json --as-of YYYY-MM-DD [--window calendar|rolling] [--settings 设置.json] [--json]
      按导出的亮牌、约谈记录计算各单位的亮牌状态（R12、R13）。
  duban sync 台账.xlsx [--ledger 台账编号] [--sheet 工作表] [--out 副本.xlsx | --write] [--json]
      不用 Excel 同步台账：像加载项一样补充督办编号（写入副本，--write 则写回原文件），再同步到后端。
      台账编号默认 ledger-<年份>，与加载项相同。
  duban run-daily [--on YYYY-MM-DD [--backfill]] [--json]
      运行一次每日督办（默认今天）。早于今天的日期须加 --backfill 才会入队提示；
      过了反馈期限的提示不会发出，在发送队列中标为“已过期”。
  duban deliver [--now ISO时间] [--requeue YYYY-MM-DD [--unit 单位]] [--json]
      发送一次已入队的提示（邮件、企业微信、钉钉、短信网关），逐条列出失败原因。
      --requeue 先把该发送日（某单位）失败的提示重新入队，例如改好渠道之后。
  duban clerk add 姓名 | duban clerk list | duban clerk revoke 姓名或编号 [--json]
      每位经办人一把密钥：add 只显示一次密钥（只存其哈希）；谁做了什么由密钥认定。
  duban links revoke 单位 [--json]
      作废某单位的全部反馈链接（链接泄露时）；此后的提示带新链接。
  duban help | --help

通用选项：--verbose 出错时显示详细信息（调用栈）。
配置：与 npm start 相同，先取环境变量，再取 local.settings.json（首次 npm start 生成）；
      连接存储的命令会先说明所用的存储（不显示密钥）。
  --settings 设置.json：办公室的设置（与存储中的格式相同：schedule、holidays、redWindow 等），
      不给则用规则的默认值。

退出码：0 完成（发现的问题照常列出）；1 运行失败（存储不可用、投递中断等）；
        2 参数错误或文件无法读取。

English: duban ledger | plan | cards | sync | run-daily | deliver | clerk | links — read a ledger
workbook, plan reminders (R15), compute card states (R12/R13), sync a ledger without Excel (assigning
督办编号 as the add-in does), run the daily supervision (a past --on needs --backfill), deliver queued
prompts, give each clerk a key of their own (add/list/revoke), revoke a unit's feedback links.
Configuration: environment first, then local.settings.json. Exit codes: 0 done, 1 run failed,
2 bad arguments or unreadable input. --verbose prints the details of a failure.
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
    throw new UsageError(`参数错误：${translateArgError((e as Error).message)}`);
  }
}

/** node:util parseArgs' English, in Chinese (the option named as given). */
function translateArgError(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `未知选项 ${unknown[1]}（见 duban --help）`;
  const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `选项 ${missing[1]!.split(',').pop()!.trim()} 需要一个值`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `多余的参数 ${positional[1]}`;
  return message;
}

export function requireDate(value: unknown, flag: string): string {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(value + 'T00:00:00Z'))
  ) {
    throw new UsageError(
      `${flag} 需要日期 YYYY-MM-DD（收到的是 ${value === undefined ? '空' : JSON.stringify(value)}）`,
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
    throw new UsageError(`--year 需要四位年份（收到的是 ${JSON.stringify(value)}）`);
  return Number(value);
}

type Command = (argv: string[], io: Io, context: CommandContext) => Promise<number>;

/** Commands none of whose code uses a zod schema. */
const WITHOUT_ZOD = new Set(['ledger']);

/** Commands that talk to storage: they load npm start's configuration (and the storage client) first. */
const STORAGE_COMMANDS = new Set(['sync', 'run-daily', 'deliver']);

const commands: Record<string, () => Promise<Command>> = {
  ledger: async () => (await import('./ledger.js')).ledgerCommand,
  plan: async () => (await import('./plan.js')).planCommand,
  cards: async () => (await import('./cards.js')).cardsCommand,
  sync: async () => (await import('./sync.js')).syncCommand,
  'run-daily': async () => (await import('./runDaily.js')).runDailyCommand,
  deliver: async () => (await import('./deliver.js')).deliverCommand,
  clerk: async () => (await import('./clerk.js')).clerkCommand,
  links: async () => (await import('./clerk.js')).linksCommand,
};

export async function main(
  argv: string[],
  io: Io = stdio,
  options: { env?: Env; now?: () => Date } = {},
): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv.filter((a) => a !== '--verbose');
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(HELP);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.err(`未知命令：${name}（unknown command）\n\n${HELP}`);
    return 2;
  }
  try {
    // The clerk reads zod's own messages (too small, expected number …) in Chinese, as from the API.
    // Reading a ledger validates nothing with zod: it does not load it (its start is measured).
    if (!WITHOUT_ZOD.has(name)) (await import('../zodMessages.js')).useChineseZodMessages();
    let env: Env = options.env ?? process.env;
    let clock = options.now ?? (() => new Date());
    if (STORAGE_COMMANDS.has(name)) {
      // Loaded only here: reading a ledger needs neither the configuration nor the storage client.
      const { loadCliConfig } = await import('./config.js');
      const runtime = await import('../runtime/index.js');
      env = loadCliConfig(env).env;
      // The handlers the commands share with the functions read the same configuration and clock.
      runtime.configureRuntime({ env, ...(options.now ? { now: options.now } : {}) });
      clock = runtime.now;
    }
    const command = await load();
    return await command(rest, io, { env, now: clock });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`duban ${name}：${e.message}`);
      return 2;
    }
    const { describeFailure } = await import('./failure.js');
    io.err(`duban ${name}：${describeFailure(e)}`);
    if (verbose) io.err((e as Error).stack ?? String(e));
    else io.err('（加 --verbose 查看详细信息）');
    return 1;
  }
}
