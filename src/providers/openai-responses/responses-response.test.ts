import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import { checkResponsesBody, parseResponsesResponse, toolCallOf } from './responses-response.js';
import { loadOpenAISpec, type OpenAISpecValidator } from './test-support/openai-spec.js';
import {
  functionCallItem,
  messageItem,
  reasoningItem,
  refusalItem,
  specResponse,
} from './test-support/responses-fixtures.js';

let spec: OpenAISpecValidator;
beforeAll(() => {
  spec = loadOpenAISpec();
});

/** Every body used below is first checked against the spec's `Response` schema. */
function valid<T>(body: T): T {
  expect(spec.errors('Response', body)).toEqual([]);
  return body;
}

function caught(run: () => unknown): LLMError {
  try {
    run();
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    return error as LLMError;
  }
  throw new Error('expected an LLMError');
}

const context = { provider: 'OpenAI', model: 'OpenAI/gpt-5-mini' };

describe('parseResponsesResponse', () => {
  it('reads text, reasoning summaries, function calls and usage in output order', () => {
    const body = valid(
      specResponse([
        reasoningItem('rs_1', ['Thinking about weather.', 'Two cities.']),
        messageItem('msg_1', 'Let me check.'),
        functionCallItem('fc_1', 'call_A', 'get_weather', '{"city":"Paris"}'),
        functionCallItem('fc_2', 'call_B', 'get_weather', '{"city": "Rome",}'),
      ]),
    );
    const parsed = parseResponsesResponse(body, context);
    expect(parsed.text).toBe('Let me check.');
    expect(parsed.thoughtText).toBe('Thinking about weather.\n\nTwo cities.');
    expect(parsed.contentParts).toEqual([
      { type: 'thought', text: 'Thinking about weather.' },
      { type: 'thought', text: 'Two cities.' },
      { type: 'text', text: 'Let me check.' },
    ]);
    expect(parsed.toolCalls).toEqual([
      { id: 'call_A', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' },
      { id: 'call_B', name: 'get_weather', arguments: { city: 'Rome' }, rawArguments: '{"city": "Rome",}' },
    ]);
    expect(parsed.finishReason).toBe('tool_calls');
    expect(parsed.rawFinishReason).toBe('completed');
    expect(parsed.usage).toEqual({
      promptTokens: 120,
      completionTokens: 80,
      totalTokens: 200,
      reasoningTokens: 48,
      cachedTokens: 64,
    });
    expect(parsed.images).toEqual([]);
    expect(parsed.warnings).toEqual([]);
  });

  it('finishes with stop for a plain answer and joins its text parts', () => {
    const body = valid(specResponse([messageItem('msg_1', 'Hello '), messageItem('msg_2', 'world')]));
    const parsed = parseResponsesResponse(body);
    expect(parsed.text).toBe('Hello world');
    expect(parsed.finishReason).toBe('stop');
    expect(parsed.thoughtText).toBeUndefined();
  });

  it('maps an incomplete answer to length', () => {
    const body = valid(
      specResponse([messageItem('msg_1', 'The answer is')], {
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
      }),
    );
    const parsed = parseResponsesResponse(body);
    expect(parsed.finishReason).toBe('length');
    expect(parsed.rawFinishReason).toBe('max_output_tokens');
    expect(parsed.text).toBe('The answer is');
  });

  it('keeps partial text of a content-filtered answer, and throws when nothing came', () => {
    const partial = valid(
      specResponse([messageItem('msg_1', 'Partial')], {
        status: 'incomplete',
        incomplete_details: { reason: 'content_filter' },
      }),
    );
    expect(parseResponsesResponse(partial).finishReason).toBe('content_filter');
    const empty = valid(
      specResponse([], { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }),
    );
    expect(caught(() => parseResponsesResponse(empty)).code).toBe('CONTENT_FILTERED');
  });

  it('turns a refusal into CONTENT_FILTERED carrying the refusal text', () => {
    const body = valid(specResponse([refusalItem('msg_1', "I can't help with that.")]));
    const error = caught(() => parseResponsesResponse(body, context));
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.details).toEqual({ refusal: "I can't help with that." });
    expect(error.model).toBe('OpenAI/gpt-5-mini');
  });

  it('reports output items it does not read', () => {
    const search = {
      type: 'web_search_call',
      id: 'ws_1',
      status: 'completed',
      action: { type: 'search', query: 'x' },
    };
    const parsed = parseResponsesResponse(specResponse([search, messageItem('msg_1', 'Done')]));
    expect(parsed.text).toBe('Done');
    expect(parsed.warnings).toEqual(['output item of type "web_search_call" is not supported; ignored']);
  });

  it('reads raw reasoning text when a reasoning item has no summary', () => {
    const item = {
      type: 'reasoning',
      id: 'rs_1',
      summary: [],
      content: [{ type: 'reasoning_text', text: 'raw' }],
    };
    const parsed = parseResponsesResponse(valid(specResponse([item, messageItem('m', 'ok')])));
    expect(parsed.thoughtText).toBe('raw');
  });
});

describe('checkResponsesBody', () => {
  it('throws the classified error of an error object inside a 200 body', () => {
    const body = valid(
      specResponse([], {
        status: 'failed',
        error: { code: 'rate_limit_exceeded', message: 'Rate limit reached for gpt-5-mini' },
      }),
    );
    const error = caught(() => checkResponsesBody(body, context));
    expect(error.code).toBe('API_RATE_LIMITED');
    expect(error.message).toMatch(/Rate limit reached/);
    expect(error.provider).toBe('OpenAI');
  });

  it('classifies the Responses-API context-length error envelope if it arrives with a 200', () => {
    const exchange = JSON.parse(
      readFileSync(
        new URL(
          '../../../fixtures/providers/openai/error-400-context-length-exceeded-responses-api.exchange.json',
          import.meta.url,
        ),
        'utf8',
      ),
    );
    const body = JSON.parse(exchange.interactions[0].response.body);
    const error = caught(() => checkResponsesBody(body, context));
    expect(error.code).toBe('CONTEXT_LENGTH_EXCEEDED');
    expect(error.message).toMatch(/exceeds the context window/);
    expect(caught(() => parseResponsesResponse(body)).code).toBe('CONTEXT_LENGTH_EXCEEDED');
  });

  it('rejects bodies that are not finished responses', () => {
    expect(caught(() => checkResponsesBody('oops')).code).toBe('API_RESPONSE_INVALID');
    expect(caught(() => checkResponsesBody({ id: 'resp_1', status: 'completed' })).message).toMatch(
      /no output/,
    );
    expect(caught(() => checkResponsesBody(specResponse([], { status: 'queued' }))).message).toMatch(
      /queued/,
    );
    expect(caught(() => checkResponsesBody(specResponse([], { status: 'cancelled' }))).code).toBe(
      'API_RESPONSE_INVALID',
    );
    expect(() => checkResponsesBody(specResponse([messageItem('m', 'ok')]))).not.toThrow();
  });
});

describe('toolCallOf arguments', () => {
  it('parses, repairs, and falls back to an empty object', () => {
    const args = (raw: string) => toolCallOf('c1', 'f', raw)?.arguments;
    expect(args('{"a":1}')).toEqual({ a: 1 });
    expect(args("{a: 'x'")).toEqual({ a: 'x' });
    expect(args('')).toEqual({});
    expect(args('[1,2]')).toEqual({});
  });
});
