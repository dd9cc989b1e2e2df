import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import { createGeminiImageDialect } from './gemini-images.js';
import type { GeminiGenerateContentRequest } from './gemini-wire.js';
import { fixtureText, geminiModel } from './test-support/gemini-fixtures.js';
import { geminiSpecValidators, specErrors } from './test-support/gemini-spec.js';

const dialect = createGeminiImageDialect();
const model = geminiModel('gemini-2.5-flash-image');
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVQImWNwav0CAALIAbzDqqRyAAAAAElFTkSuQmCC';

describe('Gemini image generation (nano banana)', () => {
  it('asks for TEXT+IMAGE with imageConfig; the request conforms to the spec', () => {
    const { value, warnings } = dialect.buildImageRequest(model, 'A cat', [], {
      visual: { aspectRatio: '16:9', resolution: 'STANDARD' },
    });
    expect(value.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash-image:generateContent',
    );
    expect(value.auth).toEqual({ scheme: 'header', name: 'x-goog-api-key' });
    const body = value.body as GeminiGenerateContentRequest;
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'A cat' }] }]);
    expect(body.generationConfig).toEqual({
      responseModalities: ['TEXT', 'IMAGE'],
      imageConfig: { aspectRatio: '16:9', imageSize: '1K' },
    });
    expect(body.tools).toBeUndefined();
    expect(specErrors(geminiSpecValidators().generateContent, body)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('edits: input images follow the prompt as inline data; IMAGE-only modality is kept', () => {
    const { value } = dialect.buildImageRequest(
      model,
      'Make it blue',
      [
        { type: 'image', mimeType: 'image/png', data: PNG },
        { type: 'image', url: 'https://example.com/a.jpg' },
      ],
      { output: { responseModalities: ['IMAGE'] } },
    );
    const body = value.body as GeminiGenerateContentRequest;
    expect(body.contents[0]?.parts).toEqual([
      { text: 'Make it blue' },
      { inlineData: { mimeType: 'image/png', data: PNG } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/a.jpg' } },
    ]);
    expect(body.generationConfig?.responseModalities).toEqual(['IMAGE']);
  });

  it('needs a prompt or an image', () => {
    try {
      dialect.buildImageRequest(model, '  ', [], {});
      expect.unreachable();
    } catch (error) {
      expect(LLMError.isInstance(error) && error.code).toBe('INVALID_PARAMETER');
    }
  });

  it('parses inlineData into images and signed image parts', () => {
    const parsed = dialect.parseImageResponse({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Here you go', thoughtSignature: 'dHh0' },
              { inlineData: { mimeType: 'image/png', data: PNG }, thoughtSignature: 'aW1n' },
            ],
          },
          finishReason: 'STOP',
        },
      ],
    });
    expect(parsed.text).toBe('Here you go');
    expect(parsed.images).toHaveLength(1);
    expect(parsed.images[0]?.data.byteLength).toBe(69);
    expect(parsed.contentParts[1]).toEqual({
      type: 'image',
      mimeType: 'image/png',
      data: PNG,
      thoughtSignature: 'aW1n',
    });
  });

  it('an image stream recording (stream-empty-parts-inline-image.sse.txt) parses the same image through the JSON parser', () => {
    const lines = fixtureText('gemini/stream-empty-parts-inline-image.sse.txt')
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data: '));
    const last = JSON.parse(lines[lines.length - 1]!.slice(6));
    const parsed = dialect.parseImageResponse(last);
    expect(parsed.images[0]?.mimeType).toBe('image/png');
    expect(parsed.finishReason).toBe('stop');
  });
});
