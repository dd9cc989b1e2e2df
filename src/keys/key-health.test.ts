import { describe, expect, it } from 'vitest';
import {
  availableFrom,
  backoffCooldownMs,
  emptyKeyState,
  type KeyState,
  type keyEffectOf,
  keyStatsOf,
  nextKeyState,
  resetKeyState,
  softCooldownOf,
} from './key-health.js';

const NOW = 1_000_000;
const M = 'gemini-2.5-flash';
const fail = (code: Parameters<typeof keyEffectOf>[0], retryAfterMs?: number) =>
  ({ kind: 'failure', code, ...(retryAfterMs != null ? { retryAfterMs } : {}) }) as const;

describe('nextKeyState (API.md §6 table)', () => {
  it('success clears cooldowns and consecutive failures and records latency', () => {
    let state = nextKeyState(emptyKeyState(), fail('API_SERVER_ERROR'), NOW, M);
    state = nextKeyState(state, fail('API_QUOTA_EXCEEDED'), NOW, M);
    const after = nextKeyState(state, { kind: 'success', latencyMs: 120 }, NOW + 10, M);
    expect(after.cooldownUntil).toBe(0);
    expect(after.modelCooldowns).toEqual({});
    expect(after.softCooldowns).toEqual({});
    expect(after.consecutiveFailures).toBe(0);
    expect(after.successCount).toBe(1);
    expect(after.totalLatencyMs).toBe(120);
    expect(after.failureCount).toBe(2);
  });

  it('a success on one model keeps the rate-limit cooldown of another model', () => {
    const limited = nextKeyState(emptyKeyState(), fail('API_RATE_LIMITED'), NOW, 'model-a');
    const after = nextKeyState(limited, { kind: 'success', latencyMs: 5 }, NOW + 1, 'model-b');
    expect(availableFrom(after, 'model-a')).toBe(NOW + 60_000);
    expect(availableFrom(after, 'model-b')).toBe(0);
  });

  it('a success already in flight when the key failed does not lift that cooldown', () => {
    const limited = nextKeyState(emptyKeyState(), fail('API_RATE_LIMITED', 5000), NOW, M);
    const after = nextKeyState(limited, { kind: 'success', latencyMs: 50, startedAt: NOW - 50 }, NOW + 1, M);
    expect(availableFrom(after, M)).toBe(NOW + 5000);
    expect(after.successCount).toBe(1);
  });

  it('API_KEY_INVALID disables the key until reset', () => {
    const state = nextKeyState(emptyKeyState(), fail('API_KEY_INVALID'), NOW, M);
    expect(state.disabled).toBe(true);
    expect(availableFrom(state, M)).toBe(Number.POSITIVE_INFINITY);
    expect(availableFrom(state, 'other')).toBe(Number.POSITIVE_INFINITY);
    const reset = resetKeyState(state);
    expect(reset.disabled).toBe(false);
    expect(reset.failureCount).toBe(1);
    expect(reset.lastError).toBeUndefined();
  });

  it('API_QUOTA_EXCEEDED cools the whole key for the hint, else 1 h', () => {
    expect(availableFrom(nextKeyState(emptyKeyState(), fail('API_QUOTA_EXCEEDED'), NOW, M), 'x')).toBe(
      NOW + 3_600_000,
    );
    expect(availableFrom(nextKeyState(emptyKeyState(), fail('API_QUOTA_EXCEEDED', 7000), NOW, M), 'x')).toBe(
      NOW + 7000,
    );
  });

  it('API_RATE_LIMITED cools only that key and model: hint, else 60 s', () => {
    const hinted = nextKeyState(emptyKeyState(), fail('API_RATE_LIMITED', 48_000), NOW, M);
    expect(availableFrom(hinted, M)).toBe(NOW + 48_000);
    expect(availableFrom(hinted, 'other-model')).toBe(0);
    const plain = nextKeyState(emptyKeyState(), fail('API_RATE_LIMITED'), NOW, M);
    expect(availableFrom(plain, M)).toBe(NOW + 60_000);
  });

  it('API_SERVER_ERROR / API_TIMEOUT: 30 s, 60 s, … doubling, capped at 300 s', () => {
    expect([1, 2, 3, 4, 5, 6, 40].map(backoffCooldownMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000,
    ]);
    let state = emptyKeyState();
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      state = nextKeyState(state, fail(i % 2 === 0 ? 'API_SERVER_ERROR' : 'API_TIMEOUT'), NOW, M);
      seen.push(softCooldownOf(state, M) - NOW);
      // Soft: the key stays usable (selection only prefers other keys).
      expect(availableFrom(state, M)).toBe(0);
    }
    expect(seen).toEqual([30_000, 60_000, 120_000, 240_000, 300_000]);
    // With a server hint the cooldown is hard, for the hint.
    const hinted = nextKeyState(emptyKeyState(), fail('API_SERVER_ERROR', 7000), NOW, M);
    expect(availableFrom(hinted, M)).toBe(NOW + 7000);
    expect(softCooldownOf(hinted, M)).toBe(0);
  });

  it('network failures and unsupported locations count a failure without a cooldown', () => {
    for (const code of ['API_REQUEST_FAILED', 'USER_LOCATION_NOT_SUPPORTED'] as const) {
      const state = nextKeyState(emptyKeyState(), fail(code), NOW, M);
      expect(state.failureCount).toBe(1);
      expect(availableFrom(state, M)).toBe(0);
      expect(state.lastError).toBe(code);
    }
  });

  it('content, input, parse and validation failures have no effect at all', () => {
    const base = emptyKeyState();
    for (const code of [
      'CONTENT_FILTERED',
      'INVALID_PARAMETER',
      'CONTEXT_LENGTH_EXCEEDED',
      'API_RESPONSE_INVALID',
      'RESPONSE_PARSE_ERROR',
      'MODEL_NOT_FOUND',
      'ABORTED',
    ] as const) {
      expect(nextKeyState(base, fail(code), NOW, M)).toBe(base);
    }
  });

  it('a re-cooling never shortens a longer cooldown', () => {
    const long = nextKeyState(emptyKeyState(), fail('API_RATE_LIMITED', 120_000), NOW, M);
    const again = nextKeyState(long, fail('API_RATE_LIMITED', 1000), NOW + 10, M);
    expect(availableFrom(again, M)).toBe(NOW + 120_000);
    const quota = nextKeyState(emptyKeyState(), fail('API_QUOTA_EXCEEDED'), NOW, M);
    expect(nextKeyState(quota, fail('API_QUOTA_EXCEEDED', 5), NOW, M).cooldownUntil).toBe(NOW + 3_600_000);
  });

  it('does not mutate its input', () => {
    const base: KeyState = emptyKeyState();
    const frozen = JSON.stringify(base);
    nextKeyState(base, fail('API_RATE_LIMITED'), NOW, M);
    nextKeyState(base, { kind: 'success', latencyMs: 1 }, NOW, M);
    expect(JSON.stringify(base)).toBe(frozen);
  });
});

