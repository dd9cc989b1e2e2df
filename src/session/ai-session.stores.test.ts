import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LLMMessage, MemoryStore } from '../spec/index.js';
import { startTestRedis, type TestRedis } from '../test-support/redis-server.js';
import { AI } from './ai-session.js';
import { createInMemoryStore } from './in-memory-store.js';
import { createRedisMemory } from './redis-memory.js';
import { createSqliteMemory } from './sqlite-memory.js';
import { FakeBackend } from './test-support/fake-backend.js';

// One megabyte of image data: what a bot gets when a user sends a photo.
const PHOTO = Buffer.alloc(1024 * 1024, 3).toString('base64');
const photoTurn: LLMMessage = {
  role: 'user',
  content: [
    { type: 'text', text: 'Nice photo?' },
    { type: 'image', mimeType: 'image/jpeg', data: PHOTO },
  ],
};

let redis: TestRedis | undefined;
let unavailable: string | undefined;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-media-'));
  const started = await startTestRedis();
  if ('unavailable' in started) {
    unavailable = started.unavailable;
    console.warn(`redis part of the media-placeholder test skipped: ${unavailable}`);
  } else {
    redis = started;
  }
});

afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A store, and a second handle on the same data (a fresh connection reads what was really stored). */
type StoreKit = { store: MemoryStore; reopen(): MemoryStore; close(): Promise<void> };
const stores: Record<string, (skip: (note: string) => void) => StoreKit> = {
  memory: () => {
    const store = createInMemoryStore();
    return { store, reopen: () => store, close: async () => undefined };
  },
  sqlite: () => {
    const file = join(dir, `${randomUUID()}.db`);
    const store = createSqliteMemory(file);
    const other = createSqliteMemory(file);
    return {
      store,
      reopen: () => other,
      close: async () => void (await Promise.all([store.close(), other.close()])),
    };
  },
  redis: (skip) => {
    if (redis === undefined) {
      skip(`no Redis: ${unavailable}`);
      throw new Error('unreachable');
    }
    const prefix = `test:${randomUUID()}:`;
    const store = createRedisMemory(redis.url, { prefix });
    const other = createRedisMemory(redis.url, { prefix });
    return {
      store,
      reopen: () => other,
      close: async () => void (await Promise.all([store.close(), other.close()])),
    };
  },
};

describe.each(Object.keys(stores))('media placeholders in the %s store', (kind) => {
  it('stores a placeholder instead of the base64, and keeps it with preserveMediaInHistory', async (ctx) => {
    const kit = stores[kind]!(ctx.skip);
    try {
      const backend = new FakeBackend();
      const ai = new AI(backend, { memory: kit.store, sessionId: 'user-1' });
      await ai.chat(photoTurn);
      const stored = await kit.reopen().load('user-1');
      expect(stored[0]!.content).toEqual([
        { type: 'text', text: 'Nice photo?' },
        { type: 'text', text: '[image: image/jpeg, 1.0 MB]' },
      ]);
      expect(JSON.stringify(stored).length).toBeLessThan(1000);
      await ai.chat('and again?');
      expect(JSON.stringify(backend.calls[1]!.messages)).not.toContain(PHOTO.slice(0, 100));

      const keeping = new AI(backend, {
        memory: kit.store,
        sessionId: 'user-2',
        preserveMediaInHistory: true,
      });
      await keeping.chat(photoTurn);
      expect((await kit.reopen().load('user-2'))[0]).toEqual(photoTurn);
    } finally {
      await kit.close();
    }
  });
});
