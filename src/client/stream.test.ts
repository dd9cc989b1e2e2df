import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LLMResponse, StreamEvent } from '../spec/index.js';
import {
  type FakeProvider,
  geminiStreamReply,
  openaiStreamReply,
  rawSse,
  startFakeProvider,
} from '../testing/index.js';
import type { LLM } from './llm.js';
import {
  CountingSource,
  clientFor,
  collect,
  finalError,
  geminiDelta,
  openaiDelta,
  reasoningOf,
  rejectionOf,
  settlesWithin,
  textsOf,
} from './test-support/e2e-kit.js';

// End-to-end streams through the client against the fake provider: events, errors, faults, aborts. The stream
// contract every provider keeps (deltas in order, textStream, cut and unterminated streams, malformed events and
// in-stream errors, errors before the first event, abort, deadline) is checked for each one by the conformance
// suite (src/providers/conformance/); this file keeps read boundaries, recorded streams and abort promptness.

let fake: FakeProvider;
let llm: LLM;

const OPENAI = 'OpenAI/gpt-4o-mini';
const GEMINI = 'Gemini/gemini-2.5-flash';
const DEEPSEEK = 'DeepSeek/deepseek-reasoner';
const OPENROUTER = 'OpenRouter/minimax/minimax-m2:free';

// A fresh fake and client per test: key health (cooldowns after 429/5xx/timeouts) never leaks between tests.
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
      apiKeys: ['test-key-g1', 'test-key-g2'],
      models: ['gemini-2.5-flash'],
    },
    {
      name: 'DeepSeek',
      apiType: 'deepseek',
      apiBase: fake.url,
      apiKeys: ['test-key-d1'],
      models: ['deepseek-reasoner'],
    },
    {
      name: 'OpenRouter',
      apiType: 'openrouter',
      apiBase: fake.url,
      apiKeys: ['test-key-r1'],
      models: ['minimax/minimax-m2:free'],
    },
  ]);
});

afterEach(async () => {
  await llm.close();
  await fake.close();
  // Nothing scripted may be left over, and the fake itself must not have failed.
  expect(fake.pendingReplies).toBe(0);
  expect(fake.errors).toEqual([]);
});

const LAST_GEMINI_EVENT = {
  candidates: [{ content: { role: 'model', parts: [{ text: 'two' }] }, finishReason: 'STOP', index: 0 }],
};

const DELTAS = ['Hel', 'lo', ', ', 'wor', 'ld', '!', ' ', 'A', ' B', '\n'];

const dialects = [
  { name: 'openai', model: OPENAI, reply: (deltas: string[]) => openaiStreamReply(deltas) },
  { name: 'gemini', model: GEMINI, reply: (deltas: string[]) => geminiStreamReply(deltas) },
] as const;

describe.each(dialects)(
  '$name streams through the client (read boundaries, the deadline not early)',
  ({ model, reply }) => {
    it('a malformed chunk read on its own: every delta before it is yielded', async () => {
      fake.enqueue({ ...reply(DELTAS), malformedAt: 2, eventDelayMs: 5 });
      const events = await collect(llm.stream('hi', { model }));
      expect(textsOf(events)).toEqual(DELTAS.slice(0, 2));
      expect(finalError(events).code).toBe('API_RESPONSE_INVALID');
    });

    it('a stall past the deadline → API_TIMEOUT at the deadline, not before', async () => {
      fake.enqueue({ ...reply(DELTAS), stallAfter: 2 });
      const started = Date.now();
      const stream = llm.stream('hi', { model, timeoutMs: 500 });
      const events = await collect(stream);
      const elapsed = Date.now() - started;
      expect(textsOf(events)).toEqual(DELTAS.slice(0, 2));
      const error = finalError(events);
      expect(error.code).toBe('API_TIMEOUT');
      // Not before the deadline; the stalled server leaves nothing else to end it before the test times out.
      expect(elapsed).toBeGreaterThanOrEqual(480);
    });
  },
);

