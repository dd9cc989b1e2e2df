import { describe, expect, it } from 'vitest';
import { mapNanoBananaConfig } from './nano-banana-config.js';

const ratio = (aspectRatio: string) => mapNanoBananaConfig({ visual: { aspectRatio } });

describe('mapNanoBananaConfig (seed-spec §3.9)', () => {
  it.each([
    ['1:1', { size: '1024x1024', aspect_ratio: '1:1' }],
    ['16:9', { size: '1792x1024', aspect_ratio: '16:9' }],
    ['9:16', { size: '1024x1792', aspect_ratio: '9:16' }],
    ['1536x1024', { size: '1536x1024' }],
    ['4:3', { aspect_ratio: '4:3' }],
    ['21:9', { aspect_ratio: '21:9' }],
  ])('aspectRatio %s → %o', (value, fields) => {
    expect(ratio(value)).toEqual({ value: fields, warnings: [] });
  });

  it('sends resolution verbatim as image_size', () => {
    expect(mapNanoBananaConfig({ visual: { resolution: 'HD' } }).value).toEqual({ image_size: 'HD' });
    expect(mapNanoBananaConfig({ visual: { resolution: '4K', aspectRatio: '16:9' } }).value).toEqual({
      size: '1792x1024',
      aspect_ratio: '16:9',
      image_size: '4K',
    });
  });

  it('warns about every setting the protocol has no field for', () => {
    const { value, warnings } = mapNanoBananaConfig({
      core: { temperature: 0.3 },
      reasoning: { effort: 'low' },
      visual: { quality: 'high', count: 2 },
      output: { responseMimeType: 'image/webp', responseModalities: ['TEXT'] },
      safety: { safetySettings: { HARM_CATEGORY_HARASSMENT: 'BLOCK_NONE' } },
      toolConfig: { mode: 'AUTO' },
    });
    expect(value).toEqual({});
    expect(warnings).toEqual([
      'quality, count have no field in the nano_banana images protocol; ignored (customParams can send relay-specific fields)',
      'temperature do not apply to image generation; ignored',
      'reasoning settings do not apply to image generation; ignored',
      'tools do not apply to image generation; ignored',
      'safetySettings are Gemini settings; ignored',
      'responseMimeType has no field in the nano_banana images protocol; ignored',
      'responseModalities without IMAGE do not apply to an images endpoint; ignored',
    ]);
    expect(mapNanoBananaConfig({ output: { responseModalities: ['IMAGE', 'TEXT'] } }).warnings).toEqual([]);
  });
});
