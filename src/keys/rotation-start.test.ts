import { describe, expect, it } from 'vitest';
import { createKeyPool } from './key-pool.js';
import { MemoryKeyStore } from './memory-key-store.js';
import { ManualClock } from './test-support/manual-clock.js';

const KEYS = ['test-key-0001', 'test-key-0002', 'test-key-0003'];
const M = 'test-model';

/** A process that makes one call and exits, over a store that outlives it (the CLI over its state file). */
function oneCallRun(store: MemoryKeyStore, rotationStart?: 'first' | 'least-used'): string | undefined {
  const pool = createKeyPool({
    provider: 'OpenAI',
    keys: KEYS,
    clock: new ManualClock(),
    store,
    ...(rotationStart != null ? { rotationStart } : {}),
  });
  const lease = pool.select(M);
  if (lease != null) pool.report(lease.key, M, { kind: 'success', latencyMs: 10 });
  return lease?.key;
}

describe('key pool rotationStart', () => {
  it("'least-used': one call per process still goes round the keys, from the stored counters", () => {
    const store = new MemoryKeyStore();
    const picks = Array.from({ length: 6 }, () => oneCallRun(store, 'least-used'));
    expect(picks).toEqual([...KEYS, ...KEYS]);
  });

  it("'first' (the default): every such process starts at the first key", () => {
    const store = new MemoryKeyStore();
    expect(Array.from({ length: 3 }, () => oneCallRun(store))).toEqual([KEYS[0], KEYS[0], KEYS[0]]);
  });

  it('starts at the least-used key, then rotates round-robin within the process; cooling keys are skipped', () => {
    const store = new MemoryKeyStore();
    const seed = createKeyPool({ provider: 'OpenAI', keys: KEYS, clock: new ManualClock(), store });
    for (const key of [KEYS[0]!, KEYS[0]!, KEYS[2]!]) seed.report(key, M, { kind: 'success', latencyMs: 1 });
    const clock = new ManualClock();
    const pool = createKeyPool({ provider: 'OpenAI', keys: KEYS, clock, store, rotationStart: 'least-used' });
    expect(Array.from({ length: 4 }, () => pool.select(M)?.key)).toEqual([
      KEYS[1],
      KEYS[2],
      KEYS[0],
      KEYS[1],
    ]);
    pool.report(KEYS[1]!, 'other-model', { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 5000 });
    expect(pool.select('other-model')?.key).toBe(KEYS[2]);
  });
});
