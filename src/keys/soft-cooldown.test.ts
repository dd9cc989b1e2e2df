import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { harness } from '../pipeline/test-support/harness.js';
import { scriptedTransport, testRequest } from '../pipeline/test-support/scripted-transport.js';
import type { LLMErrorCode } from '../spec/index.js';
import { keyIdOf } from '../util/key-id.js';
import { FileKeyStore } from './file-key-store.js';
import { createKeyPool } from './key-pool.js';
import { ManualClock } from './test-support/manual-clock.js';

// API.md §6: a server error or timeout without a hint only steers selection (a *soft* cooldown); a rate
// limit or quota (and any server hint) is a hard cooldown that is never used early.
const KEYS = ['test-key-0001', 'test-key-0002', 'test-key-0003'];
const M = 'test-model';
const fail = (code: LLMErrorCode, status?: number, retryAfterMs?: number) =>
  new LLMError(code, `${code} from the fake`, {
    ...(status != null ? { status } : {}),
    ...(retryAfterMs != null ? { retryAfterMs } : {}),
  });
const auto = () => new ManualClock(1_000_000, true);

describe('soft cooldown through the pipeline', () => {
  it('single key: a 503 is retried after the ordinary backoff, not the 30 s cooldown', async () => {
    const clock = auto();
    const transport = scriptedTransport((_r, _k, index) =>
      index === 0 ? fail('API_SERVER_ERROR', 503) : {},
    );
    // random 0.5 · baseDelayMs 1000 · 2^0 = 500 ms.
    const { pipeline, pool } = harness({ keys: ['test-key-only-0001'], transport, clock });
    const started = clock.now();
    const response = await pipeline(testRequest());
    expect(clock.now() - started).toBe(500);
    expect(clock.sleeps).toEqual([500]);
    expect(response.attempts.map((a) => [a.code, a.waitMs])).toEqual([
      ['API_SERVER_ERROR', 0],
      [undefined, 500],
    ]);
    // The success cleared the soft cooldown (one success in two calls: 'error', not 'cooldown').
    expect(pool.stats()[0]).toMatchObject({ status: 'error', cooldownSecondsLeft: 0 });
  });

  it('single key: a timeout (no hint) also only soft-cools; the next call goes at once', async () => {
    const clock = auto();
    const transport = scriptedTransport(() => fail('API_TIMEOUT'));
    const { pipeline, pool } = harness({
      keys: ['test-key-only-0001'],
      transport,
      clock,
      retry: { maxRetries: 0 },
    });
    await expect(pipeline(testRequest())).rejects.toMatchObject({ code: 'API_TIMEOUT' });
    expect(pool.stats()[0]).toMatchObject({ status: 'cooldown', cooldownSecondsLeft: 30 });
    await expect(pipeline(testRequest())).rejects.toMatchObject({ code: 'API_TIMEOUT' });
    expect(clock.sleeps).toEqual([]);
    expect(transport.sent).toHaveLength(2);
    expect(pool.stats()[0]).toMatchObject({ status: 'cooldown', cooldownSecondsLeft: 60 });
  });

  it('two keys: the retry and later calls go to the other key; nothing waits for the cooldown', async () => {
    const clock = auto();
    const keys = KEYS.slice(0, 2);
    const transport = scriptedTransport((_r, key) => (key === keys[0] ? fail('API_SERVER_ERROR', 503) : {}));
    const { pipeline } = harness({ keys, transport, clock });
    const response = await pipeline(testRequest());
    expect(response.attempts.map((a) => [a.keyId, a.code, a.waitMs])).toEqual([
      [keyIdOf(keys[0]!), 'API_SERVER_ERROR', 0],
      [keyIdOf(keys[1]!), undefined, 500],
    ]);
    for (let i = 0; i < 3; i++) await pipeline(testRequest());
    expect(transport.sent.map((s) => s.key)).toEqual([keys[0], keys[1], keys[1], keys[1], keys[1]]);
    expect(clock.sleeps).toEqual([500]);
  });

  it('a 429 hint is never used early: a single rate-limited key waits out the hint', async () => {
    const clock = auto();
    const transport = scriptedTransport((_r, _k, index) =>
      index === 0 ? fail('API_RATE_LIMITED', 429, 20_000) : {},
    );
    const { pipeline } = harness({ keys: ['test-key-only-0001'], transport, clock });
    const response = await pipeline(testRequest({ deadline: clock.now() + 60_000 }));
    expect(response.attempts.map((a) => a.waitMs)).toEqual([0, 20_000]);
    expect(clock.sleeps).toEqual([20_000]);
  });

  it('a 503 with a server hint is a hard cooldown: waited for, not used early', async () => {
    const clock = auto();
    const transport = scriptedTransport((_r, _k, index) =>
      index === 0 ? fail('API_SERVER_ERROR', 503, 8000) : {},
    );
    const { pipeline } = harness({ keys: ['test-key-only-0001'], transport, clock });
    const response = await pipeline(testRequest({ deadline: clock.now() + 60_000 }));
    expect(response.attempts.map((a) => a.waitMs)).toEqual([0, 8000]);
  });
});

