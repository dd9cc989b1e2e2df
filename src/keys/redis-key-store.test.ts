import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLLM, type LLM } from '../client/llm.js';
import { LLMError } from '../errors/llm-error.js';
import { rateLimitReply, startFakeProvider } from '../testing/index.js';
import { hashKey, keyIdOf } from '../util/key-id.js';
import { createKeyPool, type KeyPool } from './key-pool.js';
import { RedisKeyStore } from './redis-key-store.js';
import {
  dumpPrefix,
  inspector,
  redisUrlOr,
  testPrefix,
  useTestRedis,
  waitFor,
} from './test-support/redis-kit.js';

const redis = useTestRedis('redis key store tests');
// Ends that cannot occur in hex hashes or UUID prefixes, so a leak is unmistakable.
const KEYS = ['qv7x-test-key-alpha-zj4m', 'wq8y-test-key-bravo-kp3n', 'jx5r-test-key-charlie-hb6t'];
const M = 'test-model';
const cleanup: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((close) => close()));
});

function store(
  url: string,
  prefix: string,
  options: Partial<ConstructorParameters<typeof RedisKeyStore>[0]> = {},
) {
  const created = new RedisKeyStore({ url, prefix, ...options });
  cleanup.push(() => created.close());
  return created;
}

async function pool(s: RedisKeyStore, keys = KEYS): Promise<KeyPool> {
  const created = createKeyPool({ provider: 'OpenAI', keys, store: s });
  await created.ready;
  return created;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address != null ? address.port : 1));
    });
  });
}

