import {
  type Admission,
  CONCURRENCY_RETRY_MS,
  type LimitRule,
  type LimitStore,
  WINDOW_MS,
} from './limit-store.js';
import { TimeQueue } from './time-queue.js';

/** The windows of one client token. */
export interface ClientWindows {
  /** Admission times (for `rpm`). */
  readonly requests: TimeQueue;
  /** Tokens used, at the time each request ended (for `tpm`). */
  readonly tokens: TimeQueue;
  /** Leases of the requests in flight. */
  readonly leases: Set<string>;
}

/** Limits kept in this process: exact sliding minutes (one entry per request). */
export class MemoryLimitStore implements LimitStore {
  readonly kind: 'memory' | 'file' = 'memory';
  protected readonly clients = new Map<string, ClientWindows>();

  protected windowsOf(client: string): ClientWindows {
    let windows = this.clients.get(client);
    if (windows == null) {
      windows = { requests: new TimeQueue(), tokens: new TimeQueue(), leases: new Set() };
      this.clients.set(client, windows);
    }
    return windows;
  }

  acquire(client: string, rule: LimitRule, lease: string, now: number): Admission {
    const windows = this.windowsOf(client);
    const since = now - WINDOW_MS;
    if (rule.tpm != null) {
      windows.tokens.dropUntil(since);
      if (windows.tokens.sum >= rule.tpm) {
        const leaves = windows.tokens.timeBelow(rule.tpm) ?? now;
        return { ok: false, limit: 'tpm', retryAfterMs: Math.max(1, leaves + WINDOW_MS - now) };
      }
    }
    if (rule.maxConcurrent != null && windows.leases.size >= rule.maxConcurrent) {
      return { ok: false, limit: 'maxConcurrent', retryAfterMs: CONCURRENCY_RETRY_MS };
    }
    if (rule.rpm != null) {
      windows.requests.dropUntil(since);
      const over = windows.requests.length - rule.rpm;
      if (over >= 0) {
        const leaves = windows.requests.timeAt(over);
        return { ok: false, limit: 'rpm', retryAfterMs: Math.max(1, leaves + WINDOW_MS - now) };
      }
      windows.requests.push(now);
      this.changed();
    }
    if (rule.maxConcurrent != null) windows.leases.add(lease);
    return { ok: true };
  }

  release(client: string, rule: LimitRule, lease: string, tokens: number, now: number): void {
    const windows = this.clients.get(client);
    if (windows == null) return;
    windows.leases.delete(lease);
    if (rule.tpm != null && tokens > 0) {
      windows.tokens.push(now, tokens);
      this.changed();
    }
  }

  /** A window changed (the file store saves then). */
  protected changed(): void {}

  ready(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
