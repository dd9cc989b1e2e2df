import { describe, expect, it } from 'vitest';
import type { ChatRequestInput, FunctionToolSpec, LLMMessage } from '../../spec/index.js';
import { createOpenAIChatDialect } from './openai-chat-dialect.js';
import { detectOpenAIQuirks, isOpenAIDialectName, type OpenAIDialectName } from './openai-dialects.js';
import { validateOpenAIRequest } from './test-support/openai-spec.js';
import {
  chatInput,
  exchangeInteractions,
  type TestModelOptions,
  testModel,
} from './test-support/openai-test-kit.js';

function build(overrides: Partial<ChatRequestInput> = {}, dialect: OpenAIDialectName = 'openai') {
  return createOpenAIChatDialect(dialect).buildChatRequest(chatInput(overrides));
}

function expectConforming(body: unknown): void {
  expect(validateOpenAIRequest('CreateChatCompletionRequest', body)).toEqual([]);
}

const capital: FunctionToolSpec = {
  name: 'get_capital',
  description: '',
  parameters: {
    type: 'object',
    properties: { country: { type: 'string' } },
    required: ['country'],
    additionalProperties: false,
  },
  strict: true,
};

describe('createOpenAIChatDialect: URL, headers, auth', () => {
  it.each([
    ['openai', undefined, 'https://api.openai.com/v1/chat/completions'],
    ['openai', 'https://api.openai.com', 'https://api.openai.com/v1/chat/completions'],
    ['openai', 'https://api.openai.com/v1/', 'https://api.openai.com/v1/chat/completions'],
    ['openai', 'https://api.groq.com/openai/v1', 'https://api.groq.com/openai/v1/chat/completions'],
    [
      'openai',
      'https://generativelanguage.googleapis.com/v1beta/openai',
      'https://generativelanguage.googleapis.com/v1beta/openai/chat/completions',
    ],
    ['deepseek', 'https://api.deepseek.com', 'https://api.deepseek.com/v1/chat/completions'],
    ['zhipu', 'https://open.bigmodel.cn', 'https://open.bigmodel.cn/api/paas/v4/chat/completions'],
    [
      'zhipu',
      'https://open.bigmodel.cn/api/paas/v4',
      'https://open.bigmodel.cn/api/paas/v4/chat/completions',
    ],
    ['ark', 'https://ark.cn-beijing.volces.com', 'https://ark.cn-beijing.volces.com/api/v3/chat/completions'],
    ['openrouter', 'https://openrouter.ai/api', 'https://openrouter.ai/api/v1/chat/completions'],
    ['openrouter', 'https://openrouter.ai/api/v1', 'https://openrouter.ai/api/v1/chat/completions'],
  ] as const)('%s with base %s → %s', (dialect, apiBase, url) => {
    const model = testModel({ dialect, ...(apiBase !== undefined ? { apiBase } : {}) });
    expect(build({ model }, dialect).value.url).toBe(url);
  });

  it('uses a model endpoint override without doubling the version', () => {
    const model = testModel({ apiBase: 'https://gateway.example/v1', endpoint: '/v1/chat/completions' });
    expect(build({ model }).value.url).toBe('https://gateway.example/v1/chat/completions');
  });

  it('sends JSON with bearer auth, and the provider headers (definition headers merged in by config) last', () => {
    const plain = build().value;
    expect(plain).toMatchObject({
      method: 'POST',
      auth: { scheme: 'bearer' },
      stream: false,
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.stringify(plain.headers)).not.toMatch(/test-key-1/);
    const model = testModel({
      dialect: 'openrouter',
      headers: { 'HTTP-Referer': 'https://github.com/switchboard-llm/switchboard-llm', 'X-Title': 'my-bot' },
    });
    expect(build({ model }, 'openrouter').value.headers).toEqual({
      'content-type': 'application/json',
      'HTTP-Referer': 'https://github.com/switchboard-llm/switchboard-llm',
      'X-Title': 'my-bot',
    });
  });

  it('detects the Gemini OpenAI-compatible endpoint from the base URL', () => {
    expect(detectOpenAIQuirks('https://generativelanguage.googleapis.com/v1beta/openai/')).toEqual({
      geminiCompat: true,
    });
    expect(detectOpenAIQuirks('https://api.openai.com/v1')).toEqual({ geminiCompat: false });
    expect(detectOpenAIQuirks(undefined)).toEqual({ geminiCompat: false });
    expect(isOpenAIDialectName('zhipu')).toBe(true);
    expect(isOpenAIDialectName('gemini')).toBe(false);
  });
});

describe('createOpenAIChatDialect: request bodies conform to the OpenAI spec', () => {
  it('the spec check itself rejects the seed bugs (content: [], a ToolChoice object, top-level garbage)', () => {
    const bad = (body: unknown) => validateOpenAIRequest('CreateChatCompletionRequest', body);
    expect(bad({ model: 'm', messages: [{ role: 'user', content: [] }] })).not.toEqual([]);
    expect(
      bad({ model: 'm', messages: [{ role: 'user', content: 'x' }], tool_choice: { mode: 'ANY' } }),
    ).not.toEqual([]);
    expect(bad({ model: 'm', messages: 'x', temperature: 'hot' })).not.toEqual([]);
    expect(
      validateOpenAIRequest('CreateEmbeddingRequest', { model: 'm', input: ['a'], task: 'query' }),
    ).not.toEqual([]);
  });

  it('a plain chat request', () => {
    const { value, warnings } = build({ config: { core: { temperature: 0.2, maxTokens: 50 } } });
    expect(value.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 0.2,
      max_tokens: 50,
    });
    expect(warnings).toEqual([]);
    expectConforming(value.body);
  });

  it('a streaming request asks for usage (not where the dialect rejects stream_options)', () => {
    const { body } = build({ stream: true }).value;
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expectConforming(body);
    const zhipu = build({ stream: true, model: testModel({ dialect: 'zhipu' }) }, 'zhipu').value.body;
    expect(zhipu).toMatchObject({ stream: true });
    expect(zhipu).not.toHaveProperty('stream_options');
  });

  it('tools, tool choice, strict schemas and a multi-turn history with tool results', () => {
    const messages: LLMMessage[] = [
      { role: 'system', content: 'You answer with facts.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Capital?' },
          { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
        ],
      },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          {
            id: 'call_1',
            name: 'get_capital',
            arguments: { country: 'UK' },
            rawArguments: '{"country":"UK"}',
          },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'get_capital', content: 'London' },
    ];
    const { value, warnings } = build({
      messages,
      tools: { functions: [capital], providerTools: [] },
      config: { toolConfig: { mode: 'ANY' }, reasoning: { effort: 'low' } },
      model: testModel({ id: 'o4-mini' }),
    });
    expect(warnings).toEqual([]);
    expect(value.body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_capital', strict: true } }],
      tool_choice: 'required',
      reasoning_effort: 'low',
    });
    expectConforming(value.body);
  });

  it('json_schema structured output', () => {
    const { body } = build({
      config: {
        output: {
          responseFormat: 'json',
          responseSchema: {
            type: 'object',
            properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    }).value;
    expect(body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { strict: true } } });
    expectConforming(body);
  });

  it('JSON mode injects the word json when no message has it', () => {
    const { body } = build({ config: { output: { responseFormat: 'json' } } }).value;
    expect(body).toMatchObject({
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: expect.stringMatching(/JSON/) },
        { role: 'user', content: 'Hello' },
      ],
    });
    expectConforming(body);
  });

  it('DeepSeek structured output: JSON mode and the schema in the system prompt', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const { body } = build(
      {
        model: testModel({ dialect: 'deepseek', id: 'deepseek-chat' }),
        config: { output: { responseFormat: 'json', responseSchema: schema } },
      },
      'deepseek',
    ).value;
    expect(body).toMatchObject({
      response_format: { type: 'json_object' },
      messages: [
        {
          role: 'system',
          content: `Reply with a JSON object that matches this JSON Schema:\n${JSON.stringify(schema)}`,
        },
        {},
      ],
    });
    expectConforming(body);
  });

  it('customParams are merged last and vendor fields pass for OpenAI validation too', () => {
    const { body } = build({
      tools: { functions: [capital], providerTools: [] },
      toolChoice: 'auto',
      config: { customParams: { tool_choice: 'none', stop: 'STOP', user: 'u-1' } },
    }).value;
    expect(body).toMatchObject({ tool_choice: 'none', stop: ['STOP'], user: 'u-1' });
    expectConforming(body);
  });

  it('warns about native Gemini tools once, whichever way they came', () => {
    const google = { kind: 'provider', provider: 'gemini', type: 'google_search' } as const;
    const code = { kind: 'provider', provider: 'gemini', type: 'code_execution' } as const;
    const { value, warnings } = build({
      tools: { functions: [], providerTools: [google, code] },
      config: { nativeTools: [google] },
    });
    expect(value.body).not.toHaveProperty('tools');
    expect(warnings).toEqual([
      'native tool gemini.google_search is not supported by openai; not sent',
      'native tool gemini.code_execution is not supported by openai; not sent',
    ]);
  });

  it('never mutates its input', () => {
    const input = chatInput({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      tools: { functions: [capital], providerTools: [] },
      config: { output: { responseFormat: 'json' }, customParams: { stop: 'x' } },
    });
    const before = structuredClone(input);
    createOpenAIChatDialect().buildChatRequest(input);
    expect(input).toEqual(before);
  });
});

