// zod's messages for clerks: Chinese throughout, type names included ("应为文本，缺少该字段", never
// "期望 string，实际接收 undefined"), and a choice that failed lists the values allowed
// ("kind 必须是以下之一：email、wecom、dingtalk、webhook"). Both the HTTP API and `duban` use it.
import { z } from 'zod';

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: '布尔值（true/false）',
  object: '对象',
  array: '数组',
  date: '日期',
  null: '空值 null',
  undefined: '空',
  nan: 'NaN',
  symbol: 'symbol',
  function: '函数',
};

function typeOf(input: unknown): string {
  if (input === undefined) return 'undefined';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isNaN(input)) return 'nan';
  return typeof input;
}

const shown = (v: unknown) => (v === undefined ? '空' : typeof v === 'string' ? v : JSON.stringify(v));

interface ZodInternals {
  _zod?: {
    values?: Set<unknown>;
    propValues?: Record<string, Set<unknown>>;
    def?: { options?: ZodInternals[]; discriminator?: string };
  };
}

/** The values a union of literals (or a discriminated union's tags) allows, or null when it is not one. */
function allowedValues(inst: unknown, discriminator: string | undefined): unknown[] | null {
  const options = (inst as ZodInternals | undefined)?._zod?.def?.options;
  if (!options?.length) return null;
  const out: unknown[] = [];
  for (const o of options) {
    const values = discriminator ? o._zod?.propValues?.[discriminator] : o._zod?.values;
    if (!values || values.size === 0) return null;
    out.push(...values);
  }
  return out;
}

type RawIssue = {
  code?: string;
  input?: unknown;
  expected?: string;
  values?: unknown[];
  inst?: unknown;
  discriminator?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
};

const SIZE_UNITS: Record<string, string> = { string: '个字符', array: '项', set: '项', file: '字节' };

function sizeMessage(iss: RawIssue): string | undefined {
  const small = iss.code === 'too_small';
  const limit = small ? iss.minimum : iss.maximum;
  if (limit === undefined || !iss.origin) return undefined;
  const unit = SIZE_UNITS[iss.origin];
  if (unit) return small ? `至少 ${limit} ${unit}` : `最多 ${limit} ${unit}`;
  if (iss.origin === 'number' || iss.origin === 'int' || iss.origin === 'bigint') {
    const inclusive = iss.inclusive !== false;
    return small
      ? `应${inclusive ? '不小于' : '大于'} ${limit}`
      : `应${inclusive ? '不大于' : '小于'} ${limit}`;
  }
  return undefined;
}

/** The Chinese message of one issue; undefined leaves it to zod's own zh-CN locale. */
export function chineseIssueMessage(iss: RawIssue): string | undefined {
  if (iss.code === 'invalid_type' && iss.expected) {
    const expected = TYPE_NAMES[iss.expected] ?? iss.expected;
    if (iss.input === undefined) return `缺少该字段（应为${expected}）`;
    return `应为${expected}，实际为${TYPE_NAMES[typeOf(iss.input)] ?? typeOf(iss.input)}`;
  }
  if (iss.code === 'invalid_value' && iss.values?.length) {
    return `必须是以下之一：${iss.values.map(shown).join('、')}（实际为 ${shown(iss.input)}）`;
  }
  if (iss.code === 'too_small' || iss.code === 'too_big') return sizeMessage(iss);
  if (iss.code === 'invalid_union') {
    const values = allowedValues(iss.inst, iss.discriminator);
    const input =
      iss.discriminator && iss.input && typeof iss.input === 'object'
        ? (iss.input as Record<string, unknown>)[iss.discriminator]
        : iss.input;
    if (values) return `必须是以下之一：${values.map(shown).join('、')}（实际为 ${shown(input)}）`;
  }
  return undefined;
}

let configured = false;

/** Installs the Chinese messages once per process (zod's zh-CN locale for everything else). */
export function useChineseZodMessages(): void {
  if (configured) return;
  configured = true;
  z.config(z.locales.zhCN());
  z.config({ customError: (iss) => chineseIssueMessage(iss as RawIssue) });
}

export interface DescribeOptions {
  /** What was wrong, before the issues (default 请求内容不符合要求, for an HTTP body or query). */
  lead?: string;
  /** Said before each path (default `字段 `). */
  field?: string;
  /** What an issue of the value as a whole is about (default: nothing, the message alone). */
  whole?: string;
}

/** The issues of a failed zod parse, each naming its field (`字段 tasks[3].row：应为数字`); five at most, then how many more. */
export function issueLines(error: z.ZodError, options: Omit<DescribeOptions, 'lead'> = {}): string {
  const field = options.field ?? '字段 ';
  const lines = error.issues.slice(0, 5).map((i) => {
    const path = i.path
      .map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? String(p) : `.${String(p)}`))
      .join('');
    if (path) return `${field}${path}：${i.message}`;
    return options.whole ? `${options.whole}：${i.message}` : i.message;
  });
  const more = error.issues.length > 5 ? `（另有 ${error.issues.length - 5} 处错误）` : '';
  return `${lines.join('；')}${more}`;
}

/**
 * The one Chinese text for a failed zod parse: the HTTP API's 400, `duban`'s settings file, the stored
 * settings, a unit's stored channel and the configuration all say it so.
 */
export function describeIssues(error: z.ZodError, options: DescribeOptions = {}): string {
  return `${options.lead ?? '请求内容不符合要求'}：${issueLines(error, options)}`;
}
