import { beforeAll, describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMGenerationConfig, MediaPart } from '../../spec/index.js';
import { loadOpenAISpec, type OpenAISpecValidator } from '../openai-responses/test-support/openai-spec.js';
import { testModel } from '../openai-responses/test-support/resolved-model.js';
import { createOpenAIImageDialect } from './images-dialect.js';

let spec: OpenAISpecValidator;
beforeAll(() => {
  spec = loadOpenAISpec();
});

const dialect = createOpenAIImageDialect();
const gptImage = testModel('gpt-image-1', 'openai_image');
const dalle2 = testModel('dall-e-2', 'openai_image');
const dalle3 = testModel('dall-e-3', 'openai_image', { apiBase: 'https://relay.example/v1' });

// A 1x1 PNG and the first bytes of a JPEG.
const PNG_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const JPEG_B64 = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U';

function generation(model = gptImage, config: LLMGenerationConfig = {}) {
  const mapped = dialect.buildImageRequest(model, 'a siamese cat', [], config);
  expect(spec.errors('CreateImageRequest', mapped.value.body)).toEqual([]);
  return mapped;
}

function caught(run: () => unknown): LLMError {
  try {
    run();
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    return error as LLMError;
  }
  throw new Error('expected an LLMError');
}

describe('image generation requests', () => {
  it('posts JSON to /v1/images/generations without response_format for gpt-image', () => {
    const { value, warnings } = generation(gptImage, {
      visual: { aspectRatio: '3:2', quality: 'high', background: 'transparent', count: 2 },
      output: { responseMimeType: 'image/webp' },
    });
    expect(value).toMatchObject({
      method: 'POST',
      url: 'https://api.openai.com/v1/images/generations',
      headers: { 'content-type': 'application/json' },
      auth: { scheme: 'bearer' },
      stream: false,
    });
    expect(value.body).toEqual({
      model: 'gpt-image-1',
      prompt: 'a siamese cat',
      size: '1536x1024',
      quality: 'high',
      background: 'transparent',
      n: 2,
      output_format: 'webp',
    });
    // gpt-image models reject it (fixtures/providers/openai/image-error-unknown-parameter.json).
    expect(value.body).not.toHaveProperty('response_format');
    expect(warnings).toEqual([]);
  });

  it('asks dall-e models for b64_json and keeps the base URL’s /v1', () => {
    const { value } = generation(dalle3, { visual: { aspectRatio: '9:16', quality: 'hd', style: 'vivid' } });
    expect(value.url).toBe('https://relay.example/v1/images/generations');
    expect(value.body).toEqual({
      model: 'dall-e-3',
      prompt: 'a siamese cat',
      size: '1024x1792',
      quality: 'hd',
      style: 'vivid',
      response_format: 'b64_json',
    });
    expect(generation(dalle2, { visual: { aspectRatio: '256x256' } }).value.body).toEqual({
      model: 'dall-e-2',
      prompt: 'a siamese cat',
      size: '256x256',
      response_format: 'b64_json',
    });
  });

  it('merges customParams verbatim', () => {
    const { value } = generation(gptImage, { customParams: { moderation: 'low', output_compression: 80 } });
    expect(value.body).toMatchObject({ moderation: 'low', output_compression: 80 });
  });

  it('requires a prompt', () => {
    const error = caught(() => dialect.buildImageRequest(gptImage, '  ', [], {}));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/prompt/);
  });
});

describe('image edit requests', () => {
  it('sends one input image as a multipart `image` file with its mime type', async () => {
    const images: MediaPart[] = [{ type: 'image', mimeType: 'image/png', data: PNG_B64, name: 'cat.png' }];
    const { value } = dialect.buildImageRequest(gptImage, 'add a hat', images, {
      visual: { aspectRatio: '1:1', quality: 'medium' },
    });
    expect(value.url).toBe('https://api.openai.com/v1/images/edits');
    expect(value.headers).not.toHaveProperty('content-type');
    expect(value.body).toBeInstanceOf(FormData);
    const form = value.body as FormData;
    expect([...form.keys()]).toEqual(['image', 'model', 'prompt', 'size', 'quality']);
    expect(form.get('model')).toBe('gpt-image-1');
    expect(form.get('prompt')).toBe('add a hat');
    expect(form.get('size')).toBe('1024x1024');
    expect(form.get('quality')).toBe('medium');
    const file = form.get('image') as File;
    expect(file.name).toBe('cat.png');
    expect(file.type).toBe('image/png');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array(Buffer.from(PNG_B64, 'base64')));
  });

  it('sends several images as image[] files, sniffing missing mime types', async () => {
    const images: MediaPart[] = [
      { type: 'image', data: PNG_B64 },
      { type: 'image', data: JPEG_B64 },
    ];
    const { value } = dialect.buildImageRequest(gptImage, 'combine them', images, { visual: { count: 2 } });
    const form = value.body as FormData;
    const files = form.getAll('image[]') as File[];
    expect(files.map((file) => [file.name, file.type])).toEqual([
      ['image-1.png', 'image/png'],
      ['image-2.jpg', 'image/jpeg'],
    ]);
    expect(form.get('n')).toBe('2');
    expect(form.has('image')).toBe(false);
  });

  it('sends dall-e-2 edits with response_format and a single image', () => {
    const { value } = dialect.buildImageRequest(dalle2, 'add a hat', [{ type: 'image', data: PNG_B64 }], {});
    const form = value.body as FormData;
    expect(form.get('response_format')).toBe('b64_json');
    expect(form.get('model')).toBe('dall-e-2');
    expect(
      caught(() =>
        dialect.buildImageRequest(
          dalle2,
          'x',
          [
            { type: 'image', data: PNG_B64 },
            { type: 'image', data: PNG_B64 },
          ],
          {},
        ),
      ).message,
    ).toMatch(/one image/);
  });

  it('sends URL-only images to gpt-image as the JSON edit body, valid against the spec', () => {
    const images: MediaPart[] = [
      { type: 'image', url: 'https://example.com/cat.png' },
      { type: 'image', mimeType: 'image/png', data: PNG_B64 },
      { type: 'image', url: 'file-abc123' },
    ];
    const { value } = dialect.buildImageRequest(gptImage, 'add a hat', images, {
      visual: { quality: 'high' },
    });
    expect(value.url).toBe('https://api.openai.com/v1/images/edits');
    expect(value.headers['content-type']).toBe('application/json');
    expect(value.body).toEqual({
      model: 'gpt-image-1',
      prompt: 'add a hat',
      quality: 'high',
      images: [
        { image_url: 'https://example.com/cat.png' },
        { image_url: `data:image/png;base64,${PNG_B64}` },
        { file_id: 'file-abc123' },
      ],
    });
    expect(spec.errors('EditImageBodyJsonParam', value.body)).toEqual([]);
  });

  it('explains that other models need image bytes, never downloading the URL', () => {
    const error = caught(() =>
      dialect.buildImageRequest(
        dalle2,
        'add a hat',
        [{ type: 'image', url: 'https://example.com/cat.png' }],
        {},
      ),
    );
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/images\[0\].*need the image bytes/);
  });

  it('rejects edits on dall-e-3 and non-image inputs', () => {
    expect(
      caught(() => dialect.buildImageRequest(dalle3, 'x', [{ type: 'image', data: PNG_B64 }], {})).message,
    ).toMatch(/cannot edit images/);
    expect(
      caught(() =>
        dialect.buildImageRequest(
          gptImage,
          'x',
          [{ type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' }],
          {},
        ),
      ).message,
    ).toMatch(/images\[0\] is not an image \(a audio part\)/);
  });
});
