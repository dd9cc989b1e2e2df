import {
  errorFromBody,
  llmErrorFromInfo,
  type ProviderErrorContext,
} from '../../errors/classify-provider-error.js';
import { LLMError } from '../../errors/llm-error.js';

/**
 * The `LLMError` for an `{ error: … }` object found inside a 2xx body or a stream event (classified by
 * `errorFromBody`, API.md §4), or `undefined` when `body` carries no error object.
 */
export function llmErrorFromBody(body: unknown, context: ProviderErrorContext = {}): LLMError | undefined {
  const info = errorFromBody(body);
  return info == null ? undefined : llmErrorFromInfo(info, {}, context);
}

/** An `API_RESPONSE_INVALID` error naming what was wrong with the answer. */
export function invalidResponse(message: string, context: ProviderErrorContext = {}): LLMError {
  const where = context.model ?? context.provider;
  return new LLMError('API_RESPONSE_INVALID', where != null ? `${where}: ${message}` : message, {
    ...(context.provider != null ? { provider: context.provider } : {}),
    ...(context.model != null ? { model: context.model } : {}),
  });
}
