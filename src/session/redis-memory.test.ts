import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LLMMessage } from '../spec/index.js';
import { startTestRedis, type TestRedis } from '../test-support/redis-server.js';
import { createRedisMemory } from './redis-memory.js';

const REPO_PACKAGE = fileURLToPath(new URL('../../package.json', import.meta.url));

let redis: TestRedis | undefined;
let unavailable: string | undefined;

beforeAll(async () => {
  const started = await startTestRedis();
  if ('unavailable' in started) {
    unavailable = started.unavailable;
    console.warn(`redis-memory tests skipped: ${unavailable}`);
  } else {
    redis = started;
  }
});

afterAll(async () => {
  await redis?.stop();
});

/** The test's Redis URL, or a printed skip. */
function urlOr(skip: (note: string) => void): string {
  if (redis === undefined) {
    skip(`no Redis: ${unavailable}`);
    throw new Error('unreachable');
  }
  return redis.url;
}

/** Runs a plain-JS child process with ioredis; resolves with its stdout. */
function child(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, REPO_PACKAGE, ...env },
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    proc.on('error', reject);
    proc.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`child exited ${code}: ${stderr}`)),
    );
  });
}

const turn = (n: number): LLMMessage[] => [
  { role: 'user', content: `q${n}` },
  {
    role: 'assistant',
    content: [{ type: 'text', text: `a${n}`, thoughtSignature: `sig${n}` }],
    model: 'Gemini/gemini-2.5-flash',
  },
];

describe('createRedisMemory', () => {
  it('appends, loads, replaces and clears; messages round-trip', async (ctx) => {
    const url = urlOr(ctx.skip);
    const prefix = `test:${randomUUID()}:`;
    const store = createRedisMemory(url, { prefix });
    try {
      await store.append('s1', turn(1));
      await store.append('s1', turn(2));
      await store.append('s2', turn(9));
      expect(await store.load('s1')).toEqual([...turn(1), ...turn(2)]);
      await store.replace('s1', turn(2));
      expect(await store.load('s1')).toEqual(turn(2));
      await store.replace('s1', []);
      expect(await store.load('s1')).toEqual([]);
      await store.clear('s2');
      expect(await store.load('s2')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('is shared by two store instances (separate connections)', async (ctx) => {
    const url = urlOr(ctx.skip);
    const prefix = `test:${randomUUID()}:`;
    const a = createRedisMemory(url, { prefix });
    const b = createRedisMemory(url, { prefix });
    try {
      await Promise.all([1, 2, 3, 4, 5, 6].map((n) => (n % 2 === 0 ? a : b).append('s', turn(n))));
      const loaded = await b.load('s');
      expect(loaded).toHaveLength(12);
      // Each append is one RPUSH, so a turn's two messages stay adjacent.
      for (let i = 0; i < 12; i += 2) {
        expect(loaded[i]!.content).toBe(
          `q${(loaded[i + 1]!.content as { text: string }[])[0]!.text.slice(1)}`,
        );
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('is shared with another process: a list of JSON messages at <prefix><sessionId>', async (ctx) => {
    const url = urlOr(ctx.skip);
    const prefix = `test:${randomUUID()}:`;
    const store = createRedisMemory(url, { prefix, ttlSeconds: 600 });
    try {
      await store.append('s1', turn(1));
      const script = `
        import { createRequire } from 'node:module';
        const Redis = createRequire(process.env.REPO_PACKAGE)('ioredis');
        const redis = new Redis(process.env.REDIS_URL);
        const key = process.env.KEY;
        const seen = (await redis.lrange(key, 0, -1)).map((item) => JSON.parse(item));
        const ttl = await redis.ttl(key);
        await redis.rpush(key, JSON.stringify({ role: 'user', content: 'from the child' }));
        console.log(JSON.stringify({ seen, ttl, type: await redis.type(key) }));
        await redis.quit();
      `;
      const out = JSON.parse(await child(script, { REDIS_URL: url, KEY: `${prefix}s1` })) as {
        seen: LLMMessage[];
        ttl: number;
        type: string;
      };
      expect(out.type).toBe('list');
      expect(out.seen).toEqual(turn(1));
      expect(out.ttl).toBeGreaterThan(500);
      expect(await store.load('s1')).toEqual([...turn(1), { role: 'user', content: 'from the child' }]);
    } finally {
      await store.close();
    }
  });

  it('reports an unreachable Redis as API_REQUEST_FAILED', async () => {
    const store = createRedisMemory('redis://127.0.0.1:1', { maxRetriesPerRequest: 0 });
    try {
      await expect(store.load('s')).rejects.toMatchObject({
        code: 'API_REQUEST_FAILED',
        message: /redis memory: load/,
      });
    } finally {
      await store.close();
    }
  });

  it('says what to install when ioredis is missing, and checks its options', async () => {
    const store = createRedisMemory(
      'redis://127.0.0.1:6379',
      {},
      {
        importModule: async () => {
          throw new Error("Cannot find package 'ioredis'");
        },
      },
    );
    await expect(store.append('s', turn(1))).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      message: expect.stringContaining('npm install ioredis'),
    });
    expect(() => createRedisMemory('http://x')).toThrow(/redis:\/\//);
    expect(() => createRedisMemory('redis://x', { ttlSeconds: 0 })).toThrow(/ttlSeconds/);
  });
});
