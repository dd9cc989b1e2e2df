import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LLMConfig } from '../spec/index.js';
import { type FakeProvider, openaiStreamReply, startFakeProvider } from '../testing/index.js';
import { rawRequest, startTestGateway, type TestGateway } from './test-support/in-process.js';

const TOKEN = 'gw-inproc-token-3c9d1e7f';
const EXPIRED = 'gw-inproc-expired-8b2a6c4d';
const LIMITED = 'gw-inproc-limited-5e7f9a1b';
const auth = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

let fake: FakeProvider;
let gw: TestGateway;

function config(overrides: Partial<LLMConfig['gateway']> = {}): LLMConfig {
  return {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-gw-inproc-0001'],
        models: ['gpt-4o-mini'],
      },
    ],
    retry: { maxRetries: 0 },
    gateway: {
      bodyLimitBytes: 4096,
      headersTimeoutMs: 400,
      bodyTimeoutMs: 400,
      tokens: [
        { name: 'main', token: TOKEN },
        { name: 'old', token: EXPIRED, expiresAt: '2020-01-01T00:00:00Z' },
        { name: 'limited', token: LIMITED, maxConcurrent: 1 },
      ],
      ...overrides,
    },
  };
}

beforeAll(async () => {
  fake = await startFakeProvider();
  gw = await startTestGateway(config());
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const chatBody = (extra: object = {}) =>
  JSON.stringify({
    model: 'OpenAI/gpt-4o-mini',
    messages: [{ role: 'user', content: 'hi there' }],
    ...extra,
  });

describe('gateway routes and errors', () => {
  it('404 and 405 are OpenAI-shaped and carry x-request-id', async () => {
    const missing = await rawRequest(`${gw.url}/v1/completions`, { method: 'POST', headers: auth() });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      error: {
        message: 'Unknown request URL: POST /v1/completions.',
        type: 'invalid_request_error',
        code: 'unknown_url',
        param: null,
      },
    });
    expect(missing.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const wrong = await rawRequest(`${gw.url}/v1/chat/completions`, { method: 'GET', headers: auth() });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });

  it('echoes a sane x-request-id and replaces an unsafe one', async () => {
    const sane = await rawRequest(`${gw.url}/health`, { headers: { 'x-request-id': 'trace-01.a:b' } });
    expect(sane.headers['x-request-id']).toBe('trace-01.a:b');
    const unsafe = await rawRequest(`${gw.url}/health`, { headers: { 'x-request-id': 'x y<script>' } });
    expect(unsafe.headers['x-request-id']).not.toBe('x y<script>');
  });

  it('health and ready need no token; metrics needs one', async () => {
    expect((await rawRequest(`${gw.url}/health`)).status).toBe(200);
    expect(JSON.parse((await rawRequest(`${gw.url}/ready`)).body)).toEqual({ status: 'ready' });
    expect((await rawRequest(`${gw.url}/metrics`)).status).toBe(401);
    const metrics = await rawRequest(`${gw.url}/metrics`, { headers: auth() });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('switchboard_gateway_requests_total');
    expect(metrics.body).toContain('switchboard_key_status{provider="OpenAI"');
    // Read at scrape time: the scrape itself is the one request in flight.
    expect(metrics.body).toMatch(/^switchboard_gateway_requests_in_flight 1$/m);
    expect(metrics.body).toMatch(
      /^switchboard_gateway_requests_total\{endpoint="health",[^}]*status="200"\} [1-9]/m,
    );
  });

  it('401 for a missing, unknown or expired token', async () => {
    for (const headers of [{}, auth('gw-inproc-unknown-00000000'), auth(EXPIRED)]) {
      const answer = await rawRequest(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: chatBody(),
      });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body).error.code).toBe('invalid_api_key');
    }
  });

  it('400 invalid_json for a body that is not JSON', async () => {
    const answer = await rawRequest(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth(),
      body: '{"model":',
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.code).toBe('invalid_json');
  });

  it('429 maxConcurrent with retry-after while the token has a request in flight', async () => {
    fake.clearRequests();
    fake.enqueue({ ...openaiStreamReply(['slow']), delayMs: 400 });
    const first = rawRequest(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth(LIMITED),
      body: chatBody({ stream: true }),
    });
    // The fake has the first request before the second is sent: it is in flight.
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await rawRequest(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth(LIMITED),
      body: chatBody(),
    });
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('1');
    expect(JSON.parse(second.body).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect((await first).status).toBe(200);
    fake.clearRequests();
  });

  it('a stream that fails before its first event is a plain HTTP error; after it, an error frame and no [DONE]', async () => {
    fake.enqueue({
      json: { error: { message: 'bad request upstream', type: 'invalid_request_error' } },
      status: 400,
    });
    const before = await rawRequest(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth(),
      body: chatBody({ stream: true }),
    });
    expect(before.status).toBe(400);
    expect(before.headers['content-type']).toBe('application/json');

    fake.enqueue(openaiStreamReply(['one ', 'two ', 'three'], { cutAfter: 2 }));
    const after = await rawRequest(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth(),
      body: chatBody({ stream: true }),
    });
    expect(after.status).toBe(200);
    const frames = after.body.split('\n\n').filter((frame) => frame !== '');
    expect(frames).not.toContain('data: [DONE]');
    const last = JSON.parse((frames.at(-1) as string).slice(6));
    expect(last.error).toMatchObject({ type: 'api_error', code: expect.stringMatching(/^upstream_/) });
  });

  it('one access-log line per request: no token, no key, no prompt', async () => {
    await rawRequest(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth(), 'x-request-id': 'log-line-1' },
      body: chatBody(),
    });
    const line = (await gw.lines()).find((entry) => entry.requestId === 'log-line-1');
    expect(line).toMatchObject({
      msg: 'request',
      method: 'POST',
      path: '/v1/chat/completions',
      status: 200,
      token: 'main',
      model: 'OpenAI/gpt-4o-mini',
      attempts: 1,
      remote: '127.0.0.1',
    });
    expect(typeof line?.latencyMs).toBe('number');
    const text = gw.log.join('');
    for (const secret of [TOKEN, EXPIRED, LIMITED, 'test-key-gw-inproc-0001', 'hi there'])
      expect(text).not.toContain(secret);
  });
});

