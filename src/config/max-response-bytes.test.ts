import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { resolveConfig } from './resolve-config.js';

const providers = [
  { name: 'OpenAI', apiType: 'openai' as const, apiKeys: ['test-key-1'], models: ['gpt-4o-mini'] },
];

describe('maxResponseBytes', () => {
  it('defaults to 64 MiB and keeps a given positive integer', () => {
    expect(resolveConfig({ providers }).maxResponseBytes).toBe(67_108_864);
    expect(resolveConfig({ providers, maxResponseBytes: 1024 }).maxResponseBytes).toBe(1024);
  });

  it('rejects anything but a positive integer, by path', () => {
    for (const bad of [0, -1, 1.5, '64MB']) {
      let error: unknown;
      try {
        resolveConfig({ providers, maxResponseBytes: bad });
      } catch (thrown) {
        error = thrown;
      }
      expect(LLMError.isInstance(error) && error.code).toBe('CONFIGURATION_ERROR');
      const issues = (error as LLMError).details?.issues as { path: string }[];
      expect(issues.map((issue) => issue.path)).toEqual(['maxResponseBytes']);
    }
  });
});
