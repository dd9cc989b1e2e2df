import type { KeyStats, KeyStatus } from './library-types';
import type { Texts } from './texts';

// Worst first, as the seed's admin command sorted them (seed-spec §5.2.6).
const STATUS_ORDER: Record<KeyStatus, number> = {
  disabled: 0,
  error: 1,
  cooldown: 2,
  warning: 3,
  healthy: 4,
  unused: 5,
};

/** Keys worst first: status, then lower success rate, then more calls. */
export function sortKeyStats(stats: readonly KeyStats[]): KeyStats[] {
  return [...stats].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      a.successRate - b.successRate ||
      b.totalCalls - a.totalCalls,
  );
}

/** `45s`, `12m 5s`, `2h 3m`; `-` for none. */
export function formatDuration(seconds: number): string {
  if (!(seconds > 0)) return '-';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/**
 * `llm.keys`: one provider's keys, worst first, by their masked ids (`sk-a…wxyz`, `key#1a2b3c`) — the
 * stats never carry the keys themselves.
 * @example
 * API keys of OpenAI (2):
 * • key#1a2b3c disabled — calls 1, success 0%, latency -, cooldown -
 *   last error: API_KEY_INVALID: …; action: replace key
 */
export function formatKeyStats(provider: string, stats: readonly KeyStats[], texts: Texts): string {
  if (stats.length === 0) return texts.noKeys(provider);
  const lines = [texts.keysOf(provider, stats.length)];
  for (const key of sortKeyStats(stats)) {
    const fields = texts.keyLine({
      calls: key.totalCalls,
      success: key.totalCalls > 0 ? `${Math.round(key.successRate)}%` : '-',
      latency: key.successCount > 0 ? `${Math.round(key.avgLatencyMs)} ms` : '-',
      cooldown: formatDuration(key.cooldownSecondsLeft),
    });
    lines.push(`• ${key.keyId} ${key.status} — ${fields}`);
    const extra: string[] = [];
    if (key.lastError != null && key.lastError !== '') extra.push(`last error: ${key.lastError}`);
    if (key.suggestedAction !== '-' && key.suggestedAction !== '')
      extra.push(`action: ${key.suggestedAction}`);
    if (extra.length > 0) lines.push(`  ${extra.join('; ')}`);
  }
  return lines.join('\n');
}
