/** Result of parsing untrusted JSON text. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: Error };

/** `JSON.parse` that never throws: provider text is untrusted. */
export function safeParseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** A plain object (not null, not an array), for narrowing parsed wire values. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
