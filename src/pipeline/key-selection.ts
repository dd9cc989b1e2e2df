import { LLMError } from '../errors/llm-error.js';
import type { KeyPool } from '../keys/key-pool.js';
import type { Middleware, PipelineResponse } from '../spec/index.js';
import type { Clock } from '../util/clock.js';
import { callStateOf } from './call-state.js';

/**
 * Picks a key per attempt (round-robin over the keys available for the model, waiting for a cooldown
 * within the deadline), adds the auth header, and reports the attempt's outcome to the pool exactly
 * once. The key exists only in the headers of the request handed downstream.
 */
export function createKeySelectionMiddleware(
  keyPools: (provider: string) => KeyPool,
  clock: Clock,
): Middleware {
  return async function keySelectionMiddleware(request, next) {
    const pool = keyPools(request.provider);
    const model = request.modelId;
    const state = callStateOf(request);
    const exclude = state?.exclude;
    const lease =
      pool.select(model, exclude) ??
      (await pool.acquire(model, {
        deadline: request.deadline,
        ...(request.signal != null ? { signal: request.signal } : {}),
        ...(exclude != null ? { exclude } : {}),
      }));
    const sentAt = clock.now();
    if (state != null) {
      state.sent = true;
      state.sentAt = sentAt;
      state.keyId = lease.keyId;
      state.keyWaitMs = lease.waitedMs;
    }
    const auth = request.auth;
    // A copied loop, not a spread: spreading small header objects is several times slower on V8.
    const headers: Record<string, string> = {};
    const source = request.headers;
    for (const name in source) headers[name] = source[name]!;
    if (auth.scheme === 'bearer') headers.authorization = `Bearer ${lease.key}`;
    else headers[auth.name] = lease.key;
    // Below the retry layer the request is this attempt's own copy: fill it in rather than copy it again.
    let attemptRequest = request;
    if (state != null) {
      request.headers = headers;
      request.keyId = lease.keyId;
    } else {
      attemptRequest = Object.assign({}, request, { headers, keyId: lease.keyId });
    }
    let response: PipelineResponse;
    try {
      response = await next(attemptRequest);
    } catch (error) {
      if (LLMError.isInstance(error)) {
        pool.report(lease.key, model, {
          kind: 'failure',
          code: error.code,
          message: error.message,
          ...(error.retryAfterMs != null ? { retryAfterMs: error.retryAfterMs } : {}),
        });
        error.keyId ??= lease.keyId;
      }
      throw error;
    }
    pool.report(lease.key, model, { kind: 'success', latencyMs: clock.now() - sentAt, startedAt: sentAt });
    response.keyId = lease.keyId;
    return response;
  };
}
