import type { KeyPools } from '../keys/key-pools.js';
import type { KeyStats, Locale } from '../spec/index.js';
import { guardAsync } from './guard.js';

/** `llm.keys` */
export interface KeysApi {
  /** Health and counters of every key of `provider` (masked ids, never keys). */
  stats(provider: string): Promise<KeyStats[]>;
  /** Clears cooldowns and failures of one key (by masked id), or of every key of `provider`. */
  reset(provider: string, keyId?: string): Promise<void>;
}

export function createKeysApi(keyPools: KeyPools, locale: Locale): KeysApi {
  return {
    stats: (provider) => guardAsync(locale, () => keyPools.stats(provider)),
    reset: async (provider, keyId) => {
      await guardAsync(locale, () => keyPools.reset(provider, keyId));
    },
  };
}
