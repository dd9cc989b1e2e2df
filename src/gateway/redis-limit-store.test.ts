import { afterEach, describe, expect, it } from 'vitest';
import {
  dumpPrefix,
  inspector,
  redisUrlOr,
  testPrefix,
  useTestRedis,
} from '../keys/test-support/redis-kit.js';
import { RedisLimitStore } from './redis-limit-store.js';

const redis = useTestRedis('gateway limits in Redis');
const T0 = 1_800_000_000_000;
const stores: RedisLimitStore[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function storeOf(url: string, prefix: string): RedisLimitStore {
  const store = new RedisLimitStore({ url, prefix, leaseTtlMs: 120_000 });
  stores.push(store);
  return store;
}

describe('RedisLimitStore', () => {
  it('rpm is one window for every store on the prefix: 40 concurrent admissions, exactly 10 pass', async (test) => {
    const url = redisUrlOr(redis, test.skip);
    const prefix = testPrefix();
    const [a, b] = [storeOf(url, prefix), storeOf(url, prefix)];
    const rule = { rpm: 10 };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).acquire('web', rule, `lease-${i}`, T0 + i)),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(10);
    const refused = results.find((result) => !result.ok);
    // The oldest admission (T0) leaves the minute at T0 + 60 s.
    expect(refused).toMatchObject({ ok: false, limit: 'rpm' });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(59_000);
    expect((await a.acquire('web', rule, 'late', T0 + 60_001)).ok).toBe(true);
  });

  it('maxConcurrent and tpm across stores; keys under the key-store prefix, with TTLs', async (test) => {
    const url = redisUrlOr(redis, test.skip);
    const prefix = testPrefix();
    const [a, b] = [storeOf(url, prefix), storeOf(url, prefix)];
    const rule = { maxConcurrent: 1, tpm: 100 };
    expect((await a.acquire('web', rule, 'one', T0)).ok).toBe(true);
    expect(await b.acquire('web', rule, 'two', T0)).toEqual({
      ok: false,
      limit: 'maxConcurrent',
      retryAfterMs: 1000,
    });
    a.release('web', rule, 'one', 150, T0 + 500);
    await a.ready(); // the release is in flight: one more round trip on the same connection orders it
    const refused = await b.acquire('web', rule, 'three', T0 + 1000);
    expect(refused).toMatchObject({ ok: false, limit: 'tpm' });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBe(59_000);

    const look = inspector(url);
    try {
      const keys = (await dumpPrefix(look, prefix)).map((entry) => entry.key).sort();
      // No rpm rule: no rpm key; the released lease left an empty in-flight set, which Redis drops.
      expect(keys).toEqual([`${prefix}gw:{web}:tpm`]);
      expect(await look.pttl(`${prefix}gw:{web}:tpm`)).toBeGreaterThan(0);
    } finally {
      look.disconnect();
    }
  });

  it('an unreachable Redis: limits still hold, per process, with one warning', async () => {
    const warnings: string[] = [];
    const store = new RedisLimitStore({
      url: 'redis://127.0.0.1:1',
      leaseTtlMs: 1000,
      connectTimeoutMs: 200,
      logger: { warn: (_obj, msg) => warnings.push(msg) },
    });
    stores.push(store);
    expect(await store.ready()).toBe(false);
    expect((await store.acquire('web', { rpm: 1 }, 'a', T0)).ok).toBe(true);
    expect(await store.acquire('web', { rpm: 1 }, 'b', T0)).toMatchObject({ ok: false, limit: 'rpm' });
    expect(warnings).toHaveLength(1);
  });
});
