import type { ResolvedKeyStore } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import { FileKeyStore } from './file-key-store.js';
import type { KeyStateStore, KeyStoreLogger } from './key-store.js';
import { MemoryKeyStore } from './memory-key-store.js';

export interface CreateKeyStoreOptions {
  logger?: KeyStoreLogger;
  /** File store: write interval. @default 1000 */
  flushIntervalMs?: number;
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
      throw new LLMError(
        'CONFIGURATION_ERROR',
        'keyStore: the redis key store is not available in this build',
        {
          details: { keyStore: 'redis' },
        },
      );
    default: {
      const unreachable: never = config;
      return unreachable;
    }
  }
}
