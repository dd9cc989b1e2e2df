import { describe, expect, it } from 'vitest';
import type { KeyStats } from '../spec/index.js';
import { createColors } from './colors.js';
import { formatDuration, renderKeyTable, sortKeyStats } from './key-table.js';

const stats = (keyId: string, status: KeyStats['status'], extra: Partial<KeyStats> = {}): KeyStats => ({
  keyId,
  status,
  cooldownSecondsLeft: 0,
  totalCalls: 0,
  successCount: 0,
  failureCount: 0,
  successRate: 100,
  avgLatencyMs: 0,
  suggestedAction: '-',
  ...extra,
});

describe('key table', () => {
  it('sorts worst first like the seed admin command: status, then lower success rate, then more calls', () => {
    const sorted = sortKeyStats([
      stats('unused', 'unused'),
      stats('healthy-few', 'healthy', { totalCalls: 2 }),
      stats('healthy-many', 'healthy', { totalCalls: 9 }),
      stats('healthy-worse', 'healthy', { totalCalls: 9, successRate: 80 }),
      stats('disabled', 'disabled'),
      stats('cooldown', 'cooldown'),
    ]);
    expect(sorted.map((key) => key.keyId)).toEqual([
      'disabled',
      'cooldown',
      'healthy-worse',
      'healthy-many',
      'healthy-few',
      'unused',
    ]);
  });

  it('formats cooldowns', () => {
    expect([0, 0.2, 45, 125, 3_725, 90_000].map(formatDuration)).toEqual([
      '-',
      '1s',
      '45s',
      '2m 5s',
      '1h 2m',
      '1d 1h',
    ]);
  });

  it('renders one row per key with masked ids, rates, latency, last error and action', () => {
    const text = renderKeyTable(
      [
        stats('key#abcdef', 'disabled', {
          totalCalls: 1,
          failureCount: 1,
          successRate: 0,
          lastError: 'API_KEY_INVALID: Incorrect API key provided',
          suggestedAction: 'replace key',
        }),
        stats('test…0001', 'healthy', { totalCalls: 4, successCount: 4, avgLatencyMs: 123.4 }),
      ],
      createColors(false),
    );
    expect(text.split('\n')).toEqual([
      '  KEY         STATUS    COOLDOWN  CALLS  SUCCESS  LATENCY  LAST ERROR                                   ACTION',
      '  key#abcdef  disabled         -      1       0%        -  API_KEY_INVALID: Incorrect API key provided  replace key',
      '  test…0001   healthy          -      4     100%   123 ms  -                                            -',
      '',
    ]);
  });
});
