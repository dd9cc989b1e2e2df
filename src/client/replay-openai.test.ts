import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LLMConfig, LLMResponse, ProviderConfig, StreamEvent, ToolSpec } from '../spec/index.js';
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
  textsOf,
} from './test-support/e2e-kit.js';
import { openaiChatShape, ReplayCoverage, withoutIds } from './test-support/replay-kit.js';

// Every OpenAI-family recording served by the fake and consumed through the client (chat, stream,
// embed, createImage, generateStructured, the tool loop): what each must produce, what the client sent.

const FOLDERS = [
  'openai',
  'deepseek',
  'openrouter',
  'groq',
  'mistral',
  'xai',
  'azure-openai',
  'openai-compatible',
  'gemini-openai-compat',
];
const coverage = new ReplayCoverage(FOLDERS);
const replay = coverage.replay.bind(coverage);

let fake: FakeProvider;
let llm: LLM;

function providers(url: string): ProviderConfig[] {
  const openai = `${url}/v1`;
  const two = ['test-key-1', 'test-key-2'];
  return [
    {
      name: 'OpenAI',
      apiType: 'openai',
      apiBase: openai,
      apiKeys: two,
      models: [
        'gpt-4.1-nano',
        'gpt-5-nano',
        'gpt-4o-mini',
        'gpt-4o-2024-08-06',
        'o1-mini',
        { name: 'text-embedding-3-small', embedding: true },
        { name: 'nonexistent', embedding: true },
      ],
    },
    {
      name: 'Responses',
      apiType: 'openai_responses',
      apiBase: openai,
      apiKeys: ['test-key-1'],
      models: ['gpt-5-nano'],
    },
    {
      name: 'DeepSeek',
      apiType: 'deepseek',
      apiBase: url,
      apiKeys: ['test-key-ds'],
      models: ['deepseek-chat', 'deepseek-reasoner'],
    },
    {
      name: 'OpenRouter',
      apiType: 'openrouter',
      apiBase: `${url}/api`,
      apiKeys: two,
      models: ['minimax/minimax-m2:free', 'anthropic/claude-haiku-4.5', 'google/gemini-2.0-flash-exp:free'],
    },
    {
      name: 'Groq',
      apiType: 'openai',
      apiBase: `${url}/openai/v1`,
      apiKeys: ['test-key-1'],
      models: ['openai/gpt-oss-120b', 'llama-3.3-70b'],
    },
    {
      name: 'Mistral',
      apiType: 'openai',
      apiBase: openai,
      apiKeys: ['test-key-1'],
      models: ['mistral-large-latest'],
    },
    { name: 'xAI', apiType: 'openai', apiBase: openai, apiKeys: ['test-key-1'], models: ['grok-3-mini'] },
    { name: 'Azure', apiType: 'openai', apiBase: openai, apiKeys: ['test-key-1'], models: ['model-router'] },
    {
      name: 'Compat',
      apiType: 'openai',
      apiBase: openai,
      apiKeys: ['test-key-1'],
      models: ['claude-sonnet'],
    },
    {
      name: 'GeminiCompat',
      apiType: 'openai',
      apiBase: `${url}/v1beta/openai`,
      apiKeys: ['test-key-1'],
      models: ['gemini-2.5-pro-preview-05-06'],
    },
    {
      name: 'Images',
      apiType: 'openai_image',
      apiBase: url,
      apiKeys: ['test-key-1'],
      models: ['gpt-image-1', 'dall-e-2'],
    },
  ];
}

function makeClient(extra: Partial<LLMConfig> = {}): LLM {
  return clientFor(providers(fake.url), { defaultModel: 'OpenAI/gpt-4.1-nano', ...extra });
}

// A fresh fake per test: a reply a failed test left queued never leaks into the next one.
beforeEach(async () => {
  fake = await startFakeProvider();
  llm = makeClient();
});

afterEach(async () => {
  await llm.close();
  await fake.close();
  expect(fake.pendingReplies).toBe(0);
  expect(fake.errors).toEqual([]);
});

/** The recorded request body of an interaction. */
function recordedBody(file: string, index = 0): unknown {
  return interactionsOf(file)[index]?.request.body;
}

/** The recorded (parsed) response body of an interaction. */
function recordedResponse(file: string, index = 0): unknown {
  const response = interactionsOf(file)[index]?.response;
  return response?.bodyJson ?? JSON.parse(response?.body ?? 'null');
}

/** A declared tool the loop does not run (no `execute`): its calls come back to the caller. */
function declared(
  name: string,
  parameters: Record<string, unknown> = { type: 'object', properties: {} },
): ToolSpec {
  return { name, description: `the ${name} tool`, parameters } as ToolSpec;
}

const weatherSF = { location: 'San Francisco' };
const weatherTool = declared('weather', {
  type: 'object',
  properties: { location: { type: 'string' } },
  required: ['location'],
});

function sentBodies(): unknown[] {
  return fake.requests.map((request) => request.body);
}

async function streamAll(model: string, input = 'hi', tools?: ToolSpec[]) {
  const stream = llm.stream(input, { model, ...(tools != null ? { tools } : {}) });
  const events = await collect(stream);
  return { stream, events };
}

function finishOf(events: StreamEvent[]): LLMResponse {
  const last = events.at(-1);
  expect(last?.type).toBe('finish');
  return (last as Extract<StreamEvent, { type: 'finish' }>).response;
}

