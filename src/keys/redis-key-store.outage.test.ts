import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLLM, type LLM } from '../client/llm.js';
import type { LLMConfig } from '../spec/index.js';
import { type FakeProvider, rateLimitReply, startFakeProvider } from '../testing/index.js';
import { redisUrlOr, testPrefix, useTestRedis, waitFor } from './test-support/redis-kit.js';

// A private redis-server: this file stops and restarts it.
const redis = useTestRedis('redis key store outage', { own: true });
const KEYS = ['qv7x-test-key-alpha-zj4m', 'wq8y-test-key-bravo-kp3n'];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

interface Captured {
  warn: string[];
  info: string[];
}

function client(fake: FakeProvider, url: string, prefix: string, proc: string, logs: Captured): LLM {
  const config: LLMConfig = {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: KEYS,
        models: ['gpt-4o-mini'],
        headers: { 'x-proc': proc },
      },
    ],
    keyStore: { type: 'redis', url, prefix },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    logger: {
      debug: () => undefined,
      info: (obj: unknown, msg?: string) => logs.info.push(String(msg ?? obj)),
      warn: (obj: unknown, msg?: string) => logs.warn.push(`${msg ?? ''} ${JSON.stringify(obj)}`),
      error: (obj: unknown, msg?: string) => logs.warn.push(`ERROR ${msg ?? ''} ${JSON.stringify(obj)}`),
    },
  };
  return createLLM(config);
}

describe('redis key store: Redis lost mid-run', () => {
  it('calls go on with local state and one warning; when Redis returns, offline changes are pushed and shared state resumes', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const server = redis()!;
    const prefix = testPrefix();
    let armed = false;
    const fake = await startFakeProvider({
      handler: (request) => {
        if (!armed || request.apiKey !== KEYS[0] || request.headers['x-proc'] !== 'B') return undefined;
        armed = false;
        return rateLimitReply({ retryAfterSeconds: 60 });
      },
    });
    const logsA: Captured = { warn: [], info: [] };
    const logsB: Captured = { warn: [], info: [] };
    const a = client(fake, url, prefix, 'A', logsA);
    const b = client(fake, url, prefix, 'B', logsB);
    try {
      await a.chat('before 1');
      await a.chat('before 2');
      await a.keys.stats('OpenAI');
      // B is connected and holds the shared state too.
      expect((await b.keys.stats('OpenAI')).map((s) => s.successCount)).toEqual([1, 1]);

      await server.pause!();
      const timings: number[] = [];
      // Whether a call could go to Redis for the shared cursor (the request path's only round trip).
      const cursorUsable: boolean[] = [];
      const cursor = a.context.keyPools.store.cursor;
      for (let i = 0; i < 10; i++) {
        cursorUsable.push(cursor?.available === true);
        const started = Date.now();
        const response = await a.chat(`during ${i}`);
        timings.push(Date.now() - started);
        expect(response.text).not.toBe('');
      }
      console.log(`[redis outage] calls during the outage took ${timings.join(', ')} ms`);
      // Local rotation and local stats keep working.
      const during = await a.keys.stats('OpenAI');
      expect(during.map((s) => s.successCount)).toEqual([6, 6]);
      // Not timed (that would measure the machine): from the second call on, nothing on the request path
      // waits for Redis — selection is local (the first call may have found the connection just closing).
      expect(cursorUsable.slice(1)).toEqual(Array(9).fill(false));
      expect(logsA.warn).toHaveLength(1);
      expect(logsA.warn[0]).toMatch(/Redis key store is unreachable/);
      expect(logsA.warn[0]).toContain(url);

      await server.resume!();
      const resumed = Date.now();
      await waitFor(() => logsA.info.some((line) => /reachable again/.test(line)), 10_000, 'A to reconnect');
      await waitFor(() => logsB.info.some((line) => /reachable again/.test(line)), 10_000, 'B to reconnect');
      console.log(
        `[redis outage] both instances resynchronised ${Date.now() - resumed} ms after Redis returned`,
      );
      // One warning for the whole outage (both connections, every call, every reconnection attempt).
      expect(logsA.warn).toHaveLength(1);
      expect(logsB.warn).toHaveLength(1);

      // The restarted Redis was empty: it now holds the 12 calls of A (2 before, 10 offline, re-seeded/pushed).
      const fresh = client(fake, url, prefix, 'C', { warn: [], info: [] });
      try {
        const totals = await fresh.keys.stats('OpenAI');
        expect(totals.reduce((sum, s) => sum + s.successCount, 0)).toBe(12);
      } finally {
        await fresh.close();
      }

      // A change made by another instance after the restart is seen: B's 429 on the first key.
      armed = true;
      for (let i = 0; i < 2 && armed; i++) await b.chat(`b ${i}`);
      expect(armed).toBe(false);
      // A's local view (no reload): the published change arrived over the re-established subscription.
      const poolOfA = a.context.keyPools.get('OpenAI');
      await waitFor(() => poolOfA.stats()[0]!.status === 'cooldown', 2000, 'A to see it');
      const mark = fake.requests.length;
      for (let i = 0; i < 4; i++) await a.chat(`after ${i}`);
      const keysOfA = fake.requests
        .slice(mark)
        .filter((request) => request.headers['x-proc'] === 'A')
        .map((request) => request.apiKey);
      expect(keysOfA).toEqual([KEYS[1], KEYS[1], KEYS[1], KEYS[1]]);
      expect(unhandled).toEqual([]);
    } finally {
      await Promise.allSettled([a.close(), b.close()]);
      await fake.close();
    }
  }, 30_000);
});
