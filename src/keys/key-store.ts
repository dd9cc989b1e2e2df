import type { KeyState } from './key-health.js';

/** Where a store reports problems it recovers from (a corrupt file, a failed write). */
export interface KeyStoreLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
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
   * changed the key meanwhile, so `fn` must be pure.
   */
  update(
    provider: string,
    keyHash: string,
    fn: (current: KeyState | undefined) => KeyState,
  ): KeyState | Promise<KeyState>;
  /** Writes pending changes now. */
  flush(): Promise<void>;
  /** Flushes and releases timers and connections; idempotent. */
  close(): Promise<void>;
}