describe('soft cooldown in the pool', () => {
  it('prefers any available key; when every key is soft-cooling, the one with the fewest consecutive failures', () => {
    const clock = new ManualClock();
    const p = createKeyPool({ provider: 'OpenAI', keys: KEYS.slice(0, 2), clock });
    p.report(KEYS[0]!, M, { kind: 'failure', code: 'API_SERVER_ERROR' });
    expect([p.select(M)?.key, p.select(M)?.key, p.select(M)?.key]).toEqual([KEYS[1], KEYS[1], KEYS[1]]);
    // Key 1: one failure (30 s), key 2: two (60 s) → key 1 is the retry's choice even though the
    // round-robin cursor points at key 1 / key 2 alternately.
    p.report(KEYS[1]!, M, { kind: 'failure', code: 'API_TIMEOUT' });
    p.report(KEYS[1]!, M, { kind: 'failure', code: 'API_SERVER_ERROR' });
    expect([p.select(M)?.key, p.select(M)?.key]).toEqual([KEYS[0], KEYS[0]]);
    p.report(KEYS[0]!, M, { kind: 'failure', code: 'API_SERVER_ERROR' });
    p.report(KEYS[0]!, M, { kind: 'failure', code: 'API_SERVER_ERROR' });
    expect(p.select(M)?.key).toBe(KEYS[1]);
    // Soft cooldowns are per model: another model uses the keys round-robin as usual.
    expect([p.select('other')?.key, p.select('other')?.key]).toEqual([KEYS[0], KEYS[1]]);
    expect(p.stats().map((s) => [s.status, s.cooldownSecondsLeft])).toEqual([
      ['cooldown', 120],
      ['cooldown', 60],
    ]);
  });

  it('hard cooldowns and disabled keys are never used early, even when the only other key is soft-cooling', async () => {
    const clock = new ManualClock();
    const p = createKeyPool({ provider: 'OpenAI', keys: KEYS, clock });
    p.report(KEYS[0]!, M, { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 5000 });
    p.report(KEYS[1]!, M, { kind: 'failure', code: 'API_KEY_INVALID' });
    for (let i = 0; i < 5; i++) p.report(KEYS[2]!, M, { kind: 'failure', code: 'API_SERVER_ERROR' });
    expect([p.select(M)?.key, p.select(M)?.key]).toEqual([KEYS[2], KEYS[2]]);
    // Without the soft-cooling key the call waits for the hard cooldown.
    const exclude = new Set([keyIdOf(KEYS[2]!)]);
    expect(p.select(M, exclude)).toBeUndefined();
    const pending = p.acquire(M, { deadline: clock.now() + 10_000, exclude });
    await clock.advance(4999);
    expect(clock.pending).toBe(1);
    await clock.advance(1);
    await expect(pending).resolves.toMatchObject({ key: KEYS[0], waitedMs: 5000 });
  });

  it('a success clears the soft cooldown of that model; reset clears them all', () => {
    const clock = new ManualClock();
    const p = createKeyPool({ provider: 'OpenAI', keys: KEYS.slice(0, 2), clock });
    p.report(KEYS[0]!, M, { kind: 'failure', code: 'API_SERVER_ERROR' });
    p.report(KEYS[0]!, M, { kind: 'success', latencyMs: 10 });
    expect([p.select(M)?.key, p.select(M)?.key]).toEqual([KEYS[0], KEYS[1]]);
    p.report(KEYS[1]!, M, { kind: 'failure', code: 'API_SERVER_ERROR' });
    expect(p.stats()[1]!.status).toBe('cooldown');
    p.reset();
    expect(p.stats()[1]!.cooldownSecondsLeft).toBe(0);
  });

  it('the file store keeps soft cooldowns soft across a restart', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'sb-soft-')), 'keys.json');
    const clock = new ManualClock();
    const first = new FileKeyStore({ path, flushIntervalMs: 0 });
    const a = createKeyPool({ provider: 'OpenAI', keys: ['test-key-only-0001'], clock, store: first });
    a.report('test-key-only-0001', M, { kind: 'failure', code: 'API_SERVER_ERROR' });
    await first.close();
    const second = new FileKeyStore({ path, flushIntervalMs: 0 });
    const b = createKeyPool({ provider: 'OpenAI', keys: ['test-key-only-0001'], clock, store: second });
    expect(b.stats()[0]).toMatchObject({ status: 'cooldown', cooldownSecondsLeft: 30 });
    expect(b.select(M)?.key).toBe('test-key-only-0001');
    await second.close();
  });
});
