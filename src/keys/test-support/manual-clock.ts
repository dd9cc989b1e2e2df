import type { Clock } from '../../util/clock.js';

interface Sleeper {
  until: number;
  resolve: () => void;
}

/**
 * A clock for exact tests. `now()` moves only by `advance(ms)` (which wakes due sleepers) or, with
 * `autoAdvance`, by each `sleep(ms)` itself (sequential code then runs instantly with exact times).
 * Every requested sleep is recorded in `sleeps`.
 */
export class ManualClock implements Clock {
  time: number;
  readonly sleeps: number[] = [];
  private sleepers: Sleeper[] = [];

  constructor(
    start = 1_000_000,
    private readonly autoAdvance = false,
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.autoAdvance) {
      this.time += Math.max(0, ms);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        until: this.time + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((item) => item !== sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Number of pending sleeps. */
  get pending(): number {
    return this.sleepers.length;
  }

  /** Moves time forward and wakes every sleeper that is due, then lets their continuations run. */
  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.sleepers.filter((item) => item.until <= this.time);
    this.sleepers = this.sleepers.filter((item) => item.until > this.time);
    for (const sleeper of due) sleeper.resolve();
    await flushMicrotasks();
  }
}

/** Lets pending promise continuations run. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let round = 0; round < rounds; round++) await Promise.resolve();
}
