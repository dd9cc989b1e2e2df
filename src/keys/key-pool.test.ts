import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { keyIdOf } from '../util/key-id.js';
import { createKeyPool } from './key-pool.js';
import type { KeyStateStore } from './key-store.js';
import { MemoryKeyStore } from './memory-key-store.js';
import { ManualClock } from './test-support/manual-clock.js';

const KEYS = ['test-key-0001', 'test-key-0002', 'test-key-0003'];
const M = 'test-model';

function pool(keys = KEYS, clock = new ManualClock(), store?: KeyStateStore) {
  return { clock, pool: createKeyPool({ provider: 'OpenAI', keys, clock, ...(store ? { store } : {}) }) };
}

describe('key pool selection', () => {
  it('rotates round-robin over the keys available for the model', () => {
    const { pool: p } = pool();
    const picks = Array.from({ length: 6 }, () => p.select(M)?.key);
    expect(picks).toEqual([...KEYS, ...KEYS]);
  });

  it('skips keys cooling for that model only, and excluded keys', () => {
    const { pool: p } = pool();
    p.report(KEYS[1]!, M, { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 5000 });
    const forM = Array.from({ length: 4 }, () => p.select(M)?.key);
    expect(forM).toEqual([KEYS[0], KEYS[2], KEYS[0], KEYS[2]]);
    const forOther = Array.from({ length: 3 }, () => p.select('other-model')?.key);
    expect(forOther).toEqual(KEYS);
    expect(p.select(M, new Set([keyIdOf(KEYS[0]!), keyIdOf(KEYS[2]!)]))).toBeUndefined();
  });

  it('select is synchronous and allocation-free on the hot path (same lease object)', () => {
    const { pool: p } = pool(['test-key-only-one']);
    expect(p.select(M)).toBe(p.select(M));
  });

  it('waits for the earliest cooldown when it ends before the deadline', async () => {
    const { pool: p, clock } = pool(KEYS.slice(0, 2));
    p.report(KEYS[0]!, M, { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 5000 });
    p.report(KEYS[1]!, M, { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 3000 });
    const pending = p.acquire(M, { deadline: clock.now() + 10_000 });
    await clock.advance(2999);
    expect(clock.pending).toBe(1);
    await clock.advance(1);
    const lease = await pending;
    expect(lease).toMatchObject({ key: KEYS[1], waitedMs: 3000 });
  });

  it('fails fast with NO_AVAILABLE_KEYS and retryAfterMs when the earliest key returns after the deadline', async () => {
    const { pool: p, clock } = pool(KEYS.slice(0, 2));
    p.report(KEYS[0]!, M, { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 5000 });
    p.report(KEYS[1]!, M, { kind: 'failure', code: 'API_QUOTA_EXCEEDED' });
    const error = await p.acquire(M, { deadline: clock.now() + 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMError);
    expect(error).toMatchObject({ code: 'NO_AVAILABLE_KEYS', retryAfterMs: 5000, provider: 'OpenAI' });
    expect(clock.sleeps).toEqual([]);
  });

  it('never uses a disabled key; all disabled → NO_AVAILABLE_KEYS without retryAfterMs', async () => {
    const { pool: p, clock } = pool(KEYS.slice(0, 2));
    p.report(KEYS[0]!, M, { kind: 'failure', code: 'API_KEY_INVALID' });
    expect([p.select(M)?.key, p.select(M)?.key]).toEqual([KEYS[1], KEYS[1]]);
    p.report(KEYS[1]!, M, { kind: 'failure', code: 'API_KEY_INVALID' });
    const error = (await p.acquire(M, { deadline: clock.now() + 1e9 }).catch((e: unknown) => e)) as LLMError;
    expect(error.code).toBe('NO_AVAILABLE_KEYS');
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toMatch(/disabled/);
    expect(p.stats().map((s) => s.status)).toEqual(['disabled', 'disabled']);
    expect(p.reset(keyIdOf(KEYS[0]!))).toBe(1);
    expect(p.select(M)?.key).toBe(KEYS[0]);
  });

  it('aborts a wait for a key at once with ABORTED', async () => {
    const { pool: p, clock } = pool(['test-key-0001']);
    p.report('test-key-0001', M, { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 50_000 });
    const controller = new AbortController();
    const pending = p.acquire(M, { deadline: clock.now() + 60_000, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('stats report keyIds, never keys, in configuration order; a cooling key reports its longest cooldown', () => {
    const { pool: p, clock } = pool();
    p.report(KEYS[0]!, 'a', { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 10_000 });
    p.report(KEYS[0]!, 'b', { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 40_000 });
    p.report(KEYS[1]!, M, { kind: 'success', latencyMs: 250 });
    const stats = p.stats();
    expect(stats.map((s) => s.keyId)).toEqual(KEYS.map(keyIdOf));
    expect(stats[0]).toMatchObject({ status: 'cooldown', cooldownSecondsLeft: 40, failureCount: 2 });
    expect(stats[1]).toMatchObject({ status: 'healthy', avgLatencyMs: 250, successRate: 100 });
    expect(stats[2]).toMatchObject({ status: 'unused' });
    expect(JSON.stringify(stats)).not.toMatch(/test-key-000/);
    clock.time += 40_000;
    expect(p.stats()[0]!.status).toBe('error');
  });

  it('ignores duplicate keys and reports for unknown keys', () => {
    const { pool: p } = pool(['test-key-0001', 'test-key-0001', 'test-key-0002']);
    expect(p.stats()).toHaveLength(2);
    p.report('not-a-configured-key', M, { kind: 'failure', code: 'API_KEY_INVALID' });
    expect(p.stats().every((s) => s.status === 'unused')).toBe(true);
  });

  it('loads saved state from its store, by key hash', () => {
    const store = new MemoryKeyStore();
    const clock = new ManualClock();
    const first = createKeyPool({ provider: 'OpenAI', keys: KEYS, clock, store });
    first.report(KEYS[2]!, M, { kind: 'failure', code: 'API_KEY_INVALID' });
    const second = createKeyPool({ provider: 'OpenAI', keys: KEYS, clock, store });
    expect(second.stats()[2]!.status).toBe('disabled');
    expect(createKeyPool({ provider: 'Other', keys: KEYS, clock, store }).stats()[2]!.status).toBe('unused');
  });

  it('works over an asynchronous (shared) store: waits for the load, adopts the stored state', async () => {
    const inner = new MemoryKeyStore();
    const clock = new ManualClock();
    createKeyPool({ provider: 'OpenAI', keys: KEYS, clock, store: inner }).report(KEYS[0]!, M, {
      kind: 'failure',
      code: 'API_KEY_INVALID',
    });
    const asyncStore: KeyStateStore = {
      kind: 'redis',
      load: async (provider) => inner.load(provider),
      update: async (provider, hash, fn) => inner.update(provider, hash, fn),
      flush: async () => {},
      close: async () => {},
    };
    const p = createKeyPool({ provider: 'OpenAI', keys: KEYS, clock, store: asyncStore });
    expect(p.select(M)).toBeUndefined();
    const lease = await p.acquire(M, { deadline: clock.now() + 1000 });
    expect(lease.key).toBe(KEYS[1]);
    p.report(KEYS[1]!, M, { kind: 'success', latencyMs: 10 });
    await Promise.resolve();
    expect(p.stats()[1]!.successCount).toBe(1);
  });
});
