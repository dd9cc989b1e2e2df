import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { ManualClock } from '../keys/test-support/manual-clock.js';
import type { LLMErrorCode, Middleware } from '../spec/index.js';
import { keyIdOf } from '../util/key-id.js';
import { harness } from './test-support/harness.js';
import { scriptedTransport, testRequest } from './test-support/scripted-transport.js';

const KEYS5 = ['test-key-0001', 'test-key-0002', 'test-key-0003', 'test-key-0004', 'test-key-0005'];
const fail = (code: LLMErrorCode, status?: number, retryAfterMs?: number) =>
  new LLMError(code, `${code} from the fake`, {
    ...(status != null ? { status } : {}),
    ...(retryAfterMs != null ? { retryAfterMs } : {}),
  });
const auto = () => new ManualClock(1_000_000, true);

describe('pipeline: rotation and key health', () => {
  it('rotation spreads calls evenly over the keys', async () => {
    const transport = scriptedTransport(() => ({}));
    const { pipeline } = harness({ keys: KEYS5, transport, clock: auto() });
    for (let i = 0; i < 100; i++) await pipeline(testRequest());
    const counts = Object.fromEntries(
      KEYS5.map((k) => [k, transport.sent.filter((s) => s.key === k).length]),
    );
    expect(Object.values(counts)).toEqual([20, 20, 20, 20, 20]);
    expect(transport.sent.slice(0, 6).map((s) => s.key)).toEqual([...KEYS5, KEYS5[0]]);
  });

  it('a 401 key is disabled and the call succeeds on another key, at once', async () => {
    const bad = 'test-key-bad-0001';
    const keys = [bad, 'test-key-0002', 'test-key-0003'];
    const clock = auto();
    const transport = scriptedTransport((_r, key) => (key === bad ? fail('API_KEY_INVALID', 401) : {}));
    const { pipeline, pool } = harness({ keys, transport, clock });
    const response = await pipeline(testRequest());
    expect(response.attempts).toEqual([
      {
        attempt: 1,
        model: 'OpenAI/test-model',
        keyId: keyIdOf(bad),
        status: 401,
        code: 'API_KEY_INVALID',
        durationMs: 0,
        waitMs: 0,
        startedAt: 1_000_000,
      },
      {
        attempt: 2,
        model: 'OpenAI/test-model',
        keyId: keyIdOf(keys[1]!),
        status: 200,
        durationMs: 0,
        waitMs: 0,
        startedAt: 1_000_000,
      },
    ]);
    expect(response.keyId).toBe(keyIdOf(keys[1]!));
    expect(clock.sleeps).toEqual([]);
    expect(pool.stats()[0]).toMatchObject({ status: 'disabled', failureCount: 1 });
    for (let i = 0; i < 10; i++) await pipeline(testRequest());
    expect(transport.sent.filter((s) => s.key === bad)).toHaveLength(1);
  });

  it('with no other key, an invalid key rethrows the original error (not NO_AVAILABLE_KEYS)', async () => {
    const transport = scriptedTransport(() => fail('API_KEY_INVALID', 401));
    const { pipeline } = harness({ keys: ['test-key-only-0001'], transport, clock: auto() });
    const error = (await pipeline(testRequest()).catch((e: unknown) => e)) as LLMError;
    expect(error.code).toBe('API_KEY_INVALID');
    expect(error.attempts).toHaveLength(1);
    expect(error).toMatchObject({
      provider: 'OpenAI',
      model: 'OpenAI/test-model',
      keyId: keyIdOf('test-key-only-0001'),
    });
    const next = (await pipeline(testRequest()).catch((e: unknown) => e)) as LLMError;
    expect(next.code).toBe('NO_AVAILABLE_KEYS');
    expect(next.retryAfterMs).toBeUndefined();
    expect(transport.sent).toHaveLength(1);
  });

  it('a 429 with retry-after cools only that key for that model; the retry moves on without waiting', async () => {
    const clock = auto();
    const keys = ['test-key-0001', 'test-key-0002'];
    const transport = scriptedTransport((_r, _key, index) =>
      index === 0 ? fail('API_RATE_LIMITED', 429, 5000) : {},
    );
    const { pipeline, pool } = harness({ keys, transport, clock });
    const response = await pipeline(testRequest());
    expect(response.attempts.map((a) => [a.keyId, a.code, a.waitMs])).toEqual([
      [keyIdOf(keys[0]!), 'API_RATE_LIMITED', 0],
      [keyIdOf(keys[1]!), undefined, 0],
    ]);
    expect(clock.sleeps).toEqual([]);
    expect(pool.stats()[0]).toMatchObject({ status: 'cooldown', cooldownSecondsLeft: 5 });
    await pipeline(testRequest());
    await pipeline(testRequest());
    expect(transport.sent.slice(2).map((s) => s.key)).toEqual([keys[1], keys[1]]);
    await pipeline(testRequest({ modelId: 'other-model', model: 'OpenAI/other-model' }));
    expect(transport.sent.at(-1)?.key).toBe(keys[0]);
  });

  it('all keys cooling: waits for the earliest within the deadline, else fails fast with retryAfterMs', async () => {
    const clock = auto();
    const keys = ['test-key-0001', 'test-key-0002'];
    const transport = scriptedTransport(() => ({}));
    const { pipeline, pool } = harness({ keys, transport, clock });
    const cool = () => {
      pool.report(keys[0]!, 'test-model', { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 5000 });
      pool.report(keys[1]!, 'test-model', { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 3000 });
    };
    cool();
    const fast = (await pipeline(testRequest({ deadline: clock.now() + 2000 })).catch(
      (e: unknown) => e,
    )) as LLMError;
    expect(fast).toMatchObject({ code: 'NO_AVAILABLE_KEYS', retryAfterMs: 3000, attempts: [] });
    expect(clock.sleeps).toEqual([]);
    const response = await pipeline(testRequest({ deadline: clock.now() + 10_000 }));
    expect(clock.sleeps).toEqual([3000]);
    expect(response.attempts).toEqual([
      // Sent when the wait for the key ended.
      {
        attempt: 1,
        model: 'OpenAI/test-model',
        keyId: keyIdOf(keys[1]!),
        status: 200,
        durationMs: 0,
        waitMs: 3000,
        startedAt: clock.now(),
      },
    ]);
  });

  it('a single rate-limited key: the retry waits out the hint within the deadline, else the 429 is thrown', async () => {
    const clock = auto();
    let calls = 0;
    const transport = scriptedTransport(() =>
      calls++ % 2 === 0 ? fail('API_RATE_LIMITED', 429, 60_000) : {},
    );
    const { pipeline } = harness({ keys: ['test-key-0001'], transport, clock });
    const response = await pipeline(testRequest({ deadline: clock.now() + 120_000 }));
    expect(response.attempts.map((a) => a.waitMs)).toEqual([0, 60_000]);
    const error = (await pipeline(testRequest({ deadline: clock.now() + 10_000 })).catch(
      (e: unknown) => e,
    )) as LLMError;
    expect(error).toMatchObject({ code: 'API_RATE_LIMITED', retryAfterMs: 60_000 });
    expect(error.attempts).toHaveLength(1);
  });

  it('API_QUOTA_EXCEEDED moves to a different key and cools the whole key for 1 h', async () => {
    const keys = ['test-key-0001', 'test-key-0002'];
    const transport = scriptedTransport((_r, key) =>
      key === keys[0] ? fail('API_QUOTA_EXCEEDED', 429) : {},
    );
    const { pipeline, pool } = harness({ keys, transport, clock: auto() });
    const response = await pipeline(testRequest());
    expect(response.attempts.map((a) => a.code)).toEqual(['API_QUOTA_EXCEEDED', undefined]);
    expect(pool.stats()[0]).toMatchObject({ status: 'cooldown', cooldownSecondsLeft: 3600 });
    expect(pool.select('another-model')?.key).toBe(keys[1]);
  });
});

