import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLLM, type LLM } from '../client/llm.js';
import type { LLMConfig } from '../spec/index.js';
import {
  type FakeProvider,
  geminiReply,
  geminiStreamReply,
  openaiChatReply,
  openaiErrorReply,
  openaiToolCallReply,
  rateLimitReply,
  startFakeProvider,
} from '../testing/index.js';
import { functionTool } from '../tools/function-tool.js';
import { type Clock, systemClock } from '../util/clock.js';
import { allAttributeText, memoryTracing, spanTrees } from './test-support/otel-kit.js';

const KEYS = ['test-key-otel-first-0001', 'test-key-otel-second-0002'];
const PROMPT = 'What is the weather in Paris and in Rome? secret-prompt-marker';
let fake: FakeProvider;
const clients: LLM[] = [];

beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((llm) => llm.close()));
  trace.disable();
  expect(fake.pendingReplies).toBe(0);
});

/** Strictly increasing times (1 ms per reading), so spans order deterministically. */
function tickingClock(): Clock {
  let now = Date.parse('2025-06-01T12:00:00Z');
  return { now: () => now++, sleep: systemClock.sleep };
}

function client(telemetry: LLMConfig['telemetry'], extra: Partial<LLMConfig> = {}): LLM {
  const llm = createLLM(
    {
      providers: [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: KEYS,
          models: ['gpt-4o-mini'],
        },
        {
          name: 'Gemini',
          apiType: 'gemini',
          apiBase: fake.geminiBase,
          apiKeys: ['test-key-otel-gemini-0003'],
          models: ['gemini-2.5-flash'],
        },
      ],
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
      ...(telemetry !== undefined ? { telemetry } : {}),
      ...extra,
    },
    { clock: tickingClock() },
  );
  clients.push(llm);
  return llm;
}

const weather = functionTool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, tempC: city === 'Paris' ? 21 : 24 }),
});

