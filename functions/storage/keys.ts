// Table Storage forbids `/ \ # ?` and control characters in PartitionKey/RowKey. User-provided parts
// (unit names, ledger and task ids, periods) are escaped reversibly so that Chinese text stays
// readable in Storage Explorer: each forbidden character, the escape character `!` itself, the
// separator `|`, `%` and `'` become `!XX` (two hex digits of the code point, all below 0x100).

// eslint-disable-next-line no-control-regex
const ESCAPED = /[\u0000-\u001f\u007f-\u009f/\\#?%!|']/g;

export function encodeKey(part: string): string {
  return part.replace(ESCAPED, (c) => '!' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

export function decodeKey(key: string): string {
  return key.replace(/!([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Joins already-meaningful parts with `|`; every part is encoded, so `|` never occurs inside one. */
export function joinKey(...parts: string[]): string {
  return parts.map(encodeKey).join('|');
}

export function splitKey(key: string): string[] {
  return key.split('|').map(decodeKey);
}

/** Largest key part Table Storage takes (1 KiB, UTF-16); longer ids are refused with a clear message. */
export const MAX_KEY_CHARS = 1024;
