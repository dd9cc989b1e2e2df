import type { LLMErrorCode } from '../spec/index.js';

/** Every error code, in the seed's order, plus the two added ones. */
export const LLM_ERROR_CODES = [
  'MODEL_INIT_FAILED',
  'MODEL_NOT_FOUND',
  'API_REQUEST_FAILED',
  'API_RESPONSE_INVALID',
  'API_KEY_INVALID',
  'API_QUOTA_EXCEEDED',
  'API_TIMEOUT',
  'API_RATE_LIMITED',
  'NO_AVAILABLE_KEYS',
  'UNKNOWN_API_TYPE',
  'CONFIGURATION_ERROR',
  'RESPONSE_PARSE_ERROR',
  'CONTEXT_LENGTH_EXCEEDED',
  'CONTENT_FILTERED',
  'USER_LOCATION_NOT_SUPPORTED',
  'GENERATION_FAILED',
  'EMBEDDING_FAILED',
  'INVALID_PARAMETER',
  'API_SERVER_ERROR',
  'ABORTED',
] as const satisfies readonly LLMErrorCode[];

/**
 * What the pipeline does with a failed attempt:
 * - `retry`: try again on a fresh key selection (backoff, or at once on another key)
 * - `other-key`: try again only on a different key (the failing key is disabled or out of quota)
 * - `later`: nothing to retry now; the caller may retry after `retryAfterMs`
 * - `never`: retrying cannot help
 */
export type RetryPolicy = 'retry' | 'other-key' | 'later' | 'never';

/** The one place that decides retryability (API.md §5). */
export function retryPolicyOf(code: LLMErrorCode): RetryPolicy {
  switch (code) {
    case 'API_RATE_LIMITED':
    case 'API_SERVER_ERROR':
    case 'API_TIMEOUT':
    case 'API_REQUEST_FAILED':
    case 'API_RESPONSE_INVALID':
      return 'retry';
    case 'API_KEY_INVALID':
    case 'API_QUOTA_EXCEEDED':
      return 'other-key';
    case 'NO_AVAILABLE_KEYS':
      return 'later';
    case 'MODEL_INIT_FAILED':
    case 'MODEL_NOT_FOUND':
    case 'UNKNOWN_API_TYPE':
    case 'CONFIGURATION_ERROR':
    case 'RESPONSE_PARSE_ERROR':
    case 'CONTEXT_LENGTH_EXCEEDED':
    case 'CONTENT_FILTERED':
    case 'USER_LOCATION_NOT_SUPPORTED':
    case 'GENERATION_FAILED':
    case 'EMBEDDING_FAILED':
    case 'INVALID_PARAMETER':
    case 'ABORTED':
      return 'never';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

export function isLLMErrorCode(value: unknown): value is LLMErrorCode {
  return typeof value === 'string' && (LLM_ERROR_CODES as readonly string[]).includes(value);
}
