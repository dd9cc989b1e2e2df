import { redactSecrets } from '../logging/secrets.js';
import type { KeyStats, KeyStatus, LLMErrorCode } from '../spec/index.js';

/**
 * Health of one API key: what stores persist (JSON-safe, kept by the key's SHA-256, never by the key).
 * Cooldowns are epoch ms by the client's clock; 0 means none.
 */
export interface KeyState {
  /** Set by `API_KEY_INVALID`; the key is never used again until `reset`. */
  disabled: boolean;
  /** Whole-key cooldown (quota exhausted). */
  cooldownUntil: number;
  /** Hard cooldown per model id (rate limits, and any failure with a server hint). Expired entries are pruned on update. */
  modelCooldowns: Record<string, number>;
  /**
   * Soft cooldown per model id (server errors and timeouts without a hint): selection prefers other keys
   * but may still use this one (API.md §6). Expired entries are pruned on update.
   */
  softCooldowns: Record<string, number>;
  /** Failures since the last success; grows the soft cooldown and ranks soft-cooling keys. */
  consecutiveFailures: number;
  successCount: number;
  failureCount: number;
  /** Sum of the latencies of successful calls, ms. */
  totalLatencyMs: number;
  /** `CODE: message` of the last failure (redacted, at most 200 characters). */
  lastError?: string;
  /** When the last failure happened (epoch ms). */
  lastErrorAt?: number;
}

/** What one attempt did with a key, as the pipeline reports it. */
export type KeyOutcome =
  | {
      kind: 'success';
      latencyMs: number;
      /** When the attempt was sent; a failure recorded after it keeps its cooldown. */
      startedAt?: number;
    }
  | { kind: 'failure'; code: LLMErrorCode; retryAfterMs?: number; message?: string };

/** Cooldown durations of the API.md §6 table. */
export const KEY_COOLDOWNS = {
  /** `API_QUOTA_EXCEEDED` without a hint (whole key). */
  quotaMs: 3_600_000,
  /** `API_RATE_LIMITED` without a hint (key and model). */
  rateLimitMs: 60_000,
  /** `API_SERVER_ERROR` / `API_TIMEOUT` (soft): first cooldown, doubled per consecutive failure… */
  serverBaseMs: 30_000,
  /** …up to this. */
  serverMaxMs: 300_000,
} as const;

/** How an outcome acts on a key. */
export type KeyEffect = 'disable' | 'quota' | 'rate-limit' | 'backoff' | 'count' | 'none';

