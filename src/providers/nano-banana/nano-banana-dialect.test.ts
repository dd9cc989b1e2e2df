import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMGenerationConfig, MediaPart, ProviderRequest } from '../../spec/index.js';
import { TINY_PNG_BASE64 } from '../../testing/auto-images.js';
import { type FakeProvider, startFakeProvider } from '../../testing/index.js';
import { testModel } from '../openai-responses/test-support/resolved-model.js';
import { createNanoBananaImageDialect } from './nano-banana-dialect.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const dialect = createNanoBananaImageDialect();

/** Sends a dialect request the way the pipeline would (bearer key added), returning the JSON answer. */
async function send(request: ProviderRequest): Promise<{ status: number; data: unknown }> {
  const res = await fetch(request.url, {
    method: request.method,
    headers: { ...request.headers, authorization: 'Bearer test-key-1' },
    body: JSON.stringify(request.body),
  });
  return { status: res.status, data: await res.json() };
}

async function roundTrip(prompt: string, images: MediaPart[] = [], config: LLMGenerationConfig = {}) {
  const model = testModel('gemini-2.5-flash-image', 'nano_banana', { apiBase: fake.openaiBase });
  const { value } = dialect.buildImageRequest(model, prompt, images, config);
  const { status, data } = await send(value);
  expect(status).toBe(200);
  value.checkBody?.(data);
  return dialect.parseImageResponse(data);
}

describe('the nano_banana images protocol against the fake provider', () => {
  it('generates: the relay receives the seed body and the answer becomes image bytes', async () => {
    fake.clearRequests();
    const parsed = await roundTrip('a lighthouse at dusk', [], {
      visual: { aspectRatio: '9:16', resolution: 'HD' },
    });
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/images/generations');
    expect(request?.apiKey).toBe('test-key-1');
    expect(request?.body).toEqual({
      model: 'gemini-2.5-flash-image',
      prompt: 'a lighthouse at dusk',
      response_format: 'b64_json',
      size: '1024x1792',
      aspect_ratio: '9:16',
      image_size: 'HD',
    });
    expect(parsed.images).toHaveLength(1);
    expect(parsed.images[0]?.mimeType).toBe('image/png');
    expect(Buffer.from(parsed.images[0]!.data).toString('base64')).toBe(TINY_PNG_BASE64);
    expect(parsed.text).toBe('');
  });

  it('edits: input images reach the relay as base64 strings it accepts (data URL prefixes stripped)', async () => {
    fake.clearRequests();
    await roundTrip('add a hat', [
      { type: 'image', data: `data:image/png;base64,${TINY_PNG_BASE64}` },
      { type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64 },
    ]);
    expect(fake.lastRequest?.body).toMatchObject({ image: [TINY_PNG_BASE64, TINY_PNG_BASE64] });
  });

  it('keeps URL-only answers as URL images; an answer without images fails the body check', async () => {
    fake.enqueue({
      json: { created: 1, data: [{ url: 'https://cdn.example/out.webp', revised_prompt: 'a hat' }] },
    });
    const parsed = await roundTrip('hat');
    expect(parsed.images).toEqual([
      {
        mimeType: 'image/webp',
        data: new Uint8Array(0),
        url: 'https://cdn.example/out.webp',
        revisedPrompt: 'a hat',
      },
    ]);
    fake.enqueue({ json: { created: 1, data: [] } });
    const model = testModel('nano-banana', 'nano_banana', { apiBase: fake.openaiBase });
    const { value } = dialect.buildImageRequest(model, 'x', [], {});
    const empty = await send(value);
    expect(() => value.checkBody?.(empty.data)).toThrow(LLMError);
  });
});
