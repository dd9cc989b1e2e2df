import { describe, expect, it } from 'vitest';
import { type MultipartFile, startFakeProvider, TINY_PNG_BASE64 } from './index.js';
import { postJson } from './test-support/http.js';

describe('request recording', () => {
  it('records method, path, query, lower-cased headers, parsed body, raw body, key and model', async () => {
    await using fake = await startFakeProvider();
    const before = Date.now();
    const body = { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] };
    await postJson(`${fake.openaiBase}/chat/completions?a=1&tag=x&tag=y`, body, {
      Authorization: 'Bearer test-key-1',
      'X-Custom-Header': 'Value',
    });
    const request = fake.lastRequest!;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      query: { a: '1', tag: ['x', 'y'] },
      body,
      rawBody: JSON.stringify(body),
      apiKey: 'test-key-1',
      model: 'gpt-test',
    });
    expect(request.headers.authorization).toBe('Bearer test-key-1');
    expect(request.headers['x-custom-header']).toBe('Value');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('records Gemini keys from x-goog-api-key and ?key=, and the model from the path', async () => {
    await using fake = await startFakeProvider();
    await postJson(
      `${fake.url}/v1beta/models/gemini-x:generateContent`,
      { contents: [] },
      { 'x-goog-api-key': 'test-key-2' },
    );
    await postJson(`${fake.url}/v1beta/models/gemini-y:streamGenerateContent?alt=sse&key=test-key-3`, {
      contents: [],
    });
    const [header, query] = fake.requests;
    expect(header).toMatchObject({ apiKey: 'test-key-2', model: 'gemini-x', query: {} });
    expect(header!.headers['x-goog-api-key']).toBe('test-key-2');
    expect(query).toMatchObject({
      apiKey: 'test-key-3',
      model: 'gemini-y',
      query: { alt: 'sse', key: 'test-key-3' },
    });
  });

  it('keeps a non-JSON body as text and an empty body as undefined', async () => {
    await using fake = await startFakeProvider();
    await fetch(`${fake.openaiBase}/chat/completions`, { method: 'POST', body: 'not json {' });
    await fetch(`${fake.openaiBase}/models`);
    expect(fake.requests[0]).toMatchObject({ body: 'not json {', rawBody: 'not json {' });
    expect(fake.requests[1]).toMatchObject({ method: 'GET', body: undefined, rawBody: '' });
  });

  it('parses multipart bodies into fields and files', async () => {
    await using fake = await startFakeProvider();
    const png = Buffer.from(TINY_PNG_BASE64, 'base64');
    const form = new FormData();
    form.set('model', 'gpt-image-1');
    form.set('prompt', 'make it "blue"\r\nplease');
    form.append('image[]', new Blob([png], { type: 'image/png' }), 'one.png');
    form.append('image[]', new Blob([png, png], { type: 'image/webp' }), 'two.webp');
    await fetch(`${fake.openaiBase}/images/edits`, { method: 'POST', body: form });
    const body = fake.lastRequest!.body as Record<string, unknown>;
    expect(body.model).toBe('gpt-image-1');
    expect(body.prompt).toBe('make it "blue"\r\nplease');
    const [one, two] = body['image[]'] as MultipartFile[];
    expect(one).toMatchObject({
      name: 'image[]',
      filename: 'one.png',
      contentType: 'image/png',
      size: png.length,
    });
    expect(one!.data.equals(png)).toBe(true);
    expect(two).toMatchObject({ filename: 'two.webp', contentType: 'image/webp', size: png.length * 2 });
    expect(fake.lastRequest!.model).toBe('gpt-image-1');
  });

  it('filters with requestsTo and forgets with clearRequests', async () => {
    await using fake = await startFakeProvider();
    await postJson(`${fake.openaiBase}/embeddings`, { input: 'a' });
    await postJson(`${fake.url}/v1beta/models/g:batchEmbedContents`, { requests: [] });
    await postJson(`${fake.openaiBase}/embeddings`, { input: 'b' });
    expect(fake.requestsTo('/embeddings').map((r) => (r.body as { input: string }).input)).toEqual([
      'a',
      'b',
    ]);
    expect(fake.requestsTo(':batchEmbedContents')).toHaveLength(1);
    fake.clearRequests();
    expect(fake.requests).toHaveLength(0);
    expect(fake.lastRequest).toBeUndefined();
  });
});
