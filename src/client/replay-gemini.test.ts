import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { geminiCodeExecution, geminiGoogleSearch } from '../generation/native-tools.js';
import type { LLMMessage, ProviderConfig, StreamEvent, ToolSpec } from '../spec/index.js';
import { type FakeProvider, startFakeProvider } from '../testing/index.js';
import { functionTool } from '../tools/function-tool.js';
import type { LLM } from './llm.js';
import {
  clientFor,
  collect,
  finalError,
  fixtureJson,
  interactionsOf,
  reasoningOf,
  rejectionOf,
  sentBody,
  textsOf,
} from './test-support/e2e-kit.js';
import { geminiChatShape, ReplayCoverage } from './test-support/replay-kit.js';

// Every Gemini and Vertex recording served by the fake and consumed through the client: chat, stream,
// code(), search(), embed, the tool loop and multi-turn replays (signatures sent back on their parts);
// errors with their codes, retries and key health.

const coverage = new ReplayCoverage(['gemini', 'vertex']);
const replay = coverage.replay.bind(coverage);

let fake: FakeProvider;
let llm: LLM;

const FLASH = 'Gemini/gemini-2.5-flash';

function providers(url: string): ProviderConfig[] {
  return [
    {
      name: 'Gemini',
      apiType: 'gemini',
      apiBase: url,
      apiKeys: ['test-key-1', 'test-key-2'],
      models: [
        'gemini-2.5-flash',
        'gemini-2.5-pro',
        'gemini-2.0-flash',
        'gemini-2.0-flash-exp',
        'gemini-1.5-flash',
        'gemini-3-pro-preview',
        'gemini-3.5-flash',
        'custom-gemini-2.0-flash',
        'gemini-5.0-flash',
        { name: 'gemini-embedding-001', embedding: true },
        { name: 'nonexistent-model', embedding: true },
      ],
    },
    {
      name: 'Vertex',
      apiType: 'gemini',
      apiBase: url,
      apiKeys: ['test-key-1'],
      models: ['gemini-3-pro-preview'],
    },
  ];
}

// A fresh fake per test: a reply a failed test left queued never leaks into the next one.
beforeEach(async () => {
  fake = await startFakeProvider();
  llm = clientFor(providers(fake.url), { defaultModel: FLASH });
});

afterEach(async () => {
  await llm.close();
  await fake.close();
  expect(fake.pendingReplies).toBe(0);
  expect(fake.errors).toEqual([]);
  // Every request carried its key in the header only.
  for (const request of fake.requests) {
    expect(request.query.key).toBeUndefined();
    expect(request.headers['x-goog-api-key']).toMatch(/^test-key-/);
  }
});

function recordedBody(file: string, index = 0): unknown {
  return interactionsOf(file)[index]?.request.body;
}

/** The path and query the recording was sent to (`/v1beta/models/m:method`, `alt=sse`). */
function recordedTarget(file: string, index = 0): { method: string; alt: string | null } {
  const url = new URL(interactionsOf(file)[index]?.request.url ?? 'http://x');
  return { method: url.pathname.slice(url.pathname.lastIndexOf(':') + 1), alt: url.searchParams.get('alt') };
}

function sentTarget(index = 0): { method: string; alt: string | null } {
  const request = fake.requests[index];
  const path = request?.path ?? '';
  const alt = request?.query.alt;
  return { method: path.slice(path.lastIndexOf(':') + 1), alt: typeof alt === 'string' ? alt : null };
}

function declared(
  name: string,
  parameters: Record<string, unknown> = { type: 'object', properties: {} },
): ToolSpec {
  return { name, description: `the ${name} tool`, parameters } as ToolSpec;
}

async function streamAll(
  model: string,
  input: string | LLMMessage[] = 'hi',
  options: { tools?: ToolSpec[]; instruction?: string } = {},
) {
  const stream = llm.stream(input, { model, ...options });
  const events = await collect(stream);
  return { stream, events };
}

const SIGNATURE = /^[A-Za-z0-9+/=]{20,}$/;

