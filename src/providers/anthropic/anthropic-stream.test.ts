import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { StreamDelta } from '../../spec/index.js';
import { AnthropicStreamParser } from './anthropic-stream.js';
import {
  anthropicModel,
  chunksToSse,
  exchange,
  fixtureText,
  requestBody,
  runStream,
  type StreamRun,
} from './test-support/anthropic-fixtures.js';

const context = { model: anthropicModel() };
const parser = () => new AnthropicStreamParser(context);

function sseOf(file: string, index = 0): string {
  const body = exchange(file)[index]?.response.body;
  if (body == null) throw new Error(`${file}[${index}]: no SSE body`);
  return body;
}

/** The text and thinking deltas of a recorded stream, read independently of the parser (one per event, in order). */
function recordedDeltas(sse: string): StreamDelta[] {
  const deltas: StreamDelta[] = [];
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const event = JSON.parse(line.slice(6)) as { type: string; delta?: Record<string, string> };
    if (event.type !== 'content_block_delta' || event.delta == null) continue;
    if (event.delta.type === 'text_delta') deltas.push({ type: 'text-delta', text: event.delta.text ?? '' });
    if (event.delta.type === 'thinking_delta') {
      deltas.push({ type: 'reasoning-delta', text: event.delta.thinking ?? '' });
    }
  }
  return deltas;
}

function ok(run: StreamRun) {
  if (run.error != null) throw run.error;
  if (run.result == null) throw new Error('no result');
  return run.result;
}

function failed(run: StreamRun): LLMError {
  expect(run.result).toBeUndefined();
  expect(LLMError.isInstance(run.error)).toBe(true);
  return run.error as LLMError;
}

