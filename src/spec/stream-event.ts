import type { LLMErrorInfo } from './error-code.js';
import type { LLMToolCall } from './message.js';
import type { LLMResponse } from './response.js';
import type { ToolError } from './tool.js';

/**
 * One event of an `LLMStream`. Each provider delta yields one event, in order, never merged or split.
 */
export type StreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call'; toolCall: LLMToolCall }
  | { type: 'tool-result'; call: LLMToolCall; output: unknown; error?: ToolError }
  | { type: 'finish'; response: LLMResponse }
  | { type: 'error'; error: LLMErrorInfo };

/**
 * What `llm.stream()` returns. Iterate it for events, or `textStream` for text only; `response`
 * resolves to the same object `chat` would return (or rejects with the stream's `LLMError`).
 *
 * A stream that ends without the provider's end marker, carries an error object, or stalls past the
 * deadline ends with an `error` event and rejects `response`; it is never silently truncated.
 */
export interface LLMStream extends AsyncIterable<StreamEvent> {
  /** The text deltas of the stream, the same texts as the `text-delta` events. */
  readonly textStream: AsyncIterable<string>;
  /** The final response; rejects with the `LLMError` that ended the stream. */
  readonly response: Promise<LLMResponse>;
  /** Stops the HTTP read (same as aborting the call's signal). */
  abort(reason?: unknown): void;
}