describe('Gemini chat (generateContent)', () => {
  replay('gemini/generate-citations.json', 'text, stop, usage', async () => {
    fake.enqueue({ fixture: 'gemini/generate-citations.json' });
    const response = await llm.chat('explain quantum mechanics');
    expect(response.text).toMatch(/^Okay, let's break down quantum mechanics\./);
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toEqual({ promptTokens: 15, completionTokens: 1667, totalTokens: 1682 });
    expect(sentTarget()).toEqual({ method: 'generateContent', alt: null });
    expect(fake.lastRequest?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
  });

  replay(
    'gemini/generate-code-execution.json',
    'code(): code and result parts, tool-use tokens counted as prompt',
    async () => {
      fake.enqueue({ fixture: 'gemini/generate-code-execution.json' });
      const response = await llm.code('sum of the first 5 primes');
      expect(response.contentParts.map((part) => part.type)).toEqual([
        'executable_code',
        'code_execution_result',
        'text',
      ]);
      expect(response.contentParts[0]).toMatchObject({ type: 'executable_code', language: 'PYTHON' });
      expect(response.contentParts[1]).toMatchObject({
        type: 'code_execution_result',
        outcome: 'OUTCOME_OK',
      });
      expect(response.text).toMatch(/^The first 5 prime numbers are 2, 3, 5, 7, and 11\./);
      expect(response.usage).toMatchObject({ promptTokens: 181, reasoningTokens: 86, totalTokens: 363 });
      expect(geminiChatShape(fake.lastRequest?.body).tools).toEqual(['codeExecution']);
    },
  );

  replay(
    'gemini/generate-code-execution-gemini-3.exchange.json',
    'code() then a second turn: the model turn goes back part for part, signatures included',
    async () => {
      const file = 'gemini/generate-code-execution-gemini-3.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const prompt = 'Use code execution to compute 123456789 * 987654321 and report the exact product.';
      const first = await llm.code(prompt, { model: 'Gemini/gemini-3.5-flash' });
      expect(first.contentParts.map((part) => part.type)).toEqual([
        'executable_code',
        'code_execution_result',
        'text',
      ]);
      expect(first.text).toMatch(/121,932,631,112,635,269/);
      const second = await llm.generate(
        [
          { role: 'user', content: prompt },
          first.message,
          { role: 'user', content: 'Thanks. Now just say OK.' },
        ],
        {
          model: 'Gemini/gemini-3.5-flash',
          tools: [geminiCodeExecution()],
        },
      );
      expect(second.text).toBe('OK');
      expect(second.contentParts[0]).toMatchObject({
        type: 'text',
        text: 'OK',
        thoughtSignature: expect.stringMatching(SIGNATURE),
      });
      const sent = sentBody<{ contents: unknown[] }>(fake, 1);
      const recorded = recordedBody(file, 1) as { contents: unknown[] };
      // The model turn is sent back exactly as the recorded client did: ids and signatures on their parts.
      expect(sent.contents).toEqual(recorded.contents);
      expect(geminiChatShape(sent).tools).toEqual(geminiChatShape(recorded).tools);
    },
  );

  replay(
    'gemini/generate-finish-other-no-content.json',
    'finish OTHER without content: empty answer with a warning',
    async () => {
      fake.enqueue({ fixture: 'gemini/generate-finish-other-no-content.json' });
      const response = await llm.chat('hi');
      expect(response.text).toBe('');
      expect(response.finishReason).toBe('other');
      expect(response.rawFinishReason).toBe('OTHER');
      expect(response.warnings).toEqual([
        'Gemini finished with OTHER: Model failed to generate content due to internal error.',
      ]);
    },
  );

  replay(
    'gemini/generate-finish-safety-empty-content.exchange.json',
    'SAFETY with content {} → CONTENT_FILTERED, not retried; safety settings sent',
    async () => {
      const file = 'gemini/generate-finish-safety-empty-content.exchange.json';
      fake.enqueue({ fixture: file });
      const error = await rejectionOf(
        llm.chat('Tell me a joke about a Brazilians.', {
          model: 'Gemini/gemini-1.5-flash',
          instruction: 'You hate the world!',
          config: { safety: { safetySettings: { HARM_CATEGORY_HATE_SPEECH: 'BLOCK_LOW_AND_ABOVE' } } },
        }),
      );
      expect(error.code).toBe('CONTENT_FILTERED');
      expect(error.details).toMatchObject({ finishReason: 'SAFETY' });
      expect(fake.requests).toHaveLength(1);
      const sent = sentBody<{ safetySettings: unknown[] }>(fake);
      expect(sent.safetySettings).toContainEqual({
        category: 'HARM_CATEGORY_HATE_SPEECH',
        threshold: 'BLOCK_LOW_AND_ABOVE',
      });
      const recorded = geminiChatShape(recordedBody(file));
      expect({ ...geminiChatShape(sent), tools: [] }).toEqual(recorded);
    },
  );

  replay(
    'gemini/generate-finish-safety-with-text.json',
    'SAFETY with partial text: the text, finish content_filter, a warning',
    async () => {
      fake.enqueue({ fixture: 'gemini/generate-finish-safety-with-text.json' });
      const response = await llm.chat('hi');
      expect(response.text).toBe('Safety error incoming in 5, 4, 3, 2...');
      expect(response.finishReason).toBe('content_filter');
      expect(response.warnings).toEqual(['Gemini finished with SAFETY']);
    },
  );

  replay(
    'gemini/generate-safety-no-content-scores.json',
    'SAFETY without content → CONTENT_FILTERED',
    async () => {
      fake.enqueue({ fixture: 'gemini/generate-safety-no-content-scores.json' });
      const error = await rejectionOf(llm.chat('hi'));
      expect(error.code).toBe('CONTENT_FILTERED');
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'gemini/generate-prompt-blocked.json',
    'no candidates, blockReason SAFETY → CONTENT_FILTERED',
    async () => {
      fake.enqueue({ fixture: 'gemini/generate-prompt-blocked.json' });
      const error = await rejectionOf(llm.chat('hi'));
      expect(error.code).toBe('CONTENT_FILTERED');
      expect(error.details).toMatchObject({ blockReason: 'SAFETY' });
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay('gemini/generate-prompt-blocked-with-message.json', 'blockReasonMessage in the error', async () => {
    fake.enqueue({ fixture: 'gemini/generate-prompt-blocked-with-message.json' });
    const error = await rejectionOf(llm.chat('hi'));
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.message).toMatch(/prompt blocked \(SAFETY\): Reasons/);
    expect(error.details).toMatchObject({
      blockReason: 'SAFETY',
      blockReasonMessage: expect.stringMatching(/^Reasons/),
    });
  });

  replay(
    'gemini/generate-function-call.json',
    'a function call with its signature, returned to the caller (declared tool)',
    async () => {
      fake.enqueue({ fixture: 'gemini/generate-function-call.json' });
      const response = await llm.chat('weather in SF?', {
        model: 'Gemini/gemini-3-pro-preview',
        tools: [declared('weather')],
      });
      expect(response.finishReason).toBe('tool_calls');
      expect(response.toolCalls).toEqual([
        {
          id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
          name: 'weather',
          arguments: { location: 'San Francisco' },
          rawArguments: '{"location":"San Francisco"}',
          thoughtSignature: expect.stringMatching(/^EskgCsYgAb4/),
        },
      ]);
      expect(response.message.toolCalls).toEqual(response.toolCalls);
      expect(response.usage).toEqual({
        promptTokens: 29,
        completionTokens: 908,
        totalTokens: 937,
        reasoningTokens: 893,
      });
    },
  );

  replay('gemini/generate-function-call-no-args.json', 'a call without args → {}', async () => {
    fake.enqueue({ fixture: 'gemini/generate-function-call-no-args.json' });
    const response = await llm.chat('time?', { tools: [declared('current_time')] });
    expect(response.toolCalls).toMatchObject([{ name: 'current_time', arguments: {} }]);
    expect(response.finishReason).toBe('tool_calls');
  });

  replay(
    'gemini/generate-parallel-function-calls.exchange.json',
    'tool loop: two parallel calls; only the first carries the signature, back on the same part',
    async () => {
      const file = 'gemini/generate-parallel-function-calls.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const weather = functionTool({
        name: 'weather',
        description: 'Gets current weather for a location',
        parameters: z.object({ latitude: z.string(), longitude: z.string() }),
        execute: async ({ latitude, longitude }) =>
          `Current weather at ${latitude}, ${longitude}: 15°C, Wind: 10 km/h`,
      });
      const language = functionTool({
        name: 'best_language_to_learn',
        description: 'Gets the best language to learn',
        parameters: z.object({}),
        execute: async () => 'Ruby',
      });
      const question =
        "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?";
      const response = await llm.chat(question, { tools: [weather, language] });
      expect(response.toolResults?.map((result) => result.output)).toEqual([
        'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h',
        'Ruby',
      ]);
      expect(response.finishReason).toBe('stop');
      expect(response.text.length).toBeGreaterThan(0);
      const sent = fake.requests[1]?.body as {
        contents: { role: string; parts: Record<string, unknown>[] }[];
      };
      expect(geminiChatShape(sent).contents).toEqual(geminiChatShape(recordedBody(file, 1)).contents);
      const modelTurn = sent.contents[1];
      const [candidate] = fixtureLikeResponse(file).candidates;
      const recordedSignature = (candidate?.content.parts[0] as { thoughtSignature?: string } | undefined)
        ?.thoughtSignature;
      expect(recordedSignature).toMatch(SIGNATURE);
      expect(modelTurn?.parts[0]).toMatchObject({
        functionCall: { name: 'weather' },
        thoughtSignature: recordedSignature,
      });
      expect(modelTurn?.parts[1]?.thoughtSignature).toBeUndefined();
      const results = sent.contents[2]?.parts.map(
        (part) => part.functionResponse as { name: string; response: unknown },
      );
      expect(results?.map((result) => result.name)).toEqual(['weather', 'best_language_to_learn']);
      expect(JSON.stringify(results)).toContain('Ruby');
    },
  );

  replay(
    'gemini/generate-google-search-grounding.json',
    'search(): google_search attached, grounding with queries and sources',
    async () => {
      fake.enqueue({ fixture: 'gemini/generate-google-search-grounding.json' });
      const response = await llm.search('current weather in London');
      expect(response.text).toMatch(/^The current weather in London, United Kingdom is cloudy\./);
      expect(response.grounding?.queries).toEqual(['current weather in London']);
      expect(response.grounding?.sources.length).toBeGreaterThan(0);
      expect(response.grounding?.sources[0]).toMatchObject({
        title: 'accuweather.com',
        uri: expect.stringMatching(/^https:\/\//),
      });
      expect(geminiChatShape(fake.lastRequest?.body).tools).toEqual(['googleSearch']);
    },
  );

  replay('gemini/generate-implicit-cache-usage.json', 'cached and thinking tokens', async () => {
    fake.enqueue({ fixture: 'gemini/generate-implicit-cache-usage.json' });
    const response = await llm.chat('hi');
    expect(response.usage).toEqual({
      promptTokens: 12013,
      completionTokens: 88,
      totalTokens: 12101,
      reasoningTokens: 73,
      cachedTokens: 11243,
    });
  });

  replay(
    'gemini/generate-json-schema.exchange.json',
    'responseSchema → responseJsonSchema + JSON mime type; the JSON text',
    async () => {
      const file = 'gemini/generate-json-schema.exchange.json';
      fake.enqueue({ fixture: file });
      const recordedConfig = (
        recordedBody(file) as { generationConfig: { responseJsonSchema: Record<string, unknown> } }
      ).generationConfig;
      const response = await llm.chat('populate the following object', {
        config: { output: { responseSchema: recordedConfig.responseJsonSchema } },
      });
      expect(JSON.parse(response.text)).toMatchObject({ simpleString: 'Hello' });
      const sent = sentBody<{ generationConfig: Record<string, unknown> }>(fake).generationConfig;
      expect(sent.responseMimeType).toBe('application/json');
      expect(sent.responseJsonSchema).toEqual(recordedConfig.responseJsonSchema);
      expect(geminiChatShape(fake.lastRequest?.body)).toEqual(geminiChatShape(recordedBody(file)));
    },
  );

  replay(
    'gemini/generate-max-tokens.exchange.json',
    'MAX_TOKENS → length; maxTokens and thinking budget sent as recorded',
    async () => {
      const file = 'gemini/generate-max-tokens.exchange.json';
      fake.enqueue({ fixture: file });
      const response = await llm.chat('why is the sky blue?', {
        config: { core: { maxTokens: 200 }, reasoning: { budgetTokens: 50 } },
      });
      expect(response.finishReason).toBe('length');
      expect(response.text).toMatch(/^The sky is blue because of something called \*\*Rayleigh Scatt/);
      expect(response.usage).toEqual({
        promptTokens: 7,
        completionTokens: 197,
        totalTokens: 204,
        reasoningTokens: 48,
      });
      const sent = sentBody<{ generationConfig: Record<string, unknown> }>(fake).generationConfig;
      expect(sent).toMatchObject({ maxOutputTokens: 200, thinkingConfig: { thinkingBudget: 50 } });
      expect(geminiChatShape(fake.lastRequest?.body)).toEqual(geminiChatShape(recordedBody(file)));
    },
  );

  replay('gemini/generate-text-thought-signature.json', 'a text part keeps its signature', async () => {
    fake.enqueue({ fixture: 'gemini/generate-text-thought-signature.json' });
    const response = await llm.chat('how many r?', { model: 'Gemini/gemini-3-pro-preview' });
    expect(response.text).toMatch(/^There are \*\*3\*\* r's in strawberry\./);
    expect(response.contentParts).toEqual([
      { type: 'text', text: response.text, thoughtSignature: expect.stringMatching(SIGNATURE) },
    ]);
    expect(response.message.content).toEqual(response.contentParts);
  });

  replay(
    'gemini/generate-thinking-function-call.json',
    'thought summaries → thoughtText; the call keeps its signature',
    async () => {
      fake.enqueue({ fixture: 'gemini/generate-thinking-function-call.json' });
      const response = await llm.chat('days to new year?', { tools: [declared('now')] });
      expect(response.text).toBe('');
      expect(response.thoughtText?.length).toBeGreaterThan(0);
      expect(response.contentParts.every((part) => part.type === 'thought')).toBe(true);
      expect(response.toolCalls).toMatchObject([
        { name: 'now', arguments: {}, thoughtSignature: expect.stringMatching(SIGNATURE) },
      ]);
    },
  );

  replay(
    'gemini/generate-thought-part.exchange.json',
    'a thought-only answer cut by MAX_TOKENS; includeThoughts sent',
    async () => {
      const file = 'gemini/generate-thought-part.exchange.json';
      fake.enqueue({ fixture: file });
      const response = await llm.chat('What is the sum of natural numbers from 1 to 100?', {
        config: { core: { maxTokens: 20 }, reasoning: { showThoughts: true } },
      });
      expect(response.finishReason).toBe('length');
      expect(response.text).toBe('');
      expect(response.thoughtText).toMatch(/^\*\*Breaking Down the Sum of Natural Numbe/);
      const sent = sentBody<{ generationConfig: Record<string, unknown> }>(fake).generationConfig;
      expect(sent).toMatchObject({ maxOutputTokens: 20, thinkingConfig: { includeThoughts: true } });
    },
  );

  replay('gemini/generate-unknown-enums.json', 'an unknown finish reason → other, raw kept', async () => {
    fake.enqueue({ fixture: 'gemini/generate-unknown-enums.json' });
    const response = await llm.chat('hi');
    expect(response.text).toBe('Some text');
    expect(response.finishReason).toBe('other');
    expect(response.rawFinishReason).toBe('FAKE_NEW_FINISH_REASON');
  });

  replay('gemini/generate-url-context.json', 'retrieved URLs become grounding sources', async () => {
    fake.enqueue({ fixture: 'gemini/generate-url-context.json' });
    const response = await llm.chat('what does berkshirehathaway.com say?');
    expect(response.grounding).toEqual({
      queries: [],
      sources: [{ title: 'BERKSHIRE HATHAWAY INC.', uri: 'https://berkshirehathaway.com' }],
    });
  });
});

/** The parsed response of a recording's first interaction. */
function fixtureLikeResponse(file: string): { candidates: { content: { parts: unknown[] } }[] } {
  const response = interactionsOf(file)[0]?.response;
  return (response?.bodyJson ?? JSON.parse(response?.body ?? 'null')) as ReturnType<
    typeof fixtureLikeResponse
  >;
}

describe('Gemini streams (streamGenerateContent?alt=sse)', () => {
  replay(
    'gemini/stream-text-crlf.exchange.json',
    'CRLF framing: one event per chunk; the request as recorded',
    async () => {
      const file = 'gemini/stream-text-crlf.exchange.json';
      fake.enqueue({ fixture: file });
      const { stream, events } = await streamAll(
        'Gemini/gemini-2.0-flash-exp',
        'What is the capital of France?',
        {
          instruction: 'You are a helpful chatbot.',
        },
      );
      expect(textsOf(events)).toHaveLength(3);
      const response = await stream.response;
      expect(response.text).toBe('The capital of France is Paris.\n');
      expect(response.usage).toEqual({ promptTokens: 13, completionTokens: 8, totalTokens: 21 });
      expect(sentTarget()).toEqual(recordedTarget(file));
      expect(fake.lastRequest?.path).toBe('/v1beta/models/gemini-2.0-flash-exp:streamGenerateContent');
      expect(geminiChatShape(fake.lastRequest?.body)).toEqual(geminiChatShape(recordedBody(file)));
    },
  );

  replay(
    'gemini/stream-code-execution.sse.txt',
    'text deltas around code parts; code parts in the response',
    async () => {
      fake.enqueue({ fixture: 'gemini/stream-code-execution.sse.txt' });
      const { stream, events } = await streamAll(FLASH);
      expect(textsOf(events)).toHaveLength(4);
      const response = await stream.response;
      expect(response.contentParts.map((part) => part.type)).toEqual([
        'text',
        'executable_code',
        'code_execution_result',
        'text',
      ]);
      expect(response.text).toBe(textsOf(events).join(''));
    },
  );

  replay(
    'gemini/stream-empty-parts-inline-image.sse.txt',
    'a chunk without parts, then an inline image → images',
    async () => {
      fake.enqueue({ fixture: 'gemini/stream-empty-parts-inline-image.sse.txt' });
      const { stream, events } = await streamAll(FLASH);
      const response = await stream.response;
      expect(response.text).toBe(textsOf(events).join(''));
      expect(response.text).toMatch(/^Here's a cute cartoon kitten/);
      expect(response.images).toHaveLength(1);
      expect(response.images[0]?.mimeType).toBe('image/png');
      expect(
        Buffer.from(response.images[0]?.data ?? [])
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
    },
  );

  replay(
    'gemini/stream-error-mid-stream.sse.txt',
    'bare JSON error after the events → error event after the deltas',
    async () => {
      fake.enqueue({ fixture: 'gemini/stream-error-mid-stream.sse.txt' });
      const { stream, events } = await streamAll(FLASH);
      expect(textsOf(events)).toEqual(['First ', 'Second ']);
      const error = finalError(events);
      expect(error.message).toMatch(/The operation was cancelled\./);
      expect(await rejectionOf(stream.response)).toBe(error);
    },
  );

  replay('gemini/stream-finish-message.sse.txt', 'final chunk with finishMessage, no usage', async () => {
    fake.enqueue({ fixture: 'gemini/stream-finish-message.sse.txt' });
    const { stream, events } = await streamAll(FLASH);
    expect(textsOf(events)).toHaveLength(2);
    const response = await stream.response;
    expect(response.text).toBe('Hello world!');
    expect(response.usage).toBeUndefined();
  });

  replay(
    'gemini/stream-function-call.chunks.txt',
    'a complete call in one chunk → one tool-call event',
    async () => {
      fake.enqueue({ fixture: 'gemini/stream-function-call.chunks.txt' });
      const { stream, events } = await streamAll(FLASH, 'weather?', { tools: [declared('weather')] });
      expect(events.map((event) => event.type)).toEqual(['tool-call', 'finish']);
      const response = await stream.response;
      expect(response.toolCalls).toMatchObject([
        { name: 'weather', arguments: { location: 'San Francisco' } },
      ]);
      expect(response.finishReason).toBe('tool_calls');
    },
  );

  replay(
    'gemini/stream-function-call.exchange.json',
    'two streamed turns; the second request replays the call as recorded',
    async () => {
      const file = 'gemini/stream-function-call.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const divide = declared('customDivide', {
        type: 'object',
        properties: { numerator: { type: 'number' }, denominator: { type: 'number' } },
      });
      const first = await streamAll('Gemini/gemini-2.0-flash', 'what is the result of 100/2', {
        tools: [divide],
      });
      const call = first.events.find((event) => event.type === 'tool-call') as Extract<
        StreamEvent,
        { type: 'tool-call' }
      >;
      expect(call.toolCall).toMatchObject({
        name: 'customDivide',
        arguments: { numerator: 100, denominator: 2 },
      });
      const history: LLMMessage[] = [
        { role: 'user', content: 'what is the result of 100/2' },
        (await first.stream.response).message,
        { role: 'user', content: 'what is the result of 50/2?' },
      ];
      const second = await streamAll('Gemini/gemini-2.0-flash', history, { tools: [divide] });
      expect((await second.stream.response).toolCalls).toMatchObject([
        { arguments: { numerator: 50, denominator: 2 } },
      ]);
      for (const index of [0, 1]) {
        expect(sentTarget(index)).toEqual(recordedTarget(file, index));
        expect(geminiChatShape(fake.requests[index]?.body)).toEqual(
          geminiChatShape(recordedBody(file, index)),
        );
      }
      const replayed = sentBody<{ contents: { parts: { functionCall?: unknown }[] }[] }>(fake, 1).contents[1]
        ?.parts[0];
      expect(replayed?.functionCall).toMatchObject({
        name: 'customDivide',
        args: { numerator: 100, denominator: 2 },
      });
    },
  );

  replay(
    'gemini/stream-google-search-grounding.exchange.json',
    'grounding accumulated over chunks; the follow-up turn (generateContent) as recorded',
    async () => {
      const file = 'gemini/stream-google-search-grounding.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const instruction = 'You are a helpful chatbot.';
      const question = 'What is the weather in San Francisco today?';
      const stream = llm.stream(question, {
        model: 'Gemini/gemini-2.5-pro',
        instruction,
        tools: [geminiGoogleSearch()],
      });
      const events = await collect(stream);
      expect(textsOf(events)).toHaveLength(10);
      const first = await stream.response;
      expect(first.grounding?.queries).toEqual(['weather in San Francisco today']);
      expect(first.grounding?.sources.length).toBeGreaterThan(0);
      const second = await llm.generate(
        [
          { role: 'user', content: question },
          first.message,
          { role: 'user', content: 'how about Mexico City?' },
        ],
        {
          model: 'Gemini/gemini-2.5-pro',
          instruction,
          tools: [geminiGoogleSearch()],
        },
      );
      expect(second.text).toMatch(/^### Scattered Thunderstorms and Mild Temperatures in Mexico City Today/);
      for (const index of [0, 1]) {
        expect(sentTarget(index)).toEqual(recordedTarget(file, index));
        expect(geminiChatShape(fake.requests[index]?.body)).toEqual(
          geminiChatShape(recordedBody(file, index)),
        );
      }
    },
  );

  replay(
    'gemini/stream-prompt-blocked.sse.txt',
    'a blocked prompt in a stream → CONTENT_FILTERED error event',
    async () => {
      fake.enqueue({ fixture: 'gemini/stream-prompt-blocked.sse.txt' });
      const { stream, events } = await streamAll(FLASH);
      expect(finalError(events).code).toBe('CONTENT_FILTERED');
      expect((await rejectionOf(stream.response)).code).toBe('CONTENT_FILTERED');
    },
  );

  replay(
    'gemini/stream-recitation.sse.txt',
    'text, then RECITATION without content: text kept, content_filter',
    async () => {
      fake.enqueue({ fixture: 'gemini/stream-recitation.sse.txt' });
      const { stream, events } = await streamAll(FLASH);
      expect(textsOf(events)).toEqual([
        'text1',
        'text2',
        'text3',
        'text4',
        'text5',
        'text6',
        'text7',
        'text8',
      ]);
      const response = await stream.response;
      expect(response.finishReason).toBe('content_filter');
      expect(response.rawFinishReason).toBe('RECITATION');
      expect(response.warnings).toEqual(['Gemini finished with RECITATION']);
    },
  );

  replay(
    'gemini/stream-text-thought-signature.chunks.txt',
    'the signature on the final empty part is kept as its own part',
    async () => {
      fake.enqueue({ fixture: 'gemini/stream-text-thought-signature.chunks.txt' });
      const { stream, events } = await streamAll('Gemini/gemini-3-pro-preview');
      expect(textsOf(events)).toHaveLength(2);
      const response = await stream.response;
      expect(response.text).toBe('There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y');
      expect(response.contentParts).toEqual([
        { type: 'text', text: response.text },
        { type: 'text', text: '', thoughtSignature: expect.stringMatching(SIGNATURE) },
      ]);
      expect(response.usage).toEqual({
        promptTokens: 9,
        completionTokens: 208,
        totalTokens: 217,
        reasoningTokens: 185,
      });
    },
  );

  replay(
    'gemini/stream-thinking-function-call.sse.txt',
    'thought summaries → reasoning-delta events, then a signed call',
    async () => {
      fake.enqueue({ fixture: 'gemini/stream-thinking-function-call.sse.txt' });
      const { stream, events } = await streamAll(FLASH, 'days to new year?', { tools: [declared('now')] });
      expect(events.map((event) => event.type)).toEqual([
        'reasoning-delta',
        'reasoning-delta',
        'tool-call',
        'finish',
      ]);
      expect(reasoningOf(events)[0]).toMatch(/^\*\*Calculating the Days\*\*/);
      const response = await stream.response;
      expect(response.thoughtText).toBe(reasoningOf(events).join(''));
      expect(response.toolCalls).toMatchObject([
        { name: 'now', arguments: {}, thoughtSignature: expect.stringMatching(SIGNATURE) },
      ]);
    },
  );

  replay(
    'vertex/stream-function-call-partial-args.chunks.txt',
    'Vertex partialArgs: two calls assembled, one tool-call event each',
    async () => {
      fake.enqueue({ fixture: 'vertex/stream-function-call-partial-args.chunks.txt' });
      const { stream, events } = await streamAll('Vertex/gemini-3-pro-preview', 'weather?', {
        tools: [declared('getWeather')],
      });
      expect(events.map((event) => event.type)).toEqual(['tool-call', 'tool-call', 'finish']);
      const response = await stream.response;
      expect(response.toolCalls).toMatchObject([
        {
          name: 'getWeather',
          arguments: { location: 'Boston' },
          rawArguments: '{"location":"Boston"}',
          thoughtSignature: expect.stringMatching(SIGNATURE),
        },
        {
          name: 'getWeather',
          arguments: { location: 'San Francisco' },
          rawArguments: '{"location":"San Francisco"}',
        },
      ]);
      expect(response.toolCalls[1]?.thoughtSignature).toBeUndefined();
      expect(new Set(response.toolCalls.map((call) => call.id)).size).toBe(2);
      expect(
        events.slice(0, 2).map((event) => (event as Extract<StreamEvent, { type: 'tool-call' }>).toolCall),
      ).toEqual(response.toolCalls);
    },
  );
});

describe('Gemini embeddings', () => {
  replay('gemini/embed-batch.exchange.json', 'embed with dimensions: the recorded vector', async () => {
    const file = 'gemini/embed-batch.exchange.json';
    fake.enqueue({ fixture: file });
    const [vector] = await llm.embed("Ruby is a programmer's best friend", {
      model: 'Gemini/gemini-embedding-001',
      config: { outputDimensionality: 768 },
    });
    const recorded = (interactionsOf(file)[0]?.response.bodyJson ??
      JSON.parse(interactionsOf(file)[0]?.response.body ?? '{}')) as {
      embeddings: { values: number[] }[];
    };
    expect(vector).toEqual(recorded.embeddings[0]?.values);
    expect(vector).toHaveLength(768);
    // One text goes to :embedContent (the recorded client batched it); the request carries the same fields.
    expect(fake.lastRequest?.path).toBe('/v1beta/models/gemini-embedding-001:embedContent');
    const recordedRequest = (recordedBody(file) as { requests: Record<string, unknown>[] }).requests[0];
    expect(fake.lastRequest?.body).toMatchObject({
      content: recordedRequest?.content,
      outputDimensionality: recordedRequest?.outputDimensionality,
    });
  });

  replay(
    'gemini/error-404-batch-embed.exchange.json',
    'embedQuery on an unknown model → MODEL_NOT_FOUND, not retried',
    async () => {
      const file = 'gemini/error-404-batch-embed.exchange.json';
      fake.enqueue({ fixture: file });
      const error = await rejectionOf(llm.embedQuery('Hello, world!', { model: 'Gemini/nonexistent-model' }));
      expect(error.code).toBe('MODEL_NOT_FOUND');
      expect(error.message).toMatch(/is not found for API version v1beta/);
      expect(fake.requests).toHaveLength(1);
      const recordedRequest = (recordedBody(file) as { requests: Record<string, unknown>[] }).requests[0];
      expect(fake.lastRequest?.body).toMatchObject({
        content: recordedRequest?.content,
        taskType: 'RETRIEVAL_QUERY',
      });
    },
  );
});

describe('Gemini errors: codes, retries, key health', () => {
  replay(
    'gemini/error-400-api-key-invalid.exchange.json',
    '400 API_KEY_INVALID → key disabled; the call moves to the other key',
    async () => {
      const file = 'gemini/error-400-api-key-invalid.exchange.json';
      fake.enqueue({ fixture: file });
      const response = await llm.chat('Hello');
      expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
        'API_KEY_INVALID',
        200,
      ]);
      const stats = await llm.keys.stats('Gemini');
      expect(stats.find((key) => key.keyId === response.attempts[0]?.keyId)?.status).toBe('disabled');
      expect(stats.find((key) => key.keyId === response.attempts[1]?.keyId)?.status).toBe('healthy');
      expect(geminiChatShape(fake.requests[0]?.body)).toEqual(geminiChatShape(recordedBody(file)));
    },
  );

  replay(
    'gemini/error-400-api-key-invalid-debuginfo.json',
    'API_KEY_INVALID with DebugInfo; with both keys bad → API_KEY_INVALID',
    async () => {
      fake.enqueue(
        { fixture: 'gemini/error-400-api-key-invalid-debuginfo.json' },
        { fixture: 'gemini/error-400-api-key-invalid-debuginfo.json' },
      );
      const error = await rejectionOf(llm.chat('Hello'));
      expect(error.code).toBe('API_KEY_INVALID');
      expect(error.message).not.toMatch(/test-key/);
      expect(fake.requests).toHaveLength(2);
      expect((await llm.keys.stats('Gemini')).map((key) => key.status)).toEqual(['disabled', 'disabled']);
      const after = await rejectionOf(llm.chat('Hello'));
      expect(after.code).toBe('NO_AVAILABLE_KEYS');
      expect(fake.requests).toHaveLength(2);
    },
  );

  replay(
    'gemini/error-400-failed-precondition-location.json',
    'FAILED_PRECONDITION location → USER_LOCATION_NOT_SUPPORTED, not retried',
    async () => {
      fake.enqueue({ fixture: 'gemini/error-400-failed-precondition-location.json' });
      const error = await rejectionOf(llm.chat('hi'));
      expect(error.code).toBe('USER_LOCATION_NOT_SUPPORTED');
      expect(fake.requests).toHaveLength(1);
      expect(
        (await llm.keys.stats('Gemini')).every(
          (key) => key.status !== 'disabled' && key.status !== 'cooldown',
        ),
      ).toBe(true);
    },
  );

  replay(
    'gemini/error-403-service-disabled.json',
    '403 SERVICE_DISABLED → API_KEY_INVALID, moves to the other key',
    async () => {
      fake.enqueue({ fixture: 'gemini/error-403-service-disabled.json' });
      const response = await llm.chat('hi');
      expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
        'API_KEY_INVALID',
        200,
      ]);
    },
  );

  replay(
    'gemini/error-404-model-not-found-stream.exchange.json',
    'stream on an unknown model: 404 served as event-stream → MODEL_NOT_FOUND',
    async () => {
      const file = 'gemini/error-404-model-not-found-stream.exchange.json';
      fake.enqueue({ fixture: file });
      const { stream, events } = await streamAll('Gemini/custom-gemini-2.0-flash', 'why is the sky blue?');
      expect(events.map((event) => event.type)).toEqual(['error']);
      expect(finalError(events).code).toBe('MODEL_NOT_FOUND');
      expect((await rejectionOf(stream.response)).status).toBe(404);
      expect(fake.requests).toHaveLength(1);
      expect(sentTarget()).toEqual(recordedTarget(file));
      expect(geminiChatShape(fake.lastRequest?.body)).toEqual(geminiChatShape(recordedBody(file)));
    },
  );

  replay('gemini/error-404-unknown-model.json', '404 NOT_FOUND → MODEL_NOT_FOUND, not retried', async () => {
    fake.enqueue({ fixture: 'gemini/error-404-unknown-model.json' });
    const error = await rejectionOf(llm.chat('hi', { model: 'Gemini/gemini-5.0-flash' }));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(fake.requests).toHaveLength(1);
  });

  replay(
    'gemini/error-429-quota-legacy.json',
    'legacy per-minute 429 → API_RATE_LIMITED, retried at once on the other key',
    async () => {
      fake.enqueue({ fixture: 'gemini/error-429-quota-legacy.json' });
      const response = await llm.chat('hi');
      // "At once": at most the test client's 5 ms backoff, never the key's cooldown (recorded, not measured).
      expect(response.attempts.every((attempt) => (attempt.waitMs ?? 0) <= 5)).toBe(true);
      expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
        'API_RATE_LIMITED',
        200,
      ]);
      const cooling = (await llm.keys.stats('Gemini')).find(
        (key) => key.keyId === response.attempts[0]?.keyId,
      );
      expect(cooling?.status).toBe('cooldown');
    },
  );

  replay(
    'gemini/error-429-resource-exhausted.exchange.json',
    'RetryInfo 48s → the key cools ~48 s; the call moves to the other key at once',
    async () => {
      fake.enqueue({ fixture: 'gemini/error-429-resource-exhausted.exchange.json' });
      const response = await llm.chat('hi');
      // "At once": at most the test client's 5 ms backoff, never the key's cooldown (recorded, not measured).
      expect(response.attempts.every((attempt) => (attempt.waitMs ?? 0) <= 5)).toBe(true);
      expect(response.text).toBe('echo: hi');
      expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
        'API_RATE_LIMITED',
        200,
      ]);
      expect(response.attempts[1]?.waitMs).toBe(0);
      const [bad, good] = fake.requests.map((request) => request.apiKey);
      expect(bad).not.toBe(good);
      const cooling = (await llm.keys.stats('Gemini')).find(
        (key) => key.keyId === response.attempts[0]?.keyId,
      );
      expect(cooling?.status).toBe('cooldown');
      expect(cooling?.cooldownSecondsLeft).toBeGreaterThanOrEqual(46);
      expect(cooling?.cooldownSecondsLeft).toBeLessThanOrEqual(49);
    },
  );

  replay(
    'gemini/error-503-unavailable-high-demand.issue.json',
    '503 UNAVAILABLE → API_SERVER_ERROR, retried on the other key',
    async () => {
      fake.enqueue({ fixture: 'gemini/error-503-unavailable-high-demand.issue.json' });
      const response = await llm.chat('hi');
      expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
        'API_SERVER_ERROR',
        200,
      ]);
      expect(fake.requests).toHaveLength(2);
    },
  );

  replay(
    'gemini/error-503-unavailable-overloaded.issue.json',
    '503 on every attempt → API_SERVER_ERROR after maxRetries (a 503 only soft-cools its key: retries go on)',
    async () => {
      const file = 'gemini/error-503-unavailable-overloaded.issue.json';
      fake.enqueue({ fixture: file }, { fixture: file }, { fixture: file }, { fixture: file });
      const error = await rejectionOf(llm.chat('hi', { timeoutMs: 5000 }));
      expect(error.code).toBe('API_SERVER_ERROR');
      expect(error.message).toMatch(/The model is overloaded/);
      expect(error.attempts?.map((attempt) => attempt.code)).toEqual([
        'API_SERVER_ERROR',
        'API_SERVER_ERROR',
        'API_SERVER_ERROR',
        'API_SERVER_ERROR',
      ]);
      // Both keys soft-cooling: each retry takes the one with fewer consecutive failures.
      expect(fake.requests.map((request) => request.apiKey)).toEqual([
        'test-key-1',
        'test-key-2',
        'test-key-1',
        'test-key-2',
      ]);
    },
  );

  replay(
    'gemini/error-stream-http-400-invalid-argument.txt',
    'stream request answered 400 INVALID_ARGUMENT → INVALID_PARAMETER, not retried',
    async () => {
      fake.enqueue({ fixture: 'gemini/error-stream-http-400-invalid-argument.txt' });
      const { events } = await streamAll(FLASH);
      expect(events.map((event) => event.type)).toEqual(['error']);
      expect(finalError(events).code).toBe('INVALID_PARAMETER');
      expect(fake.requests).toHaveLength(1);
    },
  );
});

describe('coverage', () => {
  it('every Gemini and Vertex recording is replayed through the client above', () => {
    expect(coverage.unknown()).toEqual([]);
    expect(coverage.missing()).toEqual([]);
  });

  it('the recordings are where the suite expects them', () => {
    expect(fixtureJson<{ candidates: unknown[] }>('gemini/generate-citations.json').candidates).toHaveLength(
      1,
    );
  });
});
