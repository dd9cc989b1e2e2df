import { beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { ChatRequestInput, LLMMessage } from '../../spec/index.js';
import { createResponsesDialect, responsesUrl } from './responses-dialect.js';
import { loadOpenAISpec, type OpenAISpecValidator } from './test-support/openai-spec.js';
import { testModel } from './test-support/resolved-model.js';
import { functionCallItem, messageItem, specResponse } from './test-support/responses-fixtures.js';

let spec: OpenAISpecValidator;
beforeAll(() => {
  spec = loadOpenAISpec();
});

const dialect = createResponsesDialect();
const model = testModel('gpt-5-mini', 'openai_responses');
const weatherTool = {
  name: 'get_weather',
  description: 'Current weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

function input(messages: LLMMessage[], extra: Partial<ChatRequestInput> = {}): ChatRequestInput {
  return {
    model,
    messages,
    config: {},
    tools: { functions: [], providerTools: [] },
    stream: false,
    ...extra,
  };
}

function build(request: ChatRequestInput) {
  const mapped = dialect.buildChatRequest(request);
  expect(spec.errors('CreateResponse', mapped.value.body)).toEqual([]);
  return mapped;
}

describe('Responses dialect: requests', () => {
  it('posts to /v1/responses with bearer auth, store: false and no stream flag', () => {
    const { value, warnings } = build(
      input([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ]),
    );
    expect(value).toMatchObject({
      method: 'POST',
      url: 'https://api.openai.com/v1/responses',
      auth: { scheme: 'bearer' },
      stream: false,
      headers: { 'content-type': 'application/json' },
    });
    expect(value.body).toEqual({
      model: 'gpt-5-mini',
      instructions: 'Be brief.',
      input: [{ type: 'message', role: 'user', content: 'Hi' }],
      store: false,
    });
    expect(JSON.stringify(value)).not.toContain('test-key-1');
    expect(warnings).toEqual([]);
  });

  it('builds the same URL with or without /v1 in the base, and honours an endpoint override', () => {
    expect(responsesUrl(testModel('m', 'openai_responses', { apiBase: 'https://relay.example/v1/' }))).toBe(
      'https://relay.example/v1/responses',
    );
    expect(responsesUrl(testModel('m', 'openai_responses', { apiBase: 'https://relay.example' }))).toBe(
      'https://relay.example/v1/responses',
    );
    expect(
      responsesUrl(
        testModel('m', 'openai_responses', {
          apiBase: 'https://relay.example/v1',
          endpoint: '/v1/responses',
        }),
      ),
    ).toBe('https://relay.example/v1/responses');
  });

  it('sets stream: true in the body and asks for an event stream', () => {
    const { value } = build(input([{ role: 'user', content: 'Hi' }], { stream: true }));
    expect(value.stream).toBe(true);
    expect(value.body).toMatchObject({ stream: true });
    expect(value.headers.accept).toBe('text/event-stream');
  });

  it('sends a multi-turn tool conversation with tools, config and customParams, valid against CreateResponse', () => {
    const { value, warnings } = build(
      input(
        [
          { role: 'system', content: 'You are a weather bot.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is the weather where this photo was taken?' },
              { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
            ],
          },
          {
            role: 'assistant',
            content: 'Looks like Paris.',
            toolCalls: [
              {
                id: 'call_1',
                name: 'get_weather',
                arguments: { city: 'Paris' },
                rawArguments: '{"city":"Paris"}',
              },
            ],
          },
          { role: 'tool', toolCallId: 'call_1', name: 'get_weather', content: '{"tempC":21}' },
        ],
        {
          tools: { functions: [weatherTool], providerTools: [] },
          toolChoice: 'auto',
          config: {
            core: { maxTokens: 800, temperature: 0.2, topP: 0.9, stop: 'END' },
            reasoning: { effort: 'medium', showThoughts: true },
            output: { responseFormat: 'json', responseSchema: weatherTool.parameters },
            visual: { mediaResolution: 'LOW' },
            customParams: { parallel_tool_calls: false, metadata: { trace: 'abc' } },
          },
        },
      ),
    );
    expect(value.body).toEqual({
      model: 'gpt-5-mini',
      instructions: 'You are a weather bot.',
      input: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is the weather where this photo was taken?' },
            { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
          ],
        },
        { type: 'message', role: 'assistant', content: 'Looks like Paris.' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"tempC":21}' },
      ],
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Current weather',
          parameters: weatherTool.parameters,
          strict: true,
        },
      ],
      tool_choice: 'auto',
      max_output_tokens: 800,
      reasoning: { effort: 'medium', summary: 'auto' },
      text: {
        format: {
          type: 'json_schema',
          name: 'structured_response',
          schema: weatherTool.parameters,
          strict: true,
        },
      },
      store: false,
      parallel_tool_calls: false,
      metadata: { trace: 'abc' },
    });
    expect(warnings).toEqual([
      'temperature is not supported by reasoning model gpt-5-mini; not sent',
      'topP is not supported by reasoning model gpt-5-mini; not sent',
      'stop is not supported by the OpenAI Responses API; ignored',
    ]);
  });

  it('sends sampling settings to non-reasoning models, and every input part shape validates', () => {
    const plain = testModel('gpt-4.1-mini', 'openai_responses', { capabilities: { reasoningMode: 'none' } });
    const { value } = build(
      input(
        [
          { role: 'user', content: 'Hello' },
          { role: 'system', content: 'From now on, answer in French.' },
          {
            role: 'user',
            content: [
              { type: 'image', url: 'https://example.com/cat.png' },
              { type: 'image', url: 'file-img123' },
              { type: 'file', mimeType: 'application/pdf', data: 'JVBERi0xLjcK', name: 'a.pdf' },
              { type: 'file', url: 'https://example.com/a.pdf' },
              { type: 'file', url: 'file-pdf123' },
            ],
          },
        ],
        { model: plain, config: { core: { temperature: 0.4, topP: 0.5, maxTokens: 64 } } },
      ),
    );
    expect(value.body).toMatchObject({
      model: 'gpt-4.1-mini',
      temperature: 0.4,
      top_p: 0.5,
      max_output_tokens: 64,
    });
    expect(value.body).not.toHaveProperty('instructions');
  });

  it('mentions JSON in the instructions for JSON-object mode when nothing else does', () => {
    const json = build(
      input([{ role: 'user', content: 'List three colours' }], {
        config: { output: { responseFormat: 'json' } },
      }),
    );
    expect(json.value.body).toMatchObject({
      instructions: 'Reply with a valid JSON object only, without Markdown fences or commentary.',
      text: { format: { type: 'json_object' } },
    });
    const mentioned = build(
      input(
        [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'List three colours as JSON' },
        ],
        {
          config: { output: { responseFormat: 'json' } },
        },
      ),
    );
    expect(mentioned.value.body).toMatchObject({ instructions: 'Be brief.' });
    const relay = testModel('relay-model', 'openai_responses', { capabilities: { jsonSchema: false } });
    const schema = { type: 'object', properties: { colours: { type: 'array', items: { type: 'string' } } } };
    const fallback = build(
      input(
        [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Colours?' },
        ],
        {
          model: relay,
          config: { output: { responseFormat: 'json', responseSchema: schema } },
        },
      ),
    );
    expect((fallback.value.body as { instructions: string }).instructions).toBe(
      `Be brief.\n\nReply with a JSON object that matches this JSON Schema:\n${JSON.stringify(schema)}`,
    );
  });

  it('validates forced and allowed-tools choices against the spec', () => {
    const tools = { functions: [weatherTool, { ...weatherTool, name: 'get_time' }], providerTools: [] };
    const forced = build(
      input([{ role: 'user', content: 'Hi' }], { tools, toolChoice: { name: 'get_time' } }),
    );
    expect(forced.value.body).toMatchObject({ tool_choice: { type: 'function', name: 'get_time' } });
    const allowed = build(
      input([{ role: 'user', content: 'Hi' }], {
        tools,
        config: { toolConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather', 'get_time'] } },
      }),
    );
    expect(allowed.value.body).toMatchObject({ tool_choice: { type: 'allowed_tools', mode: 'required' } });
  });

  it('the validator rejects the seed’s broken shapes (role tool, chat-nested tools)', () => {
    const seedBody = {
      model: 'gpt-5-mini',
      input: [{ role: 'tool', content: [{ type: 'input_text', text: '{}' }] }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: {} } }],
    };
    expect(spec.errors('CreateResponse', seedBody).length).toBeGreaterThan(0);
  });
});

