import type { KeyState } from './key-health.js';
import type { SpendLedger } from './spend-ledger.js';

/** Where a store reports problems it recovers from (a corrupt file, a failed write, an unreachable Redis). */
export interface KeyStoreLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  /** Recovery notes (Redis reachable again); optional. */
  info?(obj: Record<string, unknown>, msg: string): void;
}

/** Called with a key's current state whenever a shared store's view of it changes. */
export type KeyStateListener = (keyHash: string, state: KeyState) => void;

/** A round-robin cursor shared by every process using the store (one per provider and model). */
export interface SharedCursor {
  /** Whether `next` can reach the shared counter now (cheap, synchronous); when false the pool rotates locally. */
  readonly available: boolean;
  /** The next value (1, 2, 3, …) of the cursor of (provider, model); undefined when it could not be read. Never rejects. */
  next(provider: string, model: string): Promise<number | undefined>;
}

/**
 * Persistence of key health, shared by the key pools of one client. Keys are identified by their
 * SHA-256 (`hashKey`), never by the key itself.
 *
 * Synchronous stores (memory, file) return plain values, so key selection never awaits; a shared store
 * (Redis) returns promises and the pool keeps a local copy for selection.
 */
export interface KeyStateStore {
  readonly kind: 'memory' | 'file' | 'redis';
  /** Saved states of one provider's keys, by key hash. */
  load(provider: string): ReadonlyMap<string, KeyState> | Promise<ReadonlyMap<string, KeyState>>;
  /**
   * Atomic read-modify-write of one key: `fn` gets the stored state (undefined when none) and returns the
   * new one, which the store keeps and returns. A shared store may call `fn` again when another process
   * changed the key meanwhile, so `fn` must be pure. A shared store merges the counters (`successCount`,
   * `failureCount`, `totalLatencyMs`) as increments (`fn(current) − current`), so every process's reports count.
   */
  update(
    provider: string,
    keyHash: string,
    fn: (current: KeyState | undefined) => KeyState,
  ): KeyState | Promise<KeyState>;
  /**
   * Shared stores: `listener` gets a key's state whenever the store's view of it changes — synchronously
   * inside `update` (the local result, before it is saved), when another process changes it, and when the
   * store resynchronises. A pool that watches mirrors these states instead of applying `fn` itself.
   * Returns the unsubscribe function.
   */
  watch?(provider: string, listener: KeyStateListener): () => void;
  /** Shared stores: the round-robin cursor every process shares. */
  readonly cursor?: SharedCursor;
  /**
   * Recorded spend by day, model and client (API.md §16): in memory, persisted in the state file with its
   * coalesced writes, or shared in Redis. Absent on stores that keep none.
   */
  readonly spend?: SpendLedger;
  /** Writes pending changes now. */
  flush(): Promise<void>;
  /** Flushes and releases timers and connections; idempotent. */
  close(): Promise<void>;
}
