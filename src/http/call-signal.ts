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

/**
 * The abort trigger of one attempt, in the EventEmitter shape undici accepts as `signal`: undici listens
 * with `once`/`removeListener` instead of `AbortSignal.addEventListener`, which costs microseconds per
 * request on Node 20. `aborted` and `reason` read like an `AbortSignal`'s.
 */
export class AttemptAbort {
  aborted = false;
  reason: unknown = undefined;
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
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners != null) for (const listener of listeners) listener();
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
