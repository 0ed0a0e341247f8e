// R14: document numbers, e.g. 友政督提〔2026〕7号 (提示函) and 友政督警〔2026〕3号 (预警通知书).
// Only the formatting lives here; handing out the next number without repeats is the store's job.
import type { CardColor, DocKind } from '../model.js';
import type { Settings } from '../settings.js';

export const DOC_KIND_NAMES: Record<DocKind, string> = {
  tishihan: '重点工作督办提示函',
  yujing: '重点工作督办预警通知书',
};

export function formatDocNumber(kind: DocKind, year: number, n: number, settings: Settings): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`文号年份无效：${year}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`文号序号应为正整数：${n}`);
  return `${settings.docPrefixes[kind]}〔${year}〕${n}号`;
}

/** Reads a number written by formatDocNumber (also with [] or 【】 brackets); null if it is not one of ours. */
export function parseDocNumber(
  text: string,
  settings: Settings,
): { kind: DocKind; year: number; n: number } | null {
  const m = /^(.+?)[〔[【(（](\d{4})[〕\]】)）](\d+)号$/.exec(text.trim());
  if (!m) return null;
  const kind = (['tishihan', 'yujing'] as const).find((k) => settings.docPrefixes[k] === m[1]);
  if (!kind) return null;
  const n = Number(m[3]);
  if (n < 1) return null;
  return { kind, year: Number(m[2]), n };
}

/** Yellow → 提示函, orange → 预警通知书; red has no numbered letter of the office (R12's actions follow). */
export function docKindForColor(color: CardColor): DocKind | null {
  return color === 'yellow' ? 'tishihan' : color === 'orange' ? 'yujing' : null;
}
