import { redactDeep, redactSecrets } from '../logging/secrets.js';
import type { AttemptRecord, LLMErrorCode, LLMErrorInfo, Locale } from '../spec/index.js';
import { retryPolicyOf } from './error-codes.js';
import { friendlyMessageOf, type NetworkCause } from './friendly-messages.js';
import { sanitizeCause } from './sanitize-cause.js';

const MARKER = Symbol.for('switchboard-llm.LLMError');

/** Context an `LLMError` may carry. */
export interface LLMErrorOptions {
  status?: number;
  provider?: string;
  model?: string;
  keyId?: string;
  retryAfterMs?: number;
  attempts?: AttemptRecord[];
  details?: Record<string, unknown>;
  cause?: unknown;
  locale?: Locale;
  /** For `API_REQUEST_FAILED`: what the network failure most likely was (named in `friendlyMessage`). */
  networkCause?: NetworkCause;
  /**
   * The failure would repeat on any retry whatever its code says (e.g. a body over `maxResponseBytes`):
   * `retryable` is `false` and the retry layer does not retry it. @default false
   */
  final?: boolean;
}

/**
 * Everything switchboard throws. `code` says what happened, `retryable` whether trying again can help
 * (decided from the code, see `retryPolicyOf`; an error built with `final: true` is never retryable),
 * `friendlyMessage` is for end users in the client's locale. Messages and details are scrubbed of API keys
 * when the error is built; `cause` is a sanitized copy of the wrapped error (`sanitizeCause`: no
 * third-party request data such as ioredis's AUTH arguments).
 */
export class LLMError extends Error implements LLMErrorInfo {
  override readonly name = 'LLMError';
  readonly code: LLMErrorCode;
  status?: number;
  provider?: string;
  model?: string;
  keyId?: string;
  retryAfterMs?: number;
  attempts?: AttemptRecord[];
  details?: Record<string, unknown>;
  /** Language of `friendlyMessage`; the client sets it from its config. */
  locale: Locale;
  networkCause?: NetworkCause;
  readonly #final: boolean;

  constructor(code: LLMErrorCode, message: string, options: LLMErrorOptions = {}) {
    super(
      redactSecrets(message),
      options.cause !== undefined ? { cause: sanitizeCause(options.cause) } : undefined,
    );
    this.code = code;
    this.locale = options.locale ?? 'en';
    if (options.status != null) this.status = options.status;
    if (options.provider != null) this.provider = options.provider;
    if (options.model != null) this.model = options.model;
    if (options.keyId != null) this.keyId = options.keyId;
    if (options.retryAfterMs != null) this.retryAfterMs = options.retryAfterMs;
    if (options.attempts != null) this.attempts = options.attempts;
    if (options.details != null) this.details = redactDeep(options.details) as Record<string, unknown>;
    if (options.networkCause != null) this.networkCause = options.networkCause;
    this.#final = options.final === true;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** From the code (`retryPolicyOf`), unless the error was built `final` (then `false`). */
  get retryable(): boolean {
    return !this.#final && retryPolicyOf(this.code) !== 'never';
  }

  get friendlyMessage(): string {
    return friendlyMessageOf(this.code, this.locale, this.networkCause);
  }

  /** True for any `LLMError`, also across duplicated copies of the package. */
  static isInstance(error: unknown): error is LLMError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }

  /** Wraps anything thrown into an `LLMError` (an `LLMError` is returned as is). */
  static from(
    error: unknown,
    code: LLMErrorCode = 'API_REQUEST_FAILED',
    options: LLMErrorOptions = {},
  ): LLMError {
    if (LLMError.isInstance(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new LLMError(code, message, { ...options, cause: error });
  }

  /** A safe JSON view (what `JSON.stringify(error)` prints): no stack, no cause object, no key. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
      friendlyMessage: this.friendlyMessage,
      retryable: this.retryable,
    };
    for (const field of [
      'status',
      'provider',
      'model',
      'keyId',
      'retryAfterMs',
      'attempts',
      'details',
    ] as const) {
      if (this[field] != null) out[field] = this[field];
    }
    if (this.cause != null)
      out.cause = redactSecrets(this.cause instanceof Error ? this.cause.message : String(this.cause));
    return out;
  }
}