describe('createOpenAIChatDialect: requests match the recorded ones', () => {
  const model = (options: TestModelOptions) => testModel({ providerName: 'P', ...options });

  it('OpenAI streamed tool call, both turns', () => {
    const [first, second] = exchangeInteractions('openai/chat-stream-tool-call.exchange.json');
    // The recording sends `description: ""`; an empty description is left out here.
    for (const call of [first, second]) {
      const body = call?.request.body as { tools: { function: { description?: string } }[] };
      for (const tool of body.tools) delete tool.function.description;
    }
    const tools = { functions: [capital], providerTools: [] };
    const turn1 = build({
      model: model({ id: 'gpt-4o-mini' }),
      stream: true,
      tools,
      toolChoice: 'auto',
      messages: [{ role: 'user', content: 'What is the capital of the UK? Use the tool, then answer.' }],
    });
    expect(turn1.value.body).toEqual(first?.request.body);
    expect(turn1.value.url).toBe(first?.request.url);
    expectConforming(turn1.value.body);
    const turn2 = build({
      model: model({ id: 'gpt-4o-mini' }),
      stream: true,
      tools,
      toolChoice: 'auto',
      messages: [
        { role: 'user', content: 'What is the capital of the UK? Use the tool, then answer.' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            {
              id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj',
              name: 'get_capital',
              arguments: { country: 'UK' },
              rawArguments: '{"country":"UK"}',
            },
          ],
        },
        { role: 'tool', toolCallId: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', content: 'London' },
      ],
    });
    expect(turn2.value.body).toEqual(second?.request.body);
    expectConforming(turn2.value.body);
  });

  it('OpenAI json_schema and DeepSeek streaming', () => {
    const [schemaCall] = exchangeInteractions('openai/chat-json-schema.exchange.json');
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
      additionalProperties: false,
    };
    const built = build({
      model: model({ id: 'gpt-5-nano' }),
      messages: [{ role: 'user', content: 'Generate a person named John who is 30 years old' }],
      config: { output: { responseFormat: 'json', responseSchema: schema } },
    }).value.body as Record<string, unknown>;
    const recorded = schemaCall?.request.body as Record<string, unknown>;
    expect(built.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: {
        schema: (recorded.response_format as { json_schema: { schema: unknown } }).json_schema.schema,
        strict: true,
      },
    });
    expect(built.messages).toEqual(recorded.messages);

    const [deepseekCall] = exchangeInteractions('deepseek/chat-stream-text.exchange.json');
    const deepseek = build(
      {
        model: model({ dialect: 'deepseek', id: 'deepseek-chat', apiBase: 'https://api.deepseek.com' }),
        stream: true,
        messages: [{ role: 'user', content: 'Count from 1 to 3' }],
      },
      'deepseek',
    ).value;
    expect(deepseek.body).toEqual(deepseekCall?.request.body);
    expectConforming(built);
    expectConforming(deepseek.body);
  });

  it('Gemini-compat follow-up turn replays the generated tool-call id', () => {
    const [, second] = exchangeInteractions('gemini-openai-compat/chat-tool-call-empty-id.exchange.json');
    const recorded = second?.request.body as { messages: unknown[]; tools: unknown };
    const built = build({
      model: model({
        id: 'gemini-2.5-pro-preview-05-06',
        apiBase: 'https://generativelanguage.googleapis.com/v1beta/openai',
      }),
      toolChoice: 'auto',
      tools: {
        functions: [
          {
            name: 'get_current_time',
            description: 'Get the current time.',
            parameters: { additionalProperties: false, properties: {}, type: 'object' },
          },
        ],
        providerTools: [],
      },
      messages: [
        { role: 'user', content: 'What is the current time?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            {
              id: 'pyd_ai_cee885c699414386a7e14b7ec43cadbc',
              name: 'get_current_time',
              arguments: {},
              rawArguments: '{}',
            },
          ],
        },
        { role: 'tool', toolCallId: 'pyd_ai_cee885c699414386a7e14b7ec43cadbc', content: 'Noon' },
      ],
    }).value;
    expect(built.url).toBe(second?.request.url);
    expectConforming(built.body);
    const body = built.body as { messages: unknown[]; tools: unknown };
    expect(body.tools).toEqual(recorded.tools);
    expect(body.messages[2]).toEqual(recorded.messages[2]);
    expect(body.messages[1]).toMatchObject({
      role: 'assistant',
      content: null,
      tool_calls: (recorded.messages[1] as { tool_calls: unknown }).tool_calls,
    });
  });
});