describe('pipeline: retry policy and backoff', () => {
  it('5xx is retried with backoff; 400 is not retried and leaves the key untouched', async () => {
    const clock = auto();
    const transport = scriptedTransport((_r, _k, index) =>
      index === 0 ? fail('API_SERVER_ERROR', 503) : {},
    );
    const { pipeline, pool } = harness({ transport, clock });
    const response = await pipeline(testRequest());
    expect(response.attempts.map((a) => [a.code, a.waitMs])).toEqual([
      ['API_SERVER_ERROR', 0],
      [undefined, 500],
    ]);
    expect(clock.sleeps).toEqual([500]);

    const bad = scriptedTransport(() => fail('INVALID_PARAMETER', 400));
    const second = harness({ transport: bad, clock: auto() });
    const error = (await second.pipeline(testRequest()).catch((e: unknown) => e)) as LLMError;
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.attempts).toHaveLength(1);
    expect(bad.sent).toHaveLength(1);
    expect(second.pool.stats()[0]).toMatchObject({ status: 'unused', failureCount: 0 });
    expect(pool.stats()[0]).toMatchObject({ status: 'cooldown', cooldownSecondsLeft: 30 });
  });

  it('backoff is random() · min(maxDelayMs, baseDelayMs · 2^n), exactly', async () => {
    const always500 = () => scriptedTransport(() => fail('API_SERVER_ERROR', 500));
    const clock = auto();
    const { pipeline } = harness({ keys: KEYS5, transport: always500(), clock, random: () => 0.5 });
    const error = (await pipeline(testRequest()).catch((e: unknown) => e)) as LLMError;
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(error.attempts?.map((a) => [a.attempt, a.waitMs, a.keyId])).toEqual([
      [1, 0, keyIdOf(KEYS5[0]!)],
      [2, 500, keyIdOf(KEYS5[1]!)],
      [3, 1000, keyIdOf(KEYS5[2]!)],
      [4, 2000, keyIdOf(KEYS5[3]!)],
    ]);
    expect(error.keyId).toBe(keyIdOf(KEYS5[3]!));

    const capped = auto();
    const second = harness({
      keys: KEYS5,
      transport: always500(),
      clock: capped,
      random: () => 0.999,
      retry: { baseDelayMs: 400, maxDelayMs: 1000, maxRetries: 4 },
    });
    await second.pipeline(testRequest()).catch(() => {});
    expect(capped.sleeps).toEqual([400, 799, 999, 999]);
  });

  it('no wait runs past the deadline: the last error is thrown instead', async () => {
    const clock = auto();
    const transport = scriptedTransport(() => fail('API_SERVER_ERROR', 502));
    const { pipeline } = harness({ transport, clock });
    const error = (await pipeline(testRequest({ deadline: clock.now() + 400 })).catch(
      (e: unknown) => e,
    )) as LLMError;
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(error.attempts).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('stops after maxRetries; each attempt is reported to the pool exactly once', async () => {
    const transport = scriptedTransport(() => fail('API_REQUEST_FAILED'));
    const { pipeline, pool } = harness({ transport, clock: auto(), retry: { maxRetries: 2 } });
    const error = (await pipeline(testRequest()).catch((e: unknown) => e)) as LLMError;
    expect(error.attempts).toHaveLength(3);
    expect(transport.sent).toHaveLength(3);
    const stats = pool.stats();
    expect(stats.reduce((sum, s) => sum + s.failureCount, 0)).toBe(3);
    expect(stats.every((s) => s.cooldownSecondsLeft === 0)).toBe(true);
  });

  it('API_RESPONSE_INVALID is retried without touching the key', async () => {
    const transport = scriptedTransport((_r, _k, i) => (i === 0 ? fail('API_RESPONSE_INVALID', 200) : {}));
    const { pipeline, pool } = harness({ transport, clock: auto() });
    const response = await pipeline(testRequest());
    expect(response.attempts).toHaveLength(2);
    expect(pool.stats().map((s) => s.failureCount)).toEqual([0, 0, 0]);
  });

  it('an error built final (a body over maxResponseBytes) is not retried, whatever its code', async () => {
    const tooLarge = new LLMError('API_RESPONSE_INVALID', 'body over the limit', {
      status: 200,
      details: { limit: 1024 },
      final: true,
    });
    expect(tooLarge.retryable).toBe(false);
    const transport = scriptedTransport(() => tooLarge);
    const { pipeline } = harness({ transport, clock: auto() });
    await expect(pipeline(testRequest())).rejects.toBe(tooLarge);
    expect(transport.sent).toHaveLength(1);
    expect(tooLarge.attempts).toHaveLength(1);
  });

  it('never-retried codes and foreign errors end the call at once', async () => {
    for (const code of [
      'CONTENT_FILTERED',
      'CONTEXT_LENGTH_EXCEEDED',
      'MODEL_NOT_FOUND',
      'USER_LOCATION_NOT_SUPPORTED',
    ] as const) {
      const transport = scriptedTransport(() => fail(code, 400));
      const { pipeline } = harness({ transport, clock: auto() });
      await expect(pipeline(testRequest())).rejects.toMatchObject({ code });
      expect(transport.sent).toHaveLength(1);
    }
    const transport = scriptedTransport(() => new TypeError('bug'));
    const { pipeline } = harness({ transport, clock: auto() });
    const error = (await pipeline(testRequest()).catch((e: unknown) => e)) as LLMError;
    expect(LLMError.isInstance(error)).toBe(true);
    expect(transport.sent).toHaveLength(1);
  });

  it('aborting during backoff or while waiting for a key ends the call with ABORTED at once', async () => {
    const clock = new ManualClock();
    const transport = scriptedTransport(() => fail('API_SERVER_ERROR', 500));
    const { pipeline } = harness({ transport, clock, keys: ['test-key-0001'] });
    const controller = new AbortController();
    const pending = pipeline(testRequest({ signal: controller.signal })).catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pending).toBe(1); // in backoff
    controller.abort();
    const error = (await pending) as LLMError;
    expect(error.code).toBe('ABORTED');
    expect(error.attempts).toHaveLength(1);

    const waiting = harness({ transport: scriptedTransport(() => ({})), clock, keys: ['test-key-0001'] });
    waiting.pool.report('test-key-0001', 'test-model', {
      kind: 'failure',
      code: 'API_RATE_LIMITED',
      retryAfterMs: 9000,
    });
    const second = new AbortController();
    const pendingKey = waiting
      .pipeline(testRequest({ signal: second.signal, deadline: clock.now() + 60_000 }))
      .catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    second.abort();
    expect(await pendingKey).toMatchObject({ code: 'ABORTED', attempts: [] });
  });
});

