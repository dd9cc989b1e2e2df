import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startTestRedis, type TestRedis } from '../../test-support/redis-server.js';

/**
 * The Redis of a test file: `.ci/run`'s (SWITCHBOARD_TEST_REDIS_URL) or one started here; `own` starts a
 * private one (outage tests). Without Redis (never in CI) every test skips with the printed reason.
 */
export function useTestRedis(label: string, options: { own?: boolean } = {}): () => TestRedis | undefined {
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    const started = await startTestRedis(options);
    if ('unavailable' in started) console.warn(`${label}: skipped, no Redis: ${started.unavailable}`);
    else redis = started;
  });
  afterAll(async () => {
    await redis?.stop();
  });
  return () => redis;
}

/** The URL of the file's Redis, or a printed skip of the test. */
export function redisUrlOr(get: () => TestRedis | undefined, skip: (note: string) => void): string {
  const redis = get();
  if (redis == null) {
    skip('no Redis (see the warning above)');
    throw new Error('unreachable');
  }
  return redis.url;
}

/** A prefix of its own for one test. */
export function testPrefix(): string {
  return `sbtest:${randomUUID().slice(0, 8)}:`;
}

/** A plain ioredis connection for looking into Redis. */
export function inspector(url: string): Redis {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  return redis;
}

/** Every Redis key under `prefix` with everything it holds as text (values, members, fields, DUMP bytes). */
export async function dumpPrefix(redis: Redis, prefix: string): Promise<{ key: string; text: string }[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const out: { key: string; text: string }[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    const parts: string[] = [type];
    if (type === 'string') parts.push((await redis.get(key)) ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')));
    const dump = await redis.dumpBuffer(key);
    if (dump != null) parts.push(dump.toString('latin1'));
    out.push({ key, text: parts.join('\n') });
  }
  return out;
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
