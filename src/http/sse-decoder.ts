import { createParser, type EventSourceParser } from 'eventsource-parser';

/** Most non-SSE text kept for the trailing error check; a body beyond this is not an error object. */
const MAX_TRAILING = 64 * 1024;

/**
 * Incremental `text/event-stream` decoder (CRLF/LF/CR line endings, comments, multi-line `data`).
 * Lines that are not SSE fields (a bare JSON error appended after the events, or a JSON body served on
 * a streaming request) are collected in `trailing` for the dialect's end-of-stream check.
 */
export class SseDecoder {
  private readonly parser: EventSourceParser;
  private readonly textDecoder = new TextDecoder();
  private trailingParts: string[] = [];
  private trailingLength = 0;

  constructor(onEvent: (data: string, event: string | undefined) => void) {
    this.parser = createParser({
      onEvent: (message) => onEvent(message.data, message.event),
      onError: (error) => {
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