describe('pipeline: caller signal', () => {
  it('an already aborted signal ends the call before any attempt', async () => {
    const transport = scriptedTransport(() => ({}));
    const { pipeline } = harness({ transport, clock: auto() });
    const error = (await pipeline(testRequest({ signal: AbortSignal.abort() })).catch(
      (e: unknown) => e,
    )) as LLMError;
    expect(error).toMatchObject({ code: 'ABORTED', attempts: [], provider: 'OpenAI' });
    expect(transport.sent).toHaveLength(0);
  });
});

describe('pipeline: middlewares', () => {
  it('user middlewares observe and change requests and responses, and never see the key', async () => {
    const seen: Record<string, string>[] = [];
    const trace: Middleware = async (request, next) => {
      seen.push(request.headers);
      const response = await next({ ...request, headers: { ...request.headers, 'x-trace': 't-1' } });
      seen.push(response.headers);
      return { ...response, data: { wrapped: response.data, attempts: response.attempts.length } };
    };
    const transport = scriptedTransport(() => ({ data: { ok: 1 }, headers: { 'x-up': '1' } }));
    const { pipeline } = harness({ transport, clock: auto(), middlewares: [trace] });
    const response = await pipeline(testRequest());
    expect(response.data).toEqual({ wrapped: { ok: 1 }, attempts: 1 });
    expect(transport.sent[0]!.request.headers['x-trace']).toBe('t-1');
    expect(transport.sent[0]!.key).toBe('test-key-0001');
    expect(JSON.stringify(seen)).not.toContain('test-key-0001');
  });
});

