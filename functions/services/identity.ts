// The id of a record a clerk's click creates (a card, an interview, a rectification report): from the
// client's requestId (one per click), or — a client that sends none — from what the record says. The
// same request sent twice (a re-click after a timeout) is then one record: a replay, never a second
// card with a second number (R14), nor a second interview that makes a unit red on its own (R12).
import { createHash } from 'node:crypto';

/** A short stable id part from the client's requestId (scoped to the unit). */
export function requestHash(unit: string, requestId: string): string {
  return createHash('sha256').update(`${unit}\u0000${requestId}`).digest('hex').slice(0, 16);
}

/**
 * `<yyyymmdd>-<kind>-r<hash>`: the hash of the requestId when the client sent one, else of `content`
 * (the fields that make two requests the same record).
 */
export function requestIdentity(
  unit: string,
  date: string,
  kind: string,
  requestId: string | undefined,
  content: readonly unknown[],
): string {
  const request = requestId ?? 'content:' + JSON.stringify(content);
  return `${date.replace(/-/g, '')}-${kind}-r${requestHash(unit, request)}`;
}
