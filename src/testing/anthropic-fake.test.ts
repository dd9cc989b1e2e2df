import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseDecoder } from '../http/sse-decoder.js';
import { classifyAnthropicError } from '../providers/anthropic/anthropic-error.js';
import { parseAnthropicResponse } from '../providers/anthropic/anthropic-response.js';
import { AnthropicStreamParser } from '../providers/anthropic/anthropic-stream.js';
import type { ParsedChat, StreamDelta } from '../spec/index.js';
import {
  anthropicErrorEvent,
  anthropicErrorReply,
  anthropicMessageReply,
  anthropicStreamReply,
  anthropicToolUseReply,
  type FakeProvider,
  rateLimitReply,
  startFakeProvider,
} from './index.js';
import { fixtureUrl, postJson } from './test-support/http.js';

// The fake provider speaks the Anthropic Messages API: routes, automatic replies (JSON and SSE), builders,
// errors, faults, key checks and fixture replay, each read back by the real Anthropic dialect.

const read = (path: string) => readFileSync(fixtureUrl(path), 'utf8');
const KEY = { 'x-api-key': 'test-key-1', 'anthropic-version': '2023-06-01' };

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const messagesUrl = () => `${fake.anthropicBase}/v1/messages`;
const ask = (body: unknown = { model: 'claude-x', max_tokens: 10, messages: [] }) =>
  postJson(messagesUrl(), body, KEY);

/** Reads an SSE body with the dialect's parser: the deltas and the answer (or the error). */
function parseStream(text: string): { deltas: StreamDelta[]; result?: ParsedChat; error?: unknown } {
  const parser = new AnthropicStreamParser({});
  const deltas: StreamDelta[] = [];
  try {
    const decoder = new SseDecoder((data, event) => parser.push(data, event, (delta) => deltas.push(delta)));
    decoder.push(text);
    return { deltas, result: parser.finish(decoder.end()) };
  } catch (error) {
    return { deltas, error };
  }
}

/** The `event:` names of an SSE body, in order. */
const eventNames = (text: string) => [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);

describe('automatic replies', () => {
  const question = {
    model: 'claude-haiku-4-5',
    max_tokens: 100,
    system: [{ type: 'text', text: 'Be terse.' }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'What is 2 + 2?' }] }],
  };

  it('POST /v1/messages → a message echoing the last user text; the key and model are recorded', async () => {
    const res = await ask(question);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      stop_reason: 'end_turn',
    });
    const parsed = parseAnthropicResponse(body, {});
    expect(parsed.text).toBe('echo: What is 2 + 2?');
    expect(parsed.usage).toMatchObject({ promptTokens: 5, completionTokens: 6 });
    expect(fake.lastRequest).toMatchObject({
      apiKey: 'test-key-1',
      model: 'claude-haiku-4-5',
      path: '/v1/messages',
    });
  });

  it('stream: true → message_start … message_stop with event: lines, one text_delta per word', async () => {
    const res = await ask({ ...question, stream: true });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(eventNames(text)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      ...Array(6).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(text).not.toContain('[DONE]');
    const { deltas, result } = parseStream(text);
    expect(deltas).toEqual(
      ['echo: ', 'What ', 'is ', '2 ', '+ ', '2?'].map((text) => ({ type: 'text-delta', text })),
    );
    expect(result?.text).toBe('echo: What is 2 + 2?');
  });

  it('POST /v1/messages/count_tokens → { input_tokens }; an unknown Anthropic path → 404 in Anthropic shape', async () => {
    const count = await postJson(`${fake.url}/v1/messages/count_tokens?beta=true`, question, KEY);
    expect(await count.json()).toEqual({ input_tokens: 5 });
    const missing = await postJson(`${fake.url}/v1/messages/batches`, {}, KEY);
    expect(missing.status).toBe(404);
    expect(classifyAnthropicError({ status: 404, body: await missing.json() })?.code).toBe('MODEL_NOT_FOUND');
  });
});

