import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { Clock } from '../util/clock.js';
import type { CallOptions } from './options.js';

/**
 * The lifetime of one call: its one deadline (retries, waits, tool rounds and stream reads included) and
 * its abort signal. The pipeline enforces both on every attempt and stream read; the scope carries them
 * between rounds and into tools. A scope made `abortable` (streams) owns a controller so `abort()` works;
 * otherwise the caller's signal is passed through as is (no allocation on the hot path).
 */
export class CallScope {
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  private readonly controller: AbortController | undefined;
  private readonly callerSignal: AbortSignal | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    timeoutMs: number,
    callerSignal: AbortSignal | undefined,
    abortable: boolean,
  ) {
    this.deadline = clock.now() + timeoutMs;
    if (!abortable) {
      this.signal = callerSignal;
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.signal = controller.signal;
    if (callerSignal != null) {
      this.callerSignal = callerSignal;
      this.onCallerAbort = () => controller.abort(callerSignal.reason);
      if (callerSignal.aborted) this.onCallerAbort();
      else callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
  }

  /** Throws `ABORTED` or `API_TIMEOUT` when the call must stop. */
  throwIfAborted(): void {
    if (this.signal?.aborted) throw this.reason();
    if (this.clock.now() >= this.deadline) {
      throw new LLMError('API_TIMEOUT', 'The call did not finish before its deadline.');
    }
  }

  /** Why the call was aborted, as an `LLMError` (its own reason when that already is one). */
  reason(): LLMError {
    const reason: unknown = this.signal?.reason;
    return LLMError.isInstance(reason)
      ? reason
      : new LLMError(
          'ABORTED',
          'The call was aborted by the caller.',
          reason !== undefined ? { cause: reason } : {},
        );
  }

  /** Aborts the call (streams: `stream.abort()`). */
  abort(reason?: unknown): void {
    if (this.controller == null || this.controller.signal.aborted) return;
    this.controller.abort(
      LLMError.isInstance(reason)
        ? reason
        : new LLMError('ABORTED', 'The stream was aborted.', reason !== undefined ? { cause: reason } : {}),
    );
  }

  /** Detaches from the caller's signal; call when the call (or its stream) is over. */
  dispose(): void {
    if (this.onCallerAbort != null) this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}

/**
 * The scope of one call to `model`: `options.timeoutMs` (else the provider's) and `options.signal`,
 * both checked. `abortable` scopes (streams) can be aborted by the library.
 */
export function scopeFor(
  clock: Clock,
  model: ResolvedModel,
  options: CallOptions,
  abortable: boolean,
): CallScope {
  const timeoutMs = options.timeoutMs ?? model.provider.timeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw new LLMError(
      'INVALID_PARAMETER',
      `options.timeoutMs: must be a positive number of milliseconds (got ${timeoutMs})`,
    );
  }
  if (options.signal != null && !(options.signal instanceof AbortSignal)) {
    throw new LLMError('INVALID_PARAMETER', 'options.signal: must be an AbortSignal');
  }
  return new CallScope(clock, timeoutMs, options.signal, abortable);
}
