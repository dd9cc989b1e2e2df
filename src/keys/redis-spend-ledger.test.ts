import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { RedisLink } from './redis-connection.js';
import { RedisKeyStore } from './redis-key-store.js';
import { RedisSpendLedger, SPEND_ADD, SPEND_TTL_SECONDS } from './redis-spend-ledger.js';
import type { SpendEntry } from './spend-ledger.js';
import { dumpPrefix, inspector, redisUrlOr, testPrefix, useTestRedis } from './test-support/redis-kit.js';

const redis = useTestRedis('redis spend ledger tests');
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((close) => close()));
});

function store(url: string, prefix: string): RedisKeyStore {
  const created = new RedisKeyStore({ url, prefix, connectTimeoutMs: 500 });
  cleanup.push(() => created.close());
  return created;
}

const row = (overrides: Partial<SpendEntry> = {}): SpendEntry => ({
  day: '2025-06-01',
  model: 'OpenAI/gpt-4o-mini',
  calls: 1,
  errors: 0,
  promptTokens: 100,
  completionTokens: 20,
  cachedTokens: 10,
  reasoningTokens: 5,
  costUsd: 0.00125,
  ...overrides,
});

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address != null ? address.port : 1));
    });
  });
}

describe('redis spend ledger', () => {
  it('two processes add concurrently: every counter counts (atomic), rows by day, model and client', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const prefix = testPrefix();
    const a = store(url, prefix);
    const b = store(url, prefix);
    await Promise.all([
      ...Array.from({ length: 100 }, () => a.spend.add(row())),
      ...Array.from({ length: 100 }, () => b.spend.add(row())),
      b.spend.add(row({ client: 'team a|b', model: 'Odd/na|me', errors: 1 })),
      a.spend.add(row({ day: '2025-06-02' })),
    ]);
    const totals = await a.spend.totals();
    expect(totals).toEqual([
      row({ client: 'team a|b', model: 'Odd/na|me', errors: 1 }),
      row({
        calls: 200,
        promptTokens: 20_000,
        completionTokens: 4000,
        cachedTokens: 2000,
        reasoningTokens: 1000,
        costUsd: expect.closeTo(0.25, 9),
      }),
      row({ day: '2025-06-02' }),
    ]);
    expect(await b.spend.totals({ day: '2025-06-01', client: 'team a|b' })).toEqual([
      row({ client: 'team a|b', model: 'Odd/na|me', errors: 1 }),
    ]);
    expect(await b.spend.totals({ day: '2025-06-03' })).toEqual([]);
    expect(await b.spend.totals({ model: 'Odd/na|me' })).toHaveLength(1);
  });

  it('every spend key expires (400 days, renewed on write)', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const prefix = testPrefix();
    await store(url, prefix).spend.add(row({ client: 'bot' }));
    const look = inspector(url);
    cleanup.push(() => look.quit());
    const keys = (await dumpPrefix(look, prefix)).map((entry) => entry.key);
    expect(keys.sort()).toEqual(
      [`${prefix}sp:d:2025-06-01:bot`, `${prefix}sp:d:2025-06-01`, `${prefix}sp:days`].sort(),
    );
    for (const key of keys) {
      const ttl = await look.ttl(key);
      expect(ttl).toBeGreaterThan(SPEND_TTL_SECONDS - 60);
      expect(ttl).toBeLessThanOrEqual(SPEND_TTL_SECONDS);
    }
  });

  it('Redis unreachable: add never rejects; totals rejects with API_REQUEST_FAILED and a masked URL', async () => {
    const url = `redis://user:s3cret-pass@127.0.0.1:${await closedPort()}`;
    const s = store(url, testPrefix());
    await expect(s.spend.add(row())).resolves.toBeUndefined();
    const error = await s.spend.totals().catch((e: unknown) => e);
    expect(LLMError.isInstance(error) && error.code).toBe('API_REQUEST_FAILED');
    expect(String((error as Error).message)).not.toContain('s3cret-pass');
    expect(String((error as Error).message)).toContain('[REDACTED]');
  });

  it('entries kept while Redis was away are pushed (summed) once it answers again, before new ones', async () => {
    let up = false;
    const sent: string[][] = [];
    const link = {
      safeUrl: 'redis://x',
      start: async () => undefined,
      canSend: () => up,
      markUnhealthy: () => undefined,
      run: async (name: string, args: string[]) => {
        if (name === SPEND_ADD) sent.push(args);
        return name === SPEND_ADD ? 1 : '[]';
      },
    } as unknown as RedisLink;
    const ledger = new RedisSpendLedger(link, 'p:');
    await ledger.add(row());
    await ledger.add(row({ costUsd: 0.5 }));
    expect(sent).toEqual([]);
    // Not yet in Redis, but counted by totals.
    up = true;
    expect((await ledger.totals())[0]).toMatchObject({ calls: 2, costUsd: 0.50125 });
    await ledger.add(row({ model: 'B/b' }));
    expect(sent.map((args) => [decodeURIComponent(args[3] ?? ''), args[5], args[11]])).toEqual([
      ['OpenAI/gpt-4o-mini', '2', '0.50125'],
      ['B/b', '1', '0.00125'],
    ]);
  });
});
