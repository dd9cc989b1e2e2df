import type { ResolvedKeyStore } from '../config/resolved-config.js';
import { FileKeyStore } from './file-key-store.js';
import type { KeyStateStore, KeyStoreLogger } from './key-store.js';
import { MemoryKeyStore } from './memory-key-store.js';
import { RedisKeyStore } from './redis-key-store.js';

export interface CreateKeyStoreOptions {
  logger?: KeyStoreLogger;
  /** File store: write interval. @default 1000 */
  flushIntervalMs?: number;
  /** Redis store: the clock of cooldown times (the pools' clock), for the expiry of cooldown keys. @default Date.now */
  now?: () => number;
}

/** The store a client's `keyStore` setting asks for. */
export function createKeyStore(config: ResolvedKeyStore, options: CreateKeyStoreOptions = {}): KeyStateStore {
  switch (config.type) {
    case 'memory':
      return new MemoryKeyStore();
    case 'file':
      return new FileKeyStore({
        path: config.path,
        ...(options.logger != null ? { logger: options.logger } : {}),
        ...(options.flushIntervalMs != null ? { flushIntervalMs: options.flushIntervalMs } : {}),
      });
    case 'redis':
      // Checks the URL now; connects on first use (ioredis is loaded then).
      return new RedisKeyStore({
        url: config.url,
        prefix: config.prefix,
        ...(options.logger != null ? { logger: options.logger } : {}),
        ...(options.now != null ? { now: options.now } : {}),
      });
    default: {
      const unreachable: never = config;
      return unreachable;
    }
  }
}
