import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import { mapAnthropicUsage } from './anthropic-answer.js';
import { checkAnthropicBody, parseAnthropicResponse } from './anthropic-response.js';
import { anthropicModel, exchange, fixtureText, responseJson } from './test-support/anthropic-fixtures.js';

const context = { model: anthropicModel() };
const parse = (file: string, index = 0) =>
  parseAnthropicResponse(responseJson(exchange(file)[index]), context);

function thrown(run: () => unknown): LLMError {
  try {
    run();
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    return error as LLMError;
  }
  throw new Error('expected an error');
}

describe('parseAnthropicResponse over the recorded answers', () => {
  it('messages-text: one text block, end_turn → stop, usage with zero cache tokens', () => {
    const parsed = parse('anthropic/messages-text.exchange.json');
    expect(parsed.text).toBe('2 + 2 = 4');
    expect(parsed.contentParts).toEqual([{ type: 'text', text: '2 + 2 = 4' }]);
    expect(parsed.finishReason).toBe('stop');
    expect(parsed.rawFinishReason).toBe('end_turn');
    expect(parsed.usage).toEqual({
      promptTokens: 16,
      completionTokens: 13,
      totalTokens: 29,
      cachedTokens: 0,
    });
    expect(parsed.toolCalls).toEqual([]);
    expect(parsed.warnings).toEqual([]);
  });

  it('messages-tool-use: a tool_use block → one tool call, tool_use → tool_calls; turn 2 answers in text', () => {
    const parsed = parse('anthropic/messages-tool-use.exchange.json');
    expect(parsed.toolCalls).toEqual([
      {
        id: 'toolu_01Ay5KzhmQYMK53svGLaAxfc',
        name: 'weather',
        arguments: { latitude: '52.5200', longitude: '13.4050' },
        rawArguments: '{"latitude":"52.5200","longitude":"13.4050"}',
      },
    ]);
    expect(parsed.finishReason).toBe('tool_calls');
    expect(parsed.contentParts).toEqual([]);
    expect(parsed.text).toBe('');
    const second = parse('anthropic/messages-tool-use.exchange.json', 1);
    expect(second.text).toMatch(/^The weather in Berlin is currently:/);
    expect(second.finishReason).toBe('stop');
  });

  it('messages-parallel-tool-use: two tool_use blocks in order, the second with input {}', () => {
    const parsed = parse('anthropic/messages-parallel-tool-use.exchange.json');
    expect(parsed.toolCalls.map((call) => [call.name, call.arguments, call.rawArguments])).toEqual([
      [
        'weather',
        { latitude: '52.5200', longitude: '13.4050' },
        '{"latitude":"52.5200","longitude":"13.4050"}',
      ],
      ['best_language_to_learn', {}, '{}'],
    ]);
    expect(parse('anthropic/messages-parallel-tool-use.exchange.json', 1).text).toMatch(/Ruby/);
  });

  it('messages-thinking: a thought part with its signature, thoughtText, thinking tokens as reasoning', () => {
    const parsed = parse('anthropic/messages-thinking.exchange.json');
    expect(parsed.contentParts.map((part) => part.type)).toEqual(['thought', 'text']);
    const thought = parsed.contentParts[0];
    expect(thought).toMatchObject({ type: 'thought', thoughtSignature: expect.stringMatching(/^EvoRCpMB/) });
    expect(thought?.type === 'thought' && thought.text).toMatch(/^This is a clever puzzle/);
    expect(parsed.thoughtText).toBe(thought?.type === 'thought' ? thought.text : undefined);
    expect(parsed.text).not.toContain('This is a clever puzzle');
    expect(parsed.usage).toEqual({
      promptTokens: 80,
      completionTokens: 755,
      totalTokens: 835,
      cachedTokens: 0,
      reasoningTokens: 456,
    });
  });

  it('messages-redacted-thinking: redacted_thinking → a thought with empty text and redactedData', () => {
    for (const index of [0, 1]) {
      const parsed = parse('anthropic/messages-redacted-thinking.exchange.json', index);
      const [redacted, text] = parsed.contentParts;
      expect(redacted).toEqual({
        type: 'thought',
        text: '',
        redactedData: expect.stringMatching(/^E[A-Za-z0-9+/]{100,}/),
      });
      expect(text?.type).toBe('text');
      expect(parsed.thoughtText).toBeUndefined();
      expect(parsed.text.length).toBeGreaterThan(50);
    }
  });

  it('messages-stop-sequence: stop_sequence → stop, text cut before the sequence, older usage shape', () => {
    const parsed = parse('anthropic/messages-stop-sequence.exchange.json');
    expect(parsed.text).toBe('The beautiful city of ');
    expect(parsed.finishReason).toBe('stop');
    expect(parsed.rawFinishReason).toBe('stop_sequence');
    expect(parsed.usage).toEqual({ promptTokens: 32, completionTokens: 5, totalTokens: 37, cachedTokens: 0 });
  });

  it('messages-prompt-cache: cache creation and cache reads count as prompt tokens; reads are cachedTokens', () => {
    expect(parse('anthropic/messages-prompt-cache.exchange.json', 0).usage).toEqual({
      promptTokens: 10 + 7351,
      completionTokens: 4,
      totalTokens: 7365,
      cachedTokens: 0,
    });
    expect(parse('anthropic/messages-prompt-cache.exchange.json', 1).usage).toEqual({
      promptTokens: 10 + 7351,
      completionTokens: 4,
      totalTokens: 7365,
      cachedTokens: 7351,
    });
  });

  it('messages-image-input and messages-structured-output: plain text answers', () => {
    expect(parse('anthropic/messages-image-input.exchange.json').text).toMatch(/^# Image Description/);
    const structured = parse('anthropic/messages-structured-output.exchange.json');
    expect(JSON.parse(structured.text)).toEqual({ name: 'John', age: 30 });
  });

  it('messages-pdf-citations: text blocks stay separate parts, each with its citations', () => {
    const parsed = parse('anthropic/messages-pdf-citations.exchange.json');
    expect(parsed.contentParts).toHaveLength(6);
    expect(parsed.text).toBe(
      'The document is a simple PDF file titled "Sample PDF", and it contains "Fun fun fun". The rest of the document consists of Lorem ipsum placeholder text beginning with "Lorem ipsum dolor sit amet, consectetuer adipiscing elit" and continuing with various Latin filler text throughout the page.',
    );
    expect(parsed.contentParts[0]).toMatchObject({
      type: 'text',
      citations: [
        {
          type: 'page_location',
          cited_text: 'Sample PDF\r\nThis is a simple PDF file. ',
          document_index: 0,
          document_title: 'sample.pdf',
          start_page_number: 1,
          end_page_number: 2,
        },
      ],
    });
    expect(parsed.contentParts[1]).toEqual({ type: 'text', text: ', and ' });
    // Document citations carry no URL: no grounding.
    expect(parsed.grounding).toBeUndefined();
  });

  it('messages-web-search: server blocks kept as provider_data, grounding from the query, results and citations', () => {
    const parsed = parse('anthropic/messages-web-search.exchange.json');
    const kinds = parsed.contentParts.map((part) =>
      part.type === 'provider_data' ? `provider_data:${part.data.type}` : part.type,
    );
    expect(kinds.slice(0, 2)).toEqual([
      'provider_data:server_tool_use',
      'provider_data:web_search_tool_result',
    ]);
    expect(kinds.slice(2).every((kind) => kind === 'text')).toBe(true);
    expect(parsed.contentParts[0]).toMatchObject({
      apiType: 'anthropic',
      data: { id: 'srvtoolu_01NR12r2iroyn28V7ajTPCCA', input: { query: 'latest stable Ruby version 2026' } },
    });
    // Only tool_use blocks become tool calls.
    expect(parsed.toolCalls).toEqual([]);
    expect(parsed.grounding?.queries).toEqual(['latest stable Ruby version 2026']);
    expect(parsed.grounding?.sources[0]).toEqual({
      title: 'Ruby 4.0.4 Released | Ruby',
      uri: 'https://www.ruby-lang.org/en/news/2026/05/11/ruby-4-0-4-released/',
    });
    const uris = parsed.grounding?.sources.map((source) => source.uri) ?? [];
    expect(new Set(uris).size).toBe(uris.length);
  });

  it('messages-code-execution: server_tool_use + bash result kept in order before the text', () => {
    const parsed = parse('anthropic/messages-code-execution.exchange.json');
    expect(
      parsed.contentParts.map((part) => (part.type === 'provider_data' ? part.data.type : part.type)),
    ).toEqual(['server_tool_use', 'bash_code_execution_tool_result', 'text']);
    expect(parsed.text).toMatch(/121932631112635269/);
    expect(parsed.toolCalls).toEqual([]);
  });

  it('messages-stream-web-search interaction 1: the non-streamed follow-up', () => {
    expect(parse('anthropic/messages-stream-web-search.exchange.json', 1).text).toBe('OK.');
  });

  it('messages-refusal.json: stop_reason refusal → CONTENT_FILTERED with the stop details', () => {
    const error = thrown(() =>
      parseAnthropicResponse(JSON.parse(fixtureText('anthropic/messages-refusal.json')), context),
    );
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ stopReason: 'refusal', stopDetails: { category: 'cyber' } });
    expect(error.message).toMatch(/refused.*Usage Policy/);
  });
});

