import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, fakeEmbedding, startFakeProvider, TINY_PNG_BASE64 } from './index.js';
import { postJson, sseData, sseJson } from './test-support/http.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const chatBody = (extra: object = {}) => ({
  model: 'gpt-test',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'first' },
    { role: 'assistant', content: 'ok' },
    { role: 'user', content: [{ type: 'text', text: 'hello world' }] },
  ],
  ...extra,
});

describe('automatic OpenAI chat', () => {
  it('answers JSON with echo of the last user text', async () => {
    const res = await postJson(`${fake.openaiBase}/chat/completions`, chatBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as any;
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('gpt-test');
    expect(body.choices[0].message).toMatchObject({ role: 'assistant', content: 'echo: hello world' });
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('streams several deltas, a usage-only chunk with include_usage, then [DONE]', async () => {
    const res = await postJson(
      `${fake.openaiBase}/chat/completions`,
      chatBody({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('\r\n');
    const chunks = sseJson(text) as any[];
    const deltas = chunks.flatMap((c) => c.choices.map((choice: any) => choice.delta.content ?? ''));
    expect(deltas.filter((d) => d !== '').length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('echo: hello world');
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage.completion_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
  });

  it('streams without usage chunk when include_usage is not set', async () => {
    const res = await postJson(`${fake.url}/chat/completions`, chatBody({ stream: true }));
    const chunks = sseJson(await res.text()) as any[];
    expect(chunks.every((c) => c.choices.length === 1 && !('usage' in c))).toBe(true);
  });

  it('accepts the /v1beta/openai prefix (Gemini OpenAI endpoint)', async () => {
    const res = await postJson(`${fake.url}/v1beta/openai/chat/completions`, chatBody());
    expect(((await res.json()) as any).choices[0].message.content).toBe('echo: hello world');
  });
});

describe('automatic Gemini', () => {
  const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'bonjour' }, { text: 'monde' }] }] };

  it('answers generateContent JSON', async () => {
    const res = await postJson(`${fake.geminiBase}/v1beta/models/gemini-test:generateContent`, geminiBody);
    const body = (await res.json()) as any;
    expect(body.candidates[0].content).toEqual({ role: 'model', parts: [{ text: 'echo: bonjour monde' }] });
    expect(body.candidates[0].finishReason).toBe('STOP');
    expect(body.modelVersion).toBe('gemini-test');
    expect(body.usageMetadata.totalTokenCount).toBeGreaterThan(0);
  });

  it('streams with CRLF framing, no [DONE], finishReason and usage on the last chunk', async () => {
    const res = await postJson(
      `${fake.url}/v1beta/models/gemini-test:streamGenerateContent?alt=sse`,
      geminiBody,
    );
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text).not.toContain('[DONE]');
    expect(
      text
        .split('\r\n\r\n')
        .filter(Boolean)
        .every((block) => block.startsWith('data: ')),
    ).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const chunks = sseJson(text) as any[];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe('echo: bonjour monde');
    expect(chunks.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined)).toBe(true);
    const last = chunks.at(-1);
    expect(last.candidates[0].finishReason).toBe('STOP');
    expect(last.usageMetadata.candidatesTokenCount).toBeGreaterThan(0);
  });

  it('answers streamGenerateContent without alt=sse as a JSON array', async () => {
    const res = await postJson(`${fake.url}/v1beta/models/g:streamGenerateContent`, geminiBody);
    const body = (await res.json()) as any[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.at(-1).candidates[0].finishReason).toBe('STOP');
  });

  it('accepts the path without /v1beta', async () => {
    const res = await postJson(`${fake.url}/models/g:generateContent`, geminiBody);
    expect(((await res.json()) as any).candidates[0].content.parts[0].text).toBe('echo: bonjour monde');
  });

  it('answers batchEmbedContents and embedContent with deterministic vectors', async () => {
    const batch = await postJson(`${fake.url}/v1beta/models/emb:batchEmbedContents`, {
      requests: [
        { model: 'models/emb', content: { parts: [{ text: 'a' }] }, outputDimensionality: 4 },
        { model: 'models/emb', content: { parts: [{ text: 'b' }] } },
      ],
    });
    const body = (await batch.json()) as any;
    expect(body.embeddings).toEqual([{ values: fakeEmbedding('a', 4) }, { values: fakeEmbedding('b', 8) }]);
    const single = await postJson(`${fake.url}/v1beta/models/emb:embedContent`, {
      content: { parts: [{ text: 'a' }] },
    });
    expect(((await single.json()) as any).embedding.values).toEqual(fakeEmbedding('a'));
  });
});

