import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { LLMResponse } from '../spec/index.js';
import { CallObservation } from './call-observation.js';
import { endCallSpans } from './call-spans.js';
import { loadOtelApi } from './load-otel-api.js';
import type { OtelTracer } from './otel-types.js';
import { memoryTracing, spanTrees } from './test-support/otel-kit.js';

function clock(start: number) {
  let now = start;
  return { now: () => now++, sleep: async () => undefined };
}

const response = (attempts: LLMResponse['attempts']): LLMResponse => ({
  text: 'ok',
  contentParts: [{ type: 'text', text: 'ok' }],
  toolCalls: [],
  finishReason: 'stop',
  images: [],
  model: 'Gemini/gemini-2.5-flash',
  attempts,
  warnings: [],
  message: { role: 'assistant', content: 'ok' },
});

const PROVIDERS: Record<string, string> = {
  'OpenAI/gpt-4o': 'openai',
  'Gemini/gemini-2.5-flash': 'gcp.gemini',
};

describe('call spans: fallback targets', () => {
  it('attempts of a route name their target; the call span lists the targets and the route runner events', () => {
    const otel = memoryTracing();
    const api = loadOtelApi();
    if (api === undefined) throw new Error('@opentelemetry/api is a dev dependency');
    const c = clock(1_000_000);
    const observation = new CallObservation(
      api,
      otel.tracer as unknown as OtelTracer,
      api.context.active(),
      c.now(),
      'chat',
      'smart',
      { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'smart' },
      c,
    );
    observation.target('OpenAI/gpt-4o', 'API_SERVER_ERROR');
    observation.target('Gemini/gemini-2.5-flash', 'ok');
    endCallSpans(
      observation,
      response([
        {
          attempt: 1,
          status: 503,
          code: 'API_SERVER_ERROR',
          durationMs: 5,
          waitMs: 0,
          startedAt: 1_000_010,
          model: 'OpenAI/gpt-4o',
        },
        {
          attempt: 1,
          status: 200,
          durationMs: 7,
          waitMs: 0,
          startedAt: 1_000_020,
          model: 'Gemini/gemini-2.5-flash',
        },
      ]),
      undefined,
      { clock: c, recordContent: false, providerNameOf: (model) => PROVIDERS[model] },
    );
    const [root] = spanTrees(otel.spans());
    expect(root?.name).toBe('chat smart');
    expect(root?.attributes).toMatchObject({
      'gen_ai.request.model': 'smart',
      'gen_ai.response.model': 'Gemini/gemini-2.5-flash',
      'gen_ai.provider.name': 'gcp.gemini',
      'switchboard.route.targets': ['OpenAI/gpt-4o', 'Gemini/gemini-2.5-flash'],
    });
    expect(root?.events).toEqual(['switchboard.route.target', 'switchboard.route.target']);
    expect(
      root?.children.map((child) => [
        child.name,
        child.attributes['gen_ai.request.model'],
        child.attributes['gen_ai.provider.name'],
        child.attributes['error.type'],
      ]),
    ).toEqual([
      ['attempt 1 OpenAI/gpt-4o', 'OpenAI/gpt-4o', 'openai', 'API_SERVER_ERROR'],
      ['attempt 1 Gemini/gemini-2.5-flash', 'Gemini/gemini-2.5-flash', 'gcp.gemini', undefined],
    ]);
    // Times are the records' own: an attempt span lasts its durationMs from its startedAt.
    const attempt = otel.spans().find((span) => span.name === 'attempt 1 OpenAI/gpt-4o');
    expect(attempt?.startTime).toEqual([1000, 10_000_000]);
    expect(attempt?.endTime).toEqual([1000, 15_000_000]);
    trace.disable();
  });

  it('without the route runner, the targets come from the attempts (distinct, in order)', () => {
    const otel = memoryTracing();
    const api = loadOtelApi()!;
    const c = clock(2_000_000);
    const observation = new CallObservation(
      api,
      otel.tracer as unknown as OtelTracer,
      api.context.active(),
      c.now(),
      'chat',
      'smart',
      {},
      c,
    );
    endCallSpans(
      observation,
      response([
        {
          attempt: 1,
          code: 'API_TIMEOUT',
          durationMs: 1,
          waitMs: 0,
          startedAt: 2_000_001,
          model: 'OpenAI/gpt-4o',
        },
        {
          attempt: 2,
          code: 'API_TIMEOUT',
          durationMs: 1,
          waitMs: 3,
          startedAt: 2_000_005,
          model: 'OpenAI/gpt-4o',
        },
        {
          attempt: 1,
          status: 200,
          durationMs: 1,
          waitMs: 0,
          startedAt: 2_000_009,
          model: 'Gemini/gemini-2.5-flash',
        },
      ]),
      undefined,
      { clock: c, recordContent: false, providerNameOf: (model) => PROVIDERS[model] },
    );
    const [root] = spanTrees(otel.spans());
    expect(root?.attributes['switchboard.route.targets']).toEqual([
      'OpenAI/gpt-4o',
      'Gemini/gemini-2.5-flash',
    ]);
    expect(root?.children.map((child) => child.name)).toEqual([
      'attempt 1 OpenAI/gpt-4o',
      'attempt 2 OpenAI/gpt-4o',
      'attempt 1 Gemini/gemini-2.5-flash',
    ]);
  });
});
