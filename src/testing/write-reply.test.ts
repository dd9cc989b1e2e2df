import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, createGunzip, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
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

/** A raw POST: status, headers and the undecoded body bytes (fetch would decode them). */
function rawPost(url: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('compressed replies (compress)', () => {
  const decoders = {
    gzip: gunzipSync,
    deflate: inflateSync,
    'deflate-raw': inflateRawSync,
    br: brotliDecompressSync,
  } as const;

  for (const compress of ['gzip', 'deflate', 'deflate-raw', 'br'] as const) {
    it(`${compress}: JSON and error bodies are sent compressed with content-encoding and a matching length`, async () => {
      fake.enqueue(
        openaiChatReply('squeezed', { compress }),
        openaiErrorReply(400, { message: 'API key not valid' }, { compress }),
      );
      for (const status of [200, 400]) {
        const res = await rawPost(chatUrl());
        expect(res.status).toBe(status);
        expect(res.headers['content-encoding']).toBe(compress === 'deflate-raw' ? 'deflate' : compress);
        expect(Number(res.headers['content-length'])).toBe(res.body.byteLength);
        const decoded = JSON.parse(decoders[compress](res.body).toString('utf8'));
        if (status === 200) expect(decoded.choices[0].message.content).toBe('squeezed');
        else expect(decoded.error.message).toBe('API key not valid');
      }
    });
  }

  it('a compressed stream is flushed per write: the first event decodes while the stream is still open', async () => {
    fake.enqueue({ sse: [{ n: 1 }, { n: 2 }], stallAfter: 1, compress: 'gzip' });
    const first = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(chatUrl(), { method: 'POST' }, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip');
        const gunzip = createGunzip();
        res.pipe(gunzip);
        let text = '';
        gunzip.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes('\n\n')) {
            resolve(text);
            req.destroy();
          }
        });
        gunzip.on('error', reject);
      });
      req.on('error', () => {});
      req.end('{}');
    });
    expect(first).toBe('data: {"n":1}\n\n');
  });
});
