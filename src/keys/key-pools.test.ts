import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { createKeyPools } from './key-pools.js';

function config(keyStore: ResolvedConfig['keyStore']): ResolvedConfig {
  return {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiKeys: ['test-key-0001', 'test-key-0002'],
        apiBase: 'http://127.0.0.1:1',
        timeoutMs: 1000,
        headers: {},
        models: [],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiKeys: ['test-key-g1'],
        apiBase: 'http://127.0.0.1:1',
        timeoutMs: 1000,
        headers: {},
        models: [],
      },
    ],
    timeoutMs: 1000,
    retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 },
    structuredRetries: 2,
    maxToolRounds: 5,
    keyStore,
    logger: false,
    debugLog: false,
    locale: 'en',
    middlewares: [],
    geminiSafetyThreshold: 'BLOCK_NONE',
    maxResponseBytes: 67_108_864,
    routes: [],
  };
}

describe('createKeyPools', () => {
  it('one pool per provider (names case-insensitive), stats and reset by provider', async () => {
    const pools = createKeyPools(config({ type: 'memory' }));
    expect(pools.get('openai')).toBe(pools.get('OpenAI'));
    expect(pools.get('OpenAI').provider).toBe('OpenAI');
    pools.get('gemini').report('test-key-g1', 'm', { kind: 'failure', code: 'API_KEY_INVALID' });
    expect((await pools.stats('Gemini'))[0]!.status).toBe('disabled');
    expect(await pools.reset('Gemini')).toBe(1);
    // Re-enabled; the counters are kept (1 failure, 0 successes → 'error' until it succeeds).
    expect((await pools.stats('Gemini'))[0]).toMatchObject({ status: 'error', failureCount: 1 });
    expect(pools.get('Gemini').select('m')?.key).toBe('test-key-g1');
    expect(() => pools.get('Nope')).toThrow(expect.objectContaining({ code: 'CONFIGURATION_ERROR' }));
    await pools.close();
  });

  it('close flushes the file store once, however often it is called', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'switchboard-pools-')), 'keys.json');
    const pools = createKeyPools(config({ type: 'file', path }));
    pools.get('OpenAI').report('test-key-0001', 'm', { kind: 'success', latencyMs: 5 });
    await Promise.all([pools.close(), pools.close()]);
    expect(JSON.parse(readFileSync(path, 'utf8')).providers.OpenAI).toBeDefined();
  });
});
