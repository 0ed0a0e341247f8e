// The configuration every `duban` command uses: the same as `npm start` — the environment first, then
// the `Values` of local.settings.json (written by the first `npm start`, git-ignored) for what the
// environment does not set. A command that talks to storage says which one, never its key.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingsFile, storageSource } from '../config.js';
import { storageOptionsFromEnv } from '../storage/index.js';
import { UsageError } from './errors.js';

export type Env = Record<string, string | undefined>;

/** The repository's root (where `npm start` writes local.settings.json). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliConfig {
  /** process.env with local.settings.json's values under it. */
  env: Env;
  /** The local.settings.json read, or null when there is none. */
  settingsFile: string | null;
}

/**
 * The configuration in force. `file` defaults to DUBAN_SETTINGS_FILE or `<repo>/local.settings.json`.
 * An empty value in the file counts as unset (the example leaves DUBAN_STORAGE empty).
 */
export function loadCliConfig(base: Env = process.env, file?: string): CliConfig {
  const path = file ?? settingsFile(base) ?? join(REPO_ROOT, 'local.settings.json');
  if (!existsSync(path)) return { env: { ...base }, settingsFile: null };
  let values: Record<string, unknown>;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, unknown> };
    values = parsed.Values ?? {};
  } catch (e) {
    throw new UsageError(`无法读取配置文件 ${path}：${(e as Error).message}（可删除后重新 npm start 生成）`);
  }
  const env: Env = {};
  for (const [k, v] of Object.entries(values)) {
    if (v !== null && v !== undefined && String(v) !== '') env[k] = String(v);
  }
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  return { env, settingsFile: path };
}

/**
 * Where the storage is, for people: the account and endpoint of the connection string, never its
 * key (`本机 Azurite（UseDevelopmentStorage=true，127.0.0.1:10002）`).
 */
export function describeStorage(env: Env): string {
  const { connectionString, prefix } = storageOptionsFromEnv(env as NodeJS.ProcessEnv);
  const source = storageSource(env) ?? '默认';
  let where: string;
  if (/^\s*UseDevelopmentStorage=true/i.test(connectionString)) {
    where = '本机 Azurite（UseDevelopmentStorage=true，http://127.0.0.1:10002）';
  } else {
    const parts = new Map<string, string>();
    for (const part of connectionString.split(';')) {
      const i = part.indexOf('=');
      if (i > 0) parts.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).trim());
    }
    const account = parts.get('accountname') ?? '（未指明账户）';
    const endpoint =
      parts.get('tableendpoint') ??
      (parts.get('endpointsuffix') ? `https://${account}.table.${parts.get('endpointsuffix')}` : null) ??
      // No endpoint named: the SDK's default cloud; no endpoint is written here (Azure China differs).
      `账户 ${account} 的默认终结点`;
    where = `存储账户 ${account}（${endpoint.replace(/[?#].*$/, '')}）`;
  }
  return `存储（来自 ${source}）：${where}，表前缀 ${prefix}`;
}