describe('pipeline: concurrency', () => {
  it('1,000 concurrent calls over 5 keys: no key used while cooling, even spread', async () => {
    const clock = new ManualClock();
    let pool!: ReturnType<typeof harness>['pool'];
    let violations = 0;
    let limited = false;
    const transport = scriptedTransport(async (request, key) => {
      // Runs synchronously after key selection: the pool's view now is the one selection used.
      const stat = pool.stats().find((s) => s.keyId === request.keyId);
      if (stat?.status === 'cooldown') violations++;
      await new Promise((resolve) => setImmediate(resolve));
      if (key === KEYS5[2] && !limited) {
        limited = true;
        return fail('API_RATE_LIMITED', 429, 60_000);
      }
      return {};
    });
    const built = harness({ keys: KEYS5, transport, clock });
    pool = built.pool;
    const wave = () => Promise.all(Array.from({ length: 1000 }, () => built.pipeline(testRequest())));
    const first = await wave();
    const firstSpread = KEYS5.map((k) => transport.sent.filter((s) => s.key === k).length);
    const sentBefore = transport.sent.length;
    const second = await wave();
    const secondSpread = KEYS5.map((k) => transport.sent.slice(sentBefore).filter((s) => s.key === k).length);
    console.log(
      `[concurrency] wave 1 (k3 gets one 429): ${firstSpread.join('/')}; wave 2 (k3 cooling): ${secondSpread.join('/')}; violations ${violations}`,
    );
    expect(violations).toBe(0);
    expect(first.every((r) => r.status === 200)).toBe(true);
    expect(second.every((r) => r.status === 200)).toBe(true);
    expect(firstSpread).toEqual([201, 200, 200, 200, 200]);
    expect(secondSpread).toEqual([250, 250, 0, 250, 250]);
    expect(pool.stats()[2]).toMatchObject({ status: 'cooldown', cooldownSecondsLeft: 60 });
  });
});
