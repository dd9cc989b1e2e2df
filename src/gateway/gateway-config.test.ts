import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import { resolveGateway } from '../config/resolve-gateway.js';
import { LLMError } from '../errors/llm-error.js';
import { hashKey } from '../util/key-id.js';

const providers = [
  { name: 'OpenAI', apiType: 'openai', apiKeys: ['test-key-cfg-0001'], models: ['gpt-4o-mini'] },
];

function issuesOf(gateway: unknown): { path: string; message: string }[] {
  try {
    resolveConfig({ providers, gateway });
  } catch (error) {
    if (LLMError.isInstance(error)) return error.details?.issues as { path: string; message: string }[];
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('gateway config', () => {
  it('applies the defaults of API.md §15', () => {
    expect(resolveGateway(undefined)).toEqual({
      port: 4000,
      host: '127.0.0.1',
      tokens: [],
      bodyLimitBytes: 10 * 1024 * 1024,
      allowUnauthenticatedLoopback: false,
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 30_000,
      drainTimeoutMs: 30_000,
      accessLog: true,
    });
  });

  it('keeps only the SHA-256 of each token; expiresAt becomes epoch ms; numeric strings (from environment references) become numbers', () => {
    const resolved = resolveConfig({
      providers,
      gateway: {
        port: '4100',
        allowUnauthenticatedLoopback: 'false',
        tokens: [
          {
            name: 'web',
            token: ' gw-cfg-token-0123456789 ',
            models: ['OpenAI/*'],
            rpm: '60',
            tpm: 1000,
            maxConcurrent: 4,
            budgetUsdPerDay: 2.5,
            expiresAt: '2027-01-01T00:00:00Z',
          },
        ],
      },
    });
    const gateway = resolved.gateway!;
    expect(gateway.port).toBe(4100);
    expect(gateway.tokens).toEqual([
      {
        name: 'web',
        tokenHash: hashKey('gw-cfg-token-0123456789'),
        models: ['OpenAI/*'],
        rpm: 60,
        tpm: 1000,
        maxConcurrent: 4,
        budgetUsdPerDay: 2.5,
        expiresAt: Date.UTC(2027, 0, 1),
      },
    ]);
    expect(JSON.stringify(resolved.gateway)).not.toContain('gw-cfg-token-0123456789');
  });

  it('reports every problem by path, never quoting a token', () => {
    const issues = issuesOf({
      port: 70_000,
      bodyLimitBytes: 0,
      colour: 'red',
      tokens: [
        { name: 'a', token: 'short-secret', rpm: 1.5 },
        { name: 'A', token: 'gw-cfg-token-duplicate-01', expiresAt: 'tomorrow' },
        { name: 'b', token: 'gw-cfg-token-duplicate-01', limit: 3 },
        { token: 'gw-cfg-token-nameless-0001' },
      ],
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      'gateway.bodyLimitBytes',
      'gateway.colour',
      'gateway.port',
      'gateway.tokens[0].rpm',
      'gateway.tokens[0].token',
      'gateway.tokens[1].expiresAt',
      'gateway.tokens[1].name',
      'gateway.tokens[2].limit',
      'gateway.tokens[2].token',
      'gateway.tokens[3].name',
    ]);
    const text = JSON.stringify(issues);
    expect(text).not.toContain('short-secret');
    expect(text).not.toContain('gw-cfg-token-duplicate-01');
    expect(issues.find((issue) => issue.path === 'gateway.tokens[0].token')?.message).toMatch(/at least 16/);
    expect(issues.find((issue) => issue.path === 'gateway.tokens[1].name')?.message).toMatch(
      /duplicate token name/,
    );
  });
});
