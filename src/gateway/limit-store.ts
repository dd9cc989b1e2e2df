/** The per-minute and concurrency limits of one client token (API.md §15). */
export interface LimitRule {
  /** Requests admitted per sliding minute. */
  rpm?: number;
  /** Tokens (prompt + completion) used per sliding minute; a request is admitted while the minute is under it. */
  tpm?: number;
  /** Requests in flight at once. */
  maxConcurrent?: number;
}

/** Which limit refused a request. */
export type LimitName = 'rpm' | 'tpm' | 'maxConcurrent';

/** The answer of `LimitStore.acquire`. */
export type Admission = { ok: true } | { ok: false; limit: LimitName; retryAfterMs: number };

/** Length of the sliding window of `rpm` and `tpm`. */
export const WINDOW_MS = 60_000;

/** How long a refused concurrent request is told to wait: there is no window to compute it from. */
export const CONCURRENCY_RETRY_MS = 1000;

/**
 * Where the rate windows and in-flight counts of client tokens live: in process (`memory`), in process and
 * saved beside the key-state file (`file`), or in Redis, shared atomically by every gateway process (`redis`).
 */
export interface LimitStore {
  readonly kind: 'memory' | 'file' | 'redis';
  /**
   * Admits one request of `client` at `now` under `rule`, atomically: all limits are checked before anything is
   * counted. An admitted request holds `lease` (a unique id) until `release`.
   */
  acquire(client: string, rule: LimitRule, lease: string, now: number): Admission | Promise<Admission>;
  /** The request ended (called once per admitted request): frees its concurrency slot and counts `tokens` toward `tpm` at `now`. */
  release(client: string, rule: LimitRule, lease: string, tokens: number, now: number): void;
  /** Whether the store can be used now (Redis answers a PING); for `GET /ready`. */
  ready(): Promise<boolean>;
  /** Saves what must survive a restart and releases connections; idempotent. */
  close(): Promise<void>;
}
