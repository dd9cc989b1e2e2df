import { describe, expect, it } from 'vitest';
import { createLLM } from '../client/llm.js';
import { rateLimitReply, startFakeProvider } from '../testing/index.js';
import { inspector, redisUrlOr, testPrefix, useTestRedis } from './test-support/redis-kit.js';

// A private redis-server, so its command statistics count this test's commands only.
const redis = useTestRedis('redis key store round trips', { own: true });
const KEYS = ['qv7x-test-key-alpha-zj4m', 'wq8y-test-key-bravo-kp3n', 'jx5r-test-key-charlie-hb6t'];

function commandCounts(info: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}

describe('redis key store: round trips on the request path', () => {
  it('one INCR per call when there is a choice of keys, none when there is not; state saves run after the call', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    let limitFirst = false;
    const fake = await startFakeProvider({
      handler: (request) => {
        if (!limitFirst || request.apiKey !== KEYS[0]) return undefined;
        limitFirst = false;
        return rateLimitReply({ retryAfterSeconds: 60 });
      },
    });
    const r = inspector(url);
    const llm = createLLM({
      providers: [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: KEYS,
          models: ['gpt-4o-mini'],
        },
        {
          name: 'Solo',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: [KEYS[0]!],
          models: ['gpt-4o-mini'],
        },
      ],
      keyStore: { type: 'redis', url, prefix: testPrefix() },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    try {
      await llm.chat('warm up', { model: 'OpenAI/gpt-4o-mini' });
      await llm.chat('warm up', { model: 'Solo/gpt-4o-mini' });
      await llm.keys.stats('OpenAI');
      await llm.keys.stats('Solo');
      await r.config('RESETSTAT');
      for (let i = 0; i < 20; i++) await llm.chat(`call ${i}`, { model: 'OpenAI/gpt-4o-mini' });
      for (let i = 0; i < 10; i++) await llm.chat(`solo ${i}`, { model: 'Solo/gpt-4o-mini' });
      await llm.context.keyPools.store.flush();
      const counts = commandCounts(await r.info('commandstats'));
      // 20 cursor reads for the three-key provider, none for the one-key provider…
      expect(counts.incr).toBe(20);
      // …and the outcome saves (one script per saved batch, not awaited by the calls).
      const saves = (counts.evalsha ?? 0) + (counts.eval ?? 0);
      expect(saves).toBeGreaterThan(0);
      expect(saves).toBeLessThanOrEqual(30);
      // With one key cooling there are still two to choose from: still one INCR per call.
      limitFirst = true;
      await r.config('RESETSTAT');
      for (let i = 0; i < 6; i++) await llm.chat(`limited ${i}`, { model: 'OpenAI/gpt-4o-mini' });
      expect(limitFirst).toBe(false);
      // 6 calls, one of which retried on another key: 7 attempts, 7 cursor reads.
      expect(commandCounts(await r.info('commandstats')).incr).toBe(7);
    } finally {
      await llm.close();
      await r.quit();
      await fake.close();
    }
  });
});
