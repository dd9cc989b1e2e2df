import { isRecord, safeParseJson } from '../../../util/safe-json.js';

// Tolerant readers of recorded request bodies, for the wire kits.

export type Json = Record<string, unknown>;

export const asRecord = (value: unknown): Json => (isRecord(value) ? value : {});
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const records = (value: unknown): Json[] => asArray(value).map(asRecord);

/** A tool result text as JSON when it parses, else the text itself. */
export function jsonOrText(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const parsed = safeParseJson(text);
  return parsed.ok ? parsed.value : text;
}

/** The trailing run of items that satisfy `test` (e.g. the tool messages at the end of a history). */
export function trailing<T>(items: readonly T[], test: (item: T) => boolean): T[] {
  let start = items.length;
  while (start > 0 && test(items[start - 1] as T)) start--;
  return items.slice(start);
}
