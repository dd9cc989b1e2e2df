import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  geminiErrorReply,
  openaiChatReply,
  openaiErrorReply,
  rateLimitReply,
  startFakeProvider,
} from './index.js';
import { postJson } from './test-support/http.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const chatUrl = () => `${fake.openaiBase}/chat/completions`;
const geminiUrl = () => `${fake.url}/v1beta/models/g:generateContent`;

describe('faults and plain replies', () => {
  it('sends any status with headers and a JSON or text body', async () => {
    fake.enqueue(
      {
        status: 503,
        headers: { 'x-custom': 'a', 'x-multi': ['1', '2'], 'x-num': 7 },
        json: { error: 'down' },
      },
      { status: 502, text: '<html>bad gateway</html>', contentType: 'text/html' },
      { text: new Uint8Array([0, 255, 1]), contentType: 'application/octet-stream' },
    );
    const json = await postJson(chatUrl(), {});
    expect(json.status).toBe(503);
    expect(json.headers.get('x-custom')).toBe('a');
    expect(json.headers.get('x-multi')).toBe('1, 2');
    expect(json.headers.get('x-num')).toBe('7');
    expect(await json.json()).toEqual({ error: 'down' });
    const text = await postJson(chatUrl(), {});
    expect(text.status).toBe(502);
    expect(text.headers.get('content-type')).toBe('text/html');
    expect(await text.text()).toBe('<html>bad gateway</html>');
    const bytes = await postJson(chatUrl(), {});
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([0, 255, 1]);
  });

  it('builds OpenAI rate limits with retry-after / retry-after-ms headers', async () => {
    fake.enqueue(
      rateLimitReply({ retryAfterSeconds: 0 }),
      rateLimitReply({ retryAfterMs: 1500, dialect: 'openai' }),
    );
    const seconds = await postJson(chatUrl(), {});
    expect(seconds.status).toBe(429);
    expect(seconds.headers.get('retry-after')).toBe('0');
    expect(((await seconds.json()) as any).error).toMatchObject({
      code: 'rate_limit_exceeded',
      type: 'requests',
    });
    const ms = await postJson(chatUrl(), {});
    expect(ms.headers.get('retry-after-ms')).toBe('1500');
    expect(ms.headers.get('retry-after')).toBeNull();
    expect(((await ms.json()) as any).error.message).toContain('Please try again in 1.5s.');
  });

  it('builds Gemini rate limits with RetryInfo and a per-minute QuotaFailure', async () => {
    fake.enqueue(rateLimitReply({ retryAfterSeconds: 3, dialect: 'gemini' }));
    const res = await postJson(geminiUrl(), {});
    expect(res.status).toBe(429);
    const error = ((await res.json()) as any).error;
    expect(error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '3s',
    });
    expect(error.details[0].violations[0].quotaId).toContain('PerMinute');
  });

  it('builds OpenAI and Gemini error bodies', async () => {
    fake.enqueue(
      openaiErrorReply(400, { code: 'context_length_exceeded', message: 'too long', param: 'messages' }),
      geminiErrorReply(503, 'UNAVAILABLE', 'The model is overloaded.'),
    );
    const openai = await postJson(chatUrl(), {});
    expect(openai.status).toBe(400);
    expect(await openai.json()).toEqual({
      error: {
        message: 'too long',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    });
    const gemini = await postJson(geminiUrl(), {});
    expect(gemini.status).toBe(503);
    expect(await gemini.json()).toEqual({
      error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' },
    });
  });

  it('delays any reply before the headers', async () => {
    fake.enqueue({ ...openaiChatReply('late'), delayMs: 120 });
    const started = Date.now();
    const res = await postJson(chatUrl(), {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(((await res.json()) as any).choices[0].message.content).toBe('late');
  });

  it('stalls without answering until the client aborts', async () => {
    fake.enqueue({ stall: true });
    const controller = new AbortController();
    const pending = fetch(chatUrl(), { method: 'POST', body: '{}', signal: controller.signal });
    const outcome = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((r) => setTimeout(r, 150, 'stalled')),
    ]);
    expect(outcome).toBe('stalled');
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    // The fake keeps serving after the abandoned request.
    expect((await postJson(chatUrl(), { messages: [{ role: 'user', content: 'next' }] })).status).toBe(200);
  });

  it('resets the connection', async () => {
    fake.enqueue({ reset: true });
    const error = await postJson(chatUrl(), {}).catch(
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
  });
});