describe('keyStatsOf', () => {
  it('orders statuses disabled › cooldown › unused › error › warning › healthy', () => {
    const id = 'test…0001';
    expect(keyStatsOf(id, emptyKeyState(), NOW)).toMatchObject({
      status: 'unused',
      successRate: 100,
      totalCalls: 0,
      suggestedAction: '-',
    });
    const disabled = nextKeyState(emptyKeyState(), fail('API_KEY_INVALID'), NOW, M);
    expect(keyStatsOf(id, disabled, NOW)).toMatchObject({
      status: 'disabled',
      suggestedAction: 'replace key',
    });
    const limitedA = nextKeyState(emptyKeyState(), fail('API_RATE_LIMITED', 10_000), NOW, 'a');
    const limitedAB = nextKeyState(limitedA, fail('API_RATE_LIMITED', 25_500), NOW, 'b');
    expect(keyStatsOf(id, limitedAB, NOW)).toMatchObject({ status: 'cooldown', cooldownSecondsLeft: 26 });
    const flaky = nextKeyState(emptyKeyState(), fail('API_REQUEST_FAILED'), NOW, M);
    expect(keyStatsOf(id, flaky, NOW)).toMatchObject({ status: 'error', successRate: 0 });
    let slow = emptyKeyState();
    for (let i = 0; i < 5; i++) slow = nextKeyState(slow, { kind: 'success', latencyMs: 16_000 }, NOW, M);
    expect(keyStatsOf(id, slow, NOW)).toMatchObject({ status: 'warning', avgLatencyMs: 16_000 });
    let good = emptyKeyState();
    for (let i = 0; i < 4; i++) good = nextKeyState(good, { kind: 'success', latencyMs: 100 }, NOW, M);
    good = nextKeyState(good, fail('API_REQUEST_FAILED'), NOW, M);
    expect(keyStatsOf(id, good, NOW)).toMatchObject({
      status: 'healthy',
      successRate: 80,
      totalCalls: 5,
      lastError: 'API_REQUEST_FAILED',
    });
  });
});