describe('redis key store: state in Redis', () => {
  it('keeps disabled keys and counters durable, and cooldowns as keys Redis itself expires', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const prefix = testPrefix();
    const a = await pool(store(url, prefix));
    const reportedAt = Date.now(); // the TTLs below are bounded by the time elapsed since, not by a guess
    a.report(KEYS[0]!, M, { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 400 });
    a.report(KEYS[1]!, M, { kind: 'failure', code: 'API_QUOTA_EXCEEDED', retryAfterMs: 60_000 });
    a.report(KEYS[2]!, M, { kind: 'failure', code: 'API_KEY_INVALID' });
    a.report(KEYS[2]!, M, { kind: 'success', latencyMs: 120 });
    await a.settled();
    const r = inspector(url);
    cleanup.push(() => r.quit());
    const base = `${prefix}kp:OpenAI:`;
    const [h0, h1, h2] = KEYS.map(hashKey) as [string, string, string];
    const modelTtl = await r.pttl(`${base}mc:${h0}:${M}`);
    // Set with a 400 ms TTL: still there, or (on a slow run) already expired by Redis — never longer.
    expect(modelTtl > 0 || Date.now() - reportedAt >= 400).toBe(true);
    expect(modelTtl).toBeLessThanOrEqual(400);
    const indexTtl = await r.pttl(`${base}mi:${h0}`); // expiring too (-1 would mean kept forever)
    expect(indexTtl > 0 || (indexTtl === -2 && Date.now() - reportedAt >= 400)).toBe(true);
    const keyTtl = await r.pttl(`${base}cd:${h1}`);
    expect(keyTtl).toBeLessThanOrEqual(60_000);
    expect(keyTtl).toBeGreaterThanOrEqual(60_000 - (Date.now() - reportedAt));
    expect(await r.hgetall(`${base}k:${h2}`)).toMatchObject({ dis: '1', ok: '1', fail: '1', lat: '120' });
    expect(await r.pttl(`${base}k:${h2}`)).toBe(-1);
    await sleep(450);
    // Expired by Redis, not by us: the per-model cooldown and its index are gone.
    expect(await r.exists(`${base}mc:${h0}:${M}`, `${base}mi:${h0}`)).toBe(0);
    // Another instance loads the same state.
    const b = await pool(store(url, prefix));
    expect(b.stats().map((s) => s.status)).toEqual(['error', 'cooldown', 'disabled']);
    const left = b.stats()[1]!.cooldownSecondsLeft;
    expect(left).toBeLessThanOrEqual(60);
    expect(left).toBeGreaterThanOrEqual(60 - Math.ceil((Date.now() - reportedAt) / 1000));
    expect(b.stats()[2]).toMatchObject({ successCount: 1, failureCount: 1, avgLatencyMs: 120 });
  });

  it('publishes every availability change: another instance applies it without reloading', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const prefix = testPrefix();
    const a = await pool(store(url, prefix));
    const b = await pool(store(url, prefix));
    const started = Date.now();
    a.report(KEYS[0]!, M, { kind: 'failure', code: 'API_KEY_INVALID' });
    a.report(KEYS[1]!, M, { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 30_000 });
    await waitFor(
      () => b.stats()[0]!.status === 'disabled' && b.stats()[1]!.status === 'cooldown',
      10_000,
      'b to see a',
    );
    console.log(`[redis pub/sub] change seen by the other instance after ${Date.now() - started} ms`);
    // b now only hands out the third key for M, with no round trip (a single candidate).
    expect(b.select(M)?.key).toBe(KEYS[2]);
    expect((await b.acquire(M, { deadline: Date.now() + 1000 })).key).toBe(KEYS[2]);
    expect(b.select('other-model')).toBeUndefined(); // two candidates for another model: the shared cursor decides
    expect((await b.acquire('other-model', { deadline: Date.now() + 1000 })).key).not.toBe(KEYS[0]);
    // A reset by b re-enables for a.
    expect(b.reset()).toBe(3);
    await b.settled();
    await waitFor(
      () =>
        a
          .stats()
          .map((s) => s.status)
          .join() === 'error,error,unused',
      10_000,
      'a to see the reset',
    );
  });

  it('keeps soft cooldowns soft: a 503 seen by A steers B to other keys, but B may still use the key', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const prefix = testPrefix();
    const a = await pool(store(url, prefix), KEYS.slice(0, 2));
    const b = await pool(store(url, prefix), KEYS.slice(0, 2));
    a.report(KEYS[0]!, M, { kind: 'failure', code: 'API_SERVER_ERROR' });
    await a.settled();
    const r = inspector(url);
    cleanup.push(() => r.quit());
    const base = `${prefix}kp:OpenAI:`;
    const h0 = hashKey(KEYS[0]!);
    const ttl = await r.pttl(`${base}sc:${h0}:${M}`);
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await r.exists(`${base}mc:${h0}:${M}`)).toBe(0);
    await waitFor(() => b.stats()[0]!.status === 'cooldown', 10_000, 'b to see a');
    // One key free: b uses it without a round trip; with it excluded, the soft-cooling key at once.
    expect([b.select(M)?.key, b.select(M)?.key]).toEqual([KEYS[1], KEYS[1]]);
    expect(b.select(M, new Set([keyIdOf(KEYS[1]!)]))?.key).toBe(KEYS[0]);
    // A fresh instance loads it soft too.
    const c = await pool(store(url, prefix), KEYS.slice(0, 1));
    expect(c.stats()[0]).toMatchObject({ status: 'cooldown' });
    expect(c.select(M)?.key).toBe(KEYS[0]);
  });

  it('20 concurrent reporters on one key lose no update: counters exact', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const prefix = testPrefix();
    const key = KEYS[0]!;
    // 20 instances, each with its own connections, all reporting at once on the same key.
    const pools = await Promise.all(Array.from({ length: 20 }, () => pool(store(url, prefix), [key])));
    const started = Date.now();
    pools.forEach((p, index) => {
      for (let i = 0; i < 10; i++) {
        p.report(key, M, { kind: 'success', latencyMs: index + i });
        // Failures change availability: these go through compare-and-set and conflict with each other.
        if (i % 2 === 0)
          p.report(key, M, { kind: 'failure', code: 'API_SERVER_ERROR', message: `e${index}` });
        if (i % 5 === 0) p.report(key, M, { kind: 'failure', code: 'API_REQUEST_FAILED' });
      }
    });
    await Promise.all(pools.map((p) => p.settled()));
    console.log(`[redis counters] 20 reporters × 17 outcomes saved in ${Date.now() - started} ms`);
    const fresh = await pool(store(url, prefix), [key]);
    const [stats] = fresh.stats();
    let latency = 0;
    for (let index = 0; index < 20; index++) for (let i = 0; i < 10; i++) latency += index + i;
    expect(stats).toMatchObject({ successCount: 200, failureCount: 140, totalCalls: 340 });
    expect(stats!.avgLatencyMs).toBe(Math.round(latency / 200));
    const r = inspector(url);
    cleanup.push(() => r.quit());
    expect(await r.hget(`${prefix}kp:OpenAI:k:${hashKey(key)}`, 'lat')).toBe(String(latency));
  });

  it('shares the round-robin cursor: two instances alternating rotate strictly; concurrent calls spread evenly', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const prefix = testPrefix();
    const a = await pool(store(url, prefix));
    const b = await pool(store(url, prefix));
    const deadline = () => Date.now() + 1000;
    const sequence: string[] = [];
    for (let i = 0; i < 6; i++)
      sequence.push((await (i % 2 === 0 ? a : b).acquire(M, { deadline: deadline() })).key);
    expect(sequence).toEqual([...KEYS, ...KEYS]);
    const picks = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).acquire('m2', { deadline: deadline() })),
    );
    const counts = KEYS.map((key) => picks.filter((lease) => lease.key === key).length);
    expect(counts).toEqual([20, 20, 20]);
    // Only available keys take turns: with one cooling, the other two alternate.
    a.report(KEYS[1]!, 'm3', { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 30_000 });
    await a.settled();
    await waitFor(() => b.stats()[1]!.status === 'cooldown', 2000, 'b to see the cooldown');
    const turns: string[] = [];
    for (let i = 0; i < 4; i++)
      turns.push((await (i % 2 === 0 ? b : a).acquire('m3', { deadline: deadline() })).key);
    expect(new Set(turns)).toEqual(new Set([KEYS[0], KEYS[2]]));
    expect(turns.filter((key) => key === KEYS[0])).toHaveLength(2);
  });
});

