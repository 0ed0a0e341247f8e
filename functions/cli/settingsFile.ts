// `--settings 设置.json`: the office's settings for `duban plan` and `duban cards`, validated as the
// backend validates stored settings.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_SETTINGS, makeSettings, type Settings } from '../../shared/settings.js';
import { describeIssues } from '../zodMessages.js';
import { UsageError } from './errors.js';

/**
 * The office's settings from a JSON file (`--settings`), validated by makeSettings; DEFAULT_SETTINGS
 * when no file is given. A bad file is a UsageError (exit 2) naming the field, in Chinese.
 */
export function loadSettingsFile(file: unknown): Settings {
  if (file === undefined) return DEFAULT_SETTINGS;
  if (typeof file !== 'string' || file === '') throw new UsageError('--settings 需要一个 JSON 文件');
  if (!existsSync(file)) throw new UsageError(`找不到设置文件：${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`无法解析设置文件 ${file}（应为 JSON）：${(e as Error).message}`);
  }
  try {
    return makeSettings(raw as Parameters<typeof makeSettings>[0]);
  } catch (e) {
    if (!(e instanceof z.ZodError)) throw e;
    throw new UsageError(describeIssues(e, { lead: `设置文件 ${file} 有误` }));
  }
}
