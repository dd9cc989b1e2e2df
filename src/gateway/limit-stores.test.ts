import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { limitsFileOf } from './create-limit-store.js';
import { FileLimitStore } from './file-limit-store.js';
import { WINDOW_MS } from './limit-store.js';
import { MemoryLimitStore } from './memory-limit-store.js';

const T0 = 1_800_000_000_000;

describe('MemoryLimitStore', () => {
  it('rpm: a sliding minute; retry-after is when the oldest admission leaves it', () => {
    const store = new MemoryLimitStore();
    const rule = { rpm: 3 };
    expect(store.acquire('web', rule, 'a', T0).ok).toBe(true);
    expect(store.acquire('web', rule, 'b', T0 + 10_000).ok).toBe(true);
    expect(store.acquire('web', rule, 'c', T0 + 20_000).ok).toBe(true);
    expect(store.acquire('web', rule, 'd', T0 + 30_000)).toEqual({
      ok: false,
      limit: 'rpm',
      retryAfterMs: 30_000,
    });
    // The first admission leaves the window at T0 + 60 s.
    expect(store.acquire('web', rule, 'e', T0 + WINDOW_MS - 1).ok).toBe(false);
    expect(store.acquire('web', rule, 'f', T0 + WINDOW_MS).ok).toBe(true);
    // Clients are counted apart.
    expect(store.acquire('other', rule, 'g', T0 + 30_000).ok).toBe(true);
  });

  it('tpm: admitted while the minute is under it; retry-after when enough tokens left', () => {
    const store = new MemoryLimitStore();
    const rule = { tpm: 100 };
    expect(store.acquire('web', rule, 'a', T0).ok).toBe(true);
    store.release('web', rule, 'a', 60, T0 + 1000);
    expect(store.acquire('web', rule, 'b', T0 + 2000).ok).toBe(true);
    store.release('web', rule, 'b', 50, T0 + 5000);
    // 110 tokens in the minute: refused until the first 60 leave (T0 + 1 s + 60 s).
    expect(store.acquire('web', rule, 'c', T0 + 10_000)).toEqual({
      ok: false,
      limit: 'tpm',
      retryAfterMs: 51_000,
    });
    expect(store.acquire('web', rule, 'd', T0 + 61_000).ok).toBe(true);
  });

  it('maxConcurrent: slots come back on release; a refusal counts nothing', () => {
    const store = new MemoryLimitStore();
    const rule = { maxConcurrent: 2, rpm: 10 };
    expect(store.acquire('web', rule, 'a', T0).ok).toBe(true);
    expect(store.acquire('web', rule, 'b', T0).ok).toBe(true);
    expect(store.acquire('web', rule, 'c', T0)).toMatchObject({ ok: false, limit: 'maxConcurrent' });
    store.release('web', rule, 'a', 0, T0);
    expect(store.acquire('web', rule, 'd', T0).ok).toBe(true);
    // 3 admitted (a, b, d): 7 more fit in the minute, the refused one was not counted.
    for (let i = 0; i < 7; i++) {
      store.release('web', rule, i === 0 ? 'b' : `x${i - 1}`, 0, T0);
      expect(store.acquire('web', rule, `x${i}`, T0).ok).toBe(true);
    }
    store.release('web', rule, 'x6', 0, T0);
    expect(store.acquire('web', rule, 'y', T0)).toMatchObject({ ok: false, limit: 'rpm' });
  });
});

describe('FileLimitStore', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('windows survive a restart (saved on close, beside the key-state file); in-flight slots do not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-limits-'));
    dirs.push(dir);
    const path = limitsFileOf(join(dir, 'switchboard.yaml.keys.json'));
    expect(path).toBe(join(dir, 'switchboard.yaml.limits.json'));
    let now = T0;
    const rule = { rpm: 2, tpm: 10, maxConcurrent: 5 };
    const first = new FileLimitStore({ path, now: () => now, flushIntervalMs: 60_000 });
    expect(first.acquire('web', rule, 'a', now).ok).toBe(true);
    first.release('web', rule, 'a', 4, now);
    expect(first.acquire('web', rule, 'b', now).ok).toBe(true);
    await first.close();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      version: 1,
      clients: { web: { requests: [T0, T0], tokens: [[T0, 4]] } },
    });

    now = T0 + 1000;
    const second = new FileLimitStore({ path, now: () => now, flushIntervalMs: 60_000 });
    expect(second.acquire('web', rule, 'c', now)).toMatchObject({ ok: false, limit: 'rpm' });
    await second.close();

    now = T0 + WINDOW_MS + 1;
    const third = new FileLimitStore({ path, now: () => now, flushIntervalMs: 60_000 });
    expect(third.acquire('web', rule, 'd', now).ok).toBe(true);
    await third.close();
  });
});
