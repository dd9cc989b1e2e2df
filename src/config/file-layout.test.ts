import { describe, expect, it } from 'vitest';
import { fromFileLayout } from './file-layout.js';

describe('fromFileLayout', () => {
  it('passes camelCase through unchanged', () => {
    const config = {
      providers: [
        { name: 'A', apiType: 'openai', apiKeys: ['test-key-1'], models: ['m', { name: 'n', maxTokens: 5 }] },
      ],
      retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 20 },
      debugLog: { showTools: false },
      keyStore: 'memory',
      locale: 'zh',
    };
    const result = fromFileLayout(config);
    expect(result.config).toEqual(config);
    expect(result.issues).toEqual([]);
  });

  it('reads the newer groups in snake_case too: limits, remote media, pricing, routes, telemetry, gateway', async () => {
    const { resolveConfig } = await import('./resolve-config.js');
    const result = fromFileLayout({
      max_response_bytes: '1048576',
      fetch_remote_media: { allow_private_networks: true, max_bytes: 1000 },
      telemetry: { record_content: true },
      providers: [
        {
          name: 'A',
          api_type: 'openai',
          api_keys: ['test-key-1'],
          models: [
            {
              name: 'm',
              context_window: 8000,
              pricing: { input_per_m_tok: 2.5, output_per_m_tok: 10, cached_input_per_m_tok: 1.25 },
            },
            'n',
          ],
        },
      ],
      routes: [
        {
          name: 'smart',
          strategy: 'fallback',
          targets: ['A/m', { model: 'A/n' }],
          fallback_on: ['API_TIMEOUT'],
        },
      ],
      gateway: {
        body_limit_bytes: 2048,
        allow_unauthenticated_loopback: true,
        tokens: [{ name: 'ci', token: 'test-gateway-token-0001', budget_usd_per_day: 5, max_concurrent: 2 }],
      },
    });
    expect(result.issues).toEqual([]);
    expect(result.config).toMatchObject({
      maxResponseBytes: 1048576,
      fetchRemoteMedia: { allowPrivateNetworks: true, maxBytes: 1000 },
      telemetry: { recordContent: true },
      providers: [
        {
          models: [
            {
              contextWindow: 8000,
              pricing: { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 },
            },
            'n',
          ],
        },
      ],
      routes: [{ name: 'smart', fallbackOn: ['API_TIMEOUT'] }],
      gateway: {
        bodyLimitBytes: 2048,
        allowUnauthenticatedLoopback: true,
        tokens: [{ budgetUsdPerDay: 5, maxConcurrent: 2 }],
      },
    });
    const resolved = resolveConfig(result.config);
    expect(resolved.routes[0]?.fallbackOn.has('API_TIMEOUT')).toBe(true);
    expect(resolved.gateway?.tokens[0]).toMatchObject({ name: 'ci', budgetUsdPerDay: 5, maxConcurrent: 2 });
  });

  it('converts units, strings from env references and snake_case capability overrides', () => {
    const result = fromFileLayout({
      client_settings: { timeout: '1.5', retry_delay: 0.25, max_delay: 4, max_tool_rounds: '3' },
      debug_log: 'FALSE',
      providers: [
        {
          name: 'A',
          api_type: 'openai',
          api_key: 'test-key-1,test-key-2',
          timeout: 'soon',
          temperature: '0.3',
          models: [
            'm',
            {
              model_name: 'n',
              temperature: 1,
              capabilities: { json_schema: true, input_modalities: ['text'] },
            },
          ],
        },
      ],
    });
    expect(result.issues).toEqual([]);
    expect(result.config).toEqual({
      timeoutMs: 1500,
      retry: { baseDelayMs: 250, maxDelayMs: 4000 },
      maxToolRounds: 3,
      debugLog: false,
      providers: [
        {
          name: 'A',
          apiType: 'openai',
          apiKeys: ['test-key-1', 'test-key-2'],
          timeoutMs: 'soon',
          models: [
            { name: 'm', temperature: 0.3 },
            { name: 'n', temperature: 1, capabilities: { jsonSchema: true, inputModalities: ['text'] } },
          ],
        },
      ],
    });
  });

  it('maps converted paths back to the file', () => {
    const result = fromFileLayout({
      AI: {
        CLIENT_SETTINGS: { timeout: 1 },
        PROVIDERS: [{ name: 'A', api_key: ['k'], models: ['m', { model_name: 'n' }] }],
      },
    });
    expect(result.sourcePathOf('timeoutMs')).toBe('AI.CLIENT_SETTINGS.timeout');
    expect(result.sourcePathOf('providers[0].apiKeys[0]')).toBe('AI.PROVIDERS[0].api_key[0]');
    expect(result.sourcePathOf('providers[0].models[0].name')).toBe('AI.PROVIDERS[0].models[0].name');
    expect(result.sourcePathOf('providers[0].models[1].name')).toBe('AI.PROVIDERS[0].models[1].model_name');
    expect(result.sourcePathOf('providers[0].apiBase')).toBe('AI.PROVIDERS[0].apiBase');
    expect(result.sourcePathOf('locale')).toBe('locale');
  });

  it('ignores other groups next to AI, and null values', () => {
    const result = fromFileLayout({
      other_plugin: { x: 1 },
      AI: { DEFAULT_MODEL_NAME: null, PROVIDERS: [] },
    });
    expect(result.config).toEqual({ providers: [] });
  });

  it('reports a client settings group that is not a mapping', () => {
    expect(fromFileLayout({ CLIENT_SETTINGS: 5 }).issues).toEqual([
      { path: 'CLIENT_SETTINGS', message: 'must be a mapping of client settings' },
    ]);
  });

  it('leaves non-objects for validation to report', () => {
    expect(fromFileLayout(['x']).config).toEqual(['x']);
    expect(fromFileLayout({ providers: 'x' }).config).toEqual({ providers: 'x' });
  });
});