describe('the last event of a body', () => {
  it('Gemini: a last event without its closing blank line still counts (text and finish reason)', async () => {
    fake.enqueue({ sse: [geminiDelta('one '), rawSse(`data: ${JSON.stringify(LAST_GEMINI_EVENT)}`)] });
    const stream = llm.stream('hi', { model: GEMINI });
    await collect(stream);
    const response = await stream.response;
    expect(response.text).toBe('one two');
    expect(response.finishReason).toBe('stop');
  });

  it('Gemini: a last event without its closing blank line still yields its delta', async () => {
    fake.enqueue({ sse: [geminiDelta('one '), rawSse(`data: ${JSON.stringify(LAST_GEMINI_EVENT)}`)] });
    const events = await collect(llm.stream('hi', { model: GEMINI }));
    expect(textsOf(events)).toEqual(['one ', 'two']);
  });
});

describe('reasoning deltas', () => {
  it('DeepSeek reasoning_content (recorded stream) → one reasoning-delta per delta, then text', async () => {
    fake.enqueue({ fixture: 'deepseek/chat-reasoning.chunks.txt' });
    const stream = llm.stream('How many r in strawberry?', { model: DEEPSEEK });
    const events = await collect(stream);
    const reasoning = reasoningOf(events);
    const texts = textsOf(events);
    expect(reasoning).toHaveLength(205);
    expect(texts).toHaveLength(13);
    // All reasoning comes before the answer in this recording.
    const lastReasoning = events.findLastIndex((event) => event.type === 'reasoning-delta');
    const firstText = events.findIndex((event) => event.type === 'text-delta');
    expect(lastReasoning).toBeLessThan(firstText);
    const response = await stream.response;
    expect(response.thoughtText).toBe(reasoning.join(''));
    expect(response.text).toBe('The word "strawberry" contains three "r"s.');
    expect(response.usage).toMatchObject({ reasoningTokens: 205, totalTokens: 237 });
  });

  it('Gemini thought parts → reasoning-delta events; thoughts stay out of text', async () => {
    fake.enqueue(
      geminiStreamReply([
        [{ text: 'Thinking about ', thought: true }],
        [{ text: 'it.', thought: true }],
        'The answer',
        ' is 4.',
      ]),
    );
    const stream = llm.stream('2+2?', { model: GEMINI });
    const events = await collect(stream);
    expect(events.map((event) => event.type)).toEqual([
      'reasoning-delta',
      'reasoning-delta',
      'text-delta',
      'text-delta',
      'finish',
    ]);
    expect(reasoningOf(events)).toEqual(['Thinking about ', 'it.']);
    const response = await stream.response;
    expect(response.text).toBe('The answer is 4.');
    expect(response.thoughtText).toBe('Thinking about it.');
  });
});

