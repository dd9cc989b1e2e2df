const SSE_ITEM = Symbol.for('switchboard-llm.testing.SseItem');

/** An event with an `event:` name (Responses API style) or raw text, built by `sseEvent` / `rawSse`. */
export interface SpecialSseItem {
  readonly [SSE_ITEM]: true;
  /** `event:` name; absent for a data-only event. */
  readonly event?: string;
  /** The data payload (already serialised); absent for raw text. */
  readonly data?: string;
  /** Verbatim text (no framing added); set by `rawSse`. */
  readonly raw?: string;
}

/** One item of an `sse` reply: a data payload string, a JSON-serialisable object, or `sseEvent`/`rawSse`. */
export type SseItem = string | object | SpecialSseItem;

/**
 * A named SSE event: `event: <name>` then `data: <json>`.
 * @example sseEvent('response.output_text.delta', { type: 'response.output_text.delta', delta: 'Hi' })
 */
export function sseEvent(event: string, data: unknown): SpecialSseItem {
  return { [SSE_ITEM]: true, event, data: typeof data === 'string' ? data : JSON.stringify(data) };
}

/** Text written to the stream exactly as given (no `data:` prefix, no separator added). */
export function rawSse(text: string): SpecialSseItem {
  return { [SSE_ITEM]: true, raw: text };
}

function isSpecial(item: unknown): item is SpecialSseItem {
  return typeof item === 'object' && item !== null && (item as Record<symbol, unknown>)[SSE_ITEM] === true;
}

function dataLines(payload: string, newline: string): string {
  return payload
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join(newline);
}

/** The wire text of one item, separator included (raw items are verbatim). */
export function formatSseItem(item: SseItem, framing: 'lf' | 'crlf'): string {
  const newline = framing === 'crlf' ? '\r\n' : '\n';
  const separator = newline + newline;
  if (isSpecial(item)) {
    if (item.raw != null) return item.raw;
    const name = item.event != null ? `event: ${item.event}${newline}` : '';
    return name + dataLines(item.data ?? '', newline) + separator;
  }
  const payload = typeof item === 'string' ? item : JSON.stringify(item);
  return dataLines(payload, newline) + separator;
}

/** The wire text of a deliberately broken event, in place of `item` (keeps its `event:` name). */
export function formatMalformedItem(item: SseItem, framing: 'lf' | 'crlf'): string {
  const newline = framing === 'crlf' ? '\r\n' : '\n';
  const name = isSpecial(item) && item.event != null ? `event: ${item.event}${newline}` : '';
  return `${name}data: {"malformed":${newline}${newline}`;
}

/** A comment line (`: text`), separator included. */
export function formatSseComment(comment: string, framing: 'lf' | 'crlf'): string {
  const newline = framing === 'crlf' ? '\r\n' : '\n';
  const line = comment.startsWith(':') ? comment : `: ${comment}`;
  return line + newline + newline;
}