describe('AnthropicStreamParser over the recorded streams', () => {
  it('messages-stream-text: one text delta, padded data lines, ping ignored, usage from message_delta', () => {
    const sse = sseOf('anthropic/messages-stream-text.exchange.json');
    const run = runStream(parser(), sse);
    expect(run.deltas).toEqual([{ type: 'text-delta', text: '1\n2\n3' }]);
    const result = ok(run);
    expect(result.text).toBe('1\n2\n3');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ promptTokens: 15, completionTokens: 9, totalTokens: 24, cachedTokens: 0 });
  });

  it('messages-stream-tool-use: input_json_delta fragments → one tool-call at content_block_stop, every turn', () => {
    const file = 'anthropic/messages-stream-tool-use.exchange.json';
    const first = runStream(parser(), sseOf(file, 0), 13);
    expect(first.deltas).toEqual([
      {
        type: 'tool-call',
        toolCall: {
          id: 'toolu_01MKSN7NHsBVKr7Jvw5pqCQq',
          name: 'weather',
          arguments: { latitude: '52.5200', longitude: '13.4050' },
          rawArguments: '{"latitude": "52.5200", "longitude": "13.4050"}',
        },
      },
    ]);
    expect(ok(first)).toMatchObject({ finishReason: 'tool_calls', text: '' });
    expect(ok(first).toolCalls).toEqual([(first.deltas[0] as { toolCall: unknown }).toolCall]);
    // The text streamed in turn 2 is the assistant text the recorded client sent back in turn 3.
    const second = runStream(parser(), sseOf(file, 1));
    const replayed = (requestBody(file, 2).messages as { content: { text?: string }[] }[])[3];
    expect(ok(second).text).toBe(replayed?.content[0]?.text);
    expect(second.deltas).toEqual(recordedDeltas(sseOf(file, 1)));
    expect(ok(runStream(parser(), sseOf(file, 2))).toolCalls[0]?.arguments).toEqual({
      latitude: '48.8575',
      longitude: '2.3514',
    });
    expect(ok(runStream(parser(), sseOf(file, 3))).text).toMatch(/^The weather in Paris is currently:/);
  });

  it('messages-stream-thinking: reasoning deltas, then text deltas; the signature_delta lands on the thought', () => {
    const sse = sseOf('anthropic/messages-stream-thinking.exchange.json');
    const run = runStream(parser(), sse);
    expect(run.deltas).toEqual(recordedDeltas(sse));
    expect(run.deltas.filter((delta) => delta.type === 'reasoning-delta')).toHaveLength(13);
    const result = ok(run);
    expect(result.contentParts.map((part) => part.type)).toEqual(['thought', 'text']);
    expect(result.contentParts[0]).toMatchObject({
      thoughtSignature: expect.stringMatching(/^E[A-Za-z0-9+/]{200,}/),
    });
    expect(result.thoughtText).toMatch(/^This is a clever paradox question/);
    expect(result.text).toMatch(/What draws you to this paradox\?$/);
    expect(result.usage).toMatchObject({ completionTokens: 638, reasoningTokens: 353 });
  });

  it('messages-stream-redacted-thinking: two whole redacted_thinking blocks, then text', () => {
    const sse = sseOf('anthropic/messages-stream-redacted-thinking.exchange.json');
    const run = runStream(parser(), sse);
    expect(run.deltas).toEqual(recordedDeltas(sse));
    const result = ok(run);
    expect(
      result.contentParts.map((part) =>
        part.type === 'thought' ? `thought:${part.redactedData != null}` : part.type,
      ),
    ).toEqual(['thought:true', 'thought:true', 'text']);
    expect(result.contentParts[1]).toMatchObject({ text: '', redactedData: expect.stringMatching(/^EtgB/) });
    expect(result.text).toMatch(/^I notice that you've sent what appears to be some kind of test string/);
    expect(result.usage).toEqual({
      promptTokens: 92,
      completionTokens: 189,
      totalTokens: 281,
      cachedTokens: 0,
    });
  });

  it('messages-stream-citations: a citations_delta ends up on the text part', () => {
    const run = runStream(parser(), sseOf('anthropic/messages-stream-citations.exchange.json'));
    const result = ok(run);
    expect(result.contentParts).toEqual([
      {
        type: 'text',
        text: 'The Ruby programming language was created by Yukihiro Matsumoto in 1993.',
        citations: [
          {
            type: 'char_location',
            cited_text: 'The Ruby programming language was created by Yukihiro Matsumoto in 1993. ',
            document_index: 0,
            document_title: 'facts.txt',
            start_char_index: 0,
            end_char_index: 73,
          },
        ],
      },
    ]);
  });

  it('messages-stream-web-search: the assembled blocks equal what the recorded client sent back next turn', () => {
    const file = 'anthropic/messages-stream-web-search.exchange.json';
    const run = runStream(parser(), sseOf(file, 0), 211);
    const result = ok(run);
    // Only tool_use becomes a tool call: the server tool's input_json_delta emits nothing.
    expect(run.deltas.every((delta) => delta.type === 'text-delta')).toBe(true);
    expect(result.toolCalls).toEqual([]);
    const replayed =
      (requestBody(file, 1).messages as { content: Record<string, unknown>[] }[])[1]?.content ?? [];
    const [serverUse, searchResult] = result.contentParts;
    expect(serverUse).toEqual({ type: 'provider_data', apiType: 'anthropic', data: replayed[0] });
    expect(searchResult).toEqual({ type: 'provider_data', apiType: 'anthropic', data: replayed[1] });
    const texts = result.contentParts.slice(2);
    expect(texts).toEqual(
      replayed.slice(2).map((block) => ({
        type: 'text',
        text: block.text,
        ...(block.citations != null ? { citations: block.citations } : {}),
      })),
    );
    expect(result.grounding?.queries).toEqual(['latest stable Ruby version']);
    expect(result.usage).toMatchObject({ promptTokens: 9447, completionTokens: 114 });
  });

  it('messages-stream-refusal.chunks.txt: refusal in message_delta → CONTENT_FILTERED at the end', () => {
    const run = runStream(parser(), chunksToSse('anthropic/messages-stream-refusal.chunks.txt'));
    expect(run.deltas).toEqual([]);
    const error = failed(run);
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.details).toMatchObject({ stopReason: 'refusal', stopDetails: { category: 'cyber' } });
  });

  it('stream-error-overloaded.issue.sse.txt: a lone event: error → API_SERVER_ERROR (§13), nothing emitted', () => {
    const run = runStream(parser(), fixtureText('anthropic/stream-error-overloaded.issue.sse.txt'));
    expect(run.deltas).toEqual([]);
    const error = failed(run);
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(error.details).toMatchObject({ providerCode: 'overloaded_error' });
    expect(error.message).toMatch(/Overloaded/);
  });

  it('stream-error-mid-stream-api-error.issue.sse.txt: the deltas before the error, then API_SERVER_ERROR', () => {
    const run = runStream(parser(), fixtureText('anthropic/stream-error-mid-stream-api-error.issue.sse.txt'));
    expect(run.deltas).toEqual([
      { type: 'text-delta', text: 'd with a replacement character' },
      { type: 'text-delta', text: ' (' },
    ]);
    const error = failed(run);
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(error.details).toMatchObject({ providerCode: 'api_error' });
  });
});

