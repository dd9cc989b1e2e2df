import type { AttemptRecord } from './attempt.js';

/** Every code an `LLMError` can carry (seed names kept, plus `API_SERVER_ERROR` and `ABORTED`). */
export type LLMErrorCode =
  | 'MODEL_INIT_FAILED'
  | 'MODEL_NOT_FOUND'
  | 'API_REQUEST_FAILED'
  | 'API_RESPONSE_INVALID'
  | 'API_KEY_INVALID'
  | 'API_QUOTA_EXCEEDED'
  | 'API_TIMEOUT'
  | 'API_RATE_LIMITED'
  | 'NO_AVAILABLE_KEYS'
  | 'UNKNOWN_API_TYPE'
  | 'CONFIGURATION_ERROR'
  | 'RESPONSE_PARSE_ERROR'
  | 'CONTEXT_LENGTH_EXCEEDED'
  | 'CONTENT_FILTERED'
  | 'USER_LOCATION_NOT_SUPPORTED'
  | 'GENERATION_FAILED'
  | 'EMBEDDING_FAILED'
  | 'INVALID_PARAMETER'
  | 'API_SERVER_ERROR'
  | 'ABORTED';

/** Language of `friendlyMessage`. */
export type Locale = 'en' | 'zh';

/**
 * The data every `LLMError` carries. The runtime class (`LLMError`, exported from the package root)
 * implements this; spec types refer to the interface so that `spec/` stays free of runtime code.
 */
export interface LLMErrorInfo extends Error {
  readonly code: LLMErrorCode;
  /** A message for end users, in the client's `locale`. */
  readonly friendlyMessage: string;
  /** Whether trying again (later, or with another key) can succeed. Decided from `code` in one place. */
  readonly retryable: boolean;
  status?: number;
  provider?: string;
  /** `"Provider/model"` */
  model?: string;
  /** Masked key id; never the key. */
  keyId?: string;
  /** When the provider (or the key pool) says a retry can succeed. */
  retryAfterMs?: number;
  attempts?: AttemptRecord[];
  /** Structured context (e.g. the last answer and issues of a failed structured generation). Never holds a key. */
  details?: Record<string, unknown>;
}
