import { describe, expect, it } from 'vitest';
import { emptyKeyState, type KeyState, nextKeyState, resetKeyState } from './key-health.js';
import { checkRedisUrl, connectionOptions, maskRedisUrl } from './redis-client.js';
import { availabilityDiffers, decodeRecord, scrubKeyFragments, updateArguments } from './redis-codec.js';
import { mergeKeyStates } from './redis-merge.js';

const NOW = 1_700_000_000_000;
const M = 'test-model';
const state = (patch: Partial<KeyState>): KeyState => ({ ...emptyKeyState(), ...patch });

describe('redis codec', () => {
  it('decodes a record of the Lua read (strings), tolerating junk; null is no record', () => {
    expect(decodeRecord(null)).toEqual({ state: undefined, version: 0 });
    const { state: decoded, version } = decodeRecord({
      v: '7',
      dis: '1',
      cf: '2',
      ok: '10',
      fail: '3',
      lat: '1234.5',
      err: 'API_SERVER_ERROR: boom',
      errAt: String(NOW),
      cd: String(NOW + 5000),
      m: { [M]: String(NOW + 9000), broken: 'x' },
      s: { other: String(NOW + 30_000) },
    });
    expect(version).toBe(7);
    expect(decoded).toEqual({
      disabled: true,
      cooldownUntil: NOW + 5000,
      modelCooldowns: { [M]: NOW + 9000 },
      softCooldowns: { other: NOW + 30_000 },
      consecutiveFailures: 2,
      successCount: 10,
      failureCount: 3,
      totalLatencyMs: 1234.5,
      lastError: 'API_SERVER_ERROR: boom',
      lastErrorAt: NOW,
    });
    expect(decodeRecord({ ok: '-4', v: 'x' }).state).toMatchObject({ successCount: 0, disabled: false });
  });

  it('tells availability changes (published, compare-and-set) from counter-only changes (added)', () => {
    const base = emptyKeyState();
    const success = nextKeyState(base, { kind: 'success', latencyMs: 40 }, NOW, M);
    expect(availabilityDiffers(success, base)).toBe(false);
    const limited = nextKeyState(
      base,
      { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 1000 },
      NOW,
      M,
    );
    expect(availabilityDiffers(limited, base)).toBe(true);
    expect(availabilityDiffers(limited, { ...limited, modelCooldowns: { ...limited.modelCooldowns } })).toBe(
      false,
    );
    expect(availabilityDiffers(limited, { ...limited, modelCooldowns: { other: 1 } })).toBe(true);
    const soft = nextKeyState(base, { kind: 'failure', code: 'API_TIMEOUT' }, NOW, M);
    expect(availabilityDiffers(soft, { ...soft, softCooldowns: {} })).toBe(true);
    expect(availabilityDiffers(base, undefined)).toBe(true);
  });

  it('sends counter deltas, and the availability fields only when they changed (PX from now, expired dropped)', () => {
    const stored = state({ successCount: 5, totalLatencyMs: 500, modelCooldowns: { old: NOW - 1 } });
    const success = nextKeyState(stored, { kind: 'success', latencyMs: 25 }, NOW, M);
    expect(updateArguments(success, stored, NOW)).toEqual({
      changed: false,
      head: ['0', '1', '0', '25'],
      tail: [],
    });
    const failed = nextKeyState(
      stored,
      { kind: 'failure', code: 'API_RATE_LIMITED', retryAfterMs: 1500.4, message: 'slow down' },
      NOW,
      M,
    );
    expect(updateArguments(failed, stored, NOW)).toEqual({
      changed: true,
      head: ['1', '0', '1', '0'],
      tail: [
        '0',
        '1',
        'API_RATE_LIMITED: slow down',
        String(NOW),
        '0',
        '0',
        'm',
        M,
        String(NOW + 1500.4),
        '1501',
      ],
    });
    // A server error without a hint: a soft cooldown (kind `s`).
    const soft = nextKeyState(stored, { kind: 'failure', code: 'API_SERVER_ERROR' }, NOW, M);
    expect(updateArguments(soft, stored, NOW).tail.slice(6)).toEqual(['s', M, String(NOW + 30_000), '30000']);
    // No stored record: the whole counters are the delta.
    expect(updateArguments(success, undefined, NOW).head).toEqual(['1', '6', '0', '525']);
  });

  it('scrubs key ids and masked keys from error texts bound for Redis', () => {
    expect(scrubKeyFragments('Incorrect API key provided: qv7x*****************zj4m. You can find…')).toBe(
      'Incorrect API key provided: [key]. You can find…',
    );
    expect(scrubKeyFragments('API_KEY_INVALID: key qv7x…zj4m rejected')).toBe(
      'API_KEY_INVALID: key [key] rejected',
    );
    expect(scrubKeyFragments('text cut at the end…')).toBe('text cut at the end…');
    const tail = updateArguments(
      nextKeyState(
        emptyKeyState(),
        { kind: 'failure', code: 'API_KEY_INVALID', message: 'bad sk-a…wxyz' },
        NOW,
        M,
      ),
      undefined,
      NOW,
    ).tail;
    expect(tail[2]).toBe('API_KEY_INVALID: bad [key]');
  });
});