describe('AnthropicStreamParser faults', () => {
  const sse = sseOf('anthropic/messages-stream-text.exchange.json');

  it('a stream cut before message_stop is API_RESPONSE_INVALID, never a silent truncation', () => {
    const cut = sse.slice(0, sse.indexOf('event: message_delta'));
    const run = runStream(parser(), cut);
    expect(run.deltas).toEqual([{ type: 'text-delta', text: '1\n2\n3' }]);
    const error = failed(run);
    expect(error.code).toBe('API_RESPONSE_INVALID');
    expect(error.message).toMatch(/message_stop/);
    expect(error.details).toEqual({ receivedText: true });
  });

  it('a malformed event is API_RESPONSE_INVALID with an excerpt', () => {
    const run = runStream(parser(), 'event: content_block_delta\ndata: {"malformed":\n\n');
    expect(failed(run)).toMatchObject({ code: 'API_RESPONSE_INVALID', details: { chunk: '{"malformed":' } });
  });

  it('a bare JSON error after the events ends the stream with the classified error', () => {
    const body = `${sse.slice(0, sse.indexOf('event: message_stop'))}{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}\n`;
    expect(failed(runStream(parser(), body)).code).toBe('API_RATE_LIMITED');
  });

  it('a whole JSON message served instead of SSE is parsed as the answer', () => {
    const json = exchange('anthropic/messages-text.exchange.json')[0]?.response.body ?? '';
    expect(ok(runStream(parser(), json)).text).toBe('2 + 2 = 4');
  });

  it('events without an event: line are read by their JSON type; unknown events are ignored', () => {
    const lines = [
      { type: 'message_start', message: { usage: { input_tokens: 2, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: 'Hi' } },
      { type: 'brand_new_event', index: 0 },
      { type: 'content_block_delta', index: 0, delta: { type: 'brand_new_delta', x: 1 } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' there' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 3 } },
      { type: 'message_stop' },
    ];
    const run = runStream(parser(), lines.map((line) => `data: ${JSON.stringify(line)}\n\n`).join(''));
    expect(run.deltas).toEqual([
      { type: 'text-delta', text: 'Hi' },
      { type: 'text-delta', text: ' there' },
    ]);
    expect(ok(run)).toMatchObject({
      text: 'Hi there',
      finishReason: 'length',
      usage: { promptTokens: 2, completionTokens: 3, totalTokens: 5 },
    });
  });

  it('a tool call without input deltas has the start block input and its JSON as raw arguments', () => {
    const events = [
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' } },
      { type: 'message_stop' },
    ];
    const run = runStream(
      parser(),
      events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join(''),
    );
    expect(ok(run).toolCalls).toEqual([{ id: 'toolu_2', name: 'now', arguments: {}, rawArguments: '{}' }]);
  });

  it('a tool input that is not JSON gives empty arguments, the raw text and a warning', () => {
    const events = [
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '[1,' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' } },
      { type: 'message_stop' },
    ];
    const run = runStream(
      parser(),
      events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join(''),
    );
    const result = ok(run);
    expect(result.toolCalls).toEqual([{ id: 'toolu_1', name: 'f', arguments: {}, rawArguments: '[1,' }]);
    expect(result.warnings[0]).toMatch(/not a JSON object/);
  });
});
