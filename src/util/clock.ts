import { offAbort, onAbort } from './abort-callbacks.js';

/**
 * Time source of a client. Injectable so retry, cooldown and deadline tests are exact and fast.
 * `sleep` resolves after `ms` by this clock, or rejects with the signal's reason when aborted.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      if (ms <= 0) {
        resolve();
        return;
      }
      const aborted = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        if (signal != null) offAbort(signal, aborted);
        resolve();
      }, ms);
      // Shared signals: one listener however many calls wait on it (see `onAbort`).
      if (signal != null) onAbort(signal, aborted);
    }),
};

/** Source of randomness in [0, 1); injectable for exact jitter tests. */
export type Random = () => number;
