import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashKey } from '../util/key-id.js';
import { createKeyStore } from './create-key-store.js';
import { FileKeyStore } from './file-key-store.js';
import { createKeyPool } from './key-pool.js';
import { ManualClock } from './test-support/manual-clock.js';

const KEYS = ['test-key-file-0001', 'test-key-file-0002', 'short-k3'];
const M = 'test-model';
const stores: FileKeyStore[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tempPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'switchboard-keys-')), 'state', 'keys.json');
}

function fileStore(path: string, options: { flushIntervalMs?: number; warnings?: string[] } = {}) {
  const store = new FileKeyStore({
    path,
    flushIntervalMs: options.flushIntervalMs ?? 1000,
    logger: { warn: (_obj, msg) => options.warnings?.push(msg) },
  });
  stores.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

describe('file key store', () => {
  it('state survives a new pool on the same file; the file holds hashes, never a key', async () => {
    const path = tempPath();
    const clock = new ManualClock();
    const store = fileStore(path);
    const pool = createKeyPool({ provider: 'Gemini', keys: KEYS, clock, store });
    pool.report(KEYS[0]!, M, { kind: 'failure', code: 'API_KEY_INVALID', message: `bad key ${KEYS[0]}` });
    pool.report(KEYS[1]!, M, { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 30_000 });
    pool.report(KEYS[2]!, M, { kind: 'success', latencyMs: 42 });
    await store.close();

    const text = readFileSync(path, 'utf8');
    for (const key of KEYS) expect(text).not.toContain(key);
    expect(text).toContain(hashKey(KEYS[0]!));

    const reopened = createKeyPool({ provider: 'Gemini', keys: KEYS, clock, store: fileStore(path) });
    const stats = reopened.stats();
    expect(stats.map((s) => s.status)).toEqual(['disabled', 'cooldown', 'healthy']);
    expect(stats[1]!.cooldownSecondsLeft).toBe(30);
    expect(stats[2]!.avgLatencyMs).toBe(42);
    expect(reopened.select(M)?.key).toBe(KEYS[2]);
  });

  it('coalesces writes: 300 outcomes in three bursts → a handful of writes', async () => {
    const path = tempPath();
    const store = fileStore(path, { flushIntervalMs: 50 });
    const pool = createKeyPool({ provider: 'OpenAI', keys: KEYS, store });
    for (let burst = 0; burst < 3; burst++) {
      for (let i = 0; i < 100; i++) pool.report(KEYS[i % 3]!, M, { kind: 'success', latencyMs: 10 });
      await sleep(80);
    }
    await store.close();
    console.log(`[file-key-store] 300 outcomes → ${store.writeCount} file writes`);
    expect(store.writeCount).toBeGreaterThanOrEqual(1);
    expect(store.writeCount).toBeLessThanOrEqual(4);
    const reopened = createKeyPool({ provider: 'OpenAI', keys: KEYS, store: fileStore(path) });
    expect(reopened.stats().reduce((sum, s) => sum + s.successCount, 0)).toBe(300);
  });

  it('a crash (no close) loses at most the last flush interval', async () => {
    const path = tempPath();
    const store = fileStore(path, { flushIntervalMs: 30 });
    const pool = createKeyPool({ provider: 'OpenAI', keys: KEYS, store });
    pool.report(KEYS[0]!, M, { kind: 'failure', code: 'API_KEY_INVALID' });
    while (store.writeCount === 0) await sleep(5); // one interval later the change is on disk
    pool.report(KEYS[1]!, M, { kind: 'failure', code: 'API_KEY_INVALID' }); // "killed" before its flush
    const survivor = createKeyPool({ provider: 'OpenAI', keys: KEYS, store: new FileKeyStore({ path }) });
    expect(survivor.stats().map((s) => s.status)).toEqual(['disabled', 'unused', 'unused']);
  });

  it('moves a corrupt file aside with a warning and starts clean', async () => {
    const path = tempPath();
    const first = fileStore(path);
    createKeyPool({ provider: 'OpenAI', keys: KEYS, store: first }).report(KEYS[0]!, M, {
      kind: 'failure',
      code: 'API_KEY_INVALID',
    });
    await first.close();
    writeFileSync(path, '{"version":1,"providers":{"OpenAI":{"abc', 'utf8');
    const warnings: string[] = [];
    const store = fileStore(path, { warnings });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/corrupt/);
    const dir = join(path, '..');
    expect(readdirSync(dir).filter((name) => name.startsWith('keys.json.corrupt-'))).toHaveLength(1);
    expect(existsSync(path)).toBe(false);
    const pool = createKeyPool({ provider: 'OpenAI', keys: KEYS, store });
    expect(pool.stats().map((s) => s.status)).toEqual(['unused', 'unused', 'unused']);
  });

  it('treats a valid JSON file of the wrong shape as corrupt', () => {
    const path = tempPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '[1,2,3]', 'utf8');
    const warnings: string[] = [];
    fileStore(path, { warnings });
    expect(warnings).toHaveLength(1);
  });

  it('a failing write warns once and never throws into the request path', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'switchboard-keys-')), 'a-file');
    writeFileSync(blocker, 'x');
    const warnings: string[] = [];
    const store = fileStore(join(blocker, 'keys.json'), { flushIntervalMs: 10, warnings });
    const pool = createKeyPool({ provider: 'OpenAI', keys: KEYS, store });
    pool.report(KEYS[0]!, M, { kind: 'success', latencyMs: 1 });
    await sleep(60);
    pool.report(KEYS[0]!, M, { kind: 'success', latencyMs: 1 });
    await store.flush();
    // One warning for the unreadable path at start, one for the first failed write; none after.
    expect(warnings.filter((w) => /write/.test(w))).toHaveLength(1);
    expect(warnings).toHaveLength(2);
    expect(store.writeCount).toBe(0);
    expect(pool.stats()[0]!.successCount).toBe(2);
  });

  it('createKeyStore builds memory, file and redis stores (redis connects on first use); a bad URL throws', async () => {
    expect(createKeyStore({ type: 'memory' }).kind).toBe('memory');
    const file = createKeyStore({ type: 'file', path: tempPath() });
    expect(file.kind).toBe('file');
    stores.push(file as FileKeyStore);
    const redis = createKeyStore({ type: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'sb:' });
    expect(redis.kind).toBe('redis');
    await redis.close();
    expect(() => createKeyStore({ type: 'redis', url: 'redis://:pw@host:port', prefix: 'sb:' })).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION_ERROR' }),
    );
  });
});
