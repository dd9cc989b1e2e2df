import type { KeyStats, KeyStatus } from '../spec/index.js';
import type { Colors } from './colors.js';
import { type Cell, renderTable } from './table.js';

// The seed admin command's order (seed-spec §5.2.6): worst first, then lower success rate, then busier keys.
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
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

function statusStyle(status: KeyStatus, colors: Colors): (text: string) => string {
  switch (status) {
    case 'disabled':
    case 'error':
      return colors.red;
    case 'cooldown':
    case 'warning':
      return colors.yellow;
    case 'healthy':
      return colors.green;
    case 'unused':
      return colors.dim;
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

/** The health table of one provider's keys (masked ids only). */
export function renderKeyTable(stats: readonly KeyStats[], colors: Colors, indent = '  '): string {
  const rows: Cell[][] = sortKeyStats(stats).map((key) => [
    key.keyId,
    { text: key.status, style: statusStyle(key.status, colors) },
    formatDuration(key.cooldownSecondsLeft),
    String(key.totalCalls),
    key.totalCalls > 0 ? `${Math.round(key.successRate)}%` : '-',
    key.successCount > 0 ? `${Math.round(key.avgLatencyMs)} ms` : '-',
    key.lastError ?? '-',
    key.suggestedAction,
  ]);
  return renderTable(
    [
      { header: 'KEY' },
      { header: 'STATUS' },
      { header: 'COOLDOWN', align: 'right' },
      { header: 'CALLS', align: 'right' },
      { header: 'SUCCESS', align: 'right' },
      { header: 'LATENCY', align: 'right' },
      { header: 'LAST ERROR', maxWidth: 48 },
      { header: 'ACTION' },
    ],
    rows,
    { headerStyle: colors.dim, indent },
  );
}
