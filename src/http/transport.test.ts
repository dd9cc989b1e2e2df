import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { PipelineRequest } from '../spec/index.js';
import { freePort, type Loopback, startConnectProxy, startLoopback } from './test-support/loopback.js';
import { createTransport, type Transport } from './transport.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function server(handler: Parameters<typeof startLoopback>[0]): Promise<Loopback> {
  const loopback = await startLoopback(handler);
  cleanups.push(() => loopback.close());
  return loopback;
}

function transport(
  options: { timeoutMs?: number; proxy?: string; maxErrorBodyBytes?: number; maxResponseBytes?: number } = {},
): Transport {
  // A resolved provider carries its `timeoutMs` too; the transport must not turn it into a shorter limit.
  const provider = { name: 'OpenAI', timeoutMs: options.timeoutMs ?? 5000, proxy: options.proxy };
  const t = createTransport({
    config: { providers: [provider], maxResponseBytes: options.maxResponseBytes },
    ...(options.maxErrorBodyBytes != null ? { maxErrorBodyBytes: options.maxErrorBodyBytes } : {}),
  });
  cleanups.push(() => t.close());
  return t;
}

function req(url: string, overrides: Partial<PipelineRequest> = {}): PipelineRequest {
  return {
    operation: 'chat',
    provider: 'OpenAI',
    model: 'OpenAI/test-model',
    modelId: 'test-model',
    apiType: 'openai',
    method: 'POST',
    url,
    headers: { authorization: 'Bearer test-key-1' },
    body: { model: 'test-model', messages: [{ role: 'user', content: 'hi' }] },
    stream: false,
    auth: { scheme: 'bearer' },
    deadline: Date.now() + 10_000,
    attempt: 1,
    keyId: 'key#abcdef',
    context: {},
    ...overrides,
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ((_: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }) as Parameters<typeof startLoopback>[0];

describe('undici transport', () => {
  it('sends the JSON body once with the auth header and parses a 2xx body', async () => {
    const s = await server(json(200, { id: 'x', choices: [] }, { 'x-request-id': 'r1' }));
    const seen: unknown[] = [];
    const response = await transport().send(
      req(`${s.url}/v1/chat/completions`, { checkBody: (d) => seen.push(d) }),
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ id: 'x', choices: [] });
    expect(response.headers['x-request-id']).toBe('r1');
    expect(seen).toEqual([{ id: 'x', choices: [] }]);
    const received = s.requests[0]!;
    expect(received.method).toBe('POST');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers.authorization).toBe('Bearer test-key-1');
    expect(JSON.parse(received.body)).toEqual({
      model: 'test-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('checkBody may reject a 2xx body: LLMErrors pass through with context, other throws become API_RESPONSE_INVALID', async () => {
    const s = await server(json(200, { error: { message: 'hidden failure' } }));
    const t = transport();
    const own = new LLMError('CONTENT_FILTERED', 'blocked');
    await expect(
      t.send(
        req(s.url, {
          checkBody: () => {
            throw own;
          },
        }),
      ),
    ).rejects.toBe(own);
    expect(own).toMatchObject({
      status: 200,
      provider: 'OpenAI',
      model: 'OpenAI/test-model',
      keyId: 'key#abcdef',
    });
    await expect(
      t.send(
        req(s.url, {
          checkBody: () => {
            throw new Error('no candidates');
          },
        }),
      ),
    ).rejects.toMatchObject({ code: 'API_RESPONSE_INVALID', message: 'no candidates' });
  });

  it('a 2xx body that is not JSON is API_RESPONSE_INVALID', async () => {
    const s = await server(json(200, '<html>gateway</html>'));
    await expect(transport().send(req(s.url))).rejects.toMatchObject({
      code: 'API_RESPONSE_INVALID',
      status: 200,
    });
  });

  it('classifies non-2xx answers from status, headers and body', async () => {
    const s = await server(
      json(
        429,
        { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } },
        { 'retry-after': '7' },
      ),
    );
    const error = (await transport()
      .send(req(s.url))
      .catch((e: unknown) => e)) as LLMError;
    expect(error).toBeInstanceOf(LLMError);
    expect(error).toMatchObject({
      code: 'API_RATE_LIMITED',
      status: 429,
      retryAfterMs: 7000,
      provider: 'OpenAI',
      keyId: 'key#abcdef',
    });
  });

  it('reads the Gemini RetryInfo delay from the recorded 429 fixture', async () => {
    const fixture = JSON.parse(
      readFileSync(
        new URL(
          '../../fixtures/providers/gemini/error-429-resource-exhausted.exchange.json',
          import.meta.url,
        ),
        'utf8',
      ),
    );
    const recorded = fixture.interactions[0].response;
    const s = await server((_r, res) => {
      res.writeHead(recorded.status, { 'content-type': recorded.headers['content-type'] });
      res.end(recorded.body);
    });
    const error = (await transport()
      .send(req(s.url, { auth: { scheme: 'header', name: 'x-goog-api-key' } }))
      .catch((e: unknown) => e)) as LLMError;
    expect(error.code).toBe('API_RATE_LIMITED');
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(48_000);
    expect(error.retryAfterMs).toBeLessThan(49_000);
  });

  it('reads at most maxErrorBodyBytes of an error body', async () => {
    // The body never ends: only a reader that stops at the limit can answer (no timing needed).
    const s = await server((_r, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.write('x'.repeat(64 * 1024));
    });
    const error = (await transport({ maxErrorBodyBytes: 1024 })
      .send(req(s.url))
      .catch((e: unknown) => e)) as LLMError;
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(error.message).toContain('x'.repeat(100)); // the part that was read is in the message
    expect(error.message.length).toBeLessThan(2000);
  });

  it('returns a 2xx stream body unbuffered: the first chunk arrives before the server ends', async () => {
    let finish: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const s = await server(async (_r, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      await ended;
      res.end('data: [DONE]\n\n');
    });
    const response = await transport().send(req(s.url, { stream: true }));
    expect(response.data).toBeUndefined();
    const iterator = response.body![Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('data: {"n":1}\n\n');
    finish();
    let rest = '';
    for (let r = await iterator.next(); r.done !== true; r = await iterator.next())
      rest += Buffer.from(r.value).toString();
    expect(rest).toBe('data: [DONE]\n\n');
  });

  it('sends FormData as multipart', async () => {
    const s = await server(json(200, { data: [] }));
    const form = new FormData();
    form.set('prompt', 'a cat');
    form.set('image', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'cat.png');
    await transport().send(req(s.url, { body: form }));
    expect(s.requests[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(s.requests[0]!.body).toContain('a cat');
    expect(s.requests[0]!.body).toContain('filename="cat.png"');
  });

  it('connection refused → API_REQUEST_FAILED naming the cause', async () => {
    const port = await freePort();
    const error = (await transport()
      .send(req(`http://127.0.0.1:${port}/v1`))
      .catch((e: unknown) => e)) as LLMError;
    expect(error).toMatchObject({ code: 'API_REQUEST_FAILED', networkCause: 'refused', provider: 'OpenAI' });
    expect(error.friendlyMessage).toMatch(/refused/);
  });

  it("the request's deadline bounds a silent server (headers timeout → API_TIMEOUT)", async () => {
    const s = await server(() => {});
    const started = performance.now();
    const error = (await transport()
      .send(req(s.url, { deadline: Date.now() + 300 }))
      .catch((e: unknown) => e)) as LLMError;
    expect(error.code).toBe('API_TIMEOUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("a provider's timeoutMs does not cut a request whose deadline is later", async () => {
    const s = await server((_r, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }, 700);
    });
    const response = await transport({ timeoutMs: 200 }).send(req(s.url, { deadline: Date.now() + 5000 }));
    expect(response.data).toEqual({ ok: true });
  });

  it('an aborted signal ends the request with its LLMError reason, else ABORTED', async () => {
    const s = await server(() => {});
    const t = transport();
    const controller = new AbortController();
    const reason = new LLMError('API_TIMEOUT', 'deadline');
    setTimeout(() => controller.abort(reason), 20);
    await expect(t.send(req(s.url, { signal: controller.signal }))).rejects.toBe(reason);
    await expect(t.send(req(s.url, { signal: AbortSignal.abort() }))).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });

  it('goes through the provider proxy (CONNECT) when one is set', async () => {
    const s = await server(json(200, { ok: true }));
    const proxy = await startConnectProxy();
    cleanups.push(() => proxy.close());
    const response = await transport({ proxy: proxy.url }).send(req(`${s.url}/v1/chat/completions`));
    expect(response.data).toEqual({ ok: true });
    expect(proxy.connects).toEqual([`127.0.0.1:${s.port}`]);
  });

  it('an unreachable proxy → API_REQUEST_FAILED with networkCause proxy', async () => {
    const s = await server(json(200, { ok: true }));
    const port = await freePort();
    const error = (await transport({ proxy: `http://127.0.0.1:${port}` })
      .send(req(s.url))
      .catch((e: unknown) => e)) as LLMError;
    expect(error).toMatchObject({ code: 'API_REQUEST_FAILED', networkCause: 'proxy' });
  });

  it('close() is idempotent and later sends fail', async () => {
    const s = await server(json(200, { ok: true }));
    const t = transport();
    await t.send(req(s.url));
    await Promise.all([t.close(), t.close()]);
    await expect(t.send(req(s.url))).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR' });
  });
});

describe('undici transport: bodies', () => {
  it("sends undici's own FormData as multipart too", async () => {
    const { FormData: UndiciFormData } = await import('undici');
    const s = await server(json(200, { data: [] }));
    const form = new UndiciFormData();
    form.set('prompt', 'a dog');
    await transport().send(
      req(s.url, {
        body: form,
        headers: { authorization: 'Bearer test-key-1', 'content-type': 'application/json' },
      }),
    );
    expect(s.requests[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(s.requests[0]!.body).toContain('a dog');
  });
});

describe('undici transport: network failures', () => {
  it('a connection reset before the answer → API_REQUEST_FAILED (reset)', async () => {
    const s = await server((_r, res) => {
      res.socket?.destroy();
    });
    const error = (await transport()
      .send(req(s.url))
      .catch((e: unknown) => e)) as LLMError;
    expect(error).toMatchObject({ code: 'API_REQUEST_FAILED', networkCause: 'reset' });
  });

  it('a TLS handshake failure → API_REQUEST_FAILED (tls)', async () => {
    const s = await server(json(200, { ok: true }));
    const error = (await transport()
      .send(req(s.url.replace('http:', 'https:')))
      .catch((e: unknown) => e)) as LLMError;
    expect(error).toMatchObject({ code: 'API_REQUEST_FAILED', networkCause: 'tls' });
  });
});

describe('undici transport: maxResponseBytes', () => {
  it('a declared content-length over the limit fails before the body is read (details.contentLength)', async () => {
    let written = 0;
    const s = await server((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1_000_000) });
      // Half the body, then nothing: a client that read it would wait for the rest.
      const half = Buffer.alloc(500_000, 0x20);
      res.write(half, () => {
        written = half.byteLength;
      });
    });
    const error = (await transport({ maxResponseBytes: 1000 })
      .send(req(s.url))
      .catch((e: unknown) => e)) as LLMError;
    expect(error).toMatchObject({
      code: 'API_RESPONSE_INVALID',
      status: 200,
      retryable: false,
      details: { limit: 1000, contentLength: 1_000_000 },
    });
    expect(written).toBeLessThanOrEqual(500_000);
  });

  it('a stream body is not bounded by maxResponseBytes (only per event, by the SSE decoder)', async () => {
    const s = await server((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${'x'.repeat(5000)}\n\n`);
    });
    const response = await transport({ maxResponseBytes: 1000 }).send(req(s.url, { stream: true }));
    let size = 0;
    for await (const chunk of response.body!) size += chunk.byteLength;
    expect(size).toBe(5008);
  });
});
