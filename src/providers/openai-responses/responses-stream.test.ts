import { beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import { SseDecoder } from '../../http/sse-decoder.js';
import type { ParsedChat, StreamDelta } from '../../spec/index.js';
import { ResponsesStreamParser } from './responses-stream.js';
import { loadOpenAISpec, type OpenAISpecValidator } from './test-support/openai-spec.js';
import {
  functionCallItem,
  messageItem,
  reasoningItem,
  specResponse,
  USAGE,
} from './test-support/responses-fixtures.js';

let spec: OpenAISpecValidator;
beforeAll(() => {
  spec = loadOpenAISpec();
});

type Event = { type: string; [key: string]: unknown };

/** Numbers the events and checks each against the spec's `ResponseStreamEvent`. */
function events(list: Event[]): Event[] {
  return list.map((event, index) => {
    const numbered: Event = { ...event, sequence_number: index };
    expect(spec.errors('ResponseStreamEvent', numbered), event.type).toEqual([]);
    return numbered;
  });
}

/** Frames events as the API does (`event:` + `data:`) and runs them through the SSE decoder and the parser. */
function run(list: Event[], tail = ''): { deltas: StreamDelta[]; result: () => ParsedChat } {
  const parser = new ResponsesStreamParser({ provider: 'OpenAI', model: 'OpenAI/gpt-5-mini' });
  const deltas: StreamDelta[] = [];
  const decoder = new SseDecoder((data, event) => parser.push(data, event, (delta) => deltas.push(delta)));
  const body =
    list.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('') + tail;
  // Arbitrary chunk boundaries, as a network would cut them.
  for (let i = 0; i < body.length; i += 37) decoder.push(new TextEncoder().encode(body.slice(i, i + 37)));
  const trailing = decoder.end();
  return { deltas, result: () => parser.finish(trailing) };
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

const inProgress = specResponse([], { status: 'in_progress', usage: undefined });

/** A full exchange: reasoning summary, text, then a function call, completed with usage. */
function completeExchange(): Event[] {
  const call = functionCallItem('fc_1', 'call_W', 'get_weather', '');
  return events([
    { type: 'response.created', response: inProgress },
    { type: 'response.in_progress', response: inProgress },
    {
      type: 'response.output_item.added',
      output_index: 0,
      item: { ...reasoningItem('rs_1', []), status: 'in_progress' },
    },
    {
      type: 'response.reasoning_summary_part.added',
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    },
    {
      type: 'response.reasoning_summary_text.delta',
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      delta: 'Need the ',
    },
    {
      type: 'response.reasoning_summary_text.delta',
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      delta: 'weather.',
    },
    {
      type: 'response.reasoning_summary_text.done',
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      text: 'Need the weather.',
    },
    {
      type: 'response.output_item.done',
      output_index: 0,
      item: reasoningItem('rs_1', ['Need the weather.']),
    },
    {
      type: 'response.output_item.added',
      output_index: 1,
      item: { ...messageItem('msg_1', ''), status: 'in_progress', content: [] },
    },
    {
      type: 'response.content_part.added',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    },
    ...['Let me ', 'check ', 'Paris.'].map((delta) => ({
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta,
      logprobs: [],
    })),
    {
      type: 'response.output_text.done',
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      text: 'Let me check Paris.',
      logprobs: [],
    },
    { type: 'response.output_item.done', output_index: 1, item: messageItem('msg_1', 'Let me check Paris.') },
    { type: 'response.output_item.added', output_index: 2, item: { ...call, status: 'in_progress' } },
    { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 2, delta: '{"city":' },
    { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 2, delta: '"Paris"}' },
    {
      type: 'response.function_call_arguments.done',
      item_id: 'fc_1',
      output_index: 2,
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    },
    {
      type: 'response.output_item.done',
      output_index: 2,
      item: functionCallItem('fc_1', 'call_W', 'get_weather', '{"city":"Paris"}'),
    },
    {
      type: 'response.completed',
      response: specResponse([
        reasoningItem('rs_1', ['Need the weather.']),
        messageItem('msg_1', 'Let me check Paris.'),
        functionCallItem('fc_1', 'call_W', 'get_weather', '{"city":"Paris"}'),
      ]),
    },
  ]);
}

describe('ResponsesStreamParser', () => {
  it('streams a complete exchange: reasoning, text, one tool call, usage', () => {
    const { deltas, result } = run(completeExchange());
    const toolCall = {
      id: 'call_W',
      name: 'get_weather',
      arguments: { city: 'Paris' },
      rawArguments: '{"city":"Paris"}',
    };
    expect(deltas).toEqual([
      { type: 'reasoning-delta', text: 'Need the ' },
      { type: 'reasoning-delta', text: 'weather.' },
      { type: 'text-delta', text: 'Let me ' },
      { type: 'text-delta', text: 'check ' },
      { type: 'text-delta', text: 'Paris.' },
      { type: 'tool-call', toolCall },
    ]);
    const parsed = result();
    expect(parsed.text).toBe('Let me check Paris.');
    expect(parsed.thoughtText).toBe('Need the weather.');
    expect(parsed.contentParts).toEqual([
      { type: 'thought', text: 'Need the weather.' },
      { type: 'text', text: 'Let me check Paris.' },
    ]);
    expect(parsed.toolCalls).toEqual([toolCall]);
    expect(parsed.finishReason).toBe('tool_calls');
    expect(parsed.usage).toEqual({
      promptTokens: USAGE.input_tokens,
      completionTokens: USAGE.output_tokens,
      totalTokens: USAGE.total_tokens,
      reasoningTokens: 48,
      cachedTokens: 64,
    });
  });

  it('ends a stream cut before response.completed with API_RESPONSE_INVALID', () => {
    const cut = completeExchange().slice(0, 12);
    const { deltas, result } = run(cut);
    expect(deltas.filter((d) => d.type === 'text-delta')).toHaveLength(2);
    const error = caught(result);
    expect(error.code).toBe('API_RESPONSE_INVALID');
    expect(error.message).toMatch(/without response\.completed/);
  });

  it('throws the classified error of response.failed', () => {
    const list = events([
      { type: 'response.created', response: inProgress },
      {
        type: 'response.failed',
        response: specResponse([], {
          status: 'failed',
          usage: undefined,
          error: { code: 'rate_limit_exceeded', message: 'Rate limit reached for requests' },
        }),
      },
    ]);
    const error = caught(() => run(list));
    expect(error.code).toBe('API_RATE_LIMITED');
    expect(error.message).toMatch(/Rate limit reached/);
    expect(error.model).toBe('OpenAI/gpt-5-mini');
  });

  it('throws on an error event, whatever came before it', () => {
    const list = events([
      { type: 'response.created', response: inProgress },
      {
        type: 'response.output_text.delta',
        item_id: 'm',
        output_index: 0,
        content_index: 0,
        delta: 'Hi',
        logprobs: [],
      },
      {
        type: 'error',
        code: 'server_error',
        message: 'The server had an error processing your request.',
        param: null,
      },
    ]);
    const error = caught(() => run(list));
    expect(error.message).toMatch(/server had an error/);
    expect(error.details).toEqual({ providerCode: 'server_error' });
    expect(error.retryable).toBe(true);
  });

  it('throws a bare JSON error that follows the events', () => {
    const list = completeExchange().slice(0, 3);
    const { result } = run(
      list,
      '{"error":{"message":"Your input exceeds the context window of this model.","type":"invalid_request_error","param":"input","code":"context_length_exceeded"}}\n',
    );
    expect(caught(result).code).toBe('CONTEXT_LENGTH_EXCEEDED');
  });

  it('finishes an incomplete answer with length', () => {
    const list = events([
      {
        type: 'response.output_text.delta',
        item_id: 'm',
        output_index: 0,
        content_index: 0,
        delta: 'Once',
        logprobs: [],
      },
      {
        type: 'response.incomplete',
        response: specResponse([messageItem('m', 'Once')], {
          status: 'incomplete',
          incomplete_details: { reason: 'max_output_tokens' },
        }),
      },
    ]);
    const parsed = run(list).result();
    expect(parsed.text).toBe('Once');
    expect(parsed.finishReason).toBe('length');
    expect(parsed.rawFinishReason).toBe('max_output_tokens');
  });

  it('takes texts from .done events and the completed response when no deltas came', () => {
    const doneOnly = events([
      { type: 'response.output_item.done', output_index: 0, item: messageItem('msg_1', 'Whole text') },
      { type: 'response.completed', response: specResponse([messageItem('msg_1', 'Whole text')]) },
    ]);
    const first = run(doneOnly);
    expect(first.deltas).toEqual([{ type: 'text-delta', text: 'Whole text' }]);
    expect(first.result().text).toBe('Whole text');

    const completedOnly = events([
      { type: 'response.completed', response: specResponse([messageItem('msg_1', 'From completed')]) },
    ]);
    const second = run(completedOnly);
    expect(second.deltas).toEqual([]);
    expect(second.result().text).toBe('From completed');
  });

  it('turns a streamed refusal into CONTENT_FILTERED', () => {
    const list = events([
      { type: 'response.refusal.delta', item_id: 'm', output_index: 0, content_index: 0, delta: 'No.' },
      { type: 'response.refusal.done', item_id: 'm', output_index: 0, content_index: 0, refusal: 'No.' },
      { type: 'response.completed', response: specResponse([]) },
    ]);
    expect(caught(run(list).result).code).toBe('CONTENT_FILTERED');
  });

  it('rejects an unparsable event', () => {
    const parser = new ResponsesStreamParser();
    expect(caught(() => parser.push('{not json', undefined, () => {})).code).toBe('API_RESPONSE_INVALID');
  });

  it('emits each tool call once, from output_item.done when no arguments.done came', () => {
    const list = events([
      {
        type: 'response.output_item.added',
        output_index: 0,
        item: functionCallItem('fc_1', 'call_1', 'ping', ''),
      },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '{}' },
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: functionCallItem('fc_1', 'call_1', 'ping', '{}'),
      },
      {
        type: 'response.completed',
        response: specResponse([functionCallItem('fc_1', 'call_1', 'ping', '{}')]),
      },
    ]);
    const { deltas, result } = run(list);
    expect(deltas).toEqual([
      { type: 'tool-call', toolCall: { id: 'call_1', name: 'ping', arguments: {}, rawArguments: '{}' } },
    ]);
    expect(result().toolCalls).toHaveLength(1);
  });
});