describe('parseAnthropicResponse edge cases', () => {
  it('max_tokens → length; pause_turn → other with a warning; an unknown stop reason → other', () => {
    const body = (stop: string) => ({
      type: 'message',
      content: [{ type: 'text', text: 'x' }],
      stop_reason: stop,
    });
    expect(parseAnthropicResponse(body('max_tokens'), context).finishReason).toBe('length');
    const paused = parseAnthropicResponse(body('pause_turn'), context);
    expect(paused.finishReason).toBe('other');
    expect(paused.warnings[0]).toMatch(/pause_turn/);
    expect(parseAnthropicResponse(body('brand_new'), context)).toMatchObject({
      finishReason: 'other',
      rawFinishReason: 'brand_new',
    });
  });

  it('an unknown block type is kept as provider_data (replayable), never dropped', () => {
    const block = { type: 'container_upload', file_id: 'file_1' };
    const parsed = parseAnthropicResponse({ content: [block], stop_reason: 'end_turn' }, context);
    expect(parsed.contentParts).toEqual([{ type: 'provider_data', apiType: 'anthropic', data: block }]);
  });

  it('a body without content is API_RESPONSE_INVALID; an error envelope in a 200 is classified', () => {
    expect(thrown(() => parseAnthropicResponse({ type: 'message' }, context)).code).toBe(
      'API_RESPONSE_INVALID',
    );
    const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    expect(thrown(() => checkAnthropicBody(overloaded, context)).code).toBe('API_SERVER_ERROR');
    expect(() => checkAnthropicBody({ type: 'message', content: [] }, context)).not.toThrow();
  });

  it('an error envelope of an unknown type (or none) in a 200 is API_RESPONSE_INVALID from checkBody (so it is retried)', () => {
    for (const error of [
      { type: 'brand_new_error', message: 'Upstream hiccup' },
      { message: 'Upstream hiccup' },
    ]) {
      const failure = thrown(() => checkAnthropicBody({ type: 'error', error }, context));
      expect(failure.code).toBe('API_RESPONSE_INVALID');
      expect(failure.message).toContain('Upstream hiccup');
    }
  });

  it('usage without cache fields has no cachedTokens; missing numbers count as 0', () => {
    expect(mapAnthropicUsage({ input_tokens: 3, output_tokens: 2 })).toEqual({
      promptTokens: 3,
      completionTokens: 2,
      totalTokens: 5,
    });
    expect(mapAnthropicUsage({ cache_read_input_tokens: 7, cache_creation_input_tokens: null })).toEqual({
      promptTokens: 7,
      completionTokens: 0,
      totalTokens: 7,
      cachedTokens: 7,
    });
    expect(mapAnthropicUsage(undefined)).toBeUndefined();
  });
});
