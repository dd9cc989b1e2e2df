import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StreamEvent } from '../spec/index.js';
import {
  type FakeProvider,
  geminiReply,
  openaiChatReply,
  openaiToolCallReply,
  startFakeProvider,
} from '../testing/index.js';
import { functionTool } from '../tools/function-tool.js';
import type { LLM } from './llm.js';
import {
  clientFor,
  collect,
  openaiDelta,
  reasoningOf,
  rejectionOf,
  textsOf,
} from './test-support/e2e-kit.js';

// A stream request answered with one JSON body (a gateway that ignores `stream: true`) yields the events a
// stream would have carried: reasoning, text, tool calls, then `finish` (API.md §3).

let fake: FakeProvider;
let llm: LLM;

const OPENAI = 'OpenAI/gpt-4o-mini';
const GEMINI = 'Gemini/gemini-2.5-flash';
const DEEPSEEK = 'DeepSeek/deepseek-reasoner';

beforeEach(async () => {
  fake = await startFakeProvider();
  llm = clientFor([
    {
      name: 'OpenAI',
      apiType: 'openai',
      apiBase: fake.openaiBase,
      apiKeys: ['test-key-1', 'test-key-2'],
      models: ['gpt-4o-mini'],
    },
    {
      name: 'Gemini',
      apiType: 'gemini',
      apiBase: fake.geminiBase,
      apiKeys: ['test-key-g1'],
      models: ['gemini-2.5-flash'],
    },
    {
      name: 'DeepSeek',
      apiType: 'deepseek',
      apiBase: fake.url,
      apiKeys: ['test-key-d1'],
      models: ['deepseek-reasoner'],
    },
  ]);
});

afterEach(async () => {
  await llm.close();
  await fake.close();
  expect(fake.pendingReplies).toBe(0);
  expect(fake.errors).toEqual([]);
});

const types = (events: readonly StreamEvent[]) => events.map((event) => event.type);

describe('a JSON body served to a stream request', () => {
  it('OpenAI: the text arrives as one text-delta, then finish; textStream and response agree', async () => {
    fake.enqueue(openaiChatReply('Hello from JSON'));
    const stream = llm.stream('hi', { model: OPENAI });
    const events = await collect(stream);
    expect(types(events)).toEqual(['text-delta', 'finish']);
    expect(textsOf(events)).toEqual(['Hello from JSON']);
    const response = await stream.response;
    expect(response.text).toBe('Hello from JSON');
    expect(response.attempts).toHaveLength(1);
  });

  it('OpenAI-compatible reasoning (DeepSeek reasoning_content): reasoning-delta, then text-delta', async () => {
    fake.enqueue({
      json: {
        id: 'x',
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Four.', reasoning_content: 'Two plus two…' },
            finish_reason: 'stop',
          },
        ],
      },
    });
    const events = await collect(llm.stream('2+2?', { model: DEEPSEEK }));
    expect(types(events)).toEqual(['reasoning-delta', 'text-delta', 'finish']);
    expect(reasoningOf(events)).toEqual(['Two plus two…']);
    expect(textsOf(events)).toEqual(['Four.']);
  });

  it('OpenAI tool calls: a tool-call event per call; the loop runs them and streams the next round', async () => {
    const calls: string[] = [];
    const weather = functionTool({
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        calls.push(city);
        return { city, tempC: 21 };
      },
    });
    fake.enqueue(
      openaiToolCallReply([
        { name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_1' },
        { name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_2' },
      ]),
      openaiChatReply('Mild in both.'),
    );
    const events = await collect(llm.stream('weather?', { model: OPENAI, tools: [weather] }));
    expect(types(events)).toEqual([
      'tool-call',
      'tool-call',
      'tool-result',
      'tool-result',
      'text-delta',
      'finish',
    ]);
    const toolCalls = events.flatMap((event) => (event.type === 'tool-call' ? [event.toolCall] : []));
    expect(toolCalls.map((call) => [call.id, call.arguments])).toEqual([
      ['call_1', { city: 'Paris' }],
      ['call_2', { city: 'Oslo' }],
    ]);
    expect(calls).toEqual(['Paris', 'Oslo']);
    expect(textsOf(events)).toEqual(['Mild in both.']);
  });

  it('Gemini: thought and text parts become reasoning-delta and text-delta; function calls tool-call', async () => {
    fake.enqueue(
      geminiReply([{ text: 'Considering…', thought: true }, { text: 'Bonjour' }]),
      geminiReply([{ functionCall: { name: 'lookup', args: { q: 'x' } } }]),
    );
    const first = await collect(llm.stream('hi', { model: GEMINI }));
    expect(types(first)).toEqual(['reasoning-delta', 'text-delta', 'finish']);
    expect(reasoningOf(first)).toEqual(['Considering…']);
    expect(textsOf(first)).toEqual(['Bonjour']);
    // A tool without `execute` goes back to the caller: the call is an event and stays on the response.
    const lookup = functionTool({
      name: 'lookup',
      description: 'Looks up',
      parameters: z.object({ q: z.string() }),
    });
    const stream = llm.stream('look it up', { model: GEMINI, tools: [lookup] });
    const second = await collect(stream);
    expect(types(second)).toEqual(['tool-call', 'finish']);
    const [event] = second;
    expect(event?.type === 'tool-call' && event.toolCall).toMatchObject({
      name: 'lookup',
      arguments: { q: 'x' },
    });
    expect((await stream.response).toolCalls).toHaveLength(1);
  });

  it('an error object in the JSON body fails the attempt before any event: retried like a non-stream answer', async () => {
    fake.enqueue({
      status: 200,
      json: { error: { message: 'upstream hiccup', type: 'server_error', code: null } },
    });
    const stream = llm.stream('hi', { model: OPENAI });
    const events = await collect(stream);
    expect(types(events)).not.toContain('error');
    expect(events.at(-1)?.type).toBe('finish');
    const response = await stream.response;
    expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
      'API_RESPONSE_INVALID',
      200,
    ]);
  });

  it('a content-filtered JSON answer ends the stream with CONTENT_FILTERED and its attempts', async () => {
    fake.enqueue(geminiReply([], { finishReason: 'SAFETY' }));
    const error = await rejectionOf(llm.stream('hi', { model: GEMINI }).response);
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.attempts).toHaveLength(1);
  });

  it('a compressed JSON body is decoded first', async () => {
    fake.enqueue(openaiChatReply('squeezed JSON', { compress: 'br' }));
    expect(textsOf(await collect(llm.stream('hi', { model: OPENAI })))).toEqual(['squeezed JSON']);
  });

  it('an event stream mislabelled application/json is still read as a stream', async () => {
    const finish = { id: 'x', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
    fake.enqueue({
      sse: [openaiDelta('still '), openaiDelta('SSE'), finish],
      headers: { 'content-type': 'application/json' },
    });
    const events = await collect(llm.stream('hi', { model: OPENAI }));
    expect(textsOf(events)).toEqual(['still ', 'SSE']);
    expect(events.at(-1)?.type).toBe('finish');
  });
});
