import { describe, expect, it } from 'vitest';
import type {
  ChatRequestInput,
  FunctionToolSpec,
  LLMMessage,
  ParsedChat,
  ProviderRequest,
} from '../../spec/index.js';
import { createGeminiChatDialect } from './gemini-chat-dialect.js';
import type { GeminiGenerateContentRequest } from './gemini-wire.js';
import {
  chatInput,
  exchange,
  fixtureJson,
  geminiModel,
  responseJson,
} from './test-support/gemini-fixtures.js';
import { geminiSpecValidators, specErrors } from './test-support/gemini-spec.js';

const dialect = createGeminiChatDialect();
const spec = geminiSpecValidators();
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVQImWNwav0CAALIAbzDqqRyAAAAAElFTkSuQmCC';

function build(input: ChatRequestInput): {
  request: ProviderRequest;
  body: GeminiGenerateContentRequest;
  warnings: string[];
} {
  const { value, warnings } = dialect.buildChatRequest(input);
  const body = value.body as GeminiGenerateContentRequest;
  // Every body this suite builds must be a valid GenerateContentRequest.
  expect(specErrors(spec.generateContent, body)).toEqual([]);
  return { request: value, body, warnings };
}

/** The assistant turn the client appends to a history after a parsed answer. */
function assistantTurn(parsed: ParsedChat, model: string): LLMMessage {
  return { role: 'assistant', content: parsed.contentParts, toolCalls: parsed.toolCalls, model };
}

const weather: FunctionToolSpec = {
  name: 'weather',
  description: 'Gets current weather for a location',
  parameters: {
    type: 'object',
    properties: {
      latitude: { type: 'string', description: 'Latitude (e.g., 52.5200)' },
      longitude: { type: 'string', description: 'Longitude (e.g., 13.4050)' },
    },
    required: ['latitude', 'longitude'],
  },
};
const best: FunctionToolSpec = {
  name: 'best_language_to_learn',
  description: 'Gets the best language to learn',
  parameters: { type: 'object', properties: {} },
};

