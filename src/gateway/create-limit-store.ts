import type { ResolvedKeyStore } from '../config/resolved-config.js';
import type { KeyStoreLogger } from '../keys/key-store.js';
import { FileLimitStore } from './file-limit-store.js';
import type { LimitStore } from './limit-store.js';
import { MemoryLimitStore } from './memory-limit-store.js';
import { RedisLimitStore } from './redis-limit-store.js';

/**
 * Where the limit windows of a file key store are saved: beside it, `….keys.json` → `….limits.json`.
 * @example limitsFileOf('/srv/.switchboard/switchboard.yaml.keys.json') // '/srv/.switchboard/switchboard.yaml.limits.json'
 */
export function limitsFileOf(keyStatePath: string): string {
  return keyStatePath.endsWith('.keys.json')
    ? `${keyStatePath.slice(0, -'.keys.json'.length)}.limits.json`
    : `${keyStatePath}.limits.json`;
}

/** The limit store that goes with the client's key store (memory → memory, file → file beside it, redis → redis). */
export function createLimitStore(
  keyStore: ResolvedKeyStore,
  options: { leaseTtlMs: number; logger?: KeyStoreLogger },
): LimitStore {
  switch (keyStore.type) {
    case 'memory':
      return new MemoryLimitStore();
    case 'file':
      return new FileLimitStore({
        path: limitsFileOf(keyStore.path),
        ...(options.logger != null ? { logger: options.logger } : {}),
      });
    case 'redis':
      return new RedisLimitStore({
        url: keyStore.url,
        prefix: keyStore.prefix,
        leaseTtlMs: options.leaseTtlMs,
        ...(options.logger != null ? { logger: options.logger } : {}),
      });
    default: {
      const unreachable: never = keyStore;
      return unreachable;
    }
  }
}
