import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { silentLogger } from '../logging/internal-logger.js';
import type { PipelineRequest, PipelineResponse } from '../spec/index.js';
import { systemClock } from '../util/clock.js';
import { createKeySelectionMiddleware } from './key-selection.js';
import { createLoggingMiddleware } from './logging.js';
import { createRetryMiddleware } from './retry.js';
import { harness } from './test-support/harness.js';
import { createTimeoutMiddleware } from './timeout.js';

function request(): PipelineRequest {
  return {
    operation: 'chat',
    provider: 'OpenAI',
    model: 'OpenAI/gpt-4o-mini',
    modelId: 'gpt-4o-mini',
    apiType: 'openai',
    method: 'POST',
    url: 'http://127.0.0.1:1/v1/chat/completions',
    headers: {},
    stream: false,
    auth: { scheme: 'bearer' },
    deadline: Date.now() + 60_000,
    attempt: 1,
    context: {},
  };
}

describe('pipeline layers are named functions', () => {
  it('each factory returns a function named after its layer', () => {
    const retry = createRetryMiddleware({
      maxRetries: 0,
      baseDelayMs: 0,
      maxDelayMs: 0,
      clock: systemClock,
      random: Math.random,
    });
    expect(createLoggingMiddleware(silentLogger, systemClock).name).toBe('loggingMiddleware');
    expect(retry.name).toBe('retryMiddleware');
    expect(createKeySelectionMiddleware(() => ({}) as never, systemClock).name).toBe(
      'keySelectionMiddleware',
    );
    expect(createTimeoutMiddleware(systemClock).name).toBe('timeoutMiddleware');
  });

  it('a failure in the transport carries a stack naming every layer it passed', async () => {
    const { pipeline } = harness({
      retry: { maxRetries: 0 },
      transport: {
        send: (): Promise<PipelineResponse> => {
          throw new Error('transport bug');
        },
      },
    });
    const error = await pipeline(request()).catch((thrown: unknown) => thrown);
    expect(LLMError.isInstance(error)).toBe(true);
    const stack = String(((error as LLMError).cause as Error).stack);
    for (const layer of [
      'transportLayer',
      'timeoutMiddleware',
      'keySelectionMiddleware',
      'retryMiddleware',
      'loggingMiddleware',
    ]) {
      expect(stack).toContain(layer);
    }
  });
});
