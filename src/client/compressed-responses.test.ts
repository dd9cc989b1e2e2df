import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../spec/index.js';
import {
  type FakeProvider,
  geminiErrorReply,
  geminiReply,
  geminiStreamReply,
  openaiChatReply,
  openaiErrorReply,
  openaiStreamReply,
  startFakeProvider,
} from '../testing/index.js';
import type { LLM } from './llm.js';
import { clientFor, collect, openaiDelta, rejectionOf, textsOf } from './test-support/e2e-kit.js';

// API.md §5 (Transport): compressed bodies (JSON, SSE, errors) are decoded before parsing, through the
// real client against the fake provider.

let fake: FakeProvider;
let llm: LLM;

const OPENAI = 'OpenAI/gpt-4o-mini';
const GEMINI = 'Gemini/gemini-2.5-flash';
const COMPRESSIONS = ['gzip', 'deflate', 'deflate-raw', 'br'] as const;

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
  ]);
});

afterEach(async () => {
  await llm.close();
  await fake.close();
  expect(fake.pendingReplies).toBe(0);
  expect(fake.errors).toEqual([]);
});

describe('compressed responses', () => {
  it('every request offers accept-encoding: gzip, deflate, br', async () => {
    await llm.chat('hi', { model: OPENAI });
    await collect(llm.stream('hi', { model: GEMINI }));
    expect(fake.requests.map((request) => request.headers['accept-encoding'])).toEqual([
      'gzip, deflate, br',
      'gzip, deflate, br',
    ]);
  });

  for (const compress of COMPRESSIONS) {
    it(`${compress}: a JSON answer is decoded, on the first attempt`, async () => {
      fake.enqueue(
        openaiChatReply('packed answer', { compress }),
        geminiReply('packed gemini', { compress }),
      );
      const openai = await llm.chat('hi', { model: OPENAI });
      expect(openai.text).toBe('packed answer');
      expect(openai.attempts).toHaveLength(1);
      const gemini = await llm.chat('hi', { model: GEMINI });
      expect(gemini.text).toBe('packed gemini');
      expect(gemini.attempts).toHaveLength(1);
    });

    it(`${compress}: a stream is decoded into its deltas`, async () => {
      fake.enqueue(
        openaiStreamReply(['one ', 'two ', 'three'], { compress }),
        geminiStreamReply(['un ', 'deux'], { compress }),
      );
      const openai = await collect(llm.stream('hi', { model: OPENAI }));
      expect(textsOf(openai)).toEqual(['one ', 'two ', 'three']);
      expect(openai.at(-1)?.type).toBe('finish');
      const gemini = await collect(llm.stream('hi', { model: GEMINI }));
      expect(textsOf(gemini)).toEqual(['un ', 'deux']);
      expect(gemini.at(-1)?.type).toBe('finish');
    });
  }

  it('a compressed stream is decoded incrementally: events arrive while the server is still sending', async () => {
    // The server sends two events, then stalls with the connection open: both must reach the reader.
    fake.enqueue({
      sse: [openaiDelta('early '), openaiDelta('bird'), openaiDelta('never')],
      stallAfter: 2,
      compress: 'gzip',
    });
    const stream = llm.stream('hi', { model: OPENAI, timeoutMs: 10_000 });
    const seen: StreamEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (textsOf(seen).length === 2) break;
    }
    expect(textsOf(seen)).toEqual(['early ', 'bird']);
  });

  it('a compressed 400 "API key not valid" is API_KEY_INVALID: the key is disabled, the message is readable', async () => {
    fake.enqueue(
      geminiErrorReply(
        400,
        'INVALID_ARGUMENT',
        'API key not valid. Please pass a valid API key.',
        undefined,
        {
          compress: 'gzip',
        },
      ),
      geminiErrorReply(
        400,
        'INVALID_ARGUMENT',
        'API key not valid. Please pass a valid API key.',
        undefined,
        {
          compress: 'br',
        },
      ),
    );
    const error = await rejectionOf(llm.chat('hi', { model: GEMINI }));
    expect(error.code).toBe('API_KEY_INVALID');
    expect(error.message).toContain('API key not valid');
    // Only readable text reaches the message (no compressed bytes, no replacement characters).
    expect(error.message).toMatch(/^[\x20-\x7e]*$/);
    const stats = await llm.keys.stats('Gemini');
    expect(stats.map((key) => key.status)).toEqual(['disabled', 'disabled']);
  });

  it('a compressed error body on a stream request is classified from its decoded text', async () => {
    fake.enqueue(
      openaiErrorReply(
        400,
        { message: "This model's maximum context length is 128000 tokens.", code: 'context_length_exceeded' },
        { compress: 'deflate' },
      ),
    );
    const error = await rejectionOf(llm.stream('hi', { model: OPENAI }).response);
    expect(error.code).toBe('CONTEXT_LENGTH_EXCEEDED');
    expect(error.message).toContain('maximum context length');
  });

  it('an unsupported content-encoding is API_RESPONSE_INVALID naming it, not retried', async () => {
    fake.enqueue({ json: { choices: [] }, headers: { 'content-encoding': 'zstd' } });
    const error = await rejectionOf(llm.chat('hi', { model: OPENAI }));
    expect(error.code).toBe('API_RESPONSE_INVALID');
    expect(error.message).toContain('"zstd"');
    expect(error.retryable).toBe(false);
    expect(error.attempts).toHaveLength(1);
  });

  it('a body that does not decode as its content-encoding says is API_RESPONSE_INVALID naming the coding', async () => {
    const plain = {
      text: 'not gzip at all',
      contentType: 'application/json',
      headers: { 'content-encoding': 'gzip' },
    };
    fake.enqueue(plain, plain, plain, plain);
    const error = await rejectionOf(llm.chat('hi', { model: OPENAI }));
    expect(error.code).toBe('API_RESPONSE_INVALID');
    expect(error.message).toMatch(/gzip body that could not be decoded/);
  });
});
