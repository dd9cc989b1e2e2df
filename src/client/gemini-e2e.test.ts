import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LLMMessage, ProviderConfig, ToolSpec } from '../spec/index.js';
import {
  type FakeProvider,
  geminiReply,
  geminiStreamReply,
  openaiChatReply,
  startFakeProvider,
} from '../testing/index.js';
import type { LLM } from './llm.js';
import { clientFor, collect, rejectionOf } from './test-support/e2e-kit.js';

// Gemini specifics end to end: thought signatures round-tripping on their parts (and dropped for other
// providers' turns), native tools (code execution, Google Search), header-only auth, smart routing.

let fake: FakeProvider;
let llm: LLM;

const FLASH = 'Gemini/gemini-2.5-flash';
const PRO3 = 'Gemini/gemini-3-pro-preview';
const SIG_CALL = 'c2lnbmF0dXJlLW9uLXRoZS1jYWxs';
const SIG_TEXT = 'c2lnbmF0dXJlLW9uLXRoZS10ZXh0';
const SIG_THOUGHT = 'c2lnbmF0dXJlLW9uLXRoZS10aG91Z2h0';

function providers(url: string): ProviderConfig[] {
  return [
    {
      name: 'Gemini',
      apiType: 'gemini',
      apiBase: url,
      apiKeys: ['test-key-g1'],
      models: [
        'gemini-2.5-flash',
        'gemini-3-pro-preview',
        { name: 'gemini-embedding-001', embedding: true },
        'gemini-2.5-flash-image',
      ],
    },
    {
      name: 'OpenAI',
      apiType: 'openai',
      apiBase: `${url}/v1`,
      apiKeys: ['test-key-o1'],
      models: ['gpt-4o-mini'],
    },
    {
      name: 'Smart',
      apiType: 'smart',
      apiBase: url,
      apiKeys: ['test-key-s1'],
      models: [
        'gemini-2.5-flash',
        'gpt-4o-mini',
        'nano-banana-relay',
        { name: 'text-embedding-3-small', embedding: true },
      ],
    },
  ];
}

beforeEach(async () => {
  fake = await startFakeProvider();
  llm = clientFor(providers(fake.url), { defaultModel: FLASH });
});

afterEach(async () => {
  await llm.close();
  await fake.close();
  expect(fake.pendingReplies).toBe(0);
  expect(fake.errors).toEqual([]);
});

type GeminiBody = {
  contents: { role: string; parts: Record<string, unknown>[] }[];
  tools?: Record<string, unknown>[];
};

function bodyOf(index: number): GeminiBody {
  return fake.requests[index]?.body as GeminiBody;
}

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
} as ToolSpec;

