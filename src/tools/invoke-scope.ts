import { deadlineError } from '../http/call-signal.js';
import type { Clock } from '../util/clock.js';

/**
 * The abort signal of one invocation (a call or a batch): aborts when the caller's signal does or when
 * the deadline passes. `dispose()` stops the deadline timer.
 */
export class InvokeScope {
  readonly signal: AbortSignal;
  private readonly callerSignal: AbortSignal | undefined;
  private readonly timer: AbortController | undefined;

  constructor(callerSignal: AbortSignal | undefined, deadline: number | undefined, clock: Clock) {
    this.callerSignal = callerSignal;
    if (deadline === undefined) {
      this.signal = callerSignal ?? new AbortController().signal;
      return;
    }
    const expiry = new AbortController();
    this.signal = callerSignal !== undefined ? AbortSignal.any([callerSignal, expiry.signal]) : expiry.signal;
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      expiry.abort(deadlineError({}));
      return;
    }
    this.timer = new AbortController();
    clock.sleep(remaining, this.timer.signal).then(
      () => expiry.abort(deadlineError({})),
      () => undefined,
    );
  }

  /** Why the scope aborted, for the model: the caller's abort, or the deadline. */
  abortReason(): string {
    return this.callerSignal?.aborted === true ? 'the call was aborted' : 'the call deadline passed';
  }

  dispose(): void {
    this.timer?.abort();
  }
}

/** Sentinel `raceAbort` resolves to when the signal fires first. */
export const ABORTED: unique symbol = Symbol('aborted');

/** `promise`, or `ABORTED` as soon as `signal` aborts (the promise keeps running; its outcome is ignored). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(ABORTED);
  }
  return new Promise<T | typeof ABORTED>((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A counting semaphore: at most `limit` holders; waiters are served in order and leave on abort. */
export class Slots {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Resolves `true` once a slot is held (call `release()` after), or `false` if `signal` aborted first. */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.active++;
        resolve(true);
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  release(): void {
    this.active--;
    this.waiters.shift()?.();
  }
}
