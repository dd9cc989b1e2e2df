import { describe, expect, it } from 'vitest';
import { imageFamilyOf, mapImageConfig } from './images-config.js';

describe('imageFamilyOf', () => {
  it('recognises the OpenAI image families', () => {
    expect(imageFamilyOf('dall-e-2')).toBe('dall-e-2');
    expect(imageFamilyOf('DALL-E-3')).toBe('dall-e-3');
    expect(imageFamilyOf('gpt-image-1')).toBe('gpt-image');
    expect(imageFamilyOf('openai/gpt-image-1-mini')).toBe('gpt-image');
    expect(imageFamilyOf('chatgpt-image-latest')).toBe('gpt-image');
    expect(imageFamilyOf('flux-schnell')).toBe('other');
  });
});

describe('mapImageConfig: size', () => {
  const sizeOf = (aspectRatio: string, family: Parameters<typeof mapImageConfig>[1]) =>
    mapImageConfig({ visual: { aspectRatio } }, family);

  it.each([
    ['1:1', '1024x1024', '1024x1024'],
    ['16:9', '1792x1024', '1536x1024'],
    ['9:16', '1024x1792', '1024x1536'],
    ['3:2', '1792x1024', '1536x1024'],
    ['2:3', '1024x1792', '1024x1536'],
  ])('%s → dall-e-3 %s, gpt-image %s', (ratio, dalle3, gptImage) => {
    expect(sizeOf(ratio, 'dall-e-3').value.size).toBe(dalle3);
    expect(sizeOf(ratio, 'gpt-image').value.size).toBe(gptImage);
  });

  it('warns when the closest size is not the asked ratio, and not when it is close', () => {
    expect(sizeOf('16:9', 'dall-e-3').warnings).toEqual([]);
    expect(sizeOf('3:2', 'gpt-image').warnings).toEqual([]);
    expect(sizeOf('16:9', 'gpt-image').warnings[0]).toMatch(/closest size 1536x1024/);
    expect(sizeOf('4:3', 'dall-e-2').value.size).toBe('1024x1024');
    expect(sizeOf('4:3', 'dall-e-2').warnings).toHaveLength(1);
  });

  it('passes an explicit WxH through and handles auto per family', () => {
    expect(sizeOf('512x512', 'dall-e-2')).toEqual({
      value: { size: '512x512', response_format: 'b64_json' },
      warnings: [],
    });
    expect(sizeOf('auto', 'gpt-image').value.size).toBe('auto');
    expect(sizeOf('auto', 'dall-e-3').value).not.toHaveProperty('size');
    expect(sizeOf('wide', 'gpt-image').warnings[0]).toMatch(/neither W:H nor WxH/);
  });
});

describe('mapImageConfig: other settings', () => {
  it('never sends response_format to gpt-image models, always b64_json to the others', () => {
    expect(mapImageConfig({}, 'gpt-image').value).toEqual({});
    for (const family of ['dall-e-2', 'dall-e-3', 'other'] as const) {
      expect(mapImageConfig({}, family).value).toEqual({ response_format: 'b64_json' });
    }
  });

  it('maps quality to each family’s vocabulary', () => {
    expect(mapImageConfig({ visual: { quality: 'hd' } }, 'dall-e-3').value.quality).toBe('hd');
    expect(mapImageConfig({ visual: { quality: 'high' } }, 'gpt-image').value.quality).toBe('high');
    const crossed = mapImageConfig({ visual: { quality: 'hd' } }, 'gpt-image');
    expect(crossed.value.quality).toBe('high');
    expect(crossed.warnings[0]).toMatch(/sent as "high"/);
    expect(mapImageConfig({ visual: { quality: 'high' } }, 'dall-e-3').value.quality).toBe('hd');
    expect(mapImageConfig({ visual: { resolution: 'HD' } }, 'dall-e-3').value.quality).toBe('hd');
    const gemini = mapImageConfig({ visual: { resolution: '2K' } }, 'gpt-image');
    expect(gemini.value).not.toHaveProperty('quality');
    expect(gemini.warnings[0]).toMatch(/resolution "2K"/);
  });

  it('sends background to gpt-image and style to dall-e-3 only', () => {
    const visual = { background: 'transparent', style: 'natural' };
    expect(mapImageConfig({ visual }, 'gpt-image')).toEqual({
      value: { background: 'transparent' },
      warnings: ['style is a dall-e-3 setting; ignored for gpt-image'],
    });
    expect(mapImageConfig({ visual }, 'dall-e-3')).toEqual({
      value: { style: 'natural', response_format: 'b64_json' },
      warnings: ['background is a gpt-image setting; ignored for dall-e-3'],
    });
  });

  it('maps count to n within the family limits', () => {
    expect(mapImageConfig({ visual: { count: 3 } }, 'gpt-image').value.n).toBe(3);
    const dalle3 = mapImageConfig({ visual: { count: 3 } }, 'dall-e-3');
    expect(dalle3.value.n).toBe(1);
    expect(dalle3.warnings[0]).toMatch(/outside 1–1/);
    expect(mapImageConfig({ visual: { count: 40 } }, 'dall-e-2').value.n).toBe(10);
  });

  it('maps responseMimeType to output_format for gpt-image', () => {
    expect(
      mapImageConfig({ output: { responseMimeType: 'image/webp' } }, 'gpt-image').value.output_format,
    ).toBe('webp');
    expect(mapImageConfig({ output: { responseMimeType: 'image/webp' } }, 'dall-e-3').warnings).toHaveLength(
      1,
    );
    expect(mapImageConfig({ output: { responseMimeType: 'image/gif' } }, 'gpt-image').warnings[0]).toMatch(
      /image\/gif/,
    );
  });

  it('reports chat settings that do not apply to images', () => {
    const { value, warnings } = mapImageConfig(
      {
        core: { temperature: 0.5, maxTokens: 100 },
        reasoning: { effort: 'low' },
        toolConfig: { mode: 'ANY' },
      },
      'gpt-image',
    );
    expect(value).toEqual({});
    expect(warnings).toEqual([
      'temperature, maxTokens do not apply to image generation; ignored',
      'reasoning settings do not apply to image generation; ignored',
      'tools do not apply to image generation; ignored',
    ]);
  });
});
