import { isRecord } from '../util/safe-json.js';
import type { KeyState } from './key-health.js';

/** A key's state as Redis holds it, with the version of its availability fields (0 = no record). */
export interface VersionedState {
  state: KeyState | undefined;
  version: number;
}

const HASH = /^[0-9a-f]{64}$/;

export function isKeyHash(value: unknown): value is string {
  return typeof value === 'string' && HASH.test(value);
}

function num(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

function cooldowns(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (isRecord(raw)) {
    for (const [model, until] of Object.entries(raw)) {
      const value = num(until);
      if (value > 0) out[model] = value;
    }
  }
  return out;
}

function sameCooldowns(a: Record<string, number>, b: Record<string, number>): boolean {
  if (a === b) return true;
  let count = 0;
  for (const model in a) {
    if (a[model] !== b[model]) return false;
    count++;
  }
  for (const _model in b) count--;
  return count === 0;
}

/** A record of the Lua `read` (strings; `null` when the key has none). */
export function decodeRecord(raw: unknown): VersionedState {
  if (!isRecord(raw)) return { state: undefined, version: 0 };
  const state: KeyState = {
    disabled: raw.dis === '1',
    cooldownUntil: num(raw.cd),
    modelCooldowns: cooldowns(raw.m),
    softCooldowns: cooldowns(raw.s),
    consecutiveFailures: num(raw.cf),
    successCount: num(raw.ok),
    failureCount: num(raw.fail),
    totalLatencyMs: num(raw.lat),
  };
  if (typeof raw.err === 'string' && raw.err !== '') {
    state.lastError = raw.err;
    state.lastErrorAt = num(raw.errAt);
  }
  return { state, version: num(raw.v) };
}

/** Whether two states differ in anything but the counters (what other processes must hear about). */
export function availabilityDiffers(a: KeyState | undefined, b: KeyState | undefined): boolean {
  if (a == null || b == null) return a !== b;
  if (
    a.disabled !== b.disabled ||
    a.cooldownUntil !== b.cooldownUntil ||
    a.consecutiveFailures !== b.consecutiveFailures ||
    a.lastError !== b.lastError ||
    a.lastErrorAt !== b.lastErrorAt
  ) {
    return true;
  }
  return (
    !sameCooldowns(a.modelCooldowns, b.modelCooldowns) || !sameCooldowns(a.softCooldowns, b.softCooldowns)
  );
}

// A provider echoing a key masks it ("Incorrect API key provided: abc*****wxyz"), and redaction turns a
// known key into its id ("abcd…wxyz"): both reveal characters of the key, so neither goes to Redis.
const KEY_ID = /[^\s…"'`]{1,4}…[^\s…"'`.,;:)]{1,4}/g;
const MASKED = /[^\s*"'`]{0,12}\*{3,}[^\s*"'`.,;:)]{0,12}/g;

/** A last-error text without key ids or masked keys (`[key]`), for a store shared by other processes. */
export function scrubKeyFragments(text: string): string {
  return text.replace(MASKED, '[key]').replace(KEY_ID, '[key]');
}

/** Whole ms in the future (PX of a cooldown ending at `until`), 0 when it has ended. */
function pxUntil(until: number, now: number): number {
  return until > now ? Math.ceil(until - now) : 0;
}

/**
 * ARGV of `UPDATE_LUA` from ARGV[4] on: changed flag, counter deltas, then the availability fields, the
 * running model cooldowns last as (kind, model, until, PX) quads — kind `m` hard, `s` soft.
 */
export function updateArguments(
  next: KeyState,
  stored: KeyState | undefined,
  now: number,
): { changed: boolean; head: string[]; tail: string[] } {
  const changed = availabilityDiffers(next, stored);
  const head = [
    changed ? '1' : '0',
    String(next.successCount - (stored?.successCount ?? 0)),
    String(next.failureCount - (stored?.failureCount ?? 0)),
    String(next.totalLatencyMs - (stored?.totalLatencyMs ?? 0)),
  ];
  if (!changed) return { changed, head, tail: [] };
  const tail = [
    next.disabled ? '1' : '0',
    String(next.consecutiveFailures),
    next.lastError != null ? scrubKeyFragments(next.lastError) : '',
    next.lastError != null ? String(next.lastErrorAt ?? now) : '',
    String(next.cooldownUntil),
    String(pxUntil(next.cooldownUntil, now)),
  ];
  for (const [kind, cooldowns] of [
    ['m', next.modelCooldowns],
    ['s', next.softCooldowns],
  ] as const) {
    for (const model in cooldowns) {
      const until = cooldowns[model]!;
      const px = pxUntil(until, now);
      if (px > 0) tail.push(kind, model, String(until), String(px));
    }
  }
  return { changed, head, tail };
}