describe('Responses dialect: responses', () => {
  it('parses a body and checks errors in 200 bodies through checkBody', () => {
    const request = input([{ role: 'user', content: 'Hi' }]);
    const { value } = dialect.buildChatRequest(request);
    const body = specResponse([messageItem('m', 'Hello'), functionCallItem('fc', 'call_9', 'ping', '{}')]);
    expect(() => value.checkBody?.(body)).not.toThrow();
    const parsed = dialect.parseChatResponse(body, request);
    expect(parsed.text).toBe('Hello');
    expect(parsed.toolCalls.map((call) => call.id)).toEqual(['call_9']);

    let error: unknown;
    try {
      value.checkBody?.({
        error: { message: 'Bad things', type: 'server_error', param: null, code: 'server_error' },
      });
    } catch (caught) {
      error = caught;
    }
    expect(LLMError.isInstance(error)).toBe(true);
    expect((error as LLMError).model).toBe('OpenAI/gpt-5-mini');
  });

  it('turns the nulls of optional fields of strict tools back into absent fields', () => {
    const search = {
      name: 'search',
      parameters: {
        type: 'object',
        properties: { q: { type: 'string' }, limit: { type: 'integer' } },
        required: ['q'],
      },
      strict: true,
    };
    const request = input([{ role: 'user', content: 'Find cats' }], {
      tools: { functions: [search], providerTools: [] },
    });
    const built = build(request);
    expect(built.value.body).toMatchObject({ tools: [{ name: 'search', strict: true }] });
    const raw = '{"q":"cats","limit":null}';
    const parsed = dialect.parseChatResponse(
      specResponse([functionCallItem('fc', 'call_1', 'search', raw)]),
      request,
    );
    expect(parsed.toolCalls[0]).toEqual({
      id: 'call_1',
      name: 'search',
      arguments: { q: 'cats' },
      rawArguments: raw,
    });

    const parser = dialect.createStreamParser({ ...request, stream: true });
    const emitted: unknown[] = [];
    const item = functionCallItem('fc', 'call_1', 'search', raw);
    parser.push(
      JSON.stringify({ type: 'response.output_item.done', output_index: 0, item, sequence_number: 0 }),
      undefined,
      (d) => emitted.push(d),
    );
    parser.push(
      JSON.stringify({ type: 'response.completed', response: specResponse([item]), sequence_number: 1 }),
      undefined,
      () => {},
    );
    expect(emitted).toEqual([
      {
        type: 'tool-call',
        toolCall: { id: 'call_1', name: 'search', arguments: { q: 'cats' }, rawArguments: raw },
      },
    ]);
    expect(parser.finish('').toolCalls[0]?.arguments).toEqual({ q: 'cats' });
  });

  it('creates a stream parser bound to the model', () => {
    const parser = dialect.createStreamParser(input([{ role: 'user', content: 'Hi' }], { stream: true }));
    expect(() => parser.finish('')).toThrow(
      /OpenAI\/gpt-5-mini: the stream ended without response\.completed/,
    );
  });
});