describe('mergeKeyStates (changes made while Redis was unreachable)', () => {
  const base = state({ successCount: 10, failureCount: 2, totalLatencyMs: 1000 });

  it('adds the counters of both sides', () => {
    const local = state({ successCount: 13, failureCount: 2, totalLatencyMs: 1300 });
    const remote = state({ successCount: 20, failureCount: 5, totalLatencyMs: 2000 });
    expect(mergeKeyStates(base, local, remote, NOW)).toMatchObject({
      successCount: 23,
      failureCount: 5,
      totalLatencyMs: 2300,
    });
  });

  it('a change on one side wins; on both sides the safer value wins', () => {
    const disabledOffline = state({
      ...base,
      disabled: true,
      lastError: 'API_KEY_INVALID',
      lastErrorAt: NOW,
    });
    expect(mergeKeyStates(base, disabledOffline, base, NOW)).toMatchObject({
      disabled: true,
      lastError: 'API_KEY_INVALID',
    });
    // Reset offline (local) while nobody touched it remotely: replayed.
    const disabled = state({ ...base, disabled: true, cooldownUntil: NOW + 60_000 });
    expect(mergeKeyStates(disabled, resetKeyState(disabled), disabled, NOW)).toMatchObject({
      disabled: false,
      cooldownUntil: 0,
    });
    // Reset offline while another process set a later cooldown: the reset is replayed, that cooldown kept.
    expect(
      mergeKeyStates(disabled, resetKeyState(disabled), { ...disabled, cooldownUntil: NOW + 90_000 }, NOW),
    ).toMatchObject({
      disabled: false,
      cooldownUntil: NOW + 90_000,
    });
    // Another process disabled it while this one (offline) saw it succeed: disabled.
    const succeeded = nextKeyState(base, { kind: 'success', latencyMs: 5 }, NOW, M);
    expect(mergeKeyStates(base, succeeded, { ...base, disabled: true }, NOW)).toMatchObject({
      disabled: true,
      successCount: 11,
    });
    // Both set a model cooldown: the later one; expired ones dropped.
    const local = state({
      ...base,
      modelCooldowns: { a: NOW + 5000, gone: NOW - 5 },
      lastError: 'L',
      lastErrorAt: NOW - 10,
    });
    const remote = state({
      ...base,
      modelCooldowns: { a: NOW + 3000, b: NOW + 1000 },
      lastError: 'R',
      lastErrorAt: NOW,
    });
    expect(mergeKeyStates(base, local, remote, NOW)).toMatchObject({
      modelCooldowns: { a: NOW + 5000, b: NOW + 1000 },
      lastError: 'R',
      lastErrorAt: NOW,
    });
    // Soft cooldowns merge the same way, and stay soft.
    expect(
      mergeKeyStates(
        base,
        state({ ...base, softCooldowns: { a: NOW + 30_000 } }),
        state({ ...base, softCooldowns: { a: NOW + 60_000, b: NOW + 30_000 } }),
        NOW,
      ),
    ).toMatchObject({ modelCooldowns: {}, softCooldowns: { a: NOW + 60_000, b: NOW + 30_000 } });
  });

  it('when Redis has no record (it lost its data) the local state is written back whole', () => {
    const local = state({ successCount: 3, disabled: true });
    expect(mergeKeyStates(base, local, undefined, NOW)).toBe(local);
    // Nothing changed on either side: Redis's state.
    expect(mergeKeyStates(base, base, base, NOW)).toEqual(base);
  });
});

describe('redis URL and connection options', () => {
  it('masks passwords, parsable or not', () => {
    expect(maskRedisUrl('redis://:hunter2@cache:6379/0')).toBe('redis://:[REDACTED]@cache:6379/0');
    expect(maskRedisUrl('rediss://app:p@ss@cache:6380')).toBe('rediss://app:[REDACTED]@cache:6380');
    expect(maskRedisUrl('redis://cache:6379')).toBe('redis://cache:6379');
    expect(maskRedisUrl('redis://u:pw@host:port')).toBe('redis://u:[REDACTED]@host:port');
  });

  it('rejects what is not a redis URL, naming it masked', () => {
    expect(() => checkRedisUrl('redis://localhost:6379')).not.toThrow();
    expect(() => checkRedisUrl('rediss://u:pw@r.example:6380/2')).not.toThrow();
    for (const bad of ['http://:pw@localhost:6379', 'redis://:pw@host:port', 'not a url']) {
      expect(() => checkRedisUrl(bad)).toThrow(
        expect.objectContaining({
          code: 'CONFIGURATION_ERROR',
          message: expect.not.stringContaining(':pw@'),
        }),
      );
    }
  });

  it('bounds ioredis: no offline queue, no per-command retries, capped reconnection backoff', () => {
    const options = connectionOptions(
      { connectTimeoutMs: 2000, commandTimeoutMs: 1000, maxReconnectDelayMs: 2000 },
      'x',
    );
    expect(options).toMatchObject({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1000,
    });
    const retry = options.retryStrategy as (times: number) => number;
    expect([1, 2, 3, 4, 5, 6, 50].map(retry)).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });
});
