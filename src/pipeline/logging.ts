import { LLMError } from '../errors/llm-error.js';
import type { InternalLogger } from '../logging/internal-logger.js';
import type { AttemptRecord, Middleware, PipelineRequest, PipelineResponse } from '../spec/index.js';
import type { Clock } from '../util/clock.js';

/**
 * What the pipeline uses of the internal logger (which sanitizes every object it writes: secrets
 * masked, base64 and vectors shortened, tools/schemas/safety hidden per `debugLog`).
 */
export type PipelineLogger = Pick<
  InternalLogger,
  'info' | 'warn' | 'isEnabled' | 'isRequestLogEnabled' | 'logResponse'
>;

/**
 * One info line per call outcome: provider, model, operation, status or code, attempts, duration and
 * the key id of the last attempt (never a key).
 */
export function createLoggingMiddleware(logger: PipelineLogger, clock: Clock): Middleware {
  return async function loggingMiddleware(request, next) {
    const started = clock.now();
    try {
      const response = await next(request);
      if (!logger.isEnabled('info')) return response;
      logger.info(
        {
          provider: request.provider,
          model: request.model,
          operation: request.operation,
          status: response.status,
          attempts: response.attempts.length,
          durationMs: clock.now() - started,
          keyId: response.keyId,
        },
        'LLM call succeeded',
      );
      return response;
    } catch (error) {
      if (!logger.isEnabled('info')) throw error;
      const failure = LLMError.isInstance(error) ? error : undefined;
      logger.info(
        {
          provider: request.provider,
          model: request.model,
          operation: request.operation,
          code: failure?.code,
          status: failure?.status,
          attempts: failure?.attempts?.length ?? 0,
          durationMs: clock.now() - started,
          keyId: failure?.keyId,
          message: failure != null ? failure.message : String(error),
        },
        'LLM call failed',
      );
      throw error;
    }
  };
}

function bodyForLog(body: unknown): unknown {
  if (
    typeof body === 'object' &&
    body !== null &&
    (body as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'FormData'
  ) {
    const names: string[] = [];
    for (const [name] of (body as FormData).entries()) names.push(name);
    return { multipart: names };
  }
  return body;
}

// The request handed to this layer carries no key (key selection adds it below), but a user may have
// configured an auth header of their own: never print it.
function headersForLog(request: PipelineRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const authName = request.auth.scheme === 'header' ? request.auth.name.toLowerCase() : 'authorization';
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    out[name] = lower === 'authorization' || lower === authName ? '[REDACTED]' : value;
  }
  return out;
}

/** The debug line of one attempt (request and response or error); built only when it is written. */
export function logAttempt(
  logger: PipelineLogger,
  request: PipelineRequest,
  record: AttemptRecord,
  outcome: { response: PipelineResponse } | { error: unknown },
): void {
  if (!logger.isRequestLogEnabled()) return;
  const response = 'response' in outcome ? outcome.response : undefined;
  logger.logResponse(
    {
      provider: request.provider,
      model: request.model,
      operation: request.operation,
      attempt: record.attempt,
      ...(record.keyId != null ? { keyId: record.keyId } : {}),
    },
    {
      durationMs: record.durationMs,
      ...(record.status != null ? { status: record.status } : {}),
      ...(response != null
        ? { headers: response.headers, body: response.body != null ? '[stream]' : response.data }
        : { error: (outcome as { error: unknown }).error }),
    },
    {
      method: request.method,
      url: request.url,
      headers: headersForLog(request),
      body: bodyForLog(request.body),
      stream: request.stream,
    },
  );
}
