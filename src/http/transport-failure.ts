import { providerErrorToLLMError } from '../errors/classify-provider-error.js';
import { LLMError } from '../errors/llm-error.js';
import { type AbortState, type CallContext, errorOfAbortedSignal } from './call-signal.js';
import { decodeFailureOf } from './content-encoding.js';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Maps a failure of the HTTP exchange (not an HTTP status) to an `LLMError`: the signal's reason when it
 * was aborted, else the classifier's verdict on the cause; with a proxy, a failure to reach the provider
 * is reported as a proxy failure.
 */
export function transportFailure(
  error: unknown,
  signal: AbortState | undefined,
  context: CallContext,
  viaProxy = false,
  now = Date.now(),
): LLMError {
  if (signal?.aborted) return errorOfAbortedSignal(signal, context);
  if (LLMError.isInstance(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (viaProxy && !(typeof code === 'string' && TIMEOUT_CODES.has(code))) {
    const message = error instanceof Error ? error.message : String(error);
    return new LLMError('API_REQUEST_FAILED', `Could not reach the provider through the proxy: ${message}`, {
      ...context,
      networkCause: 'proxy',
      cause: error,
    });
  }
  return providerErrorToLLMError({ cause: error }, { ...context, now });
}

/** `API_RESPONSE_INVALID` for a `content-encoding` this transport cannot decode: asking again cannot help. */
export function unsupportedEncodingError(
  encoding: string,
  context: CallContext & { status: number },
): LLMError {
  return new LLMError(
    'API_RESPONSE_INVALID',
    `${context.provider ?? 'The provider'} answered with content-encoding "${encoding}", which is not supported (gzip, deflate and br are)`,
    { ...context, details: { contentEncoding: encoding }, final: true },
  );
}

/** Why reading a 2xx body failed: the abort, the size limit, an undecodable body, else the network. */
export function bodyFailure(
  error: unknown,
  signal: AbortState | undefined,
  context: CallContext,
  status: number,
  now: number,
): LLMError {
  if (signal?.aborted) return errorOfAbortedSignal(signal, context);
  if (LLMError.isInstance(error)) return error;
  const coding = decodeFailureOf(error);
  if (coding !== undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new LLMError(
      'API_RESPONSE_INVALID',
      `${context.provider ?? 'The provider'} sent a ${coding} body that could not be decoded: ${message}`,
      { ...context, status, cause: error },
    );
  }
  return transportFailure(error, signal, context, false, now);
}
