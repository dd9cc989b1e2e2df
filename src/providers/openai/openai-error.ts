import { errorFromBody, llmErrorFromInfo } from '../../errors/classify-provider-error.js';
import { LLMError } from '../../errors/llm-error.js';

/** Where an error came from, for the `LLMError` context. */
export interface OpenAIErrorContext {
  provider: string;
  model: string;
}

/**
 * The `LLMError` for an OpenAI- or Gemini-style `{ error: … }` object found inside a 2xx body or a
 * stream (classified like any provider failure), or `undefined` when `body` carries no error.
 */
export function errorFromOpenAIBody(body: unknown, context: OpenAIErrorContext): LLMError | undefined {
  const info = errorFromBody(body);
  if (info === undefined) return undefined;
  return llmErrorFromInfo(info, {}, context);
}

/** `API_RESPONSE_INVALID` with the provider context (a 2xx answer that is not a usable completion). */
export function invalidResponse(
  message: string,
  context: OpenAIErrorContext,
  details?: Record<string, unknown>,
): LLMError {
  return new LLMError('API_RESPONSE_INVALID', message, {
    provider: context.provider,
    model: context.model,
    ...(details != null ? { details } : {}),
  });
}