describe('redis key store: no key in Redis', () => {
  it('stores hashes only: no key, key id or key fragment in any Redis key, value, DUMP or message', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const prefix = testPrefix();
    let limited = false;
    const fake = await startFakeProvider({
      keys: { invalid: [KEYS[0]!] },
      handler: (request) => {
        if (request.apiKey !== KEYS[1] || limited) return undefined;
        limited = true;
        return rateLimitReply({ retryAfterSeconds: 30 });
      },
    });
    cleanup.push(() => fake.close());
    const r = inspector(url);
    const listener = inspector(url);
    cleanup.push(
      () => r.quit(),
      () => listener.quit(),
    );
    const messages: string[] = [];
    listener.on('message', (_channel: string, message: string) => messages.push(message));
    await listener.subscribe(`${prefix}kp:events`);
    const llm: LLM = createLLM({
      providers: [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: KEYS,
          models: ['gpt-4o-mini'],
        },
      ],
      keyStore: { type: 'redis', url, prefix },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    cleanup.push(() => llm.close());
    for (let i = 0; i < 6; i++) await llm.chat(`hello ${i}`);
    const stats = await llm.keys.stats('OpenAI');
    expect(stats.map((s) => s.status)).toEqual(['disabled', 'cooldown', 'healthy']);
    await llm.close();
    await waitFor(() => messages.length >= 2, 2000, 'the change messages');
    const entries = await dumpPrefix(r, prefix);
    expect(entries.length).toBeGreaterThan(5);
    // The invalid-key answer ("Incorrect API key provided: qv7*****zj4m") was kept, scrubbed.
    const errors = entries.filter((entry) => entry.text.includes('API_KEY_INVALID'));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.text).toContain('Incorrect API key provided: [key]');
    const fragments = KEYS.flatMap((key) => [
      key,
      keyIdOf(key),
      key.slice(0, 4),
      key.slice(0, 3),
      key.slice(-4),
    ]);
    const leaks = [...entries.map((entry) => `${entry.key}\n${entry.text}`), ...messages].flatMap((text) =>
      fragments
        .filter((fragment) => text.includes(fragment))
        .map((fragment) => `${fragment} in ${text.slice(0, 80)}`),
    );
    expect(leaks).toEqual([]);
    for (const key of KEYS)
      expect(entries.some((entry) => entry.key.endsWith(`k:${hashKey(key)}`))).toBe(true);
  });
});

describe('redis key store: configuration errors', () => {
  it('an unparsable URL is a CONFIGURATION_ERROR at once, with the password masked', () => {
    const attempt = () => new RedisKeyStore({ url: 'redis://admin:s3cret-pw@host:port' });
    expect(attempt).toThrow(LLMError);
    const error = (() => {
      try {
        attempt();
      } catch (caught) {
        return caught as LLMError;
      }
    })();
    expect(error?.code).toBe('CONFIGURATION_ERROR');
    expect(error?.message).toContain('redis://admin:[REDACTED]@host:port');
    expect(JSON.stringify(error)).not.toContain('s3cret-pw');
    // createLLM validates the same URL before any store exists, without echoing it.
    expect(() =>
      createLLM({
        providers: [{ name: 'P', apiType: 'openai', apiKeys: ['test-key-1'], models: ['m'] }],
        keyStore: { type: 'redis', url: 'redis://admin:s3cret-pw@host:port' },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIGURATION_ERROR',
        message: expect.not.stringContaining('s3cret'),
      }),
    );
  });

  it('a Redis never reachable is not a configuration error: calls work locally, one warning, password masked', async () => {
    const port = await closedPort();
    const fake = await startFakeProvider();
    cleanup.push(() => fake.close());
    const warns: string[] = [];
    const llm = createLLM({
      providers: [
        { name: 'P', apiType: 'openai', apiBase: fake.openaiBase, apiKeys: ['test-key-1'], models: ['m'] },
      ],
      keyStore: { type: 'redis', url: `redis://admin:s3cret-pw@127.0.0.1:${port}` },
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (obj: unknown, msg?: string) => warns.push(`${msg ?? ''} ${JSON.stringify(obj)}`),
        error: (obj: unknown, msg?: string) => warns.push(`${msg ?? ''} ${JSON.stringify(obj)}`),
      },
    });
    cleanup.push(() => llm.close());
    for (let i = 0; i < 3; i++) expect((await llm.chat(`hi ${i}`)).text).not.toBe('');
    expect((await llm.keys.stats('P'))[0]).toMatchObject({ successCount: 3 });
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatch(/unreachable/);
    expect(warns[0]).toContain(`redis://admin:[REDACTED]@127.0.0.1:${port}`);
    expect(warns.join('\n')).not.toContain('s3cret-pw');
  });

  it('without ioredis installed: CONFIGURATION_ERROR naming npm install ioredis', async () => {
    const s = new RedisKeyStore({
      url: 'redis://127.0.0.1:6379',
      importModule: async () => {
        throw new Error("Cannot find package 'ioredis'");
      },
    });
    cleanup.push(() => s.close());
    await expect(s.load('P')).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      message: expect.stringContaining('npm install ioredis'),
    });
  });
});