describe('automatic embeddings, images and Responses', () => {
  it('embeds floats with dimensions, one item per input with index', async () => {
    const res = await postJson(`${fake.openaiBase}/embeddings`, {
      model: 'e',
      input: ['x', 'y'],
      dimensions: 3,
    });
    const body = (await res.json()) as any;
    expect(body.object).toBe('list');
    expect(body.data.map((d: any) => d.index)).toEqual([0, 1]);
    expect(body.data[0].embedding).toEqual(fakeEmbedding('x', 3));
    expect(body.data[1].embedding).toHaveLength(3);
    expect(fakeEmbedding('x', 3)).not.toEqual(fakeEmbedding('y', 3));
    expect(Math.hypot(...fakeEmbedding('x', 3))).toBeCloseTo(1, 5);
  });

  it('embeds base64 little-endian float32 (default 8 dimensions)', async () => {
    const res = await postJson(`${fake.openaiBase}/embeddings`, {
      model: 'e',
      input: 'x',
      encoding_format: 'base64',
    });
    const body = (await res.json()) as any;
    const bytes = Buffer.from(body.data[0].embedding, 'base64');
    const values = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(values).toEqual(fakeEmbedding('x'));
  });

  it('generates a valid tiny PNG as b64_json, n times', async () => {
    const res = await postJson(`${fake.openaiBase}/images/generations`, {
      model: 'img',
      prompt: 'cat',
      n: 2,
    });
    const body = (await res.json()) as any;
    expect(body.data).toHaveLength(2);
    const png = Buffer.from(body.data[0].b64_json, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(body.data[0].b64_json).toBe(TINY_PNG_BASE64);
  });

  it('checks the nano_banana fields of a generations body: image as base64 strings, image_size a string', async () => {
    const ok = await postJson(`${fake.openaiBase}/images/generations`, {
      model: 'nano-banana',
      prompt: 'add a hat',
      response_format: 'b64_json',
      image: [TINY_PNG_BASE64],
      image_size: '2K',
      aspect_ratio: '4:3',
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).data[0].b64_json).toBe(TINY_PNG_BASE64);
    const bad = async (extra: object) => {
      const res = await postJson(`${fake.openaiBase}/images/generations`, {
        model: 'm',
        prompt: 'p',
        ...extra,
      });
      expect(res.status).toBe(400);
      return ((await res.json()) as any).error;
    };
    expect(await bad({ image: [`data:image/png;base64,${TINY_PNG_BASE64}`] })).toMatchObject({
      param: 'image[0]',
      type: 'invalid_request_error',
    });
    expect((await bad({ image: ['https://example.com/cat.png'] })).param).toBe('image[0]');
    expect((await bad({ image: TINY_PNG_BASE64 })).param).toBe('image');
    expect((await bad({ image_size: 2 })).param).toBe('image_size');
  });

  it('answers image edits (multipart) and serves URL images', async () => {
    const form = new FormData();
    form.set('prompt', 'make it blue');
    form.set('response_format', 'url');
    form.append(
      'image[]',
      new Blob([Buffer.from(TINY_PNG_BASE64, 'base64')], { type: 'image/png' }),
      'in.png',
    );
    const res = await fetch(`${fake.openaiBase}/images/edits`, { method: 'POST', body: form });
    const body = (await res.json()) as any;
    const image = await fetch(body.data[0].url);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).toString('base64')).toBe(TINY_PNG_BASE64);
  });

  it('answers the Responses API as JSON', async () => {
    const res = await postJson(`${fake.openaiBase}/responses`, { model: 'r', input: 'question?' });
    const body = (await res.json()) as any;
    expect(body.object).toBe('response');
    expect(body.status).toBe('completed');
    expect(body.output[0].content[0]).toMatchObject({ type: 'output_text', text: 'echo: question?' });
  });

  it('streams the Responses API as named events ending with response.completed', async () => {
    const res = await postJson(`${fake.openaiBase}/responses`, {
      model: 'r',
      stream: true,
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'hi there' }] }],
    });
    const text = await res.text();
    expect(text).not.toContain('[DONE]');
    const names = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(names[0]).toBe('response.created');
    expect(names.at(-1)).toBe('response.completed');
    const events = sseData(text).map((d) => JSON.parse(d));
    const deltas = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('echo: hi there');
    expect(events.at(-1).response.output[0].content[0].text).toBe('echo: hi there');
  });

  it('answers unknown paths with a 404 in the dialect of the path', async () => {
    const openai = await postJson(`${fake.openaiBase}/nope`, {});
    expect(openai.status).toBe(404);
    expect(((await openai.json()) as any).error.message).toBe('Invalid URL (POST /v1/nope)');
    const gemini = await postJson(`${fake.url}/v1beta/models/x:countTokens`, {});
    expect(gemini.status).toBe(404);
    expect(((await gemini.json()) as any).error.status).toBe('NOT_FOUND');
  });
});