/** 429 on the first key (the retry goes to the second at once), two tool calls, then the answer. */
function scriptRetryAndTools(): void {
  fake.enqueue(
    rateLimitReply({ retryAfterSeconds: 60 }),
    openaiToolCallReply(
      [
        { name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_paris' },
        { name: 'get_weather', arguments: { city: 'Rome' }, id: 'call_rome' },
      ],
      { usage: { promptTokens: 50, completionTokens: 20 } },
    ),
    openaiChatReply('Paris 21 °C, Rome 24 °C.', { usage: { promptTokens: 90, completionTokens: 8 } }),
  );
}

describe('OpenTelemetry spans (API.md §16)', () => {
  it('a call that retried on a second key and ran two tools: the span tree, attributes and statuses', async () => {
    const otel = memoryTracing();
    const llm = client({ tracer: otel.tracer });
    scriptRetryAndTools();
    const response = await llm.chat(PROMPT, {
      tools: [weather],
      config: { core: { maxTokens: 300, temperature: 0.2 } },
    });
    expect(response.text).toBe('Paris 21 °C, Rome 24 °C.');

    const [root, ...others] = spanTrees(otel.spans());
    expect(others).toEqual([]);
    expect(root).toMatchObject({
      name: 'chat OpenAI/gpt-4o-mini',
      kind: SpanKind.CLIENT,
      status: { code: SpanStatusCode.UNSET },
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'OpenAI/gpt-4o-mini',
        'gen_ai.response.model': 'OpenAI/gpt-4o-mini',
        'gen_ai.request.max_tokens': 300,
        'gen_ai.request.temperature': 0.2,
        // Both model requests of the tool loop.
        'gen_ai.usage.input_tokens': 140,
        'gen_ai.usage.output_tokens': 28,
        'gen_ai.response.finish_reasons': ['stop'],
      },
    });
    expect(root?.attributes['error.type']).toBeUndefined();
    const [firstKey, secondKey] = (await llm.keys.stats('OpenAI')).map((stats) => stats.keyId);
    expect(
      root?.children.map((child) => [
        child.name,
        child.status.code,
        child.attributes['error.type'],
        child.attributes['http.response.status_code'],
        child.attributes['switchboard.key_id'],
        child.attributes['gen_ai.tool.call.id'],
      ]),
    ).toEqual([
      ['attempt 1 OpenAI/gpt-4o-mini', SpanStatusCode.ERROR, 'API_RATE_LIMITED', 429, firstKey, undefined],
      ['attempt 2 OpenAI/gpt-4o-mini', SpanStatusCode.UNSET, undefined, 200, secondKey, undefined],
      ['execute_tool get_weather', SpanStatusCode.UNSET, undefined, undefined, undefined, 'call_paris'],
      ['execute_tool get_weather', SpanStatusCode.UNSET, undefined, undefined, undefined, 'call_rome'],
      // The second round of the tool loop: its own first attempt.
      ['attempt 1 OpenAI/gpt-4o-mini', SpanStatusCode.UNSET, undefined, 200, secondKey, undefined],
    ]);
    expect(root?.attributes['switchboard.route.targets']).toBeUndefined();
    expect(root?.children[1]?.attributes).toEqual({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'OpenAI/gpt-4o-mini',
      'http.request.resend_count': 1,
      'http.response.status_code': 200,
      'switchboard.key_id': secondKey,
      'switchboard.wait_ms': 0,
    });
    expect(root?.children[2]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.type': 'function',
    });
    for (const child of root?.children ?? []) expect(child.children).toEqual([]);

    // Without recordContent: no prompt, answer or tool data; never a key (masked ids only).
    const text = allAttributeText(otel.spans());
    expect(text).not.toContain('secret-prompt-marker');
    expect(text).not.toContain('Paris 21');
    expect(text).not.toContain('tempC');
    for (const key of KEYS) expect(text).not.toContain(key);
    for (const attribute of [
      'gen_ai.input.messages',
      'gen_ai.output.messages',
      'gen_ai.tool.call.arguments',
    ]) {
      expect(text).not.toContain(attribute);
    }
  });

  it('a route call that retried on a second key, fell back to another provider and ran two tools: the span tree', async () => {
    const otel = memoryTracing();
    const llm = client(
      { tracer: otel.tracer },
      {
        retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 },
        routes: [{ name: 'smart', targets: ['OpenAI/gpt-4o-mini', 'Gemini/gemini-2.5-flash'] }],
      },
    );
    fake.enqueue(
      rateLimitReply({ retryAfterSeconds: 60 }),
      openaiErrorReply(503, { message: 'overloaded', type: 'server_error' }),
      geminiReply(
        [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
        ],
        { usage: { promptTokens: 40, candidatesTokens: 10 } },
      ),
      geminiReply('Paris 21 °C, Rome 24 °C.', { usage: { promptTokens: 70, candidatesTokens: 9 } }),
    );
    const response = await llm.chat(PROMPT, { model: 'smart', tools: [weather] });
    expect(response.text).toBe('Paris 21 °C, Rome 24 °C.');
    expect(response.model).toBe('Gemini/gemini-2.5-flash');

    const [root, ...others] = spanTrees(otel.spans());
    expect(others).toEqual([]);
    expect(root).toMatchObject({
      name: 'chat smart',
      status: { code: SpanStatusCode.UNSET },
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'smart',
        'gen_ai.response.model': 'Gemini/gemini-2.5-flash',
        'gen_ai.usage.input_tokens': 110,
        'gen_ai.usage.output_tokens': 19,
        'switchboard.route.targets': ['OpenAI/gpt-4o-mini', 'Gemini/gemini-2.5-flash'],
      },
    });
    const [firstKey, secondKey] = (await llm.keys.stats('OpenAI')).map((stats) => stats.keyId);
    expect(
      root?.children.map((child) => [
        child.name,
        child.status.code,
        child.attributes['error.type'],
        child.attributes['http.response.status_code'],
        child.attributes['switchboard.key_id'],
      ]),
    ).toEqual([
      ['attempt 1 OpenAI/gpt-4o-mini', SpanStatusCode.ERROR, 'API_RATE_LIMITED', 429, firstKey],
      ['attempt 2 OpenAI/gpt-4o-mini', SpanStatusCode.ERROR, 'API_SERVER_ERROR', 503, secondKey],
      ['attempt 1 Gemini/gemini-2.5-flash', SpanStatusCode.UNSET, undefined, 200, expect.any(String)],
      ['execute_tool get_weather', SpanStatusCode.UNSET, undefined, undefined, undefined],
      ['execute_tool get_weather', SpanStatusCode.UNSET, undefined, undefined, undefined],
      ['attempt 1 Gemini/gemini-2.5-flash', SpanStatusCode.UNSET, undefined, 200, expect.any(String)],
    ]);
    const text = allAttributeText(otel.spans());
    expect(text).not.toContain('secret-prompt-marker');
    for (const key of [...KEYS, 'test-key-otel-gemini-0003']) expect(text).not.toContain(key);
  });

  it('recordContent: prompt, instruction, answer and tool data as semconv JSON — configured keys masked even there', async () => {
    const otel = memoryTracing();
    const llm = client({ tracer: otel.tracer, recordContent: true });
    scriptRetryAndTools();
    await llm.chat(`${PROMPT} (my key is ${KEYS[0]})`, { tools: [weather], instruction: 'Be brief.' });
    const [root] = spanTrees(otel.spans());
    const input = JSON.parse(String(root?.attributes['gen_ai.input.messages']));
    expect(input).toEqual([
      { role: 'user', parts: [{ type: 'text', content: expect.stringContaining('secret-prompt-marker') }] },
    ]);
    expect(JSON.parse(String(root?.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
    expect(JSON.parse(String(root?.attributes['gen_ai.output.messages']))).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'Paris 21 °C, Rome 24 °C.' }],
        finish_reason: 'stop',
      },
    ]);
    const tool = root?.children.find((child) => child.attributes['gen_ai.tool.call.id'] === 'call_rome');
    expect(JSON.parse(String(tool?.attributes['gen_ai.tool.call.arguments']))).toEqual({ city: 'Rome' });
    expect(JSON.parse(String(tool?.attributes['gen_ai.tool.call.result']))).toEqual({
      city: 'Rome',
      tempC: 24,
    });
    const text = allAttributeText(otel.spans());
    for (const key of KEYS) expect(text).not.toContain(key);
  });

  it('a failed call: error.type and status ERROR on the call span, one failed span per attempt', async () => {
    const otel = memoryTracing();
    const llm = client({ tracer: otel.tracer });
    fake.enqueue(
      ...Array.from({ length: 3 }, () =>
        openaiErrorReply(503, { message: 'overloaded', type: 'server_error' }),
      ),
    );
    const error = await llm.chat('hi').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'API_SERVER_ERROR' });
    const [root] = spanTrees(otel.spans());
    expect(root).toMatchObject({
      name: 'chat OpenAI/gpt-4o-mini',
      status: { code: SpanStatusCode.ERROR },
      attributes: { 'error.type': 'API_SERVER_ERROR', 'gen_ai.provider.name': 'openai' },
    });
    expect(root?.children.map((child) => [child.name, child.attributes['error.type']])).toEqual([
      ['attempt 1 OpenAI/gpt-4o-mini', 'API_SERVER_ERROR'],
      ['attempt 2 OpenAI/gpt-4o-mini', 'API_SERVER_ERROR'],
      ['attempt 3 OpenAI/gpt-4o-mini', 'API_SERVER_ERROR'],
    ]);
  });

  it('a stream: the span ends at the last event, with the time to first chunk; Gemini is gcp.gemini', async () => {
    const otel = memoryTracing();
    const llm = client({ tracer: otel.tracer });
    fake.enqueue(geminiStreamReply(['Hel', 'lo', '!']));
    const stream = llm.stream('hi', { model: 'Gemini/gemini-2.5-flash' });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'text-delta', text: 'Hel' });
    expect(otel.spans()).toEqual([]);
    while (!(await iterator.next()).done) {
      // read to the end
    }
    const [root] = spanTrees(otel.spans());
    expect(root).toMatchObject({
      name: 'chat Gemini/gemini-2.5-flash',
      attributes: {
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.stream': true,
        'gen_ai.response.finish_reasons': ['stop'],
      },
    });
    const ttfc = root?.attributes['gen_ai.response.time_to_first_chunk'];
    expect(typeof ttfc === 'number' && ttfc > 0).toBe(true);
    expect(root?.children.map((child) => child.name)).toEqual(['attempt 1 Gemini/gemini-2.5-flash']);
  });

  it('the global provider: spans when one is registered (also after createLLM), none before or after disable', async () => {
    const llm = client(undefined);
    const otel = memoryTracing();
    fake.enqueue(openaiChatReply('one'), openaiChatReply('two'), openaiChatReply('three'));
    await llm.chat('before');
    trace.setGlobalTracerProvider(otel.provider);
    await llm.chat('during');
    trace.disable();
    await llm.chat('after');
    expect(otel.spans().map((span) => [span.name, span.instrumentationScope.name])).toEqual([
      ['attempt 1 OpenAI/gpt-4o-mini', 'switchboard-llm'],
      ['chat OpenAI/gpt-4o-mini', 'switchboard-llm'],
    ]);
  });

  it('telemetry: false makes no span even with a provider registered', async () => {
    const otel = memoryTracing();
    trace.setGlobalTracerProvider(otel.provider);
    const llm = client(false);
    fake.enqueue(openaiChatReply('quiet'));
    await llm.chat('hi');
    expect(otel.spans()).toEqual([]);
  });

  it('embeddings and structured calls get their own operation and one span each', async () => {
    const otel = memoryTracing();
    const llm = createLLM(
      {
        providers: [
          {
            name: 'OpenAI',
            apiType: 'openai',
            apiBase: fake.openaiBase,
            apiKeys: KEYS,
            models: ['gpt-4o-mini', { name: 'text-embedding-3-small', embedding: true }],
          },
        ],
        telemetry: { tracer: otel.tracer },
      },
      { clock: tickingClock() },
    );
    clients.push(llm);
    await llm.embed(['a', 'b']);
    fake.enqueue(openaiChatReply('{"n": 1}'));
    await llm.generateStructured('one', z.object({ n: z.number() }));
    expect(
      spanTrees(otel.spans()).map((root) => [root.name, root.attributes['gen_ai.operation.name']]),
    ).toEqual([
      ['embeddings OpenAI/text-embedding-3-small', 'embeddings'],
      ['chat OpenAI/gpt-4o-mini', 'chat'],
    ]);
  });
});