describe('gateway body and header limits', () => {
  it('413 for a declared content-length over the limit, without reading it', async () => {
    const answer = await rawRequest(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: auth(),
      body: chatBody({ padding: 'x'.repeat(5000) }),
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('request_too_large');
  });

  it('413 for a chunked body once it passes the limit; the rest is discarded and the client reads the answer', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString();
      });
      socket.on('error', reject);
      socket.on('close', () => {
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(received)?.[1]);
        resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) });
      });
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      );
      const chunk = 'y'.repeat(1000);
      for (let i = 0; i < 20; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      socket.end('0\r\n\r\n');
    });
    expect(status).toBe(413);
    expect(body).toContain('request_too_large');
  });

  it('Expect: 100-continue: a body over the limit is refused before it is sent; one within it is asked for', async () => {
    const expectContinue = (body: string) =>
      new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
        let continued = false;
        const req = httpRequest(
          `${gw.url}/v1/chat/completions`,
          {
            method: 'POST',
            agent: false,
            headers: { ...auth(), expect: '100-continue', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
          },
        );
        req.on('continue', () => {
          continued = true;
          req.end(body);
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    expect(await expectContinue(chatBody({ padding: 'x'.repeat(5000) }))).toEqual({
      status: 413,
      continued: false,
    });
    expect(await expectContinue(chatBody())).toEqual({ status: 200, continued: true });
  });

  it('408 for a body that trickles in slower than bodyTimeoutMs (cut before it was sent)', async () => {
    const result = await new Promise<{ response: string; sentAll: boolean }>((resolve) => {
      const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
      let response = '';
      let sent = 0;
      const body = chatBody();
      socket.on('data', (chunk) => {
        response += chunk.toString();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ response, sentAll: sent >= body.length });
      });
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      // One byte every 100 ms: the whole body would take seconds.
      const timer = setInterval(() => {
        if (sent < body.length && !socket.destroyed) socket.write(body[sent++] as string);
      }, 100);
    });
    expect(result.sentAll).toBe(false);
    expect(result.response).toMatch(/^HTTP\/1\.1 408/);
    expect(result.response).toContain('request_timeout');
  });

  it('a client sending its headers one byte at a time is cut off (headersTimeoutMs)', async () => {
    const result = await new Promise<{ sentAll: boolean }>((resolve) => {
      const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
      const head = `GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(200)}\r\n\r\n`;
      let sent = 0;
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ sentAll: sent >= head.length });
      });
      const timer = setInterval(() => {
        if (sent < head.length && !socket.destroyed) socket.write(head[sent++] as string);
      }, 50);
    });
    // 250 bytes at 20 bytes/s would take 12 s; the server closed the connection long before.
    expect(result.sentAll).toBe(false);
  });
});

describe('gateway start-up without tokens', () => {
  it('refuses without tokens unless loopback with allowUnauthenticatedLoopback; then serves without a token', async () => {
    const noTokens = { ...config(), gateway: { tokens: [] } };
    await expect(startTestGateway(noTokens)).rejects.toThrow(/allowUnauthenticatedLoopback/);
    const open = await startTestGateway({ ...noTokens, gateway: { allowUnauthenticatedLoopback: true } });
    try {
      const answer = await rawRequest(`${open.url}/v1/chat/completions`, {
        method: 'POST',
        body: chatBody(),
      });
      expect(answer.status).toBe(200);
    } finally {
      await open.close();
    }
    const { createLLM } = await import('../client/llm.js');
    const { Gateway } = await import('./gateway.js');
    const wide = new Gateway({
      llm: createLLM({ ...noTokens, gateway: { allowUnauthenticatedLoopback: true } }),
      accessLog: false,
    });
    await expect(wide.listen(0, '0.0.0.0')).rejects.toThrow(/not loopback/);
    await wide.drain(0);
  });
});
