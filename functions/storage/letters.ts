// The letter as issued (R8): when a yellow or orange card is issued, the 提示函 / 预警通知书 it is sent
// with is built once (shared/documents cardLetter) and kept beside the card, so every later download
// is the letter the unit received — not a new one from today's task titles, settings or interviews.
//
// Cards:  PartitionKey <unit>, RowKey 'letter|<cardId>' — a row of its own in the unit's partition,
//   written in the SAME transaction as the card (changeUnit), so a card never exists without its
//   letter and a letter never without its card. It is written once and never changed: the card row is
//   rewritten later (interviews, rectification, checklist) and would carry the letter with it, and the
//   snapshots the rules read every day stay as small as the card alone.
//   The content is DocumentContent as JSON, split into string properties `part0` … `part<n-1>` of at
//   most LETTER_PART_CHARS characters: Table Storage keeps strings as UTF-16, a property may hold
//   64 KiB and an entity 1 MiB, so 15 parts of 30,000 characters (≤ 900,000 bytes) always fit.
import type { DocumentContent } from '../../shared/documents/index.js';
import { ApiError } from '../errors.js';
import { encodeKey } from './keys.js';
import { MAX_TEXT_BYTES, storedBytes } from './large.js';
import type { Storage } from './client.js';

/** Characters per property: 30,000 UTF-16 characters = 60,000 bytes, under the 64 KiB property limit. */
export const LETTER_PART_CHARS = 30_000;
/** Parts per entity: 15 × 60,000 bytes plus keys and names stays under the 1 MiB entity limit. */
export const LETTER_MAX_PARTS = 15;
/** The longest letter (JSON characters) one row keeps. */
export const LETTER_MAX_CHARS = LETTER_PART_CHARS * LETTER_MAX_PARTS;

/** The layout of the stored row; a later change of DocumentContent's shape gets a new number. */
const FORMAT = 1;

export const letterRowKey = (cardId: string) => 'letter|' + encodeKey(cardId);

/**
 * Refuses a letter too long to keep (413, in Chinese). Issuing calls this before taking the card's
 * number, so a refused card leaves no gap in the numbers (R14).
 */
export function assertLetterFits(content: DocumentContent): void {
  const json = JSON.stringify(content);
  const chars = json.length;
  // Bytes as well as characters: Azurite counts a row as its UTF-8 body (a 汉字 is 3 bytes there).
  if (chars > LETTER_MAX_CHARS || storedBytes(json) > MAX_TEXT_BYTES)
    throw new ApiError(
      413,
      'letter_too_large',
      `本次亮牌引用的任务内容过多，文书约 ${Math.ceil(chars / 10_000)} 万字符（约 ${Math.ceil(storedBytes(json) / 1024)} KiB），超过存档上限（${LETTER_MAX_CHARS / 10_000} 万字符或约 ${Math.floor(MAX_TEXT_BYTES / 1024)} KiB，约 28 万个汉字）：请把任务分成几次亮牌`,
    );
}

/** The row that keeps the letter as issued, for changeUnit's transaction (R8). */
export function letterEntity(
  unit: string,
  cardId: string,
  content: DocumentContent,
  at: string,
): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  assertLetterFits(content);
  const json = JSON.stringify(content);
  const parts: Record<string, string> = {};
  let n = 0;
  for (let i = 0; i < json.length || n === 0; i += LETTER_PART_CHARS)
    parts[`part${n++}`] = json.slice(i, i + LETTER_PART_CHARS);
  return {
    partitionKey: encodeKey(unit),
    rowKey: letterRowKey(cardId),
    format: FORMAT,
    kind: content.kind,
    docNo: content.docNo ?? '',
    at,
    parts: n,
    ...parts,
  };
}

export interface IssuedLetter {
  content: DocumentContent;
  /** When it was issued (the card's instant, UTC). */
  at: string;
}

/** The letter kept when the card was issued, or null for a card issued before letters were kept. */
export async function issuedLetter(
  storage: Storage,
  unit: string,
  cardId: string,
): Promise<IssuedLetter | null> {
  const e = await storage.get('Cards', encodeKey(unit), letterRowKey(cardId));
  if (!e) return null;
  const n = Number(e.parts);
  if (Number(e.format) !== FORMAT || !Number.isInteger(n) || n < 1)
    throw new ApiError(
      500,
      'letter_unreadable',
      `牌 ${cardId} 存档的文书格式无法识别（format ${String(e.format)}）`,
    );
  let json = '';
  for (let i = 0; i < n; i++) {
    const part = e[`part${i}`];
    if (typeof part !== 'string')
      throw new ApiError(500, 'letter_unreadable', `牌 ${cardId} 存档的文书不完整（缺第 ${i + 1}/${n} 段）`);
    json += part;
  }
  return { content: JSON.parse(json) as DocumentContent, at: String(e.at) };
}
