import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  geminiStreamReply,
  openaiStreamReply,
  rawSse,
  type SseItem,
  sseEvent,
  startFakeProvider,
} from './index.js';
import { postJson, sseData, sseJson } from './test-support/http.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const chatUrl = () => `${fake.openaiBase}/chat/completions`;
const streamBody = { model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] };

/** Reads a body chunk by chunk until it ends or fails; returns what arrived and the failure. */
async function readUntilEnd(res: Response): Promise<{ text: string; error?: unknown }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

describe('sse replies', () => {
  it('frames strings and objects, prepends comments, appends [DONE] on OpenAI chat and trailing text', async () => {
    fake.enqueue({
      sse: ['{"a":1}', { b: 2 }, sseEvent('named', { c: 3 }), rawSse('data: raw\n\n')],
      comments: ['OPENROUTER PROCESSING', ': already'],
      trailing: '{"error":{"message":"late"}}\n',
    });
    const text = await (await postJson(chatUrl(), streamBody)).text();
    expect(text).toBe(
      ': OPENROUTER PROCESSING\n\n: already\n\ndata: {"a":1}\n\ndata: {"b":2}\n\nevent: named\ndata: {"c":3}\n\n' +
        'data: raw\n\ndata: [DONE]\n\n{"error":{"message":"late"}}\n',
    );
  });

  it('uses CRLF and no [DONE] by default on Gemini paths; framing and done can be forced', async () => {
    fake.enqueue({ sse: [{ a: 1 }] }, { sse: ['x', 'multi\nline'], framing: 'crlf', done: true });
    const gemini = await postJson(`${fake.url}/v1beta/models/g:streamGenerateContent?alt=sse`, {});
    expect(await gemini.text()).toBe('data: {"a":1}\r\n\r\n');
    const forced = await postJson(`${fake.openaiBase}/embeddings`, {});
    expect(await forced.text()).toBe('data: x\r\n\r\ndata: multi\r\ndata: line\r\n\r\ndata: [DONE]\r\n\r\n');
  });

  it('replaces event N (0-based) with invalid JSON', async () => {
    fake.enqueue(openaiStreamReply(['a', 'b', 'c'], { malformedAt: 1 }));
    const data = sseData(await (await postJson(chatUrl(), streamBody)).text());
    expect(() => JSON.parse(data[0]!)).not.toThrow();
    expect(() => JSON.parse(data[1]!)).toThrow();
    expect(data[1]).toBe('{"malformed":');
    expect(JSON.parse(data[2]!).choices[0].delta.content).toBe('c');
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('cutAfter sends N events then destroys the socket without an end marker', async () => {
    fake.enqueue(openaiStreamReply(['a', 'b', 'c', 'd'], { cutAfter: 2 }));
    const res = await postJson(chatUrl(), streamBody);
    expect(res.status).toBe(200);
    const { text, error } = await readUntilEnd(res);
    expect(error).toBeInstanceOf(Error);
    expect(sseJson(text).map((c: any) => c.choices[0].delta.content)).toEqual(['a', 'b']);
    expect(text).not.toContain('[DONE]');
  });

  it('stallAfter sends N events then hangs until the client aborts', async () => {
    fake.enqueue(geminiStreamReply(['a', 'b', 'c'], { stallAfter: 1 }));
    const controller = new AbortController();
    const response = await fetch(`${fake.url}/v1beta/models/g:streamGenerateContent?alt=sse`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(sseJson(first)).toHaveLength(1);
    const next = reader.read();
    const outcome = await Promise.race([
      next.then(() => 'data'),
      new Promise((r) => setTimeout(r, 150, 'stalled')),
    ]);
    expect(outcome).toBe('stalled');
    controller.abort();
    await expect(next).rejects.toThrow();
  });

  it('eventDelayMs spaces the events out', async () => {
    fake.enqueue({ sse: ['1', '2', '3'], eventDelayMs: 40 });
    const started = Date.now();
    const text = await (await postJson(chatUrl(), streamBody)).text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(sseData(text)).toEqual(['1', '2', '3', '[DONE]']);
  });

  it('streams 100,000 events (20 MB) from a generator incrementally', async () => {
    const padding = 'x'.repeat(190);
    function* events(): Generator<SseItem> {
      for (let i = 0; i < 100_000; i++) yield `${i} ${padding}`;
    }
    fake.enqueue({ sse: events(), done: true });
    const reader = (await postJson(chatUrl(), streamBody)).body!.getReader();
    let bytes = 0;
    let chunks = 0;
    let tail = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      chunks++;
      tail = (tail + decoder.decode(value, { stream: true })).slice(-400);
    }
    expect(bytes).toBeGreaterThan(20_000_000);
    expect(chunks).toBeGreaterThan(10);
    expect(tail.endsWith(`data: 99999 ${padding}\n\ndata: [DONE]\n\n`)).toBe(true);
  }, 30_000);

  it('accepts an async iterable and stops it when the client goes away', async () => {
    let produced = 0;
    let finished = false;
    async function* endless(): AsyncGenerator<SseItem> {
      try {
        for (;;) {
          produced++;
          yield { n: produced };
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        finished = true;
      }
    }
    fake.enqueue({ sse: endless(), eventDelayMs: 1 });
    const controller = new AbortController();
    const response = await fetch(chatUrl(), { method: 'POST', body: '{}', signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect.poll(() => finished, { timeout: 15_000 }).toBe(true);
    const count = produced;
    await new Promise((r) => setTimeout(r, 50));
    expect(produced).toBe(count);
  });
});
