/** The body of every error the gateway answers: the shape OpenAI's API and SDKs use. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** Optional parts of a `GatewayError`. */
export interface GatewayErrorOptions {
  /** The request field at fault (`messages[2].content`, `model`). */
  param?: string;
  /** Sent as `retry-after` (seconds, rounded up) and `retry-after-ms`. */
  retryAfterMs?: number;
  /** Extra response headers (`allow` on a 405). */
  headers?: Record<string, string>;
  /** The library error code behind it, for the access log. */
  libraryCode?: string;
}

/**
 * An HTTP error answer of the gateway: status, OpenAI `type` and `code`, a message for the client. Messages
 * never hold a provider key or a client token (library messages are already redacted; the gateway's own
 * never quote credentials).
 *
 * @example new GatewayError(403, 'permission_error', 'model_not_allowed', 'token "web" may not use OpenAI/gpt-4o', { param: 'model' })
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    message: string,
    readonly options: GatewayErrorOptions = {},
  ) {
    super(message);
  }

  /** The OpenAI-shaped body. */
  body(): OpenAIErrorBody {
    return {
      error: { message: this.message, type: this.type, code: this.code, param: this.options.param ?? null },
    };
  }
}
