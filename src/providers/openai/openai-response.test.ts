import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import { checkChatBody, createOpenAIChatDialect } from './openai-chat-dialect.js';
import { mapOpenAIFinishReason, parseOpenAIChatResponse, parseOpenAIUsage } from './openai-response.js';
import { chatInput } from './test-support/openai-test-kit.js';

const context = { provider: 'P', model: 'P/m' };
const completion = (message: Record<string, unknown>, finishReason: string | null = 'stop', extra = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason }],
  ...extra,
});

function thrown(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LLMError);
    return error as LLMError;
  }
  throw new Error('expected an LLMError');
}

describe('parseOpenAIChatResponse', () => {
  it('throws CONTENT_FILTERED (not retryable) for a refusal', () => {
    const error = thrown(() =>
      parseOpenAIChatResponse(completion({ content: null, refusal: 'I cannot help.' }), context),
    );
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ refusal: 'I cannot help.' });
    expect(error.provider).toBe('P');
  });

  it('throws CONTENT_FILTERED for an empty filtered answer, and warns for a partly filtered one', () => {
    expect(
      thrown(() => parseOpenAIChatResponse(completion({ content: null }, 'content_filter'), context)).code,
    ).toBe('CONTENT_FILTERED');
    const partial = parseOpenAIChatResponse(completion({ content: 'Once upon' }, 'content_filter'), context);
    expect(partial.finishReason).toBe('content_filter');
    expect(partial.text).toBe('Once upon');
    expect(partial.warnings).toEqual(['P filtered part of the answer (finish_reason content_filter)']);
  });

  it('throws the classified error for an error object inside a 200 body, and API_RESPONSE_INVALID without choices', () => {
    const body = { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } };
    const error = thrown(() => parseOpenAIChatResponse(body, context));
    expect(error.code).toBe('API_RATE_LIMITED');
    expect(error.message).toMatch(/Rate limit reached/);
    expect(thrown(() => checkChatBody(body, context)).message).toMatch(/Rate limit reached/);
    expect(thrown(() => parseOpenAIChatResponse({ choices: [] }, context)).code).toBe('API_RESPONSE_INVALID');
    expect(thrown(() => checkChatBody({ id: 'x' }, context)).code).toBe('API_RESPONSE_INVALID');
    expect(thrown(() => checkChatBody('<html>', context)).code).toBe('API_RESPONSE_INVALID');
    expect(() => checkChatBody(completion({ content: 'ok' }), context)).not.toThrow();
  });

  it('repairs malformed arguments, keeps rawArguments, and falls back to {} with a warning', () => {
    const parsed = parseOpenAIChatResponse(
      completion(
        {
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'a', arguments: "{'city': 'Paris',}" } },
            { id: 'c2', type: 'function', function: { name: 'b', arguments: '[1, 2]' } },
            { id: 'c3', type: 'function', function: { name: 'c', arguments: { x: 1 } } },
            { id: 'c4', type: 'function', function: { name: 'd', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
      context,
    );
    expect(
      parsed.toolCalls.map(({ name, arguments: args, rawArguments }) => ({ name, args, rawArguments })),
    ).toEqual([
      { name: 'a', args: { city: 'Paris' }, rawArguments: "{'city': 'Paris',}" },
      { name: 'b', args: {}, rawArguments: '[1, 2]' },
      { name: 'c', args: { x: 1 }, rawArguments: '{"x":1}' },
      { name: 'd', args: {}, rawArguments: '' },
    ]);
    expect(parsed.warnings).toEqual([
      'tool call a: malformed arguments were repaired',
      'tool call b: arguments are not a JSON object; using {}',
    ]);
    expect(parsed.text).toBe('');
    expect(parsed.contentParts).toEqual([]);
  });

  it('generates unique ids for missing or empty ids and reads the legacy function_call', () => {
    const parsed = parseOpenAIChatResponse(
      completion(
        {
          tool_calls: [
            { id: '', function: { name: 'a', arguments: '{}' } },
            { function: { name: 'b', arguments: '{}' } },
          ],
        },
        'tool_calls',
      ),
      context,
    );
    const [first, second] = parsed.toolCalls;
    expect(first?.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(second?.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(first?.id).not.toBe(second?.id);
    const legacy = parseOpenAIChatResponse(
      completion({ content: null, function_call: { name: 'f', arguments: '{"q":1}' } }, 'function_call'),
      context,
    );
    expect(legacy.finishReason).toBe('tool_calls');
    expect(legacy.rawFinishReason).toBe('function_call');
    expect(legacy.toolCalls).toMatchObject([{ name: 'f', arguments: { q: 1 } }]);
  });

  it('tolerates malformed optional fields without a TypeError', () => {
    const parsed = parseOpenAIChatResponse(
      completion({
        content: 'ok',
        tool_calls: { bogus: true },
        images: 'nope',
        extra_content: 'x',
        reasoning: 42,
      }),
      context,
    );
    expect(parsed).toMatchObject({ text: 'ok', toolCalls: [], images: [], finishReason: 'stop' });
  });

  it('skips non-function tool calls with a warning', () => {
    const parsed = parseOpenAIChatResponse(
      completion(
        { tool_calls: [{ id: 'x', type: 'custom', custom: { name: 'grammar', input: 'x' } }] },
        'tool_calls',
      ),
      context,
    );
    expect(parsed.toolCalls).toEqual([]);
    expect(parsed.warnings).toEqual(['tool call of type custom is not supported; skipped']);
  });

  it('decodes OpenRouter images and orders thought, text, images', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).toString('base64');
    const parsed = parseOpenAIChatResponse(
      completion({
        content: 'Here it is.',
        reasoning: 'Drawing a cat.',
        images: [
          { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
          { type: 'image_url', image_url: { url: 'https://cdn.example/cat.webp' } },
        ],
      }),
      context,
    );
    expect(parsed.images).toHaveLength(2);
    expect(parsed.images[0]?.mimeType).toBe('image/png');
    expect([...(parsed.images[0]?.data ?? [])]).toEqual([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    expect(parsed.images[1]).toEqual({
      mimeType: 'application/octet-stream',
      data: new Uint8Array(0),
      url: 'https://cdn.example/cat.webp',
    });
    expect(parsed.contentParts).toEqual([
      { type: 'thought', text: 'Drawing a cat.' },
      { type: 'text', text: 'Here it is.' },
      { type: 'image', mimeType: 'image/png', data: png },
      { type: 'image', url: 'https://cdn.example/cat.webp' },
    ]);
    expect(parsed.thoughtText).toBe('Drawing a cat.');
  });

  it('reads content given as parts (Mistral thinking) and keeps text verbatim', () => {
    const parsed = parseOpenAIChatResponse(
      completion({
        content: [
          { type: 'thinking', thinking: [{ type: 'text', text: 'Hmm.' }] },
          { type: 'text', text: '  Answer ' },
        ],
      }),
      context,
    );
    expect(parsed.text).toBe('  Answer ');
    expect(parsed.thoughtText).toBe('Hmm.');
  });

  it('turns nulls of optional fields of strict tools back into absent fields (raw arguments untouched)', () => {
    const dialect = createOpenAIChatDialect('openai');
    const input = chatInput({
      tools: {
        functions: [
          {
            name: 'search',
            strict: true,
            parameters: {
              type: 'object',
              properties: { q: { type: 'string' }, limit: { type: 'integer' } },
              required: ['q'],
            },
          },
        ],
        providerTools: [],
      },
    });
    const raw = '{"q":"cats","limit":null}';
    const parsed = dialect.parseChatResponse(
      completion(
        { tool_calls: [{ id: 'c', type: 'function', function: { name: 'search', arguments: raw } }] },
        'tool_calls',
      ),
      input,
    );
    expect(parsed.toolCalls[0]?.arguments).toEqual({ q: 'cats' });
    expect(parsed.toolCalls[0]?.rawArguments).toBe(raw);
  });
});

describe('mapOpenAIFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['error', 'error'],
    ['end_turn', 'other'],
    [undefined, 'other'],
  ] as const)('%s → %s', (raw, unified) => {
    expect(mapOpenAIFinishReason(raw)).toBe(unified);
  });
});

describe('parseOpenAIUsage', () => {
  it('computes a missing total and reads DeepSeek cache hits', () => {
    expect(parseOpenAIUsage({ prompt_tokens: 5, completion_tokens: 7, prompt_cache_hit_tokens: 3 })).toEqual({
      promptTokens: 5,
      completionTokens: 7,
      totalTokens: 12,
      cachedTokens: 3,
    });
    expect(parseOpenAIUsage(null)).toBeUndefined();
  });
});
