import { LLMError } from '../errors/llm-error.js';

/** What an error built by the pipeline says about where it happened. */
export interface CallContext {
  provider?: string;
  model?: string;
  keyId?: string;
}

function options(context: CallContext, cause?: unknown) {
  return {
    ...(context.provider != null ? { provider: context.provider } : {}),
    ...(context.model != null ? { model: context.model } : {}),
    ...(context.keyId != null ? { keyId: context.keyId } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}

/** `ABORTED`: the caller's signal fired. */
export function abortedError(context: CallContext, cause?: unknown): LLMError {
  return new LLMError('ABORTED', 'The call was aborted by the caller', options(context, cause));
}

/** `API_TIMEOUT`: the call's deadline passed. */
export function deadlineError(context: CallContext): LLMError {
  return new LLMError('API_TIMEOUT', 'The call did not finish before its deadline', options(context));
}

/** The error to throw for an aborted signal: its reason when that is an `LLMError`, else `ABORTED`. */
export function errorOfAbortedSignal(signal: AbortState, context: CallContext): LLMError {
  const reason: unknown = signal.reason;
  return LLMError.isInstance(reason) ? reason : abortedError(context, reason);
}

type Listener = () => void;

/** Attempts aborted since the last teardown batch, whose undici listeners have not run yet. */
let teardownQueue: AttemptAbort[] = [];

/**
 * Runs the undici side of a batch of aborts: request errors, socket and body destruction. Errors undici
 * builds here are its own (every call already settled with its `LLMError`), so they skip the stack trace:
 * capturing and formatting one per aborted connection was most of the cost of an abort.
 */
function flushTeardowns(): void {
  const batch = teardownQueue;
  teardownQueue = [];
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const attempt of batch) attempt.runDeferredListeners();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The abort trigger of one attempt, in the EventEmitter shape undici accepts as `signal`: undici listens
 * with `once`/`removeListener` instead of `AbortSignal.addEventListener`, which costs microseconds per
 * request on Node 20. `aborted` and `reason` read like an `AbortSignal`'s.
 *
 * Aborting settles the attempt at once and tears its connection down later: `onAbortNow` (the layer
 * waiting on the attempt, see `race`) runs synchronously, undici's listeners in one `setImmediate` batch
 * for all the aborts of a turn. So a thousand calls aborted together all settle before the first socket
 * is destroyed, instead of each waiting behind the teardown of every connection aborted before it.
 */
export class AttemptAbort {
  aborted = false;
  reason: unknown = undefined;
  /** Called synchronously on abort, once (set by `race`). */
  private onAbortNow: Listener | undefined;
  private listeners: Listener[] | undefined;

  once(_event: 'abort', listener: Listener): this {
    if (this.listeners == null) this.listeners = [listener];
    else this.listeners.push(listener);
    return this;
  }

  on(event: 'abort', listener: Listener): this {
    return this.once(event, listener);
  }

  removeListener(_event: 'abort', listener: Listener): this {
    const listeners = this.listeners;
    if (listeners != null) {
      const index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    }
    return this;
  }

  off(event: 'abort', listener: Listener): this {
    return this.removeListener(event, listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const now = this.onAbortNow;
    this.onAbortNow = undefined;
    now?.();
    if (this.listeners != null && this.listeners.length > 0) {
      if (teardownQueue.length === 0) setImmediate(flushTeardowns);
      teardownQueue.push(this);
    }
  }

  /** @internal Runs undici's listeners (see `flushTeardowns`). */
  runDeferredListeners(): void {
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners == null) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch {
        // Tearing down an abandoned request: nothing to report to anyone.
      }
    }
  }

  /**
   * `promise`, or a rejection with the abort reason as soon as this trigger fires (synchronously, before
   * undici has torn the request down). A value the promise still produces after that goes to `onLate`
   * (to release it); a late rejection is dropped.
   */
  race<T>(promise: Promise<T>, onLate: (value: T) => void): Promise<T> {
    if (this.aborted) {
      promise.then(onLate, () => {});
      return Promise.reject(this.reason);
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbortNow = () => {
        settled = true;
        reject(this.reason);
      };
      this.onAbortNow = onAbortNow;
      promise.then(
        (value) => {
          if (settled) return onLate(value);
          settled = true;
          if (this.onAbortNow === onAbortNow) this.onAbortNow = undefined;
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          if (this.onAbortNow === onAbortNow) this.onAbortNow = undefined;
          reject(error);
        },
      );
    });
  }
}

/** Where the timeout layer hands the transport its attempt's abort trigger (copied by `{ ...request }`). */
export const ATTEMPT_ABORT: unique symbol = Symbol('switchboard.attemptAbort');

/** Anything with `aborted` and `reason`: an `AbortSignal` or an `AttemptAbort`. */
export interface AbortState {
  readonly aborted: boolean;
  readonly reason: unknown;
}

/** The abort trigger the timeout layer attached to a request, if any. */
export function attemptAbortOf(request: object): AttemptAbort | undefined {
  return (request as { [ATTEMPT_ABORT]?: AttemptAbort })[ATTEMPT_ABORT];
}