describe('builders', () => {
  it('anthropicMessageReply with thinking and text; anthropicToolUseReply with stop_reason tool_use', async () => {
    fake.enqueue(
      anthropicMessageReply([
        { type: 'thinking', thinking: 'Two plus two.', signature: 'sig-1' },
        { type: 'text', text: '4' },
      ]),
      anthropicToolUseReply([
        { name: 'weather', arguments: { city: 'Paris' } },
        { name: 'clock', id: 'toolu_x' },
      ]),
    );
    const first = parseAnthropicResponse(await (await ask()).json(), {});
    expect(first.contentParts).toEqual([
      { type: 'thought', text: 'Two plus two.', thoughtSignature: 'sig-1' },
      { type: 'text', text: '4' },
    ]);
    const second = parseAnthropicResponse(await (await ask()).json(), {});
    expect(second.finishReason).toBe('tool_calls');
    expect(second.toolCalls.map((call) => [call.id, call.name, call.arguments])).toEqual([
      ['toolu_fake_1', 'weather', { city: 'Paris' }],
      ['toolu_x', 'clock', {}],
    ]);
  });

  it('anthropicStreamReply streams every block kind as the API does', async () => {
    fake.enqueue(
      anthropicStreamReply(
        [
          { type: 'thinking', thinking: 'Let me see.', signature: 'sig-2' },
          { type: 'redacted_thinking', data: 'opaque' },
          'The answer',
          ' is 4.',
          { type: 'text', text: 'Cited.', citations: [{ type: 'char_location', cited_text: 'x' }] },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris', days: 2 } },
        ],
        { usage: { inputTokens: 7, cacheReadTokens: 3 } },
      ),
    );
    const { deltas, result } = parseStream(await (await ask()).text());
    expect(deltas).toEqual([
      { type: 'reasoning-delta', text: 'Let me see.' },
      { type: 'text-delta', text: 'The answer' },
      { type: 'text-delta', text: ' is 4.' },
      { type: 'text-delta', text: 'Cited.' },
      {
        type: 'tool-call',
        toolCall: {
          id: 'toolu_1',
          name: 'weather',
          arguments: { city: 'Paris', days: 2 },
          rawArguments: '{"city":"Paris","days":2}',
        },
      },
    ]);
    expect(result?.contentParts).toEqual([
      { type: 'thought', text: 'Let me see.', thoughtSignature: 'sig-2' },
      { type: 'thought', text: '', redactedData: 'opaque' },
      { type: 'text', text: 'The answer is 4.' },
      { type: 'text', text: 'Cited.', citations: [{ type: 'char_location', cited_text: 'x' }] },
    ]);
    expect(result?.finishReason).toBe('tool_calls');
    expect(result?.usage).toMatchObject({ promptTokens: 10, cachedTokens: 3 });
  });

  it('error option and anthropicErrorEvent: an event: error instead of message_delta / message_stop', async () => {
    fake.enqueue(
      anthropicStreamReply(['Hel', 'lo'], { error: { type: 'overloaded_error', message: 'Overloaded' } }),
      { sse: [anthropicErrorEvent('api_error', 'Internal server error')] },
    );
    const cut = await (await ask()).text();
    expect(eventNames(cut).slice(-2)).toEqual(['content_block_stop', 'error']);
    const first = parseStream(cut);
    expect(first.deltas).toHaveLength(2);
    expect(first.error).toMatchObject({ code: 'API_SERVER_ERROR' });
    expect(parseStream(await (await ask()).text()).error).toMatchObject({ code: 'API_SERVER_ERROR' });
  });

  it('anthropicErrorReply and rateLimitReply({ dialect: "anthropic" }) answer in the Anthropic error shape', async () => {
    fake.enqueue(
      anthropicErrorReply(529, 'overloaded_error', 'Overloaded'),
      rateLimitReply({ dialect: 'anthropic', retryAfterSeconds: 2 }),
    );
    const overloaded = await ask();
    expect(overloaded.status).toBe(529);
    expect(classifyAnthropicError({ status: 529, body: await overloaded.json() })?.code).toBe(
      'API_SERVER_ERROR',
    );
    const limited = await ask();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    const headers = Object.fromEntries(limited.headers);
    expect(classifyAnthropicError({ status: 429, headers, body: await limited.json() }, 0)).toMatchObject({
      code: 'API_RATE_LIMITED',
      retryAfterMs: 2000,
    });
  });

  it('stream faults apply: cutAfter gives a stream without message_stop', async () => {
    fake.enqueue(anthropicStreamReply(['a ', 'b ', 'c'], { cutAfter: 4 }));
    const text = await (await ask()).text().catch(() => '');
    expect(parseStream(text).error).toMatchObject({ code: 'API_RESPONSE_INVALID' });
  });
});