describe('Gemini chat requests', () => {
  it('URL, method, headers and header-only auth (never ?key=)', () => {
    const model = geminiModel('gemini-2.5-flash');
    const unary = build(chatInput(model)).request;
    expect(unary.method).toBe('POST');
    expect(unary.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(unary.auth).toEqual({ scheme: 'header', name: 'x-goog-api-key' });
    expect(unary.headers).toEqual({ 'content-type': 'application/json' });
    expect(unary.stream).toBe(false);
    expect(typeof unary.checkBody).toBe('function');
    const streamed = build(chatInput(model, { stream: true })).request;
    expect(streamed.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    expect(streamed.stream).toBe(true);
    for (const request of [unary, streamed]) {
      expect(request.url).not.toMatch(/[?&]key=/);
      expect(JSON.stringify(request)).not.toContain('test-key-1');
    }
  });

  it('bases with or without a version segment reach the same URL; relays keep their path', () => {
    const url = (apiBase: string, id = 'gemini-2.5-flash') =>
      build(chatInput(geminiModel(id, { apiBase }))).request.url;
    expect(url('https://generativelanguage.googleapis.com/v1beta/')).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(url('http://127.0.0.1:8080/relay')).toBe(
      'http://127.0.0.1:8080/relay/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(url('http://127.0.0.1:8080', 'models/gemini-2.5-flash')).toBe(
      'http://127.0.0.1:8080/v1beta/models/gemini-2.5-flash:generateContent',
    );
    const custom = geminiModel('my-model', {
      apiBase: 'http://127.0.0.1:8080',
      endpoint: '/v1beta/models/other:generateContent',
    });
    expect(build(chatInput(custom, { stream: true })).request.url).toBe(
      'http://127.0.0.1:8080/v1beta/models/other:streamGenerateContent?alt=sse',
    );
  });

  it('a plain request: contents, default safety settings, no generationConfig, no thinking', () => {
    const { body, warnings } = build(chatInput(geminiModel('gemini-2.5-flash')));
    expect(body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      safetySettings: [
        { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' },
        { category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' },
        { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', threshold: 'BLOCK_NONE' },
        { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_NONE' },
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('a full request conforms to the spec: system, media, tools, native tools, choice, JSON, thinking, safety', () => {
    const model = geminiModel('gemini-3-pro-preview');
    const { body, warnings } = build(
      chatInput(model, {
        messages: [
          { role: 'system', content: 'You are terse.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in the picture, and the weather at 52.5,13.4?' },
              { type: 'image', mimeType: 'image/png', data: PNG },
              { type: 'file', url: 'https://example.com/doc.pdf' },
            ],
          },
        ],
        tools: {
          functions: [weather, best],
          providerTools: [{ kind: 'provider', provider: 'gemini', type: 'google_search' }],
        },
        toolChoice: { name: 'weather' },
        config: {
          core: { temperature: 0.3, maxTokens: 512, topP: 0.9, topK: 20, stop: ['END'], seed: 1 },
          reasoning: { effort: 'low', showThoughts: true },
          output: {
            responseFormat: 'json',
            responseSchema: { type: 'object', properties: { answer: { type: 'string' } } },
          },
          visual: { mediaResolution: 'MEDIUM' },
          safety: { safetySettings: { HARM_CATEGORY_HARASSMENT: 'BLOCK_ONLY_HIGH' } },
          nativeTools: [{ kind: 'provider', provider: 'gemini', type: 'code_execution' }],
          customParams: { candidateCount: 1 },
        },
      }),
    );
    expect(warnings).toEqual([]);
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'You are terse.' }] });
    expect(body.tools?.map((tool) => Object.keys(tool)[0])).toEqual([
      'functionDeclarations',
      'google_search',
      'code_execution',
    ]);
    expect(body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] },
    });
    expect(body.generationConfig).toMatchObject({
      thinkingConfig: { thinkingLevel: 'LOW', includeThoughts: true },
      responseMimeType: 'application/json',
      mediaResolution: 'MEDIA_RESOLUTION_MEDIUM',
      stopSequences: ['END'],
      candidateCount: 1,
    });
    expect(body.safetySettings).toEqual([
      { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' },
    ]);
  });

  it('the spec loader rejects what the API rejects (misspelt fields, wrong enums) and accepts the recorded requests', () => {
    expect(
      specErrors(spec.generateContent, { contents: [{ role: 'user', parts: [{ txt: 'x' }] }] }),
    ).not.toEqual([]);
    expect(
      specErrors(spec.generateContent, {
        contents: [],
        generationConfig: { thinkingConfig: { thinkingLevel: 'EXTREME' } },
      }),
    ).not.toEqual([]);
    expect(
      specErrors(spec.generateContent, {
        contents: [],
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT' }],
      }),
    ).not.toEqual([]);
    for (const path of [
      'gemini/generate-code-execution-gemini-3.exchange.json',
      'gemini/generate-parallel-function-calls.exchange.json',
      'gemini/generate-json-schema.exchange.json',
      'gemini/stream-google-search-grounding.exchange.json',
    ]) {
      for (const interaction of exchange(path))
        expect(specErrors(spec.generateContent, interaction.request.body)).toEqual([]);
    }
  });

  it('thinking is never forced: tools + JSON on a model without thinking send no thinkingConfig', () => {
    const { body } = build(
      chatInput(geminiModel('gemini-2.0-flash'), {
        tools: { functions: [weather], providerTools: [] },
        config: { output: { responseFormat: 'json' } },
      }),
    );
    expect(body.generationConfig).toEqual({ responseMimeType: 'application/json' });
    const thinking = build(
      chatInput(geminiModel('gemini-2.5-flash'), { tools: { functions: [weather], providerTools: [] } }),
    ).body;
    expect(thinking.generationConfig).toBeUndefined();
  });

  it('budget vs level by family', () => {
    const reasoning = { reasoning: { budgetTokens: 0.5, effort: 'high' as const } };
    const budget = build(chatInput(geminiModel('gemini-2.5-pro'), { config: reasoning }));
    expect(budget.body.generationConfig?.thinkingConfig).toEqual({ thinkingBudget: 16384 });
    const level = build(chatInput(geminiModel('gemini-3-flash-preview'), { config: reasoning }));
    expect(level.body.generationConfig?.thinkingConfig).toEqual({ thinkingLevel: 'HIGH' });
    expect(budget.warnings).toHaveLength(1);
    expect(level.warnings).toHaveLength(1);
  });

  it('user_location goes to toolConfig.retrievalConfig beside functionCallingConfig', () => {
    const { body } = build(
      chatInput(geminiModel('gemini-2.5-flash'), {
        tools: { functions: [weather], providerTools: [] },
        toolChoice: 'auto',
        config: { customParams: { user_location: { latitude: 48.85, longitude: 2.35 } } },
      }),
    );
    expect(body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'AUTO' },
      retrievalConfig: { latLng: { latitude: 48.85, longitude: 2.35 } },
    });
  });

  it('does not mutate the caller input', () => {
    const input = chatInput(geminiModel('gemini-2.5-flash'), {
      messages: [{ role: 'user', content: 'Read it' }],
      tools: {
        functions: [weather],
        providerTools: [
          { kind: 'provider', provider: 'gemini', type: 'url_context', urls: ['https://a.example'] },
        ],
      },
      config: { reasoning: { budgetTokens: -1 }, output: { responseFormat: 'json' } },
    });
    const snapshot = () => JSON.stringify([input.messages, input.tools, input.config]);
    const before = snapshot();
    build(input);
    build(input);
    expect(snapshot()).toBe(before);
  });
});

