import { isRecord } from '../util/safe-json.js';

/** Longest wait a server hint may impose; beyond it the hint is treated as "not soon" (a day). */
const MAX_HINT_MS = 24 * 60 * 60 * 1000;

function clampHint(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(Math.round(ms), MAX_HINT_MS);
}

/**
 * `retry-after-ms` (milliseconds), `x-ms-retry-after-ms`, then `retry-after` (seconds or an HTTP date).
 * Authoritative when present: header hints win over body hints.
 */
export function retryAfterFromHeaders(
  headers: Record<string, string> | undefined,
  now: number,
): number | undefined {
  if (headers == null) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers[name];
    if (value != null && value.trim() !== '') {
      const ms = clampHint(Number(value));
      if (ms != null) return ms;
    }
  }
  const retryAfter = headers['retry-after'];
  if (retryAfter == null || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (!Number.isNaN(seconds)) return clampHint(seconds * 1000);
  const date = Date.parse(retryAfter);
  if (!Number.isNaN(date)) return clampHint(Math.max(0, date - now));
  return undefined;
}

/** Gemini `google.rpc.RetryInfo.retryDelay` (`"48s"`, `"0.5s"`) among an error's `details`. */
export function retryAfterFromRetryInfo(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    if (!isRecord(detail)) continue;
    const type = detail['@type'];
    const delay = detail.retryDelay;
    if (typeof type === 'string' && type.endsWith('google.rpc.RetryInfo') && delay != null) {
      return parseDuration(delay);
    }
  }
  return undefined;
}

/** A protobuf duration: `"48s"`, `"1.5s"`, or `{ seconds, nanos }`. */
function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(value);
    return match?.[1] != null ? clampHint(Number(match[1]) * 1000) : undefined;
  }
  if (isRecord(value)) {
    const seconds = Number(value.seconds ?? 0);
    const nanos = Number(value.nanos ?? 0);
    return clampHint(seconds * 1000 + nanos / 1e6);
  }
  return undefined;
}

const MESSAGE_HINT =
  /(?:retry|try again)\s+(?:in|after)\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b/i;

/** "Please retry in 36.4s", "try again in 634ms", "retry after 5 seconds" inside a message. */
export function retryAfterFromMessage(message: string | undefined): number | undefined {
  if (message == null) return undefined;
  const match = MESSAGE_HINT.exec(message);
  if (match?.[1] == null || match[2] == null) return undefined;
  const amount = Number(match[1]);
  const unit = match[2].toLowerCase();
  if (unit.startsWith('ms') || unit.startsWith('milli')) return clampHint(amount);
  if (unit.startsWith('m')) return clampHint(amount * 60_000);
  return clampHint(amount * 1000);
}