describe('keys', () => {
  it('rejects a bad x-api-key with the recorded 401 authentication_error body; none at all too', async () => {
    await using strict = await startFakeProvider({ keys: { valid: ['test-key-1'] } });
    const url = `${strict.anthropicBase}/v1/messages`;
    const bad = await postJson(url, {}, { 'x-api-key': 'test-key-bad' });
    expect(bad.status).toBe(401);
    const recorded = JSON.parse(
      JSON.parse(read('anthropic/error-401-authentication.exchange.json')).interactions[0].response.body,
    );
    const body = (await bad.json()) as { error: unknown };
    expect(Object.keys(body)).toEqual(Object.keys(recorded));
    expect(body.error).toEqual(recorded.error);
    const none = await postJson(url, {});
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe(
      'x-api-key header is required',
    );
    expect((await postJson(url, {}, { 'x-api-key': 'test-key-1' })).status).toBe(200);
  });
});

describe('fixture replay', () => {
  it('anthropic/*.chunks.txt → event: <type> + the line verbatim, no [DONE]', async () => {
    fake.enqueue({ fixture: 'anthropic/messages-stream-refusal.chunks.txt' });
    const res = await ask();
    const lines = read('anthropic/messages-stream-refusal.chunks.txt').split('\n').filter(Boolean);
    const expected = lines.map((line) => `event: ${JSON.parse(line).type}\ndata: ${line}\n\n`).join('');
    expect(await res.text()).toBe(expected);
    fake.enqueue({ fixture: 'anthropic/messages-stream-refusal.chunks.txt', dialect: 'openai' });
    expect(await (await ask()).text()).toMatch(/data: \[DONE\]\n\n$/);
  });

  it('exchanges replay their recorded SSE bytes and headers; multi-interaction files in order', async () => {
    const file = 'anthropic/messages-stream-tool-use.exchange.json';
    const interactions = JSON.parse(read(file)).interactions;
    fake.enqueue({ fixture: file }, { fixture: file });
    for (const interaction of interactions.slice(0, 2)) {
      const res = await ask();
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(await res.text()).toBe(interaction.response.body);
    }
  });

  it('issue-transcribed errors get the status their error type implies (429, 529); SSE issues are served as 200', async () => {
    fake.enqueue(
      { fixture: 'anthropic/error-429-rate-limit.issue.json' },
      { fixture: 'anthropic/error-529-overloaded.issue.json' },
      { fixture: 'anthropic/stream-error-overloaded.issue.sse.txt' },
    );
    expect((await ask()).status).toBe(429);
    const overloaded = await ask();
    expect(overloaded.status).toBe(529);
    expect(await overloaded.text()).toBe(read('anthropic/error-529-overloaded.issue.json'));
    const stream = await ask();
    expect(stream.status).toBe(200);
    expect(await stream.text()).toBe(read('anthropic/stream-error-overloaded.issue.sse.txt'));
  });
});
