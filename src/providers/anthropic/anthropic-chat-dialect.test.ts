import type {
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageCreateParamsNonStreaming,
  Tool,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import type { FunctionToolSpec, LLMMessage } from '../../spec/index.js';
import {
  ANTHROPIC_AUTH,
  anthropicHeaders,
  anthropicMessagesUrl,
  buildAnthropicBody,
  createAnthropicChatDialect,
} from './anthropic-chat-dialect.js';
import { anthropicProvider } from './anthropic-provider.js';
import { ANTHROPIC_CODE_EXECUTION_TOOL, ANTHROPIC_WEB_SEARCH_TOOL } from './anthropic-tools.js';
import type {
  AnthropicContentBlock,
  AnthropicMessagesRequest,
  AnthropicServerTool,
  AnthropicTool,
} from './anthropic-wire.js';
import { anthropicModel, chatInput, exchange, requestBody } from './test-support/anthropic-fixtures.js';

// Compile-time checks: every request shape this dialect builds is one `@anthropic-ai/sdk` accepts (the type
// arguments fail to compile otherwise). Blocks replayed verbatim from answers (`AnthropicReplayBlock`) are the
// API's own and not checked.
type AssertAssignable<Target, Source extends Target> = Source;
type SdkChecks = [
  AssertAssignable<ContentBlockParam, AnthropicContentBlock>,
  AssertAssignable<Tool, AnthropicTool>,
  AssertAssignable<ToolUnion, AnthropicServerTool>,
  AssertAssignable<MessageCreateParamsBase, AnthropicMessagesRequest<AnthropicContentBlock>>,
];
const sdkChecks: SdkChecks | undefined = undefined;

/** The built body as the SDK types it (a body with only dialect-built blocks). */
function sdkBody(body: AnthropicMessagesRequest): MessageCreateParamsBase {
  return body as AnthropicMessagesRequest<AnthropicContentBlock> satisfies MessageCreateParamsBase;
}

const haiku = anthropicModel('claude-haiku-4-5-20251001', { maxTokens: 64000 });
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
    additionalProperties: false,
  },
};

/** The recorded body without the fields a client chooses freely (`stream: false`; ruby_llm's `strict` in schemas). */
function comparable(body: Record<string, unknown>): Record<string, unknown> {
  const { stream, ...rest } = body;
  if (stream === true) rest.stream = true;
  if (Array.isArray(rest.tools)) {
    rest.tools = (rest.tools as Record<string, unknown>[]).map((tool) => {
      const schema = tool.input_schema as Record<string, unknown> | undefined;
      if (schema == null) return tool;
      const { strict: _strict, ...clean } = schema;
      return { ...tool, input_schema: clean };
    });
  }
  return rest;
}

describe('request target', () => {
  it('POST {base}/v1/messages with x-api-key auth and anthropic-version; provider headers win', () => {
    expect(anthropicMessagesUrl(haiku)).toBe('https://api.anthropic.com/v1/messages');
    expect(anthropicMessagesUrl(anthropicModel('m', { apiBase: 'http://127.0.0.1:9/v1' }))).toBe(
      'http://127.0.0.1:9/v1/messages',
    );
    expect(
      anthropicMessagesUrl(
        anthropicModel('m', { apiBase: 'https://gw.example/anthropic', endpoint: '/v1/messages?beta=true' }),
      ),
    ).toBe('https://gw.example/anthropic/v1/messages?beta=true');
    expect(
      anthropicHeaders(
        anthropicModel('m', { headers: { 'anthropic-beta': 'x', 'anthropic-version': '2099-01-01' } }),
      ),
    ).toEqual({
      'content-type': 'application/json',
      'anthropic-version': '2099-01-01',
      'anthropic-beta': 'x',
    });
    const request = createAnthropicChatDialect().buildChatRequest(chatInput(haiku, { stream: true })).value;
    expect(request).toMatchObject({
      method: 'POST',
      auth: ANTHROPIC_AUTH,
      stream: true,
      body: { stream: true },
    });
    expect(ANTHROPIC_AUTH).toEqual({ scheme: 'header', name: 'x-api-key' });
  });

  it('the provider description names what the registry needs', () => {
    expect(anthropicProvider).toMatchObject({
      apiType: 'anthropic',
      defaultApiBase: 'https://api.anthropic.com',
      auth: { scheme: 'header', name: 'x-api-key' },
      headers: { 'anthropic-version': '2023-06-01' },
      promptCaching: true,
    });
    const setup = {
      apiType: 'anthropic',
      settings: { geminiSafetyThreshold: 'BLOCK_NONE', locale: 'en', timeoutMs: 1 },
    } as const;
    expect(typeof anthropicProvider.chat?.(setup).buildChatRequest).toBe('function');
    expect(
      anthropicProvider.classifyError?.({
        status: 529,
        headers: {},
        body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
        message: 'Overloaded',
        providerCode: 'overloaded_error',
      }),
    ).toBe('API_SERVER_ERROR');
  });

  it('the server tools are ones the SDK knows (and the type checks above compiled)', () => {
    expect(sdkChecks).toBeUndefined();
    expect([ANTHROPIC_WEB_SEARCH_TOOL, ANTHROPIC_CODE_EXECUTION_TOOL] satisfies ToolUnion[]).toHaveLength(2);
  });
});

