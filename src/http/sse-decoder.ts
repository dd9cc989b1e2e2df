import { createParser, type EventSourceParser } from 'eventsource-parser';
import { LLMError } from '../errors/llm-error.js';

/** Most non-SSE text kept for the trailing error check; a body beyond this is not an error object. */
const MAX_TRAILING = 64 * 1024;

/** The per-event limit of API.md §5: 8 MiB, counted in decoded characters. */
export const MAX_SSE_EVENT_CHARS = 8 * 1024 * 1024;

/** `API_RESPONSE_INVALID` (`details.limit`, built `final`: not retried) for an event over the limit. */
function eventTooLargeError(limit: number): LLMError {
  return new LLMError(
    'API_RESPONSE_INVALID',
    `A stream event exceeded the per-event limit of ${limit} characters; the stream was not read further`,
    { details: { limit }, final: true },
  );
}

/**
 * Incremental `text/event-stream` decoder (CRLF/LF/CR line endings, comments, multi-line `data`).
 * Lines that are not SSE fields (a bare JSON error appended after the events, or a JSON body served on
 * a streaming request) are collected in `trailing` for the dialect's end-of-stream check.
 * An event (or an unterminated line) longer than `maxEventChars` makes `push` throw `API_RESPONSE_INVALID`
 * as soon as the buffered text passes the limit: it is never buffered further.
 */
export class SseDecoder {
  private readonly parser: EventSourceParser;
  private readonly textDecoder = new TextDecoder();
  private trailingParts: string[] = [];
  private trailingLength = 0;

  constructor(
    onEvent: (data: string, event: string | undefined) => void,
    maxEventChars: number = MAX_SSE_EVENT_CHARS,
  ) {
    this.parser = createParser({
      maxBufferSize: maxEventChars,
      onEvent: (message) => onEvent(message.data, message.event),
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') throw eventTooLargeError(maxEventChars);
        // Unknown-field lines are where non-SSE text shows up; keep them verbatim.
        const line = error.line ?? (error.field != null ? `${error.field}:${error.value ?? ''}` : undefined);
        if (line != null) this.keepTrailing(line);
      },
    });
  }

  /** Feeds a chunk of the body (bytes or already-decoded text). */
  push(chunk: Uint8Array | string): void {
    this.parser.feed(typeof chunk === 'string' ? chunk : this.textDecoder.decode(chunk, { stream: true }));
  }

  /** Flushes the decoder at the end of the body and returns the non-SSE text seen. */
  end(): string {
    const rest = this.textDecoder.decode();
    if (rest.length > 0) this.parser.feed(rest);
    // A last event without its closing blank line (seen in recorded Gemini streams) is still delivered.
    this.parser.feed('\n\n');
    return this.trailingParts.join('\n');
  }

  private keepTrailing(line: string): void {
    if (this.trailingLength > MAX_TRAILING) return;
    this.trailingParts.push(line);
    this.trailingLength += line.length + 1;
  }
}
