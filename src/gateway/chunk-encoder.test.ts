import { describe, expect, it } from 'vitest';
import type { LLMResponse } from '../spec/index.js';
import { ChunkEncoder } from './chunk-encoder.js';
import { chatCompletion } from './openai-response.js';

function response(overrides: Partial<LLMResponse> = {}): LLMResponse {
  return {
    text: 'hi',
    contentParts: [],
    toolCalls: [],
    finishReason: 'stop',
    usage: { promptTokens: 3, completionTokens: 1, totalTokens: 4, cachedTokens: 2 },
    images: [],
    model: 'OpenAI/gpt-4o',
    attempts: [],
    warnings: [],
    message: { role: 'assistant', content: 'hi' },
    ...overrides,
  };
}

const frames = (text: string) =>
  text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => (frame === 'data: [DONE]' ? '[DONE]' : JSON.parse(frame.slice('data: '.length))));

describe('ChunkEncoder', () => {
  it('role on the first delta, tool calls indexed, finish, usage chunk, [DONE]', () => {
    const encoder = new ChunkEncoder('chatcmpl-1', 100, 'smart');
    const call = { id: 'c1', name: 'f', arguments: { a: 1 }, rawArguments: '{"a":1}' };
    const text =
      encoder.reasoning('think') +
      encoder.text('Hel"lo') +
      encoder.toolCall(call) +
      encoder.toolCall({ ...call, id: 'c2' }) +
      encoder.finish(response({ toolCalls: [call] }), true);
    const all = frames(text);
    expect(all[0]).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 100,
      model: 'smart',
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', reasoning_content: 'think' },
          logprobs: null,
          finish_reason: null,
        },
      ],
    });
    expect(all[1].choices[0].delta).toEqual({ content: 'Hel"lo' });
    expect(all[2].choices[0].delta.tool_calls).toEqual([
      { index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
    ]);
    expect(all[3].choices[0].delta.tool_calls[0].index).toBe(1);
    expect(all[4]).toMatchObject({
      model: 'OpenAI/gpt-4o',
      choices: [{ delta: {}, finish_reason: 'tool_calls' }],
    });
    expect(all[5]).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 3,
        completion_tokens: 1,
        total_tokens: 4,
        prompt_tokens_details: { cached_tokens: 2 },
      },
    });
    expect(all[6]).toBe('[DONE]');
  });

  it('a stream with no delta still opens with the assistant role; no usage chunk unless asked', () => {
    const all = frames(new ChunkEncoder('x', 1, 'm').finish(response(), false));
    expect(all[0].choices[0]).toMatchObject({
      delta: { role: 'assistant', content: '' },
      finish_reason: 'stop',
    });
    expect(all).toHaveLength(2);
  });
});

describe('chatCompletion', () => {
  it('content null with tool calls; reasoning_content; finish reasons as OpenAI spells them', () => {
    const call = { id: 'c1', name: 'f', arguments: {}, rawArguments: '' };
    const completion = chatCompletion(
      response({ text: '', toolCalls: [call], thoughtText: 'hmm', finishReason: 'stop' }),
      'chatcmpl-2',
      5,
    );
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          reasoning_content: 'hmm',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
    const other = chatCompletion(response({ finishReason: 'other' }), 'x', 1) as {
      choices: { finish_reason: string }[];
    };
    expect(other.choices[0]?.finish_reason).toBe('stop');
  });
});