describe('whole bodies against the recorded requests', () => {
  it('messages-text: model, messages, max_tokens from the model default', () => {
    const file = 'anthropic/messages-text.exchange.json';
    const body = buildAnthropicBody(
      chatInput(haiku, { messages: [{ role: 'user', content: "What's 2 + 2?" }] }),
    );
    expect(body.value).toEqual(comparable(requestBody(file)));
    expect(body.warnings).toEqual([]);
    const typed: MessageCreateParamsNonStreaming = { ...sdkBody(body.value), stream: false };
    expect(typed.max_tokens).toBe(64000);
  });

  it('messages-stream-text: stream: true', () => {
    const file = 'anthropic/messages-stream-text.exchange.json';
    const body = buildAnthropicBody(
      chatInput(haiku, { stream: true, messages: [{ role: 'user', content: 'Count from 1 to 3' }] }),
    );
    expect(body.value).toEqual(comparable(requestBody(file)));
  });

  it('messages-tool-use (both turns) and messages-parallel-tool-use', () => {
    const file = 'anthropic/messages-tool-use.exchange.json';
    const question: LLMMessage = {
      role: 'user',
      content: "What's the weather in Berlin? (52.5200, 13.4050)",
    };
    const tools = { functions: [weather], providerTools: [] };
    expect(buildAnthropicBody(chatInput(haiku, { messages: [question], tools })).value).toEqual(
      comparable(requestBody(file)),
    );
    const turn2: LLMMessage[] = [
      question,
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          {
            id: 'toolu_01Ay5KzhmQYMK53svGLaAxfc',
            name: 'weather',
            arguments: { latitude: '52.5200', longitude: '13.4050' },
            rawArguments: '{"latitude":"52.5200","longitude":"13.4050"}',
          },
        ],
      },
      {
        role: 'tool',
        toolCallId: 'toolu_01Ay5KzhmQYMK53svGLaAxfc',
        content: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h',
      },
    ];
    const body = buildAnthropicBody(chatInput(haiku, { messages: turn2, tools })).value;
    expect(body).toEqual(comparable(requestBody(file, 1)));
    expect(sdkBody(body).messages).toHaveLength(3);
  });

  it('messages-thinking: thinking enabled with the budget', () => {
    const file = 'anthropic/messages-thinking.exchange.json';
    const recorded = requestBody(file);
    const text = (recorded.messages as { content: { text: string }[] }[])[0]?.content[0]?.text ?? '';
    const body = buildAnthropicBody(
      chatInput(haiku, {
        messages: [{ role: 'user', content: text }],
        config: { reasoning: { budgetTokens: 1024 } },
      }),
    );
    expect(body.value).toEqual(comparable(recorded));
    expect(body.warnings).toEqual([]);
  });

  it('messages-redacted-thinking turn 1 (a 4096-token call on Sonnet 4.5) and messages-stop-sequence', () => {
    const sonnet = anthropicModel('claude-sonnet-4-5-20250929');
    const file = 'anthropic/messages-redacted-thinking.exchange.json';
    const recorded = requestBody(file);
    const text = (recorded.messages as { content: { text: string }[] }[])[0]?.content[0]?.text ?? '';
    expect(
      buildAnthropicBody(
        chatInput(sonnet, {
          messages: [{ role: 'user', content: text }],
          config: { reasoning: { budgetTokens: 1024 } },
        }),
      ).value,
    ).toEqual(comparable(recorded));
    const stop = requestBody('anthropic/messages-stop-sequence.exchange.json');
    const question = (stop.messages as { content: { text: string }[] }[])[0]?.content[0]?.text ?? '';
    expect(
      buildAnthropicBody(
        chatInput(anthropicModel('claude-sonnet-4-5'), {
          messages: [{ role: 'user', content: question }],
          config: { core: { maxTokens: 1024, stop: ['Paris'] } },
        }),
      ).value,
    ).toEqual(comparable(stop));
  });

  it('messages-structured-output: output_config.format from responseSchema', () => {
    const file = 'anthropic/messages-structured-output.exchange.json';
    const body = buildAnthropicBody(
      chatInput(haiku, {
        messages: [{ role: 'user', content: 'Generate a person named John who is 30 years old' }],
        config: {
          output: {
            structuredOutputStrategy: 'native',
            responseSchema: {
              type: 'object',
              properties: { name: { type: 'string' }, age: { type: 'integer' } },
              required: ['name', 'age'],
            },
          },
        },
      }),
    );
    expect(body.value).toEqual(comparable(requestBody(file)));
    expect(sdkBody(body.value).output_config?.format?.type).toBe('json_schema');
  });

  it('count-tokens: the same system, tools and messages a count_tokens request carries', () => {
    const recorded = requestBody('anthropic/count-tokens.exchange.json', 1);
    const body = buildAnthropicBody(
      chatInput(haiku, {
        messages: [
          { role: 'system', content: 'Be terse.' },
          { role: 'user', content: 'What is the capital of France?' },
        ],
        tools: {
          functions: [
            {
              name: 'counting_weather',
              description: 'Gets current weather for a city',
              parameters: {
                type: 'object',
                properties: { city: { type: 'string', description: 'City name' } },
                required: ['city'],
                additionalProperties: false,
              },
            },
          ],
          providerTools: [],
        },
      }),
    ).value;
    const { max_tokens: _max, ...counted } = body;
    expect(counted).toEqual(comparable(recorded));
    expect(exchange('anthropic/count-tokens.exchange.json')[1]?.response.body).toBe('{"input_tokens":588}');
  });

  it('customParams are merged verbatim and win; tool_choice and tools are SDK shapes', () => {
    const body = buildAnthropicBody(
      chatInput(haiku, {
        tools: {
          functions: [weather],
          providerTools: [{ kind: 'provider', provider: 'gemini', type: 'google_search' }],
        },
        toolChoice: 'required',
        config: { customParams: { metadata: { user_id: 'u-1' }, max_tokens: 10 } },
      }),
    ).value;
    const typed = sdkBody(body);
    expect(typed.tool_choice).toEqual({ type: 'any' });
    expect(typed.tools?.map((tool) => ('name' in tool ? tool.name : undefined))).toEqual([
      'weather',
      'web_search',
    ]);
    expect(typed.metadata).toEqual({ user_id: 'u-1' });
    expect(typed.max_tokens).toBe(10);
  });

  it('thinking with a forced tool: the choice becomes auto and the warning says why', () => {
    const mapped = createAnthropicChatDialect().buildChatRequest(
      chatInput(haiku, {
        tools: { functions: [weather], providerTools: [] },
        toolChoice: { name: 'weather' },
        config: { reasoning: { effort: 'low' } },
      }),
    );
    expect((mapped.value.body as AnthropicMessagesRequest).tool_choice).toEqual({ type: 'auto' });
    expect(mapped.warnings).toContain(
      'Anthropic cannot force a tool call while thinking; tool choice sent as auto',
    );
  });
});
