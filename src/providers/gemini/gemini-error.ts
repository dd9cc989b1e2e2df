import { errorFromBody, llmErrorFromInfo } from '../../errors/classify-provider-error.js';
import { invalidResponseError, modelErrorContext } from '../../errors/invalid-response.js';
import { LLMError } from '../../errors/llm-error.js';
import type { ProviderModel } from '../../spec/index.js';

/** Where an error was found, for the message and the `LLMError` context. */
export interface GeminiErrorContext {
  model?: ProviderModel;
}

/**
 * The `{ error: { code, status, message, details } }` object inside a 2xx body, stream event or trailing
 * text, classified by API.md §4 (status/details aware: `API_KEY_INVALID`, `RetryInfo`, …); undefined when
 * `body` carries no error object.
 */
export function geminiBodyError(body: unknown, context: GeminiErrorContext = {}): LLMError | undefined {
  const info = errorFromBody(body);
  return info == null ? undefined : llmErrorFromInfo(info, {}, modelErrorContext(context.model));
}

/** An answer that is not what the API documents (no candidates, a malformed chunk, a cut stream). */
export function invalidResponse(
  message: string,
  context: GeminiErrorContext = {},
  details?: Record<string, unknown>,
): LLMError {
  return invalidResponseError(message, context.model, details);
}

/** A blocked prompt or answer (`promptFeedback.blockReason`, finish reason `SAFETY` with nothing kept). */
export function contentFiltered(
  message: string,
  context: GeminiErrorContext,
  details: Record<string, unknown>,
): LLMError {
  const where = context.model?.fullName;
  return new LLMError('CONTENT_FILTERED', where != null ? `${where}: ${message}` : message, {
    ...modelErrorContext(context.model),
    details,
  });
}
