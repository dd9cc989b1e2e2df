import type { ParsedChat } from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';
import { AnthropicAnswer } from './anthropic-answer.js';
import { type AnthropicErrorContext, anthropicBodyError, invalidResponse } from './anthropic-error.js';
import type { AnthropicUsage } from './anthropic-wire.js';

/** Throws the classified `LLMError` when a 2xx body is an Anthropic error envelope (`type: "error"`). */
export function checkAnthropicBody(data: unknown, context: AnthropicErrorContext): void {
  if (!isRecord(data) || (data.type !== 'error' && data.error == null)) return;
  // An envelope of an unknown error type is still an error (API.md §4: API_RESPONSE_INVALID), raised here so
  // that the pipeline retries it like any failed attempt.
  const message =
    isRecord(data.error) && typeof data.error.message === 'string' ? data.error.message : 'no message';
  throw (
    anthropicBodyError(data, context) ?? invalidResponse(`error object in a 200 answer: ${message}`, context)
  );
}

/**
 * A Messages API answer (`{ type: 'message', content: [...], stop_reason, usage }`) → `ParsedChat` (API.md §13):
 * content blocks in order (see `AnthropicAnswer`), `stop_reason` `end_turn`/`stop_sequence` → `stop`,
 * `max_tokens` → `length`, `tool_use` → `tool_calls`, `refusal` → `CONTENT_FILTERED`; usage with cache tokens.
 */
export function parseAnthropicResponse(data: unknown, context: AnthropicErrorContext): ParsedChat {
  checkAnthropicBody(data, context);
  if (!isRecord(data) || !Array.isArray(data.content)) {
    throw invalidResponse('answer without a content array', context);
  }
  const answer = new AnthropicAnswer();
  for (const block of data.content) if (isRecord(block)) answer.add(block);
  const stopReason = typeof data.stop_reason === 'string' ? data.stop_reason : undefined;
  const usage = isRecord(data.usage) ? (data.usage as AnthropicUsage) : undefined;
  return answer.build(
    stopReason,
    usage,
    { stopSequence: data.stop_sequence, stopDetails: data.stop_details },
    context,
  );
}
