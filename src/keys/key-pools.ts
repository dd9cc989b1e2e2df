import type { ResolvedConfig } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { KeyStats } from '../spec/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import { createKeyStore } from './create-key-store.js';
import { createKeyPool, type KeyPool } from './key-pool.js';
import type { KeyStateStore, KeyStoreLogger } from './key-store.js';

/** Every provider's key pool of one client, over one store. */
export interface KeyPools {
  /** The pool of a provider (name case-insensitive), created on first use. */
  get(provider: string): KeyPool;
  stats(provider: string): Promise<KeyStats[]>;
  /**
   * Resets one key (by id, `...` accepted for `…`, or the key itself) or every key of a provider; returns
   * how many. An unknown or ambiguous id rejects with `INVALID_PARAMETER` listing the valid ids.
   */
  reset(provider: string, keyId?: string): Promise<number>;
  readonly store: KeyStateStore;
  /** Flushes and closes the store; idempotent. */
  close(): Promise<void>;
}

export interface KeyPoolsOptions {
  clock?: Clock;
  logger?: KeyStoreLogger;
  /** @default `createKeyStore(config.keyStore)` */
  store?: KeyStateStore;
  /** Where each pool's round-robin starts (`KeyPoolOptions.rotationStart`). @default 'first' */
  rotationStart?: 'first' | 'least-used';
}

/** Builds the pools of a resolved configuration; the client passes `pools.get` as `keyPools`. */
export function createKeyPools(config: ResolvedConfig, options: KeyPoolsOptions = {}): KeyPools {
  const clock = options.clock ?? systemClock;
  const store =
    options.store ??
    createKeyStore(config.keyStore, {
      now: () => clock.now(),
      ...(options.logger != null ? { logger: options.logger } : {}),
    });
  const providers = new Map(config.providers.map((provider) => [provider.name.toLowerCase(), provider]));
  const pools = new Map<string, KeyPool>();
  let closing: Promise<void> | undefined;

  const get = (name: string): KeyPool => {
    const cached = pools.get(name);
    if (cached != null) return cached;
    const provider = providers.get(name.toLowerCase());
    if (provider == null) {
      throw new LLMError('CONFIGURATION_ERROR', `Unknown provider "${name}"`, {
        details: { providers: config.providers.map((p) => p.name) },
      });
    }
    const existing = pools.get(provider.name);
    const pool =
      existing ??
      createKeyPool({
        provider: provider.name,
        keys: provider.apiKeys,
        store,
        clock,
        ...(options.logger != null ? { logger: options.logger } : {}),
        ...(options.rotationStart != null ? { rotationStart: options.rotationStart } : {}),
      });
    pools.set(provider.name, pool);
    pools.set(name, pool);
    return pool;
  };

  return {
    get,
    store,
    async stats(provider) {
      const pool = get(provider);
      await pool.ready;
      // A shared store: the counters of every process, read from the store.
      await pool.refresh();
      return pool.stats();
    },
    async reset(provider, keyId) {
      const pool = get(provider);
      await pool.ready;
      const count = pool.reset(keyId);
      // Saved (and published to other processes) before the call returns.
      await pool.settled();
      return count;
    },
    close() {
      closing ??= store.close();
      return closing;
    },
  };
}
