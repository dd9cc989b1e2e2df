import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { MediaPart } from '../../spec/index.js';
import { TINY_PNG_BASE64 } from '../../testing/auto-images.js';
import { testModel } from '../openai-responses/test-support/resolved-model.js';
import { buildNanoBananaRequest } from './nano-banana-request.js';

const relay = testModel('nano-banana', 'nano_banana', { apiBase: 'https://relay.example/v1' });

function caught(run: () => unknown): LLMError {
  try {
    run();
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    return error as LLMError;
  }
  throw new Error('expected an LLMError');
}

describe('buildNanoBananaRequest', () => {
  it('posts JSON to {apiBase}/v1/images/generations with bearer auth and b64_json', () => {
    const { value, warnings } = buildNanoBananaRequest(relay, 'a cat in a hat', [], {
      visual: { aspectRatio: '16:9', resolution: '2K' },
    });
    expect(value).toMatchObject({
      method: 'POST',
      url: 'https://relay.example/v1/images/generations',
      headers: { 'content-type': 'application/json' },
      auth: { scheme: 'bearer' },
      stream: false,
    });
    expect(value.body).toEqual({
      model: 'nano-banana',
      prompt: 'a cat in a hat',
      response_format: 'b64_json',
      size: '1792x1024',
      aspect_ratio: '16:9',
      image_size: '2K',
    });
    expect(warnings).toEqual([]);
    const bare = testModel('nano-banana', 'nano_banana', { apiBase: 'https://relay.example' });
    expect(buildNanoBananaRequest(bare, 'x', [], {}).value.url).toBe(
      'https://relay.example/v1/images/generations',
    );
  });

  it('sends edits to the same endpoint, input images as plain base64 in image[], customParams verbatim', () => {
    const images: MediaPart[] = [
      { type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64 },
      { type: 'image', data: `data:image/png;base64,${TINY_PNG_BASE64}` },
      { type: 'image', url: `data:image/png;base64,${TINY_PNG_BASE64}` },
    ];
    const { value } = buildNanoBananaRequest(relay, 'add a hat', images, { customParams: { seed: 7, n: 2 } });
    expect(value.url).toBe('https://relay.example/v1/images/generations');
    expect(value.body).toEqual({
      model: 'nano-banana',
      prompt: 'add a hat',
      response_format: 'b64_json',
      seed: 7,
      n: 2,
      image: [TINY_PNG_BASE64, TINY_PNG_BASE64, TINY_PNG_BASE64],
    });
    // Input images alone are enough (the seed's rule: a prompt or images).
    expect(buildNanoBananaRequest(relay, '', [images[0]!], {}).value.body).toMatchObject({ prompt: '' });
  });

  it('refuses what it cannot send, naming it', () => {
    expect(caught(() => buildNanoBananaRequest(relay, '  ', [], {})).message).toMatch(/requires a prompt/);
    const byUrl = caught(() =>
      buildNanoBananaRequest(relay, 'x', [{ type: 'image', url: 'https://x.test/a.png' }], {}),
    );
    expect(byUrl.code).toBe('INVALID_PARAMETER');
    expect(byUrl.message).toMatch(/images\[0\] is a URL without data.*enable fetchRemoteMedia/);
    expect(
      caught(() =>
        buildNanoBananaRequest(relay, 'x', [{ type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' }], {}),
      ).message,
    ).toMatch(/images\[0\] is not an image \(a audio part\)/);
  });
});