describe('thought signatures round-trip', () => {
  it('generate-thinking-function-call.json: the signature goes back on the same functionCall part', () => {
    const model = geminiModel('gemini-2.5-pro');
    const first = dialect.parseChatResponse(
      fixtureJson('gemini/generate-thinking-function-call.json'),
      chatInput(model),
    );
    const call = first.toolCalls[0]!;
    const history: LLMMessage[] = [
      { role: 'user', content: 'How many days until New Year’s Eve?' },
      assistantTurn(first, model.fullName),
      { role: 'tool', toolCallId: call.id, name: call.name, content: '{"now":"2025-07-28"}' },
    ];
    const { body } = build(
      chatInput(model, {
        messages: history,
        tools: { functions: [{ name: 'now', parameters: { type: 'object' } }], providerTools: [] },
      }),
    );
    const modelTurn = body.contents[1]!;
    expect(modelTurn.role).toBe('model');
    expect(modelTurn.parts[0]).toEqual({ text: first.thoughtText, thought: true });
    expect(modelTurn.parts[1]).toEqual({
      functionCall: { name: 'now', args: {}, id: call.id },
      thoughtSignature: call.thoughtSignature,
    });
    expect(body.contents[2]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'now', response: { now: '2025-07-28' }, id: call.id } }],
    });
  });

  it('generate-parallel-function-calls.exchange.json: signature on the first call only, both results in one turn', () => {
    const model = geminiModel('gemini-2.5-flash');
    const [turn1, turn2] = exchange('gemini/generate-parallel-function-calls.exchange.json');
    const parsed = dialect.parseChatResponse(responseJson(turn1!), chatInput(model));
    const recordedUser = (turn1!.request.body as GeminiGenerateContentRequest).contents[0]!;
    const history: LLMMessage[] = [
      { role: 'user', content: recordedUser.parts[0]!.text! },
      assistantTurn(parsed, model.fullName),
      ...parsed.toolCalls.map(
        (call): LLMMessage => ({
          role: 'tool',
          toolCallId: call.id,
          name: call.name,
          content:
            call.name === 'weather' ? 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h' : 'Ruby',
        }),
      ),
    ];
    const { body } = build(
      chatInput(model, { messages: history, tools: { functions: [weather, best], providerTools: [] } }),
    );
    const recorded = turn2!.request.body as GeminiGenerateContentRequest;
    expect(body.contents[0]).toEqual(recorded.contents[0]);
    const [firstCall, secondCall] = body.contents[1]!.parts;
    expect(firstCall?.functionCall).toMatchObject({
      name: 'weather',
      args: { latitude: '52.5200', longitude: '13.4050' },
    });
    expect(firstCall?.thoughtSignature).toBe(recorded.contents[1]!.parts[0]!.thoughtSignature);
    expect(secondCall?.functionCall).toMatchObject({ name: 'best_language_to_learn', args: {} });
    expect(secondCall).not.toHaveProperty('thoughtSignature');
    expect(body.contents[2]!.role).toBe('user');
    expect(body.contents[2]!.parts.map((part) => part.functionResponse?.name)).toEqual([
      'weather',
      'best_language_to_learn',
    ]);
    // Same declarations as ruby_llm sent, except that an empty parameter object is left out.
    const declarations = (body.tools![0] as { functionDeclarations: unknown[] }).functionDeclarations;
    const recordedDeclarations = (recorded.tools![0] as { functionDeclarations: unknown[] })
      .functionDeclarations;
    expect(declarations[0]).toEqual(recordedDeclarations[0]);
    expect(declarations[1]).toEqual({
      name: 'best_language_to_learn',
      description: 'Gets the best language to learn',
    });
  });

  it('generate-code-execution-gemini-3.exchange.json: the second request is reproduced from the parsed first answer', () => {
    const model = geminiModel('gemini-3.5-flash');
    const [turn1, turn2] = exchange('gemini/generate-code-execution-gemini-3.exchange.json');
    const recorded1 = turn1!.request.body as GeminiGenerateContentRequest;
    const recorded2 = turn2!.request.body as GeminiGenerateContentRequest;
    const config = {
      nativeTools: [
        { kind: 'provider' as const, provider: 'gemini' as const, type: 'code_execution' as const },
      ],
    };
    const question = recorded1.contents[0]!.parts[0]!.text!;

    const first = build(chatInput(model, { messages: [{ role: 'user', content: question }], config })).body;
    expect(first.contents).toEqual(recorded1.contents);
    expect(first.tools).toEqual(recorded1.tools);

    const parsed = dialect.parseChatResponse(responseJson(turn1!), chatInput(model));
    const history: LLMMessage[] = [
      { role: 'user', content: question },
      assistantTurn(parsed, model.fullName),
      { role: 'user', content: recorded2.contents[2]!.parts[0]!.text! },
    ];
    const second = build(chatInput(model, { messages: history, config })).body;
    expect(second.contents).toEqual(recorded2.contents);
    expect(second.tools).toEqual(recorded2.tools);
  });

  it('a signature-bearing history replayed to another Gemini provider name drops the signatures (and Gemini 3 gets the sentinel)', () => {
    const parsed = dialect.parseChatResponse(
      fixtureJson('gemini/generate-function-call.json'),
      chatInput(geminiModel('gemini-3-pro-preview')),
    );
    const other = geminiModel('gemini-3-pro-preview', { provider: 'Relay' });
    const call = parsed.toolCalls[0]!;
    const { body, warnings } = build(
      chatInput(other, {
        messages: [
          { role: 'user', content: 'Weather in SF?' },
          assistantTurn(parsed, 'Gemini/gemini-3-pro-preview'),
          { role: 'tool', toolCallId: call.id, name: call.name, content: '{"tempC":18}' },
        ],
      }),
    );
    expect(body.contents[1]!.parts[0]!.thoughtSignature).toBe('skip_thought_signature_validator');
    expect(warnings[0]).toContain('skip_thought_signature_validator');
  });
});
