import { emptyKeyState, type KeyState } from './key-health.js';

/** Three-way pick: the side that changed wins; when both changed, `both` decides. */
function pick<T>(base: T, local: T, remote: T, both: (local: T, remote: T) => T): T {
  if (local === base) return remote;
  if (remote === base) return local;
  return both(local, remote);
}

const max = (x: number, y: number) => Math.max(x, y);

/** Per model: the side that changed wins; both changed → the later end. Expired entries dropped. */
function mergeCooldowns(
  base: Record<string, number>,
  local: Record<string, number>,
  remote: Record<string, number>,
  now: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const model of new Set([...Object.keys(base), ...Object.keys(local), ...Object.keys(remote)])) {
    const until = pick(base[model] ?? 0, local[model] ?? 0, remote[model] ?? 0, max);
    if (until > now) out[model] = until;
  }
  return out;
}

/**
 * Reconciles what this process did while Redis was out of reach (`local`, starting from `base`, the last
 * state Redis had told it) with what Redis holds now (`remote`): counters add up (remote + local − base);
 * an availability field changed on one side only takes that side (so an offline reset is replayed); a field
 * changed on both sides takes the safer value (disabled, the later cooldown, more failures, the newer
 * error). When Redis has no record (it lost its data, or never had it) the local state is written back.
 */
export function mergeKeyStates(
  base: KeyState | undefined,
  local: KeyState,
  remote: KeyState | undefined,
  now: number,
): KeyState {
  if (remote == null) return local;
  const b = base ?? emptyKeyState();
  const merged: KeyState = {
    disabled: pick(b.disabled, local.disabled, remote.disabled, (x, y) => x || y),
    cooldownUntil: pick(b.cooldownUntil, local.cooldownUntil, remote.cooldownUntil, max),
    modelCooldowns: mergeCooldowns(b.modelCooldowns, local.modelCooldowns, remote.modelCooldowns, now),
    softCooldowns: mergeCooldowns(b.softCooldowns, local.softCooldowns, remote.softCooldowns, now),
    consecutiveFailures: pick(
      b.consecutiveFailures,
      local.consecutiveFailures,
      remote.consecutiveFailures,
      max,
    ),
    successCount: Math.max(0, remote.successCount + local.successCount - b.successCount),
    failureCount: Math.max(0, remote.failureCount + local.failureCount - b.failureCount),
    totalLatencyMs: Math.max(0, remote.totalLatencyMs + local.totalLatencyMs - b.totalLatencyMs),
  };
  const localErrorChanged = local.lastError !== b.lastError || local.lastErrorAt !== b.lastErrorAt;
  const remoteErrorChanged = remote.lastError !== b.lastError || remote.lastErrorAt !== b.lastErrorAt;
  const useLocal =
    localErrorChanged && (!remoteErrorChanged || (local.lastErrorAt ?? 0) > (remote.lastErrorAt ?? 0));
  const error = useLocal ? local : remote;
  if (error.lastError != null) {
    merged.lastError = error.lastError;
    if (error.lastErrorAt != null) merged.lastErrorAt = error.lastErrorAt;
  }
  return merged;
}
