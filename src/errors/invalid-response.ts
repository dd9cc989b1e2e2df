import type { ProviderModel } from '../spec/index.js';
import { LLMError } from './llm-error.js';

/** The model an error is about, as dialects know it. */
export type ErrorModel = Pick<ProviderModel, 'fullName' | 'provider'>;

/** Provider and model names for an error raised while reading an answer (`{}` without a model). */
export function modelErrorContext(model: ErrorModel | undefined): { provider?: string; model?: string } {
  return model == null ? {} : { provider: model.provider.name, model: model.fullName };
}

/**
 * `API_RESPONSE_INVALID` for an answer that is not what the API documents (a malformed event, a cut stream),
 * its message prefixed with the model when known.
 */
export function invalidResponseError(
  message: string,
  model: ErrorModel | undefined,
  details?: Record<string, unknown>,
): LLMError {
  const where = model?.fullName;
  return new LLMError('API_RESPONSE_INVALID', where != null ? `${where}: ${message}` : message, {
    ...modelErrorContext(model),
    ...(details != null ? { details } : {}),
  });
}
