import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { harness } from '../pipeline/test-support/harness.js';
import { scriptedTransport, testRequest } from '../pipeline/test-support/scripted-transport.js';
import { hashKey } from '../util/key-id.js';
import { createKeyPool } from './key-pool.js';
import type { KeyStoreLogger } from './key-store.js';
import { RedisKeyStore, type RedisKeyStoreOptions } from './redis-key-store.js';
import { inspector, redisUrlOr, testPrefix, useTestRedis, waitFor } from './test-support/redis-kit.js';

// A private redis-server: this file stops it, starts it again, and sets a password on it.
const redis = useTestRedis('redis key store start-up', { own: true });
const KEYS = ['qv7x-test-key-alpha-zj4m', 'wq8y-test-key-bravo-kp3n'];
const M = 'test-model';
const cleanup: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((close) => close()));
});

function capture(): KeyStoreLogger & { warns: string[]; infos: string[] } {
  const warns: string[] = [];
  const infos: string[] = [];
  return {
    warns,
    infos,
    warn: (obj, msg) => warns.push(`${msg} ${JSON.stringify(obj)}`),
    info: (obj, msg) => infos.push(`${msg} ${JSON.stringify(obj)}`),
  };
}

function store(options: RedisKeyStoreOptions): RedisKeyStore {
  const created = new RedisKeyStore(options);
  cleanup.push(() => created.close());
  return created;
}

describe('redis key store: start-up', () => {
  it('Redis down at start: calls go on at once with local state and one warning; when Redis starts, the state merges', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const server = redis()!;
    const prefix = testPrefix();
    await server.pause!();
    const logger = capture();
    // A connect timeout far beyond this test's own: a call that waited for it could not pass.
    const s = store({ url, prefix, logger, connectTimeoutMs: 60_000, maxReconnectDelayMs: 100 });
    const transport = scriptedTransport((_r, key) =>
      key === KEYS[0] ? new LLMError('API_KEY_INVALID', 'bad key', { status: 401 }) : {},
    );
    const { pipeline, pool } = harness({ keys: KEYS, transport, store: s });

    const started = Date.now();
    const first = await pipeline(testRequest());
    const firstMs = Date.now() - started;
    expect(first.status).toBe(200);
    expect(first.attempts.map((a) => a.code)).toEqual(['API_KEY_INVALID', undefined]);
    for (let i = 0; i < 3; i++) expect((await pipeline(testRequest())).status).toBe(200);
    expect(transport.sent.map((sent) => sent.key)).toEqual([KEYS[0], KEYS[1], KEYS[1], KEYS[1], KEYS[1]]);
    expect(pool.stats().map((stat) => [stat.status, stat.successCount])).toEqual([
      ['disabled', 0],
      ['healthy', 4],
    ]);
    expect(logger.warns).toHaveLength(1);
    expect(logger.warns[0]).toMatch(/Redis key store is unreachable.*ECONNREFUSED/);

    await server.resume!();
    const resumed = Date.now();
    await waitFor(
      () => logger.infos.some((line) => /reachable again/.test(line)),
      10_000,
      'the reconnection',
    );
    // The offline changes were pushed: Redis holds the disabled key and the four successes.
    const r = inspector(url);
    cleanup.push(() => r.quit());
    const base = `${prefix}kp:OpenAI:`;
    await waitFor(
      async () =>
        (await r.hget(`${base}k:${hashKey(KEYS[0]!)}`, 'dis')) === '1' &&
        (await r.hget(`${base}k:${hashKey(KEYS[1]!)}`, 'ok')) === '4',
      10_000,
      'the merge',
    );
    const mergedMs = Date.now() - resumed;
    const fresh = createKeyPool({ provider: 'OpenAI', keys: KEYS, store: store({ url, prefix }) });
    await fresh.ready;
    expect(fresh.stats().map((stat) => [stat.status, stat.successCount])).toEqual([
      ['disabled', 0],
      ['healthy', 4],
    ]);
    // One warning for the whole outage, however many reconnection attempts failed.
    expect(logger.warns).toHaveLength(1);
    console.log(
      `[redis start-up] Redis down at start: first call answered after ${firstMs} ms (connect timeout 60 s); state merged ${mergedMs} ms after Redis started`,
    );
  }, 30_000);

  it('rejected credentials are a CONFIGURATION_ERROR at once, every call; the password is in no error or log', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const right = 'right-redis-pw-hb6t';
    const wrong = 'wrong-redis-pw-zq7w';
    const admin = inspector(url);
    await admin.config('SET', 'requirepass', right);
    cleanup.push(async () => {
      await admin.config('SET', 'requirepass', '');
      await admin.quit();
    });
    const logger = capture();
    const badUrl = url.replace('redis://', `redis://default:${wrong}@`);
    const s = store({ url: badUrl, prefix: testPrefix(), logger, connectTimeoutMs: 60_000 });
    const pool = createKeyPool({ provider: 'OpenAI', keys: KEYS, store: s });
    const error = (await pool.ready.catch((caught: unknown) => caught)) as LLMError;
    expect(LLMError.isInstance(error)).toBe(true);
    expect(error.code).toBe('CONFIGURATION_ERROR');
    expect(error.message).toContain(
      `${url.replace('redis://', 'redis://default:[REDACTED]@')} rejected the credentials`,
    );
    expect(error.message).toMatch(/WRONGPASS/);
    expect(error.details).toMatchObject({ path: 'keyStore.url' });
    const printed = [
      inspect(error, { depth: 10 }),
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify(error),
    ];
    for (const text of printed) expect(text).not.toContain(wrong);
    // Every later call fails the same way, at once (no second connect), and nothing was logged.
    await expect(pool.acquire(M, { deadline: Date.now() + 60_000 })).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
    });
    expect([...logger.warns, ...logger.infos].join('\n')).not.toContain(wrong);
    expect(logger.warns).toEqual([]);

    // No password at all where one is required: NOAUTH.
    const noAuth = store({ url, prefix: testPrefix(), connectTimeoutMs: 60_000 });
    await expect(noAuth.load('OpenAI')).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      message: expect.stringMatching(/rejected the credentials \(NOAUTH/),
    });
    // The right password connects.
    const good = store({ url: url.replace('redis://', `redis://default:${right}@`), prefix: testPrefix() });
    await expect(good.load('OpenAI')).resolves.toBeInstanceOf(Map);
  }, 30_000);
});
