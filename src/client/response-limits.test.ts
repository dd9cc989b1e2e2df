import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { LLMConfig } from '../spec/index.js';
import { type FakeProvider, openaiChatReply, rawSse, startFakeProvider } from '../testing/index.js';
import type { LLM } from './llm.js';
import {
  CountingSource,
  clientFor,
  collect,
  finalError,
  openaiDelta,
  rejectionOf,
} from './test-support/e2e-kit.js';

// API.md §5 (Transport): a non-stream body over `maxResponseBytes`, or one SSE event over 8 MiB, fails with
// API_RESPONSE_INVALID (`details.limit`), is not retried, and is never buffered past the limit.

let fake: FakeProvider | undefined;
let llm: LLM | undefined;

afterEach(async () => {
  await llm?.close();
  await fake?.close();
  expect(fake?.pendingReplies ?? 0).toBe(0);
  expect(fake?.errors ?? []).toEqual([]);
});

const OPENAI = 'OpenAI/gpt-4o-mini';

async function setup(extra: Partial<LLMConfig> = {}): Promise<{ fake: FakeProvider; llm: LLM }> {
  fake = await startFakeProvider();
  llm = clientFor(
    [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-1', 'test-key-2'],
        models: ['gpt-4o-mini'],
      },
    ],
    extra,
  );
  return { fake, llm };
}

/** A chat completion whose text is `size` characters. */
function bigAnswer(size: number) {
  return openaiChatReply('x'.repeat(size));
}

describe('maxResponseBytes (non-stream bodies)', () => {
  it('a body within the limit is read', async () => {
    const { fake, llm } = await setup({ maxResponseBytes: 4096 });
    fake.enqueue(bigAnswer(1000));
    expect((await llm.chat('hi', { model: OPENAI })).text).toHaveLength(1000);
  });

  it('a body over the limit fails once: API_RESPONSE_INVALID with details.limit, not retried', async () => {
    const { fake, llm } = await setup({ maxResponseBytes: 4096 });
    fake.enqueue(bigAnswer(10_000));
    const error = await rejectionOf(llm.chat('hi', { model: OPENAI }));
    expect(error).toMatchObject({ code: 'API_RESPONSE_INVALID', retryable: false });
    expect(error.details?.limit).toBe(4096);
    expect(error.message).toContain('4096');
    expect(error.attempts).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
    // The key did nothing wrong: it stays usable.
    expect((await llm.keys.stats('OpenAI')).map((key) => key.status)).not.toContain('disabled');
  });

  it('a body without a content-length stops being read at the limit (the server is cut off)', async () => {
    const { fake, llm } = await setup({ maxResponseBytes: 64 * 1024 });
    // 16 MiB of JSON produced lazily and sent chunked, as an event stream would be.
    const source = new CountingSource(1024, (index) =>
      rawSse(index === 0 ? '{"pad":"' : 'x'.repeat(16 * 1024)),
    );
    fake.enqueue({ sse: source.items(), headers: { 'content-type': 'application/json' }, done: false });
    const error = await rejectionOf(llm.chat('hi', { model: OPENAI }));
    expect(error).toMatchObject({ code: 'API_RESPONSE_INVALID', details: { limit: 65_536 } });
    expect(error.attempts).toHaveLength(1);
    await source.stopped;
    expect(source.produced).toBeLessThan(1024);
  });

  it('the limit applies to the decoded size: a small gzip body that expands past it fails', async () => {
    const { fake, llm } = await setup({ maxResponseBytes: 64 * 1024 });
    const expanded = JSON.stringify({ choices: [{ message: { content: ' '.repeat(8 * 1024 * 1024) } }] });
    const packed = gzipSync(expanded);
    expect(packed.byteLength).toBeLessThan(64 * 1024);
    fake.enqueue({
      text: packed,
      contentType: 'application/json',
      headers: { 'content-encoding': 'gzip' },
    });
    const error = await rejectionOf(llm.chat('hi', { model: OPENAI }));
    expect(error).toMatchObject({ code: 'API_RESPONSE_INVALID', details: { limit: 65_536 } });
    expect(error.attempts).toHaveLength(1);
  });

  it('the default limit is 64 MiB: a 2 MiB answer passes', async () => {
    const { fake, llm } = await setup();
    fake.enqueue(bigAnswer(2 * 1024 * 1024));
    expect((await llm.chat('hi', { model: OPENAI })).text).toHaveLength(2 * 1024 * 1024);
  });
});

describe('the 8 MiB per-event limit of streams', () => {
  it('an event over 8 MiB ends the stream with API_RESPONSE_INVALID (details.limit) and stops the read', async () => {
    const { fake, llm } = await setup();
    // One `data:` line of 64 MiB produced lazily after a normal delta: never terminated in time.
    const chunk = 'x'.repeat(64 * 1024);
    const source = new CountingSource(1026, (index) =>
      index === 0 ? openaiDelta('fine ') : rawSse(index === 1 ? 'data: ' : chunk),
    );
    fake.enqueue({ sse: source.items() });
    const events = await collect(llm.stream('hi', { model: OPENAI }));
    expect(events[0]).toEqual({ type: 'text-delta', text: 'fine ' });
    const error = finalError(events);
    expect(error).toMatchObject({
      code: 'API_RESPONSE_INVALID',
      retryable: false,
      details: { limit: 8_388_608 },
    });
    await source.stopped;
    expect(source.produced).toBeLessThan(1026);
  });
});
