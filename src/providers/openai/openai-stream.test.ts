import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { StreamDelta } from '../../spec/index.js';
import { createOpenAIChatDialect } from './openai-chat-dialect.js';
import { OpenAIStreamParser } from './openai-stream.js';
import {
  chatInput,
  chunksToSse,
  exchangeInteractions,
  fixtureText,
  runStream,
} from './test-support/openai-test-kit.js';

const context = { provider: 'P', model: 'P/m' };
const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, extra = {}) =>
  JSON.stringify({
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
    ...extra,
  });
const sse = (...chunks: string[]) => chunks.map((data) => `data: ${data}\n\n`).join('');
const parser = () => new OpenAIStreamParser(context);

describe('OpenAIStreamParser', () => {
  it('emits one event per provider delta, reasoning before text, never merged', () => {
    const run = runStream(
      parser(),
      sse(
        chunk({ role: 'assistant', content: '' }),
        chunk({ reasoning_content: 'Think', content: 'A' }),
        chunk({ content: 'B' }),
        chunk({ content: 'B' }),
        chunk({}, 'stop'),
        '[DONE]',
      ),
      1,
    );
    expect(run.deltas).toEqual([
      { type: 'reasoning-delta', text: 'Think' },
      { type: 'text-delta', text: 'A' },
      { type: 'text-delta', text: 'B' },
      { type: 'text-delta', text: 'B' },
    ]);
    expect(run.result).toMatchObject({ text: 'ABB', thoughtText: 'Think', finishReason: 'stop' });
  });

  it('fails a stream that ends without [DONE] and without a finish reason (truncation)', () => {
    const lines = fixtureText('openai/chat-text.chunks.txt').split('\n').slice(0, 120).join('\n');
    const run = runStream(parser(), chunksToSse(lines, false));
    expect(run.deltas.length).toBeGreaterThan(100);
    expect(run.error).toBeInstanceOf(LLMError);
    expect((run.error as LLMError).code).toBe('API_RESPONSE_INVALID');
    expect((run.error as LLMError).message).toMatch(/truncated/);
  });

  it('accepts a finish reason without [DONE], and [DONE] without a finish reason', () => {
    expect(runStream(parser(), sse(chunk({ content: 'x' }), chunk({}, 'length'))).result?.finishReason).toBe(
      'length',
    );
    const done = runStream(parser(), sse(chunk({ content: 'x' }), '[DONE]'));
    expect(done.result).toMatchObject({ text: 'x', finishReason: 'other' });
    expect(done.result?.rawFinishReason).toBeUndefined();
  });

  it('ends with the error of an error chunk, after what came before it (OpenRouter)', () => {
    const body =
      exchangeInteractions('openrouter/chat-stream-comments-and-error.exchange.json')[0]?.response.body ?? '';
    const run = runStream(
      createOpenAIChatDialect('openrouter').createStreamParser(chatInput({ stream: true })),
      body,
    );
    expect(run.deltas).toEqual([
      { type: 'reasoning-delta', text: 'We need' },
      { type: 'reasoning-delta', text: ' to respond to a greeting. The user' },
    ]);
    expect(run.error).toBeInstanceOf(LLMError);
    expect((run.error as LLMError).message).toMatch(/Token limit reached/);
    expect((run.error as LLMError).code).toBe('INVALID_PARAMETER');
    expect((run.error as LLMError).model).toBe('OpenAI/gpt-4o-mini');
  });

  it('ends with the error of a bare JSON error after the events, and with malformed chunks', () => {
    const trailing = runStream(
      parser(),
      `${sse(chunk({ content: 'x' }))}{"error":{"code":503,"message":"boom","status":"UNAVAILABLE"}}\n`,
    );
    expect((trailing.error as LLMError).message).toMatch(/boom/);
    expect((trailing.error as LLMError).code).toBe('API_SERVER_ERROR');
    const malformed = runStream(parser(), sse(chunk({ content: 'x' }), '{"choices":[{"delta":'));
    expect((malformed.error as LLMError).code).toBe('API_RESPONSE_INVALID');
    const nonSse = runStream(parser(), '<html>Bad gateway</html>');
    expect((nonSse.error as LLMError).code).toBe('API_RESPONSE_INVALID');
  });

  it('parses a whole JSON completion served on a streaming request', () => {
    const body = JSON.stringify({
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
    });
    expect(runStream(parser(), body).result).toMatchObject({ text: 'Hi', finishReason: 'stop' });
  });

  it('assembles tool calls by index: late ids, name and argument fragments, interleaved calls', () => {
    const run = runStream(
      parser(),
      sse(
        chunk({ tool_calls: [{ index: 0, function: { name: 'get_', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'weather', arguments: '{"ci' } }] }),
        chunk({
          tool_calls: [{ index: 1, id: '', type: 'function', function: { name: 'time', arguments: '{}' } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }] }),
        chunk({}, 'tool_calls'),
        '[DONE]',
      ),
    );
    expect(run.error).toBeUndefined();
    const calls = run.result?.toolCalls ?? [];
    expect(
      calls.map(({ id, name, arguments: args, rawArguments }) => ({ id, name, args, rawArguments })),
    ).toEqual([
      { id: 'call_a', name: 'get_weather', args: { city: 'Oslo' }, rawArguments: '{"city":"Oslo"}' },
      { id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'time', args: {}, rawArguments: '{}' },
    ]);
    expect(run.deltas).toEqual(calls.map((toolCall) => ({ type: 'tool-call', toolCall })));
  });

  it('emits tool calls once they are complete: at the finish reason, else at [DONE]', () => {
    const deltas: StreamDelta[] = [];
    const emit = (delta: StreamDelta) => deltas.push(delta);
    const streaming = parser();
    streaming.push(
      chunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{"a":' } }] }),
      undefined,
      emit,
    );
    streaming.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }), undefined, emit);
    expect(deltas).toEqual([]);
    streaming.push('[DONE]', undefined, emit);
    expect(deltas).toMatchObject([
      { type: 'tool-call', toolCall: { id: 'c', name: 'f', arguments: { a: 1 } } },
    ]);
    expect(streaming.finish('').toolCalls).toHaveLength(1);
  });

  it('tells calls apart without an index by their ids, and repeated whole names are not doubled', () => {
    const run = runStream(
      parser(),
      sse(
        chunk({ tool_calls: [{ id: 'x1', function: { name: 'f', arguments: '{"n":' } }] }),
        chunk({ tool_calls: [{ function: { name: 'f', arguments: '1}' } }] }),
        chunk({ tool_calls: [{ id: 'x2', function: { name: 'g', arguments: '{}' } }] }),
        chunk({}, 'tool_calls'),
      ),
    );
    expect(run.result?.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, args }))).toEqual([
      { id: 'x1', name: 'f', args: { n: 1 } },
      { id: 'x2', name: 'g', args: {} },
    ]);
  });

  it('collects refusal deltas and throws CONTENT_FILTERED at the end', () => {
    const run = runStream(
      parser(),
      sse(chunk({ refusal: "I can't" }), chunk({ refusal: ' do that.' }), chunk({}, 'stop')),
    );
    expect(run.deltas).toEqual([]);
    expect((run.error as LLMError).code).toBe('CONTENT_FILTERED');
    expect((run.error as LLMError).details).toEqual({ refusal: "I can't do that." });
  });

  it('keeps Gemini-compat thought signatures on streamed tool calls and streamed images', () => {
    const png = Buffer.from('png-bytes').toString('base64');
    const run = runStream(
      parser(),
      sse(
        chunk({
          tool_calls: [
            {
              index: 0,
              id: '',
              function: { name: 'f', arguments: '{}' },
              extra_content: { google: { thought_signature: 'sig-1' } },
            },
          ],
          images: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }],
        }),
        chunk({}, 'tool_calls'),
      ),
    );
    expect(run.result?.toolCalls[0]).toMatchObject({ name: 'f', thoughtSignature: 'sig-1' });
    expect(Buffer.from(run.result?.images[0]?.data ?? []).toString()).toBe('png-bytes');
  });

  it('restores optional fields of strict tools before emitting the call', () => {
    const input = chatInput({
      stream: true,
      tools: {
        functions: [
          {
            name: 'f',
            strict: true,
            parameters: {
              type: 'object',
              properties: { a: { type: 'string' }, b: { type: 'string' } },
              required: ['a'],
            },
          },
        ],
        providerTools: [],
      },
    });
    const run = runStream(
      createOpenAIChatDialect('openai').createStreamParser(input),
      sse(
        chunk(
          { tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{"a":"x","b":null}' } }] },
          'tool_calls',
        ),
      ),
    );
    expect(run.deltas).toEqual([
      { type: 'tool-call', toolCall: expect.objectContaining({ arguments: { a: 'x' } }) },
    ]);
  });

  it('ignores other choices and reads usage from any chunk', () => {
    const run = runStream(
      parser(),
      sse(
        JSON.stringify({ choices: [{ index: 1, delta: { content: 'other' }, finish_reason: null }] }),
        chunk({ content: 'mine' }, 'stop', {
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        }),
      ),
    );
    expect(run.result).toMatchObject({
      text: 'mine',
      usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 },
    });
  });

  it('decodes the same result whatever the network chunking', () => {
    const body = exchangeInteractions('openai/chat-stream-tool-call.exchange.json')[0]?.response.body ?? '';
    const whole = runStream(parser(), body, body.length).result;
    const bytewise = runStream(parser(), body, 1).result;
    expect(bytewise?.toolCalls.map(({ id, arguments: args }) => ({ id, args }))).toEqual(
      whole?.toolCalls.map(({ id, arguments: args }) => ({ id, args })),
    );
    expect(bytewise?.usage).toEqual(whole?.usage);
  });
});