describe('thought signatures', () => {
  it('a function call with a signature round-trips through generate() on the same part', async () => {
    fake.enqueue(
      geminiReply([
        { text: 'Let me think.', thought: true, thoughtSignature: SIG_THOUGHT },
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: SIG_CALL },
      ]),
      geminiReply('It is sunny in Paris.'),
    );
    const question: LLMMessage = { role: 'user', content: 'Weather in Paris?' };
    const first = await llm.generate([question], { model: PRO3, tools: [weatherTool] });
    expect(first.toolCalls).toMatchObject([
      { name: 'get_weather', arguments: { city: 'Paris' }, thoughtSignature: SIG_CALL },
    ]);
    expect(first.message.model).toBe(PRO3);
    const call = first.toolCalls[0]!;
    const toolResult: LLMMessage = {
      role: 'tool',
      toolCallId: call.id,
      name: call.name,
      content: '{"tempC":21}',
    };
    const second = await llm.generate([question, first.message, toolResult], {
      model: PRO3,
      tools: [weatherTool],
    });
    expect(second.text).toBe('It is sunny in Paris.');
    const { contents } = bodyOf(1);
    expect(contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
    expect(contents[1]?.parts).toEqual([
      { text: 'Let me think.', thought: true, thoughtSignature: SIG_THOUGHT },
      {
        functionCall: { name: 'get_weather', args: { city: 'Paris' }, id: call.id },
        thoughtSignature: SIG_CALL,
      },
    ]);
    expect(contents[2]?.parts).toEqual([
      { functionResponse: { name: 'get_weather', response: { tempC: 21 }, id: call.id } },
    ]);
  });

  it('a streamed signed call round-trips too, and a signed text part keeps its signature', async () => {
    fake.enqueue(
      geminiStreamReply([
        [{ text: 'Checking.', thoughtSignature: SIG_TEXT }],
        [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } }, thoughtSignature: SIG_CALL }],
      ]),
      geminiReply('Cold.'),
    );
    const stream = llm.stream('Weather in Oslo?', { model: PRO3, tools: [weatherTool] });
    const events = await collect(stream);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'tool-call', 'finish']);
    const first = await stream.response;
    const call = first.toolCalls[0]!;
    await llm.generate(
      [
        { role: 'user', content: 'Weather in Oslo?' },
        first.message,
        { role: 'tool', toolCallId: call.id, name: call.name, content: 'cold' },
      ],
      { model: PRO3, tools: [weatherTool] },
    );
    expect(bodyOf(1).contents[1]?.parts).toEqual([
      { text: 'Checking.', thoughtSignature: SIG_TEXT },
      {
        functionCall: { name: 'get_weather', args: { city: 'Oslo' }, id: call.id },
        thoughtSignature: SIG_CALL,
      },
    ]);
    expect(bodyOf(1).contents[2]?.parts).toEqual([
      { functionResponse: { name: 'get_weather', response: { result: 'cold' }, id: call.id } },
    ]);
  });

  const foreignTurn = (model: string | undefined): LLMMessage => ({
    role: 'assistant',
    content: [
      { type: 'thought', text: 'hmm', thoughtSignature: SIG_THOUGHT },
      { type: 'text', text: 'Calling.', thoughtSignature: SIG_TEXT },
    ],
    toolCalls: [
      {
        id: 'call_1',
        name: 'get_weather',
        arguments: { city: 'Rome' },
        rawArguments: '{"city":"Rome"}',
        thoughtSignature: SIG_CALL,
      },
    ],
    ...(model != null ? { model } : {}),
  });

  function history(model: string | undefined): LLMMessage[] {
    return [
      { role: 'user', content: 'Weather in Rome?' },
      foreignTurn(model),
      { role: 'tool', toolCallId: 'call_1', name: 'get_weather', content: 'warm' },
    ];
  }

  it('signatures are dropped when the turn came from another provider (OpenAI/…)', async () => {
    fake.enqueue(geminiReply('Warm.'));
    await llm.generate(history('OpenAI/gpt-4o-mini'), { model: FLASH, tools: [weatherTool] });
    const parts = bodyOf(0).contents[1]?.parts ?? [];
    expect(parts).toEqual([
      { text: 'hmm', thought: true },
      { text: 'Calling.' },
      { functionCall: { name: 'get_weather', args: { city: 'Rome' }, id: 'call_1' } },
    ]);
    expect(JSON.stringify(bodyOf(0))).not.toContain(SIG_CALL);
  });

  it('on a model that requires signatures, a foreign call gets the documented skip sentinel instead', async () => {
    fake.enqueue(geminiReply('Warm.'));
    const response = await llm.generate(history('OpenAI/gpt-4o-mini'), { model: PRO3, tools: [weatherTool] });
    const parts = bodyOf(0).contents[1]?.parts ?? [];
    expect(parts.at(-1)).toEqual({
      functionCall: { name: 'get_weather', args: { city: 'Rome' }, id: 'call_1' },
      thoughtSignature: 'skip_thought_signature_validator',
    });
    expect(JSON.stringify(bodyOf(0))).not.toContain(SIG_CALL);
    expect(response.warnings.join('\n')).toMatch(/without a thought signature/);
  });

  it('a turn of the same provider (any case) or without `model` keeps its signatures', async () => {
    for (const model of ['gemini/gemini-2.5-flash', undefined]) {
      fake.enqueue(geminiReply('Warm.'));
      await llm.generate(history(model), { model: FLASH, tools: [weatherTool] });
      const parts = fake.lastRequest?.body as GeminiBody;
      expect(parts.contents[1]?.parts).toEqual([
        { text: 'hmm', thought: true, thoughtSignature: SIG_THOUGHT },
        { text: 'Calling.', thoughtSignature: SIG_TEXT },
        {
          functionCall: { name: 'get_weather', args: { city: 'Rome' }, id: 'call_1' },
          thoughtSignature: SIG_CALL,
        },
      ]);
    }
  });
});