describe('an error object inside a 200 stream', () => {
  it('OpenRouter: comments, reasoning deltas, then an error chunk → the deltas, then the error event', async () => {
    fake.enqueue({ fixture: 'openrouter/chat-stream-comments-and-error.exchange.json' });
    const stream = llm.stream('Hello there', { model: OPENROUTER });
    const events = await collect(stream);
    const error = finalError(events);
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/Token limit reached/);
    expect(error.provider).toBe('OpenRouter');
    expect(await rejectionOf(stream.response)).toBe(error);
  });

  it('OpenRouter: the reasoning deltas that came in the same read as the error are not lost', async () => {
    fake.enqueue({ fixture: 'openrouter/chat-stream-comments-and-error.exchange.json' });
    const events = await collect(llm.stream('Hello there', { model: OPENROUTER }));
    expect(reasoningOf(events).join('')).toMatch(/ to respond to a greeting\. The user$/);
  });

  it('OpenRouter, one event per read: the reasoning deltas, then the error event', async () => {
    fake.enqueue({ fixture: 'openrouter/chat-stream-comments-and-error.exchange.json', eventDelayMs: 2 });
    const events = await collect(llm.stream('Hello there', { model: OPENROUTER }));
    expect(reasoningOf(events).join('')).toMatch(/ to respond to a greeting\. The user$/);
    expect(events.slice(0, -1).every((event) => event.type === 'reasoning-delta')).toBe(true);
    expect(finalError(events).code).toBe('INVALID_PARAMETER');
  });

  it('a read holding hundreds of events is parsed slice by slice: the first delta comes before the rest of the read is parsed', async () => {
    // ~400 events (~60 KB) written at once: one or two network reads. Aborting at the first delta leaves only
    // the deltas of the slices parsed so far to hand out, not the whole read's.
    fake.enqueue(openaiStreamReply(Array.from({ length: 400 }, (_, index) => `d${index} `)));
    const stream = llm.stream('hi', { model: OPENAI });
    const iterator = stream[Symbol.asyncIterator]();
    let first = await iterator.next();
    while (first.done !== true && first.value.type !== 'text-delta') first = await iterator.next();
    expect(first.value).toMatchObject({ type: 'text-delta', text: 'd0 ' });
    stream.abort();
    const rest: StreamEvent[] = [];
    for (let step = await iterator.next(); step.done !== true; step = await iterator.next())
      rest.push(step.value);
    expect(finalError(rest).code).toBe('ABORTED');
    expect(textsOf(rest).length).toBeLessThan(100);
  });

  it('Gemini: bare JSON error after the events (recorded) → the deltas, then the error event', async () => {
    fake.enqueue({ fixture: 'gemini/stream-error-mid-stream.sse.txt' });
    const stream = llm.stream('hi', { model: GEMINI });
    const events = await collect(stream);
    expect(textsOf(events)).toEqual(['First ', 'Second ']);
    const error = finalError(events);
    expect(error.message).toMatch(/The operation was cancelled/);
    expect(error.code).toBe('API_RESPONSE_INVALID');
    expect(await rejectionOf(stream.response)).toBe(error);
  });

  it('OpenAI: trailing bare JSON error after [DONE] → error event', async () => {
    fake.enqueue({
      ...openaiStreamReply(['ok']),
      trailing: '{"error":{"message":"upstream overloaded","type":"server_error","code":"server_error"}}\n',
    });
    const stream = llm.stream('hi', { model: OPENAI });
    const events = await collect(stream);
    expect(textsOf(events)).toEqual(['ok']);
    const error = finalError(events);
    expect(error.message).toMatch(/upstream overloaded/);
    await rejectionOf(stream.response);
  });
});

