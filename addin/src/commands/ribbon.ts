// The ribbon's buttons: one FunctionName per command (manifest.xml), each a small function registered
// with Office.actions.associate. Each reports where the clerk sees it (the pane's status line) and
// calls event.completed() in a finally, whatever happened.
import type { CommandEnv, Outcome } from './actions.js';
import { checkLedger, issueCards, setStars, syncLedger } from './actions.js';

const progress: Record<string, string> = {
  syncLedger: '正在同步台账…',
  checkLedger: '正在检查台账…',
  starsByKind: '正在按类别赋星…',
  stars3: '正在赋三星…',
  stars4: '正在赋四星…',
  stars5: '正在赋五星…',
  yellowCard: '正在亮黄牌…',
  orangeCard: '正在亮橙牌…',
};

/**
 * The FunctionName of every ExecuteFunction button in manifest.xml, and what it runs. 约谈登记, 销号,
 * 今日提示 and 督检汇总 are ShowTaskpane buttons (taskpane.html?view=…): they need the pane, so they open it.
 */
export const RIBBON_COMMANDS: Record<string, (env: CommandEnv) => Promise<Outcome>> = {
  syncLedger,
  checkLedger,
  starsByKind: (env) => setStars(env, 'byKind'),
  stars3: (env) => setStars(env, 3),
  stars4: (env) => setStars(env, 4),
  stars5: (env) => setStars(env, 5),
  yellowCard: (env) => issueCards(env, 'yellow'),
  orangeCard: (env) => issueCards(env, 'orange'),
};

/**
 * Runs one command for a ribbon click: status before and after, event.completed() always — even when
 * building the environment fails (localStorage blocked in a third-party iframe throws on access), which
 * is why the environment comes as a factory called inside the try.
 */
export async function runRibbonCommand(
  name: string,
  makeEnv: () => CommandEnv,
  event: { completed(options?: unknown): void },
): Promise<Outcome> {
  let outcome: Outcome = { level: 'error', text: `未知命令：${name}` };
  let env: CommandEnv | null = null;
  try {
    env = makeEnv();
    const command = RIBBON_COMMANDS[name];
    if (command) {
      if (progress[name]) env.mailbox.report({ command: name, level: 'progress', text: progress[name] });
      outcome = await command(env);
    }
  } catch (err) {
    outcome = { level: 'error', text: `操作未完成：${err instanceof Error ? err.message : String(err)}` };
  } finally {
    try {
      env?.mailbox.report({ command: name, ...outcome });
      // No pane open: the outcome in a dialog. completed() waits for it, as a function file's runtime
      // may be unloaded once its command has completed.
      await env?.notice?.();
    } catch {
      // the outcome stays in the mailbox; the pane shows it when it is next opened
    } finally {
      event.completed();
    }
  }
  return outcome;
}

export function registerRibbon(
  associate: (name: string, action: (event: Office.AddinCommands.Event) => void) => void,
  env: () => CommandEnv,
): void {
  for (const name of Object.keys(RIBBON_COMMANDS)) {
    associate(name, (event) => void runRibbonCommand(name, env, event));
  }
}