/** The effect of a failure code on the key that produced it (API.md §6). */
export function keyEffectOf(code: LLMErrorCode): KeyEffect {
  switch (code) {
    case 'API_KEY_INVALID':
      return 'disable';
    case 'API_QUOTA_EXCEEDED':
      return 'quota';
    case 'API_RATE_LIMITED':
      return 'rate-limit';
    case 'API_SERVER_ERROR':
    case 'API_TIMEOUT':
      return 'backoff';
    case 'API_REQUEST_FAILED':
    case 'USER_LOCATION_NOT_SUPPORTED':
      return 'count';
    // Not the key's fault: content, input, parsing, validation, the caller, the pool itself.
    case 'CONTENT_FILTERED':
    case 'INVALID_PARAMETER':
    case 'CONTEXT_LENGTH_EXCEEDED':
    case 'API_RESPONSE_INVALID':
    case 'RESPONSE_PARSE_ERROR':
    case 'GENERATION_FAILED':
    case 'EMBEDDING_FAILED':
    case 'MODEL_NOT_FOUND':
    case 'MODEL_INIT_FAILED':
    case 'UNKNOWN_API_TYPE':
    case 'CONFIGURATION_ERROR':
    case 'NO_AVAILABLE_KEYS':
    case 'ABORTED':
      return 'none';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/** A key that was never used. */
export function emptyKeyState(): KeyState {
  return {
    disabled: false,
    cooldownUntil: 0,
    modelCooldowns: {},
    softCooldowns: {},
    consecutiveFailures: 0,
    successCount: 0,
    failureCount: 0,
    totalLatencyMs: 0,
  };
}

function modelCooldownOf(state: KeyState, model: string): number {
  const until = state.modelCooldowns[model];
  return typeof until === 'number' ? until : 0;
}

/** End of the soft cooldown of the key for `model` (epoch ms; 0 when none). */
export function softCooldownOf(state: KeyState, model: string): number {
  const until = state.softCooldowns[model];
  return typeof until === 'number' ? until : 0;
}

/**
 * Epoch ms from which the key may serve `model` at all (hard cooldowns only): `now` or earlier when
 * usable, `Infinity` when disabled. A key usable now may still be soft-cooling (`softCooldownOf`).
 */
export function availableFrom(state: KeyState, model: string): number {
  if (state.disabled) return Number.POSITIVE_INFINITY;
  const modelUntil = modelCooldownOf(state, model);
  return Math.max(modelUntil, state.cooldownUntil);
}

/** Usable for `model` now and not soft-cooling: selection takes such a key before any soft-cooling one. */
export function isFree(state: KeyState, model: string, now: number): boolean {
  return availableFrom(state, model) <= now && softCooldownOf(state, model) <= now;
}

function latest(cooldowns: Record<string, number>, from: number): number {
  let until = from;
  for (const model in cooldowns) {
    const value = cooldowns[model];
    if (typeof value === 'number' && value > until) until = value;
  }
  return until;
}

/** Latest cooldown end (hard or soft) over the whole key and every model (0 when none). */
export function longestCooldown(state: KeyState): number {
  return latest(state.softCooldowns, latest(state.modelCooldowns, state.cooldownUntil));
}

function prunedCooldowns(cooldowns: Record<string, number>, now: number): Record<string, number> {
  let out: Record<string, number> | undefined;
  for (const model in cooldowns) {
    const value = cooldowns[model];
    if (typeof value === 'number' && value > now) {
      out ??= {};
      out[model] = value;
    }
  }
  return out ?? {};
}

function describe(code: LLMErrorCode, message: string | undefined): string {
  const text = message != null && message !== '' ? `${code}: ${redactSecrets(message)}` : code;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

// Field by field rather than a spread: this runs once per call, and V8 clones literals faster.
function copyState(state: KeyState): KeyState {
  const copy: KeyState = {
    disabled: state.disabled,
    cooldownUntil: state.cooldownUntil,
    modelCooldowns: state.modelCooldowns,
    softCooldowns: state.softCooldowns,
    consecutiveFailures: state.consecutiveFailures,
    successCount: state.successCount,
    failureCount: state.failureCount,
    totalLatencyMs: state.totalLatencyMs,
  };
  if (state.lastError != null) copy.lastError = state.lastError;
  if (state.lastErrorAt != null) copy.lastErrorAt = state.lastErrorAt;
  return copy;
}

/** Soft cooldown of a server error or timeout after `failures` consecutive failures: 30 s, 60 s, … ≤ 300 s. */
export function backoffCooldownMs(failures: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 16);
  return Math.min(KEY_COOLDOWNS.serverBaseMs * 2 ** exponent, KEY_COOLDOWNS.serverMaxMs);
}

/**
 * The API.md §6 outcome table as a pure function of the key's state, the outcome of one attempt on
 * `model`, and the time. A success clears the whole-key cooldown and the cooldowns of `model` (other
 * models keep theirs) and resets the consecutive failures. Returns `state` itself when the outcome has
 * no effect (so callers can skip the store). A server hint (`retryAfterMs`) replaces the default
 * duration and makes the cooldown hard: a server error or timeout *without* a hint cools the key
 * softly (selection only prefers other keys), one with a hint must be waited out. A re-cooling never
 * shortens a longer cooldown already running.
 */
export function nextKeyState(state: KeyState, outcome: KeyOutcome, now: number, model: string): KeyState {
  if (outcome.kind === 'success') {
    const next = copyState(state);
    next.successCount++;
    next.totalLatencyMs += Math.max(0, outcome.latencyMs);
    // A success that was already in flight when another call failed on this key proves nothing about
    // the failure: it must not lift the cooldown that failure set.
    if (outcome.startedAt != null && state.lastErrorAt != null && state.lastErrorAt >= outcome.startedAt) {
      return next;
    }
    next.cooldownUntil = 0;
    next.consecutiveFailures = 0;
    if (modelCooldownOf(state, model) !== 0) {
      const { [model]: _cleared, ...others } = state.modelCooldowns;
      next.modelCooldowns = prunedCooldowns(others, now);
    }
    if (softCooldownOf(state, model) !== 0) {
      const { [model]: _cleared, ...others } = state.softCooldowns;
      next.softCooldowns = prunedCooldowns(others, now);
    }
    return next;
  }
  const effect = keyEffectOf(outcome.code);
  if (effect === 'none') return state;
  const failures = state.consecutiveFailures + 1;
  const next = copyState(state);
  next.modelCooldowns = prunedCooldowns(state.modelCooldowns, now);
  next.softCooldowns = prunedCooldowns(state.softCooldowns, now);
  next.consecutiveFailures = failures;
  next.failureCount++;
  next.lastError = describe(outcome.code, outcome.message);
  next.lastErrorAt = now;
  const hint = outcome.retryAfterMs != null && outcome.retryAfterMs >= 0 ? outcome.retryAfterMs : undefined;
  switch (effect) {
    case 'disable':
      next.disabled = true;
      break;
    case 'quota':
      next.cooldownUntil = Math.max(state.cooldownUntil, now + (hint ?? KEY_COOLDOWNS.quotaMs));
      break;
    case 'rate-limit':
    case 'backoff': {
      if (effect === 'backoff' && hint == null) {
        const until = Math.max(softCooldownOf(next, model), now + backoffCooldownMs(failures));
        next.softCooldowns = { ...next.softCooldowns, [model]: until };
        break;
      }
      const until = Math.max(modelCooldownOf(next, model), now + (hint ?? KEY_COOLDOWNS.rateLimitMs));
      if (until > now) next.modelCooldowns = { ...next.modelCooldowns, [model]: until };
      break;
    }
    case 'count':
      break;
    default: {
      const unreachable: never = effect;
      return unreachable;
    }
  }
  return next;
}

/** State after `llm.keys.reset`: enabled, no cooldown, no last error; the counters are kept. */
export function resetKeyState(state: KeyState): KeyState {
  const { lastError: _lastError, lastErrorAt: _lastErrorAt, ...rest } = state;
  return {
    ...rest,
    disabled: false,
    cooldownUntil: 0,
    modelCooldowns: {},
    softCooldowns: {},
    consecutiveFailures: 0,
  };
}

const ACTIONS: Record<KeyStatus, string> = {
  disabled: 'replace key',
  error: 'check network / reset',
  cooldown: 'wait / reset',
  warning: 'observe',
  healthy: '-',
  unused: '-',
};

/** `KeyStats` of a key (API.md §6): disabled › cooldown › unused › error › warning › healthy. */
export function keyStatsOf(keyId: string, state: KeyState, now: number): KeyStats {
  const totalCalls = state.successCount + state.failureCount;
  const successRate = totalCalls === 0 ? 100 : (state.successCount / totalCalls) * 100;
  const avgLatencyMs = state.successCount === 0 ? 0 : state.totalLatencyMs / state.successCount;
  const cooldownLeftMs = state.disabled ? 0 : Math.max(0, longestCooldown(state) - now);
  let status: KeyStatus;
  if (state.disabled) status = 'disabled';
  else if (cooldownLeftMs > 0) status = 'cooldown';
  else if (totalCalls === 0) status = 'unused';
  else if (successRate < 70) status = 'error';
  else if (totalCalls >= 5 && avgLatencyMs > 15_000) status = 'warning';
  else status = 'healthy';
  const stats: KeyStats = {
    keyId,
    status,
    cooldownSecondsLeft: Math.ceil(cooldownLeftMs / 1000),
    totalCalls,
    successCount: state.successCount,
    failureCount: state.failureCount,
    successRate: Math.round(successRate * 10) / 10,
    avgLatencyMs: Math.round(avgLatencyMs),
    suggestedAction: ACTIONS[status],
  };
  if (state.lastError != null) stats.lastError = state.lastError;
  return stats;
}
