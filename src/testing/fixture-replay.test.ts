import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { type FakeProvider, startFakeProvider } from './index.js';
import { fixtureUrl, postJson, sseJson } from './test-support/http.js';

const read = (path: string) => readFileSync(fixtureUrl(path), 'utf8');
const exchange = (path: string) => JSON.parse(read(path)).interactions as any[];

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const chatUrl = () => `${fake.openaiBase}/chat/completions`;
const geminiStreamUrl = () => `${fake.url}/v1beta/models/g:streamGenerateContent?alt=sse`;

describe('fixture replay: *.json and *.issue.json', () => {
  it('serves a body byte-exact with status 200 and application/json', async () => {
    fake.enqueue({ fixture: 'openai/chat-text.json' });
    const res = await postJson(chatUrl(), {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe(read('openai/chat-text.json'));
  });

  it('derives the status from the error object (Gemini error.code, OpenAI type/code)', async () => {
    fake.enqueue(
      { fixture: 'gemini/error-404-unknown-model.json' },
      { fixture: 'openai/error-400-unsupported-parameter.json' },
      { fixture: 'openai/error-400-context-length-exceeded-chat.issue.json' },
      { fixture: 'gemini/error-503-unavailable-overloaded.issue.json' },
      { fixture: 'gemini/error-403-service-disabled.json' },
    );
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await postJson(chatUrl(), {})).status);
    expect(statuses).toEqual([404, 400, 400, 503, 403]);
  });
});

