import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorFromBody } from '../../errors/classify-provider-error.js';
import { LLMError } from '../../errors/llm-error.js';
import { testModel } from '../openai-responses/test-support/resolved-model.js';
import { createOpenAIImageDialect } from './images-dialect.js';
import { checkImagesBody, parseImagesResponse } from './images-response.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/providers/openai/${name}`, import.meta.url), 'utf8');
const exchangeBody = (name: string) => JSON.parse(JSON.parse(fixture(name)).interactions[0].response.body);

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function caught(run: () => unknown): LLMError {
  try {
    run();
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    return error as LLMError;
  }
  throw new Error('expected an LLMError');
}

describe('parseImagesResponse (recorded fixtures)', () => {
  it('decodes gpt-image-1 b64_json to PNG bytes and reads usage', () => {
    const body = exchangeBody('image-b64-gpt-image-1.exchange.json');
    const parsed = parseImagesResponse(body);
    expect(parsed.images).toHaveLength(1);
    const [image] = parsed.images;
    expect(image?.mimeType).toBe('image/png');
    expect([...(image?.data.subarray(0, 8) ?? [])]).toEqual(PNG_SIGNATURE);
    expect(image?.data.byteLength).toBe(Buffer.from(body.data[0].b64_json, 'base64').byteLength);
    expect(image?.url).toBeUndefined();
    expect(parsed.usage).toEqual({ promptTokens: 10, completionTokens: 4160, totalTokens: 4170 });
    expect(parsed.text).toBe('');
    expect(parsed.finishReason).toBe('stop');
    expect(parsed.contentParts).toEqual([
      { type: 'image', mimeType: 'image/png', data: body.data[0].b64_json },
    ]);
  });

  it('keeps revised_prompt on the image that has one', () => {
    const parsed = parseImagesResponse(JSON.parse(fixture('image-b64-revised-prompt.json')));
    expect(parsed.images).toHaveLength(2);
    expect(parsed.images[0]?.revisedPrompt).toMatch(/^A small and adorable baby sea otter/);
    expect(parsed.images[1]).not.toHaveProperty('revisedPrompt');
    expect(parsed.images.every((image) => image.mimeType === 'image/png')).toBe(true);
    expect(parsed.usage).toBeUndefined();
  });

  it('keeps a dall-e-2 url without downloading it', () => {
    const body = exchangeBody('image-url-dall-e-2.exchange.json');
    const parsed = parseImagesResponse(body);
    expect(parsed.images).toEqual([
      { mimeType: 'image/png', data: new Uint8Array(0), url: body.data[0].url },
    ]);
    expect(parsed.contentParts).toEqual([{ type: 'image', mimeType: 'image/png', url: body.data[0].url }]);
  });

  it('throws the classified error of the gpt-image response_format error body', () => {
    const body = JSON.parse(fixture('image-error-unknown-parameter.json'));
    const info = errorFromBody(body);
    expect(info?.providerCode).toBe('unknown_parameter');
    const error = caught(() => checkImagesBody(body, { provider: 'OpenAI', model: 'OpenAI/gpt-image-1' }));
    expect(error.code).toBe(info?.code);
    expect(error.message).toBe("OpenAI/gpt-image-1: Unknown parameter: 'response_format'.");
    expect(error.details).toEqual({ providerCode: 'unknown_parameter' });
    expect(caught(() => parseImagesResponse(body)).message).toMatch(/Unknown parameter/);
  });
});

describe('parseImagesResponse (edge cases)', () => {
  it('sniffs JPEG bytes and falls back to output_format when the bytes say nothing', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).toString('base64');
    const unknown = Buffer.from('not an image').toString('base64');
    const parsed = parseImagesResponse({
      created: 1,
      output_format: 'webp',
      data: [{ b64_json: jpeg }, { b64_json: `data:image/webp;base64,${unknown}` }],
    });
    expect(parsed.images.map((image) => image.mimeType)).toEqual(['image/jpeg', 'image/webp']);
    expect(new TextDecoder().decode(parsed.images[1]?.data)).toBe('not an image');
  });

  it('reports items without image data and rejects bodies without images', () => {
    const parsed = parseImagesResponse({ created: 1, data: [{}, { url: 'https://example.com/x.jpg' }] });
    expect(parsed.images.map((image) => image.mimeType)).toEqual(['image/jpeg']);
    expect(parsed.warnings).toEqual(['data[0] has neither b64_json nor url; skipped']);
    expect(caught(() => parseImagesResponse({ created: 1, data: [] })).code).toBe('API_RESPONSE_INVALID');
    expect(caught(() => parseImagesResponse({ created: 1, data: [{}] })).code).toBe('API_RESPONSE_INVALID');
    expect(caught(() => parseImagesResponse('nope')).code).toBe('API_RESPONSE_INVALID');
  });

  it('wires checkBody with the model into the request', () => {
    const dialect = createOpenAIImageDialect();
    const { value } = dialect.buildImageRequest(testModel('gpt-image-1', 'openai_image'), 'cat', [], {});
    const error = caught(() => value.checkBody?.({ created: 1, data: [] }));
    expect(error.model).toBe('OpenAI/gpt-image-1');
    expect(
      dialect.parseImageResponse(JSON.parse(fixture('image-b64-revised-prompt.json'))).images,
    ).toHaveLength(2);
  });
});
