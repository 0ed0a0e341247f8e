// Every failure of a `duban` command as one Chinese line an admin can act on; the stack only with
// --verbose. Kept generic (any Error, ApiError, storage RestError, Node system errors), so whatever a
// command throws is printed the same way.
import { ApiError } from '../errors.js';

function codeOf(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    const inner =
      (cur as { cause?: unknown; errors?: unknown[] }).errors?.[0] ?? (cur as { cause?: unknown }).cause;
    cur = inner;
  }
  const text = String((e as Error | null)?.message ?? '');
  return /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EACCES|ENOENT)\b/.exec(text)?.[1];
}

const SYSTEM: Record<string, string> = {
  ECONNREFUSED: '连接被拒绝：存储服务没有运行。本机开发请先在另一个终端运行 npm start（它会启动 Azurite）',
  ENOTFOUND: '找不到存储服务器：请检查连接字符串中的地址（DUBAN_STORAGE 或 AzureWebJobsStorage）',
  ETIMEDOUT: '连接存储超时：请检查网络，或稍后重试',
  ECONNRESET: '与存储的连接被中断：请稍后重试',
  EACCES: '没有权限访问该文件或端口',
  ENOENT: '找不到文件或目录',
};

/** One line, in Chinese, without a stack: what went wrong and what to do. */
export function describeFailure(e: unknown): string {
  const sys = codeOf(e);
  if (sys && SYSTEM[sys]) return SYSTEM[sys];
  if (e instanceof ApiError) {
    if (e.code === 'storage_unavailable' && e.detail) {
      const inner = codeOf({ message: e.detail });
      if (inner && SYSTEM[inner]) return SYSTEM[inner];
    }
    if (e.code === 'link_secret_missing' || e.code === 'key_not_configured')
      return `${e.message}${e.detail ? `（${e.detail}）` : ''}。本机开发：先运行一次 npm start，它会生成 local.settings.json（duban 会读取）；生产环境：在应用设置中配置`;
    return e.message;
  }
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number') {
    if (status === 403) return '存储拒绝访问（403）：连接字符串中的账户密钥不正确或已轮换';
    if (status === 404) return '存储中找不到所需的表或记录（404）：请检查表前缀 DUBAN_TABLE_PREFIX';
    return `存储返回错误 ${status}：请稍后重试；如仍失败请加 --verbose 查看详情`;
  }
  // Our own errors already speak Chinese: their first line is the message.
  const message = String((e as Error | null)?.message ?? '');
  if (/[\u4e00-\u9fff]/.test(message)) return message.split('\n')[0]!;
  const name = (e as Error | null)?.name ?? typeof e;
  return `意外错误（${name}），请加 --verbose 查看详情并报告给开发人员`;
}
