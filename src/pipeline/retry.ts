import { retryPolicyOf } from '../errors/error-codes.js';
import { LLMError } from '../errors/llm-error.js';
import { abortedError } from '../http/call-signal.js';
import type { AttemptRecord, Locale, Middleware, PipelineRequest, PipelineResponse } from '../spec/index.js';
import type { Clock, Random } from '../util/clock.js';
import type { AttemptRequest, CallState } from './call-state.js';

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  clock: Clock;
  random: Random;
  /** Language of the thrown errors' `friendlyMessage`. */
  locale?: Locale;
  /** Called after every attempt (debug logging). */
  onAttempt?: (
    request: PipelineRequest,
    record: AttemptRecord,
    outcome: { response: PipelineResponse } | { error: unknown },
  ) => void;
}

/** Full-jitter exponential backoff before retry number `retry` (0-based): `random() · min(max, base · 2^retry)`. */
export function backoffDelayMs(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: Random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.round(random() * ceiling);
}

/**
 * Retries per API.md §5 with `retryPolicyOf` as the one judge (an error built `final` is never retried): `retry` codes go to a fresh key
 * selection, `other-key` codes only to a key this call has not used (else the original error is
 * thrown); nothing else is retried. With a server hint the key that got it is cooling, so the retry goes
 * at once (key selection waits only when no key is left); without one it waits
 * `random() · min(maxDelayMs, baseDelayMs · 2^n)`. No wait runs past the deadline: the last error is
 * thrown instead. Every attempt is recorded on the response (`attempts`) or the thrown error.
 */
export function createRetryMiddleware(options: RetryOptions): Middleware {
  const { maxRetries, baseDelayMs, maxDelayMs, clock, random, onAttempt } = options;
  // Named, so stack traces and profiles show the layer.
  return async function retryMiddleware(request, next) {
    const started = clock.now();
    const attempts: AttemptRecord[] = [];
    const state: CallState = { exclude: undefined, sent: false, sentAt: 0, keyId: undefined, keyWaitMs: 0 };
    let waitMs = 0;
    let lastError: LLMError | undefined;

    const finish = (error: LLMError): LLMError => {
      error.attempts = attempts;
      error.provider ??= request.provider;
      error.model ??= request.model;
      const lastKeyId = attempts[attempts.length - 1]?.keyId;
      if (lastKeyId != null) error.keyId ??= lastKeyId;
      if (options.locale != null) error.locale = options.locale;
      return error;
    };

    for (let attempt = 1; ; attempt++) {
      if (request.signal?.aborted) {
        throw finish(
          abortedError({ provider: request.provider, model: request.model }, request.signal.reason),
        );
      }
      state.sent = false;
      state.sentAt = 0;
      state.keyId = undefined;
      state.keyWaitMs = 0;
      // Object.assign + plain assignments: cheaper than a spread literal on V8.
      const attemptRequest: AttemptRequest = Object.assign({}, request);
      attemptRequest.attempt = attempt;
      attemptRequest.callState = state;
      let error: LLMError;
      try {
        const response = await next(attemptRequest);
        const now = clock.now();
        const sentAt = state.sent ? state.sentAt : now;
        const record: AttemptRecord = {
          attempt,
          model: request.model,
          status: response.status,
          durationMs: now - sentAt,
          waitMs: waitMs + state.keyWaitMs,
          startedAt: sentAt,
        };
        const keyId = state.keyId ?? response.keyId;
        if (keyId != null) record.keyId = keyId;
        attempts.push(record);
        response.attempts = attempts;
        response.durationMs = now - started;
        if (keyId != null) response.keyId = keyId;
        onAttempt?.(attemptRequest, record, { response });
        return response;
      } catch (thrown) {
        // Anything that is not an LLMError is a bug, not a provider failure: wrapped, never retried.
        if (!LLMError.isInstance(thrown)) {
          throw finish(LLMError.from(thrown, 'API_REQUEST_FAILED'));
        }
        error = thrown;
      }

      if (!state.sent) {
        // No HTTP attempt was made: no key could be had (or the wait for one was aborted). On a retry the
        // previous provider error says more than "no key": throw that, with the pool's return time.
        if (lastError != null && error.code === 'NO_AVAILABLE_KEYS') {
          if (lastError.retryAfterMs == null && error.retryAfterMs != null) {
            lastError.retryAfterMs = error.retryAfterMs;
          }
          throw finish(lastError);
        }
        throw finish(error);
      }

      const record: AttemptRecord = {
        attempt,
        model: request.model,
        code: error.code,
        durationMs: clock.now() - state.sentAt,
        waitMs: waitMs + state.keyWaitMs,
        startedAt: state.sentAt,
      };
      if (state.keyId != null) record.keyId = state.keyId;
      if (error.status != null) record.status = error.status;
      attempts.push(record);
      onAttempt?.(attemptRequest, record, { error });

      if (request.signal?.aborted && error.code !== 'ABORTED') {
        throw finish(
          abortedError({ provider: request.provider, model: request.model }, request.signal.reason),
        );
      }
      // `retryable` is false for an error built `final` (a failure any retry would repeat, whatever its code).
      const policy = error.retryable ? retryPolicyOf(error.code) : 'never';
      if ((policy !== 'retry' && policy !== 'other-key') || attempt > maxRetries) throw finish(error);

      let wait = 0;
      if (policy === 'other-key') {
        if (state.keyId != null) {
          state.exclude ??= new Set();
          state.exclude.add(state.keyId);
        }
      } else if (error.retryAfterMs == null) {
        wait = backoffDelayMs(attempt - 1, baseDelayMs, maxDelayMs, random);
      }
      if (clock.now() + wait >= request.deadline) throw finish(error);
      if (wait > 0) {
        try {
          await clock.sleep(wait, request.signal);
        } catch (sleepError) {
          if (request.signal?.aborted) {
            throw finish(abortedError({ provider: request.provider, model: request.model }, sleepError));
          }
          throw finish(LLMError.from(sleepError, 'API_REQUEST_FAILED'));
        }
      }
      waitMs = wait;
      lastError = error;
    }
  };
}
