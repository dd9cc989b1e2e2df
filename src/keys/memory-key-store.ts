import type { KeyState } from './key-health.js';
import type { KeyStateStore } from './key-store.js';
import { MemorySpendLedger } from './spend-ledger.js';

/** In-process key state (the default): lost when the process ends. */
export class MemoryKeyStore implements KeyStateStore {
  readonly kind: KeyStateStore['kind'] = 'memory';
  protected readonly providers = new Map<string, Map<string, KeyState>>();
  /** Spend rows; a change schedules the same (coalesced) save as a key state change. */
  readonly spend: MemorySpendLedger = new MemorySpendLedger(() => this.changed());

  protected providerMap(provider: string): Map<string, KeyState> {
    let map = this.providers.get(provider);
    if (map == null) {
      map = new Map();
      this.providers.set(provider, map);
    }
    return map;
  }

  load(provider: string): ReadonlyMap<string, KeyState> {
    return new Map(this.providerMap(provider));
  }

  update(provider: string, keyHash: string, fn: (current: KeyState | undefined) => KeyState): KeyState {
    const map = this.providerMap(provider);
    const next = fn(map.get(keyHash));
    map.set(keyHash, next);
    this.changed();
    return next;
  }

  /** Hook for subclasses that persist. */
  protected changed(): void {}

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