describe('fixture replay: *.chunks.txt', () => {
  it('re-frames OpenAI-compatible chunks as data: <line>\\n\\n and appends [DONE]', async () => {
    fake.enqueue({ fixture: 'openai/chat-text.chunks.txt' });
    const res = await postJson(chatUrl(), {});
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const lines = read('openai/chat-text.chunks.txt').split('\n').filter(Boolean);
    expect(await res.text()).toBe(`${lines.map((line) => `data: ${line}\n\n`).join('')}data: [DONE]\n\n`);
  });

  it('frames chunks without a trailing newline (deepseek) the same way', async () => {
    fake.enqueue({ fixture: 'deepseek/chat-tool-call.chunks.txt' });
    const text = await (await postJson(chatUrl(), {})).text();
    const lines = read('deepseek/chat-tool-call.chunks.txt').split('\n').filter(Boolean);
    expect(sseJson(text)).toHaveLength(lines.length);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('frames gemini/ and vertex/ chunks with CRLF and no [DONE]; dialect overrides', async () => {
    fake.enqueue(
      { fixture: 'gemini/stream-text-thought-signature.chunks.txt' },
      { fixture: 'vertex/stream-function-call-partial-args.chunks.txt' },
      { fixture: 'groq/chat-tool-call.chunks.txt', dialect: 'gemini' },
    );
    for (const path of [
      'gemini/stream-text-thought-signature.chunks.txt',
      'vertex/stream-function-call-partial-args.chunks.txt',
      'groq/chat-tool-call.chunks.txt',
    ]) {
      const lines = read(path).split('\n').filter(Boolean);
      // Served on an OpenAI path on purpose: the framing follows the fixture, not the route.
      const text = await (await postJson(chatUrl(), {})).text();
      expect(text).toBe(lines.map((line) => `data: ${line}\r\n\r\n`).join(''));
    }
  });

  it('applies stream faults to fixtures (cutAfter)', async () => {
    fake.enqueue({ fixture: 'openai/chat-text.chunks.txt', cutAfter: 3 });
    const res = await postJson(chatUrl(), {});
    const error = await res.text().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
  });
});

describe('fixture replay: *.sse.txt and *.txt', () => {
  it('serves an event stream verbatim as text/event-stream (CRLF kept)', async () => {
    fake.enqueue(
      { fixture: 'gemini/stream-recitation.sse.txt' },
      { fixture: 'openai/chat-stream-refusal-logprobs.sse.txt' },
    );
    for (const path of ['gemini/stream-recitation.sse.txt', 'openai/chat-stream-refusal-logprobs.sse.txt']) {
      const res = await postJson(geminiStreamUrl(), {});
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      expect(await res.text()).toBe(read(path));
    }
  });

  it('keeps a bare JSON error appended after the events', async () => {
    fake.enqueue({ fixture: 'gemini/stream-error-mid-stream.sse.txt' });
    const res = await postJson(geminiStreamUrl(), {});
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(read('gemini/stream-error-mid-stream.sse.txt'));
  });

  it('serves a *.txt whose whole body is a JSON error with the status it implies', async () => {
    fake.enqueue({ fixture: 'gemini/error-stream-http-400-invalid-argument.txt' });
    const res = await postJson(geminiStreamUrl(), {});
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(read('gemini/error-stream-http-400-invalid-argument.txt'));
  });
});

describe('fixture replay: *.exchange.json', () => {
  it('serves status, recorded headers minus hop-by-hop ones, and body verbatim', async () => {
    fake.enqueue({ fixture: 'openai/error-401-invalid-api-key.exchange.json' });
    const [recorded] = exchange('openai/error-401-invalid-api-key.exchange.json');
    const res = await postJson(chatUrl(), {});
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe('<X_REQUEST_ID>');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('access-control-expose-headers')).toBe('CF-Ray, CF-Ray');
    const body = await res.text();
    expect(body).toBe(recorded.response.body);
    // content-length is computed by the fake (the recorded one is dropped).
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
  });

  it('serialises bodyJson and drops the recorded content-encoding', async () => {
    fake.enqueue({ fixture: 'gemini/generate-max-tokens.exchange.json' });
    const [recorded] = exchange('gemini/generate-max-tokens.exchange.json');
    expect(recorded.response.headers['content-encoding']).toBe('gzip');
    const res = await postJson(`${fake.url}/v1beta/models/g:generateContent`, {});
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe(JSON.stringify(recorded.response.bodyJson));
  });

  it('frames sseEvents as data: <json>\\r\\n\\r\\n and serves multi-interaction files in order', async () => {
    const recorded = exchange('gemini/stream-function-call.exchange.json');
    fake.enqueue({ fixture: 'gemini/stream-function-call.exchange.json' });
    fake.enqueue({ fixture: 'gemini/stream-function-call.exchange.json' });
    for (const interaction of recorded) {
      const text = await (await postJson(geminiStreamUrl(), {})).text();
      expect(text).toBe(
        interaction.response.sseEvents.map((e: unknown) => `data: ${JSON.stringify(e)}\r\n\r\n`).join(''),
      );
    }
    expect(recorded[0].response.sseEvents).not.toEqual(recorded[1].response.sseEvents);
  });

  it('serves a recorded event-stream body verbatim', async () => {
    fake.enqueue({ fixture: 'openai/chat-stream-text.exchange.json' });
    const [recorded] = exchange('openai/chat-stream-text.exchange.json');
    const res = await postJson(chatUrl(), {});
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await res.text()).toBe(recorded.response.body);
  });

  it('selects an interaction explicitly, cycles, and overrides status and headers', async () => {
    const path = 'groq/error-400-tool-use-failed.exchange.json';
    const recorded = exchange(path);
    fake.enqueue(
      { fixture: path, interaction: 2 },
      { fixture: path },
      { fixture: path },
      { fixture: path },
      { fixture: path },
      { fixture: path, interaction: 0, status: 429, headers: { 'retry-after': '1' } },
    );
    const statuses = [];
    const bodies = [];
    for (let i = 0; i < 6; i++) {
      const res = await postJson(chatUrl(), {});
      statuses.push(res.status);
      bodies.push(await res.json());
      if (i === 5) expect(res.headers.get('retry-after')).toBe('1');
    }
    expect(statuses).toEqual([200, 400, 200, 200, 400, 429]);
    expect(bodies[0]).toEqual(recorded[2].response.bodyJson);
    expect(bodies[4]).toEqual(recorded[0].response.bodyJson);
  });

  it('a missing fixture or interaction in the script throws when the script is given, naming the path', async () => {
    const missing = await startFakeProvider([{ fixture: 'openai/does-not-exist.json' }]).catch(
      (error: unknown) => error,
    );
    expect(LLMError.isInstance(missing) && missing.code).toBe('CONFIGURATION_ERROR');
    expect((missing as LLMError).message).toContain(
      `fixture "openai/does-not-exist.json" not found: ${fileURLToPath(fixtureUrl('openai/does-not-exist.json'))}`,
    );
    await expect(
      startFakeProvider([{ fixture: 'openai/error-401-invalid-api-key.exchange.json', interaction: 3 }]),
    ).rejects.toThrow('has 1 interaction(s); interaction 3 does not exist');
    await expect(
      startFakeProvider({
        routes: { 'POST /v1/chat/completions': [{ fixture: 'nope/missing.chunks.txt' }] },
      }),
    ).rejects.toThrow(/fixture "nope\/missing\.chunks\.txt" not found/);

    const local = await startFakeProvider();
    try {
      // enqueue throws synchronously and queues nothing.
      expect(() =>
        local.enqueue({ fixture: 'openai/chat-text.chunks.txt' }, { fixture: 'openai/missing.json' }),
      ).toThrow(/fixture "openai\/missing\.json" not found/);
      expect(local.pendingReplies).toBe(0);
    } finally {
      await local.close();
    }
  });

  it('a handler returning a missing fixture is answered with a 500 and recorded', async () => {
    const local = await startFakeProvider(() => ({ fixture: 'openai/does-not-exist.json' }));
    try {
      expect((await postJson(`${local.openaiBase}/chat/completions`, {})).status).toBe(500);
      expect(local.errors).toHaveLength(1);
    } finally {
      await local.close();
    }
  });

  it('accepts absolute paths, file URLs and a custom fixturesDir', async () => {
    const dir = fileURLToPath(fixtureUrl('gemini/'));
    const local = await startFakeProvider({
      fixturesDir: dir,
      replies: [
        { fixture: 'generate-citations.json' },
        { fixture: fixtureUrl('gemini/generate-citations.json') },
        { fixture: fileURLToPath(fixtureUrl('gemini/generate-citations.json')) },
      ],
    });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await postJson(`${local.url}/v1beta/models/g:generateContent`, {});
        expect(await res.text()).toBe(read('gemini/generate-citations.json'));
      }
    } finally {
      await local.close();
    }
  });
});