describe('aborting and abandoning a stream', () => {
  function longOpenAIStream(source: CountingSource) {
    return { sse: source.items(), eventDelayMs: 5 };
  }

  it('aborting the signal mid-stream stops the HTTP body read promptly (ABORTED)', async () => {
    const source = new CountingSource(10_000, (index) => openaiDelta(`d${index} `));
    fake.enqueue(longOpenAIStream(source));
    const controller = new AbortController();
    const stream = llm.stream('hi', { model: OPENAI, signal: controller.signal });
    const events: StreamEvent[] = [];
    let abortedAt = 0;
    for await (const event of stream) {
      events.push(event);
      if (events.length === 5) {
        abortedAt = Date.now();
        controller.abort();
      }
    }
    expect(finalError(events).code).toBe('ABORTED');
    expect((await rejectionOf(stream.response)).code).toBe('ABORTED');
    // The fake saw the connection close right away and stopped producing events.
    expect(await settlesWithin(source.stopped, 1000)).toBe(true);
    expect((source.stoppedAt ?? Infinity) - abortedAt).toBeLessThan(500);
    expect(source.produced).toBeLessThan(200);
  });

  it('stream.abort() while nobody is reading closes the connection too', async () => {
    const source = new CountingSource(10_000, (index) => geminiDelta(`d${index} `));
    fake.enqueue({ sse: source.items(), eventDelayMs: 5 });
    const stream = llm.stream('hi', { model: GEMINI });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'text-delta', text: 'd0 ' });
    const abortedAt = Date.now();
    stream.abort();
    expect(await settlesWithin(source.stopped, 1000)).toBe(true);
    expect((source.stoppedAt ?? Infinity) - abortedAt).toBeLessThan(500);
    const rest: StreamEvent[] = [];
    for (let step = await iterator.next(); step.done !== true; step = await iterator.next())
      rest.push(step.value);
    expect(finalError(rest).code).toBe('ABORTED');
    expect((await rejectionOf(stream.response)).code).toBe('ABORTED');
  });

  it('stream.abort() before anything was read: response rejects with ABORTED, nothing is sent', async () => {
    const stream = llm.stream('hi', { model: OPENAI });
    stream.abort();
    expect((await rejectionOf(stream.response)).code).toBe('ABORTED');
    expect(fake.requests).toHaveLength(0);
  });

  it('an already aborted signal fails at once with ABORTED and sends nothing', async () => {
    const stream = llm.stream('hi', { model: OPENAI, signal: AbortSignal.abort() });
    const events = await collect(stream);
    expect(finalError(events).code).toBe('ABORTED');
    expect(fake.requests).toHaveLength(0);
  });

  it('breaking out of the iteration releases the connection; later calls still work', async () => {
    const source = new CountingSource(10_000, (index) => openaiDelta(`d${index} `));
    fake.enqueue(longOpenAIStream(source));
    const stream = llm.stream('hi', { model: OPENAI });
    let seen = 0;
    for await (const event of stream) {
      if (event.type === 'text-delta') seen++;
      if (seen === 3) break;
    }
    const leftAt = Date.now();
    expect(await settlesWithin(source.stopped, 1000)).toBe(true);
    expect((source.stoppedAt ?? Infinity) - leftAt).toBeLessThan(500);
    // The abandoned stream's response does not hang: it settles (rejected: the stream was not finished).
    expect(await settlesWithin(stream.response, 1000)).toBe(true);
    await rejectionOf(stream.response);
    // The client is still usable, on both the same and another key.
    for (let i = 0; i < 3; i++) {
      fake.enqueue(openaiStreamReply(['again']));
      const events = await collect(llm.stream('hi', { model: OPENAI }));
      expect(textsOf(events)).toEqual(['again']);
    }
  });

  it('breaking out of textStream releases the connection too', async () => {
    const source = new CountingSource(10_000, (index) => geminiDelta(`d${index} `));
    fake.enqueue({ sse: source.items(), eventDelayMs: 5 });
    const stream = llm.stream('hi', { model: GEMINI });
    const texts: string[] = [];
    for await (const text of stream.textStream) {
      texts.push(text);
      if (texts.length === 2) break;
    }
    expect(texts).toEqual(['d0 ', 'd1 ']);
    expect(await settlesWithin(source.stopped, 1000)).toBe(true);
    fake.enqueue(geminiStreamReply(['fine']));
    expect((await llm.stream('hi', { model: GEMINI }).response).text).toBe('fine');
  });

  it('response awaited before breaking keeps draining to the end', async () => {
    fake.enqueue(openaiStreamReply(DELTAS, { eventDelayMs: 2 }));
    const stream = llm.stream('hi', { model: OPENAI });
    const pending: Promise<LLMResponse> = stream.response;
    for await (const event of stream) {
      if (event.type === 'text-delta') break;
    }
    expect((await pending).text).toBe(DELTAS.join(''));
  });
});

describe('errors before the stream starts', () => {
  it('no answer at all (stalled before the headers) → API_TIMEOUT at the deadline, not before', async () => {
    fake.enqueue({ stall: true });
    const started = Date.now();
    const events = await collect(llm.stream('hi', { model: GEMINI, timeoutMs: 500 }));
    const elapsed = Date.now() - started;
    expect(events.map((event) => event.type)).toEqual(['error']);
    expect(finalError(events).code).toBe('API_TIMEOUT');
    // Not before the deadline; the stalled server leaves nothing else to end it before the test times out.
    expect(elapsed).toBeGreaterThanOrEqual(480);
  });

  it('a connection reset before the answer is retried; the stream then flows', async () => {
    fake.enqueue({ reset: true }, openaiStreamReply(['after', ' reset']));
    const stream = llm.stream('hi', { model: OPENAI });
    const events = await collect(stream);
    expect(textsOf(events)).toEqual(['after', ' reset']);
    const response = await stream.response;
    expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
      'API_REQUEST_FAILED',
      200,
    ]);
  });

  it('a 503 before the stream starts is retried on the other key', async () => {
    fake.enqueue(
      { status: 503, json: { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } } },
      geminiStreamReply(['ok']),
    );
    const stream = llm.stream('hi', { model: GEMINI });
    expect(textsOf(await collect(stream))).toEqual(['ok']);
    const response = await stream.response;
    expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
      'API_SERVER_ERROR',
      200,
    ]);
    expect(response.attempts[0]?.keyId).not.toBe(response.attempts[1]?.keyId);
  });
});