describe('OpenAI', () => {
  replay('openai/chat-text.json', 'chat: text, stop, usage with details', async () => {
    fake.enqueue({ fixture: 'openai/chat-text.json' });
    const response = await llm.chat('Invent a new holiday and describe its traditions.');
    expect(response.text).toMatch(
      /^\*\*Holiday Name:\*\* Galaxy Day {2}\n\n\*\*Date:\*\*.*dream beyond our world\.$/s,
    );
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toEqual({
      promptTokens: 16,
      completionTokens: 363,
      totalTokens: 379,
      reasoningTokens: 0,
      cachedTokens: 0,
    });
    expect(response.message).toEqual({
      role: 'assistant',
      content: response.text,
      model: 'OpenAI/gpt-4.1-nano',
    });
    expect(response.warnings).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.lastRequest?.path).toBe('/v1/chat/completions');
    expect(fake.lastRequest?.apiKey).toMatch(/^test-key-[12]$/);
  });

  replay('openai/chat-structured-output.json', 'chat: a JSON string answer (2024 usage shape)', async () => {
    fake.enqueue({ fixture: 'openai/chat-structured-output.json' });
    const response = await llm.chat('weather?', { model: 'OpenAI/gpt-4o-2024-08-06' });
    expect(response.text).toBe('{"city":"San Francisco","units":"c"}');
    expect(response.usage).toEqual({ promptTokens: 17, completionTokens: 10, totalTokens: 27 });
  });

  replay(
    'openai/chat-json-schema.exchange.json',
    'generateStructured: strict json_schema request, typed value',
    async () => {
      const file = 'openai/chat-json-schema.exchange.json';
      fake.enqueue({ fixture: file });
      const person = await llm.generateStructured(
        'Generate a person named John who is 30 years old',
        z.object({ name: z.string(), age: z.number().int() }),
        { model: 'OpenAI/gpt-5-nano' },
      );
      expect(person).toEqual({ name: 'John', age: 30 });
      expect(fake.requests).toHaveLength(1);
      const sent = fake.lastRequest?.body as {
        response_format: { type: string; json_schema: { strict: boolean; schema: unknown } };
      };
      const recorded = recordedBody(file) as typeof sent;
      expect(sent.response_format.type).toBe(recorded.response_format.type);
      expect(sent.response_format.json_schema.strict).toBe(true);
      expect(sent.response_format.json_schema.schema).toMatchObject({
        type: 'object',
        required: ['name', 'age'],
        additionalProperties: false,
      });
      expect(openaiChatShape(sent).messages).toEqual(openaiChatShape(recorded).messages);
      expect(openaiChatShape(sent).model).toBe('gpt-5-nano');
    },
  );

  replay(
    'openai/chat-parallel-tool-calls.exchange.json',
    'tool loop: two parallel calls run, results sent back, final text',
    async () => {
      const file = 'openai/chat-parallel-tool-calls.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const ran: string[] = [];
      const weather = functionTool({
        name: 'weather',
        description: 'Gets current weather for a location',
        parameters: z.object({ latitude: z.string(), longitude: z.string() }),
        execute: async ({ latitude, longitude }) => {
          ran.push('weather');
          return `Current weather at ${latitude}, ${longitude}: 15°C, Wind: 10 km/h`;
        },
      });
      const language = functionTool({
        name: 'best_language_to_learn',
        description: 'Gets the best language to learn',
        parameters: z.object({}),
        execute: async () => {
          ran.push('language');
          return 'Ruby';
        },
      });
      const question =
        "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?";
      const response = await llm.chat(question, { model: 'OpenAI/gpt-5-nano', tools: [weather, language] });
      expect(ran.sort()).toEqual(['language', 'weather']);
      expect(response.text).toMatch(/^- Berlin weather .*I can expand\.$/s);
      expect(response.finishReason).toBe('stop');
      expect(response.toolCalls).toEqual([]);
      expect(response.toolResults?.map((result) => result.call.id)).toEqual([
        'call_GOotzq3y3C45fdLNjm8SXXRo',
        'call_6IvZGzhTPoSUAGUWnRx0po6X',
      ]);
      expect(response.attempts).toHaveLength(2);
      // The second request replays the assistant turn and both results, as the recorded client did.
      const [first, second] = sentBodies();
      expect(openaiChatShape(first)).toEqual(openaiChatShape(recordedBody(file, 0)));
      const sent = openaiChatShape(second);
      const recorded = openaiChatShape(recordedBody(file, 1));
      expect(sent.messages.map((m) => [m.role, m.toolCallId, m.toolCalls])).toEqual(
        recorded.messages.map((m) => [m.role, m.toolCallId, m.toolCalls]),
      );
      expect(sent.messages.slice(2).map((m) => m.content)).toEqual([
        'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h',
        'Ruby',
      ]);
    },
  );

  replay(
    'openai/chat-stream-text.exchange.json',
    'stream: one event per delta, usage, stream_options as recorded',
    async () => {
      const file = 'openai/chat-stream-text.exchange.json';
      fake.enqueue({ fixture: file });
      const { stream, events } = await streamAll('OpenAI/gpt-5-nano', 'Count from 1 to 3');
      expect(textsOf(events)).toHaveLength(5);
      expect(textsOf(events).join('')).toBe('1\n2\n3');
      const response = await stream.response;
      expect(response).toBe(finishOf(events));
      expect(response.usage).toEqual({
        promptTokens: 13,
        completionTokens: 142,
        totalTokens: 155,
        reasoningTokens: 128,
        cachedTokens: 0,
      });
      expect(openaiChatShape(fake.lastRequest?.body)).toEqual(openaiChatShape(recordedBody(file)));
    },
  );

  replay(
    'openai/chat-stream-tool-call.exchange.json',
    'streamed tool loop: tool-call, tool-result, then the streamed answer',
    async () => {
      const file = 'openai/chat-stream-tool-call.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const getCapital = functionTool({
        name: 'get_capital',
        parameters: z.object({ country: z.string() }),
        execute: async ({ country }) => (country === 'UK' ? 'London' : '?'),
      });
      const stream = llm.stream('What is the capital of the UK? Use the tool, then answer.', {
        model: 'OpenAI/gpt-4o-mini',
        tools: [getCapital],
      });
      const events = await collect(stream);
      const kinds = events.map((event) => event.type);
      expect(kinds.slice(0, 2)).toEqual(['tool-call', 'tool-result']);
      expect(events[0]).toMatchObject({
        type: 'tool-call',
        toolCall: { id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', name: 'get_capital', arguments: { country: 'UK' } },
      });
      expect(events[1]).toMatchObject({ type: 'tool-result', output: 'London' });
      expect(textsOf(events)).toHaveLength(8);
      const response = finishOf(events);
      expect(response.text).toBe('The capital of the UK is London.');
      expect(response.attempts).toHaveLength(2);
      const [first, second] = sentBodies();
      expect(openaiChatShape(first)).toEqual(openaiChatShape(recordedBody(file, 0)));
      expect(openaiChatShape(second)).toEqual(openaiChatShape(recordedBody(file, 1)));
    },
  );

  replay('openai/chat-stream-content-logprobs.sse.txt', 'stream with logprobs: ten deltas', async () => {
    fake.enqueue({ fixture: 'openai/chat-stream-content-logprobs.sse.txt' });
    const { stream, events } = await streamAll('OpenAI/gpt-4o-2024-08-06');
    expect(textsOf(events)).toHaveLength(10);
    expect((await stream.response).text).toBe('{"city":"San Francisco","units":"f"}');
  });

  replay(
    'openai/chat-stream-refusal-logprobs.sse.txt',
    'streamed refusal → CONTENT_FILTERED, not retried',
    async () => {
      fake.enqueue({ fixture: 'openai/chat-stream-refusal-logprobs.sse.txt' });
      const { stream, events } = await streamAll('OpenAI/gpt-4o-2024-08-06');
      const error = finalError(events);
      expect(error.code).toBe('CONTENT_FILTERED');
      expect(error.message).toMatch(/I'm very sorry, but I can't assist with that request\./);
      expect(await rejectionOf(stream.response)).toBe(error);
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'openai/chat-text.chunks.txt',
    '303-chunk stream: 300 text deltas, usage-only last chunk',
    async () => {
      fake.enqueue({ fixture: 'openai/chat-text.chunks.txt' });
      const { stream, events } = await streamAll('OpenAI/gpt-4.1-nano');
      expect(textsOf(events)).toHaveLength(300);
      const response = await stream.response;
      expect(response.text).toHaveLength(1724);
      expect(response.text).toBe(textsOf(events).join(''));
      expect(response.text).toMatch(/^\*\*Holiday Name:\*\* Harmony Day\n\n.*mutual respect\.$/s);
      expect(response.usage).toEqual({
        promptTokens: 16,
        completionTokens: 300,
        totalTokens: 316,
        reasoningTokens: 0,
        cachedTokens: 0,
      });
    },
  );

  replay(
    'openai/embeddings-base64.exchange.json',
    'embed: base64 float32 vector decoded; request as recorded',
    async () => {
      const file = 'openai/embeddings-base64.exchange.json';
      fake.enqueue({ fixture: file });
      const [vector] = await llm.embed(['Hello, world!']);
      const encoded = (recordedResponse(file) as { data: { embedding: string }[] }).data[0]?.embedding ?? '';
      const expected = Array.from(new Float32Array(Uint8Array.from(Buffer.from(encoded, 'base64')).buffer));
      expect(vector).toHaveLength(1536);
      expect(vector).toEqual(expected);
      expect(fake.lastRequest?.path).toBe('/v1/embeddings');
      expect(fake.lastRequest?.body).toEqual(recordedBody(file));
    },
  );

  replay(
    'openai/embeddings-float.exchange.json',
    'embed with dimensions: the float vector as recorded',
    async () => {
      const file = 'openai/embeddings-float.exchange.json';
      fake.enqueue({ fixture: file });
      const [vector] = await llm.embed("Ruby is a programmer's best friend", {
        config: { outputDimensionality: 768 },
      });
      const expected = (recordedResponse(file) as { data: { embedding: number[] }[] }).data[0]?.embedding;
      expect(vector).toHaveLength(768);
      expect(vector).toEqual(expected);
      expect(fake.lastRequest?.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 768 });
    },
  );

  replay('openai/embeddings-truncated.json', 'embed two inputs: vectors in input order', async () => {
    fake.enqueue({ fixture: 'openai/embeddings-truncated.json' });
    const vectors = await llm.embed(['sunny day at the beach', 'rainy day in the city']);
    expect(vectors).toEqual([
      [0.0057293195, -0.012727811, 0.020042092, -0.013437585, 0.022833068],
      [-0.037104916, -0.05178114, -0.008340587, 0.001164541, -0.0035253682],
    ]);
  });

  replay(
    'openai/embeddings-error-404.exchange.json',
    'embed on an unknown model → MODEL_NOT_FOUND, not retried',
    async () => {
      fake.enqueue({ fixture: 'openai/embeddings-error-404.exchange.json' });
      const error = await rejectionOf(llm.embed('Hello, world!', { model: 'OpenAI/nonexistent' }));
      expect(error.code).toBe('MODEL_NOT_FOUND');
      expect(error.status).toBe(404);
      expect(error.message).toMatch(/does not exist/);
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'openai/error-400-context-length-exceeded-chat.issue.json',
    '400 context_length_exceeded → CONTEXT_LENGTH_EXCEEDED, not retried',
    async () => {
      fake.enqueue({ fixture: 'openai/error-400-context-length-exceeded-chat.issue.json' });
      const error = await rejectionOf(llm.chat('long'));
      expect(error.code).toBe('CONTEXT_LENGTH_EXCEEDED');
      expect(error.retryable).toBe(false);
      expect(error.attempts).toHaveLength(1);
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'openai/error-400-context-length-exceeded-responses-api.exchange.json',
    'Responses API 400 → CONTEXT_LENGTH_EXCEEDED on /v1/responses',
    async () => {
      fake.enqueue({ fixture: 'openai/error-400-context-length-exceeded-responses-api.exchange.json' });
      const error = await rejectionOf(llm.chat('long', { model: 'Responses/gpt-5-nano' }));
      expect(error.code).toBe('CONTEXT_LENGTH_EXCEEDED');
      expect(error.provider).toBe('Responses');
      expect(fake.requests).toHaveLength(1);
      expect(fake.lastRequest?.path).toBe('/v1/responses');
      expect(fake.lastRequest?.body).toMatchObject({ model: 'gpt-5-nano', input: [{ role: 'user' }] });
    },
  );

  replay(
    'openai/error-400-unsupported-parameter.json',
    '400 unsupported_parameter → INVALID_PARAMETER, not retried',
    async () => {
      fake.enqueue({ fixture: 'openai/error-400-unsupported-parameter.json' });
      const error = await rejectionOf(llm.chat('hi'));
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(error.message).toMatch(/max_completion_tokens/);
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'openai/error-400-unsupported-value.exchange.json',
    '400 unsupported_value → INVALID_PARAMETER, not retried',
    async () => {
      fake.enqueue({ fixture: 'openai/error-400-unsupported-value.exchange.json' });
      const error = await rejectionOf(
        llm.chat('Hello', { model: 'OpenAI/o1-mini', instruction: 'You are a helpful assistant.' }),
      );
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(error.message).toMatch(/does not support 'system'/);
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'openai/error-401-invalid-api-key.exchange.json',
    '401 invalid_api_key → key disabled, call moves to the other key',
    async () => {
      fake.enqueue({ fixture: 'openai/error-401-invalid-api-key.exchange.json' });
      const response = await llm.chat('Hello', { model: 'OpenAI/gpt-5-nano' });
      expect(response.text).toBe('echo: Hello');
      expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
        'API_KEY_INVALID',
        200,
      ]);
      const [bad, good] = fake.requests.map((request) => request.apiKey);
      expect(bad).not.toBe(good);
      const stats = await llm.keys.stats('OpenAI');
      const disabled = stats.filter((key) => key.status === 'disabled');
      expect(disabled).toHaveLength(1);
      expect(disabled[0]?.keyId).toBe(response.attempts[0]?.keyId);
    },
  );

  replay(
    'openai/error-404-model-not-found.exchange.json',
    '404 model_not_found → MODEL_NOT_FOUND, not retried',
    async () => {
      fake.enqueue({ fixture: 'openai/error-404-model-not-found.exchange.json' });
      const error = await rejectionOf(llm.chat('hello'));
      expect(error.code).toBe('MODEL_NOT_FOUND');
      expect(error.message).toMatch(/gpt-5\.2-proo/);
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'openai/error-429-rate-limit-tokens.exchange.json',
    '429 rate_limit_exceeded (no hint) → retried at once on the other key; the key cools ~60 s',
    async () => {
      fake.enqueue({ fixture: 'openai/error-429-rate-limit-tokens.exchange.json' });
      const response = await llm.chat('big', { model: 'OpenAI/gpt-5-nano' });
      // "At once": at most the test client's 5 ms backoff, never the key's cooldown (recorded, not measured).
      expect(response.attempts.every((attempt) => (attempt.waitMs ?? 0) <= 5)).toBe(true);
      expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
        'API_RATE_LIMITED',
        200,
      ]);
      expect(new Set(fake.requests.map((request) => request.apiKey)).size).toBe(2);
      const cooling = (await llm.keys.stats('OpenAI')).find(
        (key) => key.keyId === response.attempts[0]?.keyId,
      );
      expect(cooling?.status).toBe('cooldown');
      expect(cooling?.cooldownSecondsLeft).toBeGreaterThan(55);
      expect(cooling?.cooldownSecondsLeft).toBeLessThanOrEqual(60);
    },
  );

  replay(
    'openai/image-b64-gpt-image-1.exchange.json',
    'createImage: b64_json → PNG bytes, usage; request as recorded',
    async () => {
      const file = 'openai/image-b64-gpt-image-1.exchange.json';
      fake.enqueue({ fixture: file });
      const response = await llm.createImage('a siamese cat', { model: 'Images/gpt-image-1' });
      expect(response.images).toHaveLength(1);
      const image = response.images[0];
      expect(image?.mimeType).toBe('image/png');
      expect(Buffer.from(image?.data ?? []).subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      expect(response.usage).toEqual({ promptTokens: 10, completionTokens: 4160, totalTokens: 4170 });
      expect(response.text).toBe('');
      expect(fake.lastRequest?.path).toBe('/v1/images/generations');
      expect(fake.lastRequest?.body).toMatchObject({ model: 'gpt-image-1', prompt: 'a siamese cat' });
    },
  );

  replay(
    'openai/image-b64-revised-prompt.json',
    'createImage: two images, revised_prompt on the first only',
    async () => {
      fake.enqueue({ fixture: 'openai/image-b64-revised-prompt.json' });
      const response = await llm.createImage('a cat', { model: 'Images/gpt-image-1' });
      expect(response.images).toHaveLength(2);
      expect(response.images[0]?.revisedPrompt).toMatch(/^A small and adorable/);
      expect(response.images[1]?.revisedPrompt).toBeUndefined();
      expect(response.images.every((image) => image.data.byteLength > 0)).toBe(true);
      expect(response.contentParts.map((part) => part.type)).toEqual(['image', 'image']);
    },
  );

  replay(
    'openai/image-error-unknown-parameter.json',
    'images 400 unknown_parameter → INVALID_PARAMETER, not retried',
    async () => {
      fake.enqueue({ fixture: 'openai/image-error-unknown-parameter.json' });
      const error = await rejectionOf(llm.createImage('a cat', { model: 'Images/gpt-image-1' }));
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(error.message).toMatch(/response_format/);
      expect(error.model).toBe('Images/gpt-image-1');
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'openai/image-url-dall-e-2.exchange.json',
    'createImage (dall-e-2): a URL result, never downloaded',
    async () => {
      const file = 'openai/image-url-dall-e-2.exchange.json';
      fake.enqueue({ fixture: file });
      const response = await llm.createImage('A baby sea otter cooking pasta wearing a hat of some sort', {
        model: 'Images/dall-e-2',
        config: { visual: { aspectRatio: '256x256' } },
      });
      expect(response.warnings).toEqual([]);
      expect(response.images).toHaveLength(1);
      expect(response.images[0]?.url).toMatch(/^https:\/\/oaidalleapiprodscus\.blob\.core\.windows\.net\//);
      expect(response.images[0]?.data.byteLength).toBe(0);
      expect(fake.requests).toHaveLength(1);
      // As recorded, plus `response_format: 'b64_json'` (asked for bytes; the URL answer is still taken).
      expect(fake.lastRequest?.body).toEqual({
        ...(recordedBody(file) as object),
        response_format: 'b64_json',
      });
    },
  );
});

describe('DeepSeek', () => {
  replay('deepseek/chat-json.json', 'chat: JSON text plus reasoning_content', async () => {
    fake.enqueue({ fixture: 'deepseek/chat-json.json' });
    const response = await llm.chat('weather as JSON', { model: 'DeepSeek/deepseek-reasoner' });
    expect(response.text).toBe(
      '{\n  "location": "San Francisco",\n  "condition": "cloudy",\n  "temperature": 7\n}',
    );
    expect(response.thoughtText).toMatch(
      /^I have the result from the weather tool\..*Let me output the JSON object\.$/s,
    );
    expect(response.contentParts.map((part) => part.type)).toEqual(['thought', 'text']);
    expect(response.usage).toEqual({
      promptTokens: 495,
      completionTokens: 144,
      totalTokens: 639,
      reasoningTokens: 118,
      cachedTokens: 320,
    });
  });

  replay('deepseek/chat-reasoning.json', 'chat: reasoning and cache counters', async () => {
    fake.enqueue({ fixture: 'deepseek/chat-reasoning.json' });
    const response = await llm.chat("How many 'r's are in strawberry?", {
      model: 'DeepSeek/deepseek-reasoner',
    });
    expect(response.text).toMatch(/^The word "strawberry" contains three instances/);
    expect(response.thoughtText).toMatch(/^We are asked: "How many 'r's/);
    expect(response.usage).toEqual({
      promptTokens: 18,
      completionTokens: 345,
      totalTokens: 363,
      reasoningTokens: 315,
      cachedTokens: 0,
    });
  });

  replay(
    'deepseek/chat-reasoning.chunks.txt',
    'stream: 205 reasoning deltas, then 13 text deltas',
    async () => {
      fake.enqueue({ fixture: 'deepseek/chat-reasoning.chunks.txt' });
      const { stream, events } = await streamAll('DeepSeek/deepseek-reasoner');
      expect(reasoningOf(events)).toHaveLength(205);
      expect(textsOf(events)).toHaveLength(13);
      const response = await stream.response;
      expect(response.thoughtText).toBe(reasoningOf(events).join(''));
      expect(response.text).toBe('The word "strawberry" contains three "r"s.');
    },
  );

  replay(
    'deepseek/chat-stream-text.exchange.json',
    'stream: eight deltas; the same body as recorded',
    async () => {
      const file = 'deepseek/chat-stream-text.exchange.json';
      fake.enqueue({ fixture: file });
      const { stream, events } = await streamAll('DeepSeek/deepseek-chat', 'Count from 1 to 3');
      expect(textsOf(events)).toHaveLength(8);
      const response = await stream.response;
      expect(response.text).toBe('1, 2, 3.');
      expect(response.usage).toEqual({
        promptTokens: 11,
        completionTokens: 8,
        totalTokens: 19,
        cachedTokens: 0,
      });
      expect(fake.lastRequest?.path).toMatch(/^(\/v1)?\/chat\/completions$/);
      expect(openaiChatShape(fake.lastRequest?.body)).toEqual(openaiChatShape(recordedBody(file)));
    },
  );

  replay(
    'deepseek/chat-tool-call.chunks.txt',
    'stream: reasoning, then one tool-call event for a declared tool',
    async () => {
      fake.enqueue({ fixture: 'deepseek/chat-tool-call.chunks.txt' });
      const { stream, events } = await streamAll('DeepSeek/deepseek-reasoner', 'weather in SF?', [
        weatherTool,
      ]);
      expect(reasoningOf(events)).toHaveLength(39);
      const calls = events.filter((event) => event.type === 'tool-call');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        toolCall: { id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', name: 'weather', arguments: weatherSF },
      });
      const response = await stream.response;
      expect(response.finishReason).toBe('tool_calls');
      expect(response.toolCalls.map((call) => call.name)).toEqual(['weather']);
      expect(fake.requests).toHaveLength(1);
      expect(openaiChatShape(fake.lastRequest?.body).tools).toEqual(['weather']);
    },
  );

  replay(
    'deepseek/chat-tool-call.json',
    'chat: tool call with reasoning; returned to the caller',
    async () => {
      fake.enqueue({ fixture: 'deepseek/chat-tool-call.json' });
      const response = await llm.chat('weather in SF?', {
        model: 'DeepSeek/deepseek-reasoner',
        tools: [weatherTool],
      });
      expect(response.finishReason).toBe('tool_calls');
      expect(response.toolCalls).toMatchObject([
        { id: 'call_00_9V0vrf86Pc9aelHCJMZqnJBo', name: 'weather', arguments: weatherSF },
      ]);
      expect(response.thoughtText).toMatch(/^The user is asking for the weather in San Francisco\./);
      expect(response.message.toolCalls).toEqual(response.toolCalls);
    },
  );

  replay(
    'deepseek/error-400-context-length.exchange.json',
    '400 (octet-stream body) "maximum context length" → CONTEXT_LENGTH_EXCEEDED',
    async () => {
      fake.enqueue({ fixture: 'deepseek/error-400-context-length.exchange.json' });
      const error = await rejectionOf(llm.chat('long', { model: 'DeepSeek/deepseek-chat' }));
      expect(error.code).toBe('CONTEXT_LENGTH_EXCEEDED');
      expect(error.message).toMatch(/maximum context length is 1048565 tokens/);
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'deepseek/error-401.exchange.json',
    '401 with the only key → API_KEY_INVALID, key disabled, no second request',
    async () => {
      fake.enqueue({ fixture: 'deepseek/error-401.exchange.json' });
      const error = await rejectionOf(llm.chat('Hello', { model: 'DeepSeek/deepseek-chat' }));
      expect(error.code).toBe('API_KEY_INVALID');
      expect(error.message).not.toContain('test-key-ds');
      expect(fake.requests).toHaveLength(1);
      const [stats] = await llm.keys.stats('DeepSeek');
      expect(stats?.status).toBe('disabled');
      // Nothing is sent with a disabled key.
      const again = await rejectionOf(llm.chat('Hello', { model: 'DeepSeek/deepseek-chat' }));
      expect(again.code).toBe('NO_AVAILABLE_KEYS');
      expect(fake.requests).toHaveLength(1);
    },
  );
});

describe('OpenRouter', () => {
  replay(
    'openrouter/chat-stream-comments-and-error.exchange.json',
    'comments, reasoning, then an in-stream error object → INVALID_PARAMETER',
    async () => {
      const file = 'openrouter/chat-stream-comments-and-error.exchange.json';
      fake.enqueue({ fixture: file });
      const { stream, events } = await streamAll('OpenRouter/minimax/minimax-m2:free', 'Hello there');
      const error = finalError(events);
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(error.message).toMatch(/Token limit reached/);
      expect(await rejectionOf(stream.response)).toBe(error);
      expect(fake.lastRequest?.path).toBe('/api/v1/chat/completions');
      const sent = openaiChatShape(fake.lastRequest?.body);
      expect({ ...sent, tools: [] }).toEqual(openaiChatShape(recordedBody(file)));
      expect(fake.lastRequest?.headers['x-title']).toBe('switchboard-llm');
    },
  );

  replay(
    'openrouter/error-400-context-length.exchange.json',
    '400 with numeric code → CONTEXT_LENGTH_EXCEEDED',
    async () => {
      fake.enqueue({ fixture: 'openrouter/error-400-context-length.exchange.json' });
      const error = await rejectionOf(llm.chat('long', { model: 'OpenRouter/anthropic/claude-haiku-4.5' }));
      expect(error.code).toBe('CONTEXT_LENGTH_EXCEEDED');
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'openrouter/error-429-upstream.exchange.json',
    '429 upstream on both keys → API_RATE_LIMITED after trying each key once',
    async () => {
      const file = 'openrouter/error-429-upstream.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const error = await rejectionOf(
        llm.chat('Tell me a joke.', {
          model: 'OpenRouter/google/gemini-2.0-flash-exp:free',
          instruction: 'Be helpful.',
          timeoutMs: 5000,
        }),
      );
      // Each key once, never waiting for either cooldown: at most the 5 ms backoff (recorded, not measured).
      expect(error.attempts?.every((attempt) => (attempt.waitMs ?? 0) <= 5)).toBe(true);
      expect(error.code).toBe('API_RATE_LIMITED');
      expect(error.message).toMatch(/temporarily rate-limited upstream/);
      expect(error.attempts?.map((attempt) => attempt.code)).toEqual([
        'API_RATE_LIMITED',
        'API_RATE_LIMITED',
      ]);
      expect(new Set(fake.requests.map((request) => request.apiKey)).size).toBe(2);
      expect(openaiChatShape(fake.requests[0]?.body)).toEqual(openaiChatShape(recordedBody(file, 0)));
      const stats = await llm.keys.stats('OpenRouter');
      expect(stats.map((key) => key.status)).toEqual(['cooldown', 'cooldown']);
    },
  );

  it('the third recorded 429 is served like the others (the recording repeats it)', async () => {
    const file = 'openrouter/error-429-upstream.exchange.json';
    fake.enqueue({ fixture: file, interaction: 2 }, { fixture: file, interaction: 2 });
    const error = await rejectionOf(
      llm.chat('x', { model: 'OpenRouter/google/gemini-2.0-flash-exp:free', timeoutMs: 5000 }),
    );
    expect(error.code).toBe('API_RATE_LIMITED');
  });
});

describe('Groq, Mistral, xAI, Azure, other gateways', () => {
  replay('groq/chat-tool-call.json', 'chat: message without content, one call', async () => {
    fake.enqueue({ fixture: 'groq/chat-tool-call.json' });
    const response = await llm.chat('weather?', { model: 'Groq/llama-3.3-70b', tools: [weatherTool] });
    expect(response.text).toBe('');
    expect(response.toolCalls).toMatchObject([{ id: 'ax9fskhev', name: 'weather', arguments: {} }]);
    expect(response.usage).toEqual({ promptTokens: 218, completionTokens: 15, totalTokens: 233 });
    expect(fake.lastRequest?.path).toBe('/openai/v1/chat/completions');
  });

  replay(
    'groq/chat-tool-call.chunks.txt',
    'stream: the whole call in one delta → one tool-call event',
    async () => {
      fake.enqueue({ fixture: 'groq/chat-tool-call.chunks.txt' });
      const { stream, events } = await streamAll('Groq/llama-3.3-70b', 'weather?', [weatherTool]);
      expect(events.map((event) => event.type)).toEqual(['tool-call', 'finish']);
      const response = await stream.response;
      expect(response.toolCalls).toMatchObject([{ id: 'tk85n1k4m', name: 'weather', arguments: {} }]);
      expect(response.usage).toEqual({ promptTokens: 210, completionTokens: 15, totalTokens: 225 });
    },
  );

  replay(
    'groq/error-400-tool-use-failed.exchange.json',
    '400 tool_use_failed → INVALID_PARAMETER; the recorded retry runs the tool loop',
    async () => {
      const file = 'groq/error-400-tool-use-failed.exchange.json';
      const instruction = 'Be concise. Never use pretty double quotes, just regular ones.';
      const prompt =
        'Please call the "get_something_by_name" tool with non-existent parameters to test error handling; on the second try you can use valid args';
      const tool = functionTool({
        name: 'get_something_by_name',
        parameters: z.object({ name: z.string() }),
        execute: async ({ name }) => `Something with name: ${name}`,
      });
      fake.enqueue({ fixture: file, interaction: 0 });
      const error = await rejectionOf(
        llm.chat(prompt, { model: 'Groq/openai/gpt-oss-120b', instruction, tools: [tool] }),
      );
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(error.message).toMatch(/Tool call validation failed/);
      expect(fake.requests).toHaveLength(1);
      expect(openaiChatShape(fake.lastRequest?.body)).toEqual(openaiChatShape(recordedBody(file, 0)));

      // The recorded conversation continues with the failed call's validation result in the history.
      fake.clearRequests();
      fake.enqueue({ fixture: file, interaction: 1 }, { fixture: file, interaction: 2 });
      const history = (
        recordedBody(file, 1) as {
          messages: {
            role: string;
            content?: string;
            tool_call_id?: string;
            tool_calls?: { id: string; function: { name: string; arguments: string } }[];
          }[];
        }
      ).messages;
      const [, user, assistant, toolResult] = history;
      const response = await llm.generate(
        [
          { role: 'user', content: user?.content ?? '' },
          {
            role: 'assistant',
            content: '',
            toolCalls: (assistant?.tool_calls ?? []).map((call) => ({
              id: call.id,
              name: call.function.name,
              arguments: JSON.parse(call.function.arguments) as Record<string, unknown>,
              rawArguments: call.function.arguments,
            })),
          },
          {
            role: 'tool',
            toolCallId: toolResult?.tool_call_id ?? '',
            name: 'get_something_by_name',
            content: toolResult?.content ?? '',
          },
        ],
        { model: 'Groq/openai/gpt-oss-120b', instruction, tools: [tool] },
      );
      expect(response.text).toMatch(/^The first call failed due to missing and extra parameters/);
      expect(response.thoughtText).toMatch(/^We need to respond to user request\./);
      expect(response.toolResults).toMatchObject([
        {
          call: { id: 'fc_311ba17b-89f9-48d3-8fd9-7e74a1264855', arguments: { name: 'test' } },
          output: 'Something with name: test',
        },
      ]);
      const [first, second] = sentBodies();
      expect(withoutIds(openaiChatShape(first)).messages).toEqual(
        withoutIds(openaiChatShape(recordedBody(file, 1))).messages,
      );
      expect(openaiChatShape(second).messages.slice(4)).toEqual(
        openaiChatShape(recordedBody(file, 2))
          .messages.slice(4)
          .map((m) => ({ ...m, content: m.role === 'assistant' ? undefined : m.content })),
      );
    },
  );

  replay('mistral/chat-tool-call.json', 'chat: tool call without a type field', async () => {
    fake.enqueue({ fixture: 'mistral/chat-tool-call.json' });
    const response = await llm.chat('weather?', {
      model: 'Mistral/mistral-large-latest',
      tools: [weatherTool],
    });
    expect(response.toolCalls).toMatchObject([{ id: 'gSIMJiOkT', name: 'weather', arguments: weatherSF }]);
    expect(response.usage).toEqual({ promptTokens: 124, completionTokens: 22, totalTokens: 146 });
  });

  replay('xai/chat-tool-call-reasoning.json', 'chat: reasoning_content with a tool call', async () => {
    fake.enqueue({ fixture: 'xai/chat-tool-call-reasoning.json' });
    const response = await llm.chat('weather?', { model: 'xAI/grok-3-mini', tools: [weatherTool] });
    expect(response.toolCalls).toMatchObject([
      { id: 'call_46427107', name: 'weather', arguments: weatherSF },
    ]);
    expect(response.thoughtText).toMatch(/^First, the user is asking about the weather in San Francisco\./);
    expect(response.usage).toEqual({
      promptTokens: 307,
      completionTokens: 26,
      totalTokens: 588,
      reasoningTokens: 255,
      cachedTokens: 244,
    });
  });

  replay(
    'azure-openai/chat-stream-content-filter.chunks.txt',
    'Azure stream whose first chunk has no choices',
    async () => {
      fake.enqueue({ fixture: 'azure-openai/chat-stream-content-filter.chunks.txt' });
      const { stream, events } = await streamAll('Azure/model-router');
      expect(textsOf(events)).toHaveLength(4);
      const response = await stream.response;
      expect(response.text).toBe('Capital of Denmark.');
      expect(response.finishReason).toBe('stop');
      expect(response.usage).toEqual({
        promptTokens: 15,
        completionTokens: 78,
        totalTokens: 93,
        reasoningTokens: 64,
        cachedTokens: 0,
      });
    },
  );

  replay(
    'openai-compatible/stream-tool-call-index-1.sse.txt',
    'text deltas, then a call starting at index 1',
    async () => {
      fake.enqueue({ fixture: 'openai-compatible/stream-tool-call-index-1.sse.txt' });
      const { stream, events } = await streamAll('Compat/claude-sonnet', 'read a.txt', [
        declared('read_file'),
      ]);
      expect(textsOf(events).join('')).toBe('Reading it.');
      expect(events.filter((event) => event.type === 'tool-call')).toMatchObject([
        { toolCall: { id: 'toolu_sanitized', name: 'read_file', arguments: { path: 'a.txt' } } },
      ]);
      expect((await stream.response).finishReason).toBe('tool_calls');
    },
  );

  replay(
    'gemini-openai-compat/chat-tool-call-empty-id.exchange.json',
    "Gemini's OpenAI endpoint: empty id gets one; the signature goes back in extra_content",
    async () => {
      const file = 'gemini-openai-compat/chat-tool-call-empty-id.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const clock = functionTool({
        name: 'get_current_time',
        description: 'Get the current time.',
        parameters: z.object({}),
        execute: async () => 'Noon',
      });
      const response = await llm.chat('What is the current time?', {
        model: 'GeminiCompat/gemini-2.5-pro-preview-05-06',
        tools: [clock],
      });
      expect(response.text).toBe('The current time is Noon.');
      expect(response.contentParts).toEqual([
        {
          type: 'text',
          text: 'The current time is Noon.',
          thoughtSignature: expect.stringMatching(/^AVSoXO4\/lu90/),
        },
      ]);
      expect(fake.requests.map((request) => request.path)).toEqual([
        '/v1beta/openai/chat/completions',
        '/v1beta/openai/chat/completions',
      ]);
      const second = fake.requests[1]?.body as { messages: Record<string, unknown>[] };
      const assistant = second.messages[1] as { tool_calls: { id: string; extra_content?: unknown }[] };
      const id = assistant.tool_calls[0]?.id;
      expect(id).toMatch(/^call_[0-9a-f]{24}$/);
      expect(assistant.tool_calls[0]?.extra_content).toEqual({
        google: { thought_signature: expect.stringMatching(/^AVSoXO4AzAXs/) },
      });
      expect(second.messages[2]).toMatchObject({ role: 'tool', tool_call_id: id, content: 'Noon' });
      expect(withoutIds(openaiChatShape(second))).toEqual({
        ...withoutIds(openaiChatShape(recordedBody(file, 1))),
        model: 'gemini-2.5-pro-preview-05-06',
      });
    },
  );
});

describe('coverage', () => {
  it('every OpenAI-family recording is replayed through the client above', () => {
    expect(coverage.unknown()).toEqual([]);
    expect(coverage.missing()).toEqual([]);
  });

  it('the recordings are where the suite expects them', () => {
    expect(fixtureJson<{ object: string }>('openai/chat-text.json').object).toBe('chat.completion');
  });
});
