/** Result of parsing untrusted JSON text. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: SyntaxError };

/**
 * `JSON.parse` that never throws: provider text is untrusted. The error never quotes the text (V8's
 * `Unexpected token 'x', "…" is not valid JSON` does), so it is safe to keep as an error's `cause`.
 */
export function safeParseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: new SyntaxError(textFreeMessage(error)) };
  }
}

// V8's messages that quote the input contain a double quote; the others name only a position.
function textFreeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (message !== '' && !message.includes('"') && !message.includes('`')) return message;
  return 'Unexpected token (not valid JSON)';
}

/** A plain object (not null, not an array), for narrowing parsed wire values. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
