import {
  ATTEMPT_ABORT,
  AttemptAbort,
  abortedError,
  type CallContext,
  deadlineError,
  errorOfAbortedSignal,
} from '../http/call-signal.js';
import { transportFailure } from '../http/transport.js';
import type { Middleware, PipelineRequest, PipelineResponse } from '../spec/index.js';
import { offAbort, onAbort } from '../util/abort-callbacks.js';
import type { Clock } from '../util/clock.js';
import { callStateOf } from './call-state.js';

// setTimeout overflows above this (fires at once); a deadline further away needs no timer.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The abort trigger of one attempt: fired with `API_TIMEOUT` at the call's deadline or with `ABORTED` when
 * the caller's signal fires. One trigger and one timer; `release` detaches both.
 */
class AttemptSignal {
  readonly abort = new AttemptAbort();
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly caller: AbortSignal | undefined;
  private readonly onCallerAbort: (() => void) | undefined;
  private released = false;

  constructor(caller: AbortSignal | undefined, remainingMs: number, context: CallContext) {
    const abort = this.abort;
    // Each trigger also releases the other, so an abandoned stream body holds nothing after it fires.
    if (remainingMs <= MAX_TIMER_MS) {
      this.timer = setTimeout(() => {
        abort.abort(deadlineError(context));
        this.release();
      }, remainingMs);
      // The socket keeps the process alive while the attempt runs; an abandoned body must not.
      this.timer.unref();
    }
    if (caller != null) {
      this.caller = caller;
      this.onCallerAbort = () => {
        abort.abort(abortedError(context, caller.reason));
        this.release();
      };
      // One listener per signal however many calls share it (no MaxListenersExceededWarning, O(1) removal).
      onAbort(caller, this.onCallerAbort);
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.timer != null) clearTimeout(this.timer);
    if (this.onCallerAbort != null && this.caller != null) offAbort(this.caller, this.onCallerAbort);
  }
}

function dropChunk(): void {
  // A chunk read after the attempt was aborted: nobody wants it.
}

/**
 * A stream body bound to its attempt's signal: reading it after the pipeline returned is still ended by
 * the deadline (`API_TIMEOUT`) and the caller's signal (`ABORTED`); network failures mid-body become
 * `LLMError`s; the timer is released when the body ends, fails or is abandoned (`return()`).
 */
function bindBody(
  source: AsyncIterable<Uint8Array>,
  attempt: AttemptSignal,
  context: CallContext,
): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const iterator = source[Symbol.asyncIterator]();
      const onChunk = (result: IteratorResult<Uint8Array>) => {
        if (result.done === true) attempt.release();
        return result;
      };
      const onError = (error: unknown): never => {
        attempt.release();
        throw transportFailure(error, attempt.abort, context);
      };
      const abort = attempt.abort;
      return {
        // An abort rejects a pending read at once; undici tears the body down in its batch (`AttemptAbort`).
        next: () => abort.race(iterator.next(), dropChunk).then(onChunk, onError),
        return: async (value?: unknown) => {
          attempt.release();
          try {
            await iterator.return?.();
          } catch {
            // Abandoning the body: its teardown errors do not matter.
          }
          return { done: true, value: value as Uint8Array };
        },
      };
    },
  };
}

/**
 * Enforces the call's one deadline and the caller's signal on each attempt: fails at once when the
 * deadline has passed or the caller aborted, otherwise hands the transport an abort trigger (at
 * `request[ATTEMPT_ABORT]`; `request.signal` stays the caller's) that fires at the deadline or on the
 * caller's abort, and binds a stream body to it.
 */
export function createTimeoutMiddleware(clock: Clock): Middleware {
  return async function timeoutMiddleware(request, next) {
    const context: CallContext = { provider: request.provider, model: request.model };
    if (request.keyId != null) context.keyId = request.keyId;
    const caller = request.signal;
    if (caller?.aborted) throw abortedError(context, caller.reason);
    const remainingMs = request.deadline - clock.now();
    if (remainingMs <= 0) throw deadlineError(context);
    const attempt = new AttemptSignal(caller, remainingMs, context);
    let response: PipelineResponse;
    try {
      // Below the retry layer the request is this attempt's own copy (see call-state.ts).
      const attemptRequest: PipelineRequest & { [ATTEMPT_ABORT]?: AttemptAbort } =
        callStateOf(request) != null ? request : Object.assign({}, request);
      attemptRequest[ATTEMPT_ABORT] = attempt.abort;
      response = await next(attemptRequest);
    } catch (error) {
      attempt.release();
      // The attempt's own abort reason wins over whatever the transport made of the cut connection.
      if (attempt.abort.aborted) throw errorOfAbortedSignal(attempt.abort, context);
      throw error;
    }
    if (response.body != null) response.body = bindBody(response.body, attempt, context);
    else attempt.release();
    return response;
  };
}

/** Stops reading a stream body and releases its connection and timer (safe on any body). */
export async function releaseBody(body: AsyncIterable<Uint8Array> | undefined): Promise<void> {
  if (body == null) return;
  try {
    await body[Symbol.asyncIterator]().return?.();
  } catch {
    // Nothing to report: the caller is abandoning the body.
  }
}
