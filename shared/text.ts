// Text from people (feedback, a clerk's note, a unit's name) is normalised once where it enters (the
// API edge) and again where it leaves (a .docx): what XML 1.0 forbids would make a document Word
// cannot open, and the line and paragraph separators U+2028/U+2029 break Table Storage batches.

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
const SEPARATORS = /[\u2028\u2029]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Noncharacters outside the BMP (U+1FFFE, U+1FFFF, … U+10FFFF) as surrogate pairs. */
const ASTRAL_NONCHARACTERS =
  /[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g;

/**
 * The text with every character an XML 1.0 document cannot hold removed (C0 controls but tab, line
 * feed and carriage return; DEL; U+FFFE/U+FFFF and the other noncharacters), lone surrogates
 * replaced by U+FFFD, and U+2028/U+2029 turned into line feeds. Idempotent.
 */
export function cleanText(s: string): string {
  return s
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(FORBIDDEN, '')
    .replace(ASTRAL_NONCHARACTERS, '')
    .replace(/[\uFDD0-\uFDEF]/g, '')
    .replace(SEPARATORS, '\n');
}

/** Whether cleaning would change the text. */
export function needsCleaning(s: string): boolean {
  return cleanText(s) !== s;
}

/** Whether any string in a JSON-like value (object keys too) would change when cleaned. */
export function deepNeedsCleaning(value: unknown): boolean {
  if (typeof value === 'string') return needsCleaning(value);
  if (Array.isArray(value)) return value.some(deepNeedsCleaning);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => needsCleaning(k) || deepNeedsCleaning(v));
  return false;
}

/** Every string in a JSON-like value (object keys too) cleaned; other values as they are. */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => cleanDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[cleanText(k)] = cleanDeep(v);
    return out as T;
  }
  return value;
}