describe('native tools', () => {
  it('code() attaches code_execution; code parts in the history go back on the next turn', async () => {
    fake.enqueue(
      geminiReply([
        { executableCode: { language: 'PYTHON', code: 'print(2 + 2)' } },
        { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '4\n' } },
        { text: 'The answer is 4.' },
      ]),
      geminiReply('Sure.'),
    );
    const first = await llm.code('What is 2 + 2? Use code.');
    expect(bodyOf(0).tools).toEqual([{ code_execution: {} }]);
    expect(first.contentParts).toEqual([
      { type: 'executable_code', language: 'PYTHON', code: 'print(2 + 2)' },
      { type: 'code_execution_result', outcome: 'OUTCOME_OK', output: '4\n' },
      { type: 'text', text: 'The answer is 4.' },
    ]);
    expect(first.text).toBe('The answer is 4.');
    expect(first.warnings).toEqual([]);
    const second = await llm.generate([
      { role: 'user', content: 'What is 2 + 2? Use code.' },
      first.message,
      { role: 'user', content: 'Thanks!' },
    ]);
    expect(second.text).toBe('Sure.');
    expect(bodyOf(1).contents[1]).toEqual({
      role: 'model',
      parts: [
        { executableCode: { language: 'PYTHON', code: 'print(2 + 2)' } },
        { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '4\n' } },
        { text: 'The answer is 4.' },
      ],
    });
  });

  it('search() attaches google_search and returns grounding', async () => {
    fake.enqueue({
      json: {
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'It rains in Berlin.' }] },
            finishReason: 'STOP',
            groundingMetadata: {
              webSearchQueries: ['weather berlin'],
              groundingChunks: [
                { web: { uri: 'https://example.com/berlin', title: 'example.com' } },
                { web: { uri: 'https://example.com/berlin', title: 'example.com' } },
                { web: { uri: 'https://weather.example/b' } },
              ],
            },
          },
        ],
      },
    });
    const response = await llm.search('Weather in Berlin?');
    expect(bodyOf(0).tools).toEqual([{ google_search: {} }]);
    expect(response.text).toBe('It rains in Berlin.');
    expect(response.grounding).toEqual({
      queries: ['weather berlin'],
      sources: [
        { title: 'example.com', uri: 'https://example.com/berlin' },
        { uri: 'https://weather.example/b' },
      ],
    });
    expect(response.warnings).toEqual([]);
  });

  it.each([
    ['code', (client: LLM) => client.code('2+2?', { model: 'OpenAI/gpt-4o-mini' }), 'code_execution'],
    ['search', (client: LLM) => client.search('news?', { model: 'OpenAI/gpt-4o-mini' }), 'google_search'],
  ] as const)(
    '%s() on an OpenAI-family model: a warning and a valid request without the native tool',
    async (_name, call, tool) => {
      fake.enqueue(openaiChatReply('plain answer'));
      const response = await call(llm);
      expect(response.text).toBe('plain answer');
      expect(response.warnings.some((warning) => warning.includes(tool) || /native tool/.test(warning))).toBe(
        true,
      );
      expect(response.warnings.join('\n')).toMatch(/not sent/);
      const body = fake.lastRequest?.body as Record<string, unknown>;
      expect(fake.lastRequest?.path).toBe('/v1/chat/completions');
      expect(body.tools).toBeUndefined();
      expect(JSON.stringify(body)).not.toMatch(/code_execution|codeExecution|google_search|googleSearch/);
    },
  );
});

