import type { ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { offAbort, onAbort } from '../util/abort-callbacks.js';
import type { Clock } from '../util/clock.js';
import type { CallOptions } from './options.js';

/** A signal made for the tools from the call's and the caller's `runContext.signal`. */
interface SignalLink {
  source: AbortSignal;
  controller: AbortController;
  onAbort: () => void;
}

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
  /** The tools' combined signal, when the caller set `runContext.signal` too. */
  private linked: SignalLink | undefined;

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
      else onAbort(callerSignal, this.onCallerAbort);
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

  /**
   * The signal tools get (`RunContext.signal`): the call's own, or, when the caller also set
   * `runContext.signal`, one that aborts when either does (API.md §2), with the reason of the first.
   * Made once per call; its listeners go at `dispose`.
   */
  toolSignal(runContextSignal: unknown): AbortSignal | undefined {
    if (runContextSignal == null) return this.signal;
    if (!(runContextSignal instanceof AbortSignal)) {
      throw new LLMError('INVALID_PARAMETER', 'options.runContext.signal: must be an AbortSignal');
    }
    const own = this.signal;
    if (own == null || own === runContextSignal) return runContextSignal;
    if (this.linked?.source === runContextSignal) return this.linked.controller.signal;
    this.unlink();
    const controller = new AbortController();
    const link: SignalLink = { source: runContextSignal, controller, onAbort: () => {} };
    const sources = [own, runContextSignal];
    link.onAbort = () => {
      const fired = sources.find((source) => source.aborted);
      this.unlink();
      controller.abort(fired?.reason);
    };
    this.linked = link;
    const fired = sources.find((source) => source.aborted);
    if (fired != null) controller.abort(fired.reason);
    else for (const source of sources) onAbort(source, link.onAbort);
    return controller.signal;
  }

  /** Detaches from the caller's signals; call when the call (or its stream) is over. */
  dispose(): void {
    if (this.onCallerAbort != null && this.callerSignal != null)
      offAbort(this.callerSignal, this.onCallerAbort);
    this.unlink();
  }

  private unlink(): void {
    const link = this.linked;
    if (link == null) return;
    this.linked = undefined;
    if (this.signal != null) offAbort(this.signal, link.onAbort);
    offAbort(link.source, link.onAbort);
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