describe('authentication and routing', () => {
  it('the Gemini key travels only in x-goog-api-key: chat, stream, embed one and many, images', async () => {
    await llm.chat('hi');
    await llm.stream('hi').response;
    await llm.embed('one', { model: 'Gemini/gemini-embedding-001' });
    await llm.embed(['one', 'two'], { model: 'Gemini/gemini-embedding-001' });
    fake.enqueue(geminiReply([{ inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }]));
    await llm.createImage('a dot', { model: 'Gemini/gemini-2.5-flash-image' });
    expect(fake.requests.map((request) => request.path.slice(request.path.lastIndexOf(':') + 1))).toEqual([
      'generateContent',
      'streamGenerateContent',
      'embedContent',
      'batchEmbedContents',
      'generateContent',
    ]);
    for (const request of fake.requests) {
      expect(request.headers['x-goog-api-key']).toBe('test-key-g1');
      expect(request.query.key).toBeUndefined();
      expect(request.headers.authorization).toBeUndefined();
      expect(request.path).not.toContain('test-key');
    }
    expect(fake.requests[1]?.query).toEqual({ alt: 'sse' });
  });

  it('smart routing: gemini-* goes to generateContent, others to chat completions, same base', async () => {
    const gemini = await llm.chat('to gemini', { model: 'Smart/gemini-2.5-flash' });
    const openai = await llm.chat('to openai', { model: 'Smart/gpt-4o-mini' });
    const banana = await llm.chat('to banana', { model: 'Smart/nano-banana-relay' });
    const streamed = await llm.stream('streamed', { model: 'Smart/gemini-2.5-flash' }).response;
    const vectors = await llm.embed('vector', { model: 'Smart/text-embedding-3-small' });
    expect([gemini.text, openai.text, banana.text, streamed.text]).toEqual([
      'echo: to gemini',
      'echo: to openai',
      'echo: to banana',
      'echo: streamed',
    ]);
    expect(vectors).toHaveLength(1);
    expect(fake.requests.map((request) => request.path)).toEqual([
      '/v1beta/models/gemini-2.5-flash:generateContent',
      '/v1/chat/completions',
      '/v1beta/models/nano-banana-relay:generateContent',
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      '/v1/embeddings',
    ]);
    expect(fake.requests[0]?.headers['x-goog-api-key']).toBe('test-key-s1');
    expect(fake.requests[1]?.headers.authorization).toBe('Bearer test-key-s1');
    expect(fake.requests[1]?.headers['x-goog-api-key']).toBeUndefined();
    expect(fake.requests[3]?.query).toEqual({ alt: 'sse' });
  });
});

describe('embeddings in batches', () => {
  const texts = Array.from({ length: 1000 }, (_, index) => `text ${index}`);

  it('1,000 texts go as ten batches of 100, vectors back in input order', async () => {
    const vectors = await llm.embed(texts, { model: 'Gemini/gemini-embedding-001' });
    expect(fake.requestsTo(':batchEmbedContents')).toHaveLength(10);
    expect(vectors).toHaveLength(1000);
    const single = await llm.embed(texts[737] ?? '', { model: 'Gemini/gemini-embedding-001' });
    expect(vectors[737]).toEqual(single[0]);
  });

  it('a failed batch stops the others: no further batches are sent after the failure', async () => {
    fake.setHandler((request, { index }) =>
      index === 0 && request.path.endsWith(':batchEmbedContents')
        ? {
            status: 400,
            json: {
              error: {
                code: 400,
                message: 'Request contains an invalid argument.',
                status: 'INVALID_ARGUMENT',
              },
            },
          }
        : undefined,
    );
    const error = await rejectionOf(llm.embed(texts, { model: 'Gemini/gemini-embedding-001' }));
    expect(error.code).toBe('INVALID_PARAMETER');
    // Let any straggler requests arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Four batches run at a time: the three in flight may finish, nothing new starts.
    expect(fake.requests.length).toBeLessThanOrEqual(4);
  });
});
