import { describe, expect, it } from 'vitest';
import type { LLMGenerationConfig } from '../../spec/index.js';
import { DEFAULT_SAFETY_CATEGORIES, mapGeminiConfig } from './gemini-config.js';
import { geminiModel } from './test-support/gemini-fixtures.js';

const flash25 = geminiModel('gemini-2.5-flash');
const gemini3 = geminiModel('gemini-3-pro-preview');
const flash20 = geminiModel('gemini-2.0-flash');
const imageModel = geminiModel('gemini-2.5-flash-image');
const map = (config: LLMGenerationConfig, model = flash25) => mapGeminiConfig(config, model, 'BLOCK_NONE');

describe('mapGeminiConfig', () => {
  it('maps core sampling settings, stop → stopSequences, penalties, seed', () => {
    const { value, warnings } = map({
      core: {
        temperature: 0.2,
        maxTokens: 256,
        topP: 0.9,
        topK: 40,
        stop: 'END',
        presencePenalty: 0.5,
        frequencyPenalty: -0.5,
        seed: 7,
        repetitionPenalty: 1.1,
      },
    });
    expect(value.generationConfig).toEqual({
      temperature: 0.2,
      maxOutputTokens: 256,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      seed: 7,
    });
    expect(warnings).toEqual(['Gemini does not support repetitionPenalty; ignored']);
  });

  it('sends no generationConfig and the four default categories at the configured threshold when nothing is set', () => {
    const { value, warnings } = mapGeminiConfig({}, flash25, 'BLOCK_ONLY_HIGH');
    expect(value.generationConfig).toBeUndefined();
    expect(value.safetySettings).toEqual(
      DEFAULT_SAFETY_CATEGORIES.map((category) => ({ category, threshold: 'BLOCK_ONLY_HIGH' })),
    );
    expect(warnings).toEqual([]);
  });

  it('uses the given safety settings instead of the defaults', () => {
    const { value } = map({
      safety: { safetySettings: { HARM_CATEGORY_HATE_SPEECH: 'BLOCK_LOW_AND_ABOVE' } },
    });
    expect(value.safetySettings).toEqual([
      { category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_LOW_AND_ABOVE' },
    ]);
  });

  describe('thinking', () => {
    it('budget models: thinkingBudget (fraction of 32768, −1 dynamic, 0 off), includeThoughts', () => {
      expect(map({ reasoning: { budgetTokens: 0.25, showThoughts: true } }).value.generationConfig).toEqual({
        thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
      });
      expect(map({ reasoning: { budgetTokens: -1 } }).value.generationConfig?.thinkingConfig).toEqual({
        thinkingBudget: -1,
      });
      expect(map({ reasoning: { budgetTokens: 0 } }).value.generationConfig?.thinkingConfig).toEqual({
        thinkingBudget: 0,
      });
      expect(map({ reasoning: { budgetTokens: 1024.7 } }).value.generationConfig?.thinkingConfig).toEqual({
        thinkingBudget: 1024,
      });
    });

    it('budget models: effort is a warning, not a level (a level errors on Gemini 2.5)', () => {
      const { value, warnings } = map({ reasoning: { effort: 'high' } });
      expect(value.generationConfig).toBeUndefined();
      expect(warnings[0]).toContain('effort ignored');
    });

    it('level models: effort → thinkingLevel (MINIMAL/LOW/MEDIUM/HIGH); a budget is a warning', () => {
      const levels = (['minimal', 'low', 'medium', 'high'] as const).map(
        (effort) =>
          map({ reasoning: { effort } }, gemini3).value.generationConfig?.thinkingConfig?.thinkingLevel,
      );
      expect(levels).toEqual(['MINIMAL', 'LOW', 'MEDIUM', 'HIGH']);
      const { value, warnings } = map({ reasoning: { budgetTokens: 2048, showThoughts: true } }, gemini3);
      expect(value.generationConfig?.thinkingConfig).toEqual({ includeThoughts: true });
      expect(warnings[0]).toContain('budgetTokens ignored');
    });

    it('never adds thinking to a model that does not think (the seed forced thinkingBudget −1)', () => {
      const { value, warnings } = map(
        { reasoning: { budgetTokens: -1, showThoughts: true }, output: { responseFormat: 'json' } },
        flash20,
      );
      expect(value.generationConfig).toEqual({ responseMimeType: 'application/json' });
      expect(warnings).toEqual(['Gemini/gemini-2.0-flash does not think; reasoning settings ignored']);
      // Tools or JSON on a thinking model add nothing either.
      expect(
        map({ output: { responseFormat: 'json' } }).value.generationConfig?.thinkingConfig,
      ).toBeUndefined();
    });
  });

  it('JSON output: responseMimeType + responseJsonSchema (the caller schema, not copied)', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    const { value } = map({ output: { responseFormat: 'json', responseSchema: schema } });
    expect(value.generationConfig?.responseMimeType).toBe('application/json');
    expect(value.generationConfig?.responseJsonSchema).toBe(schema);
    expect(map({ output: { responseSchema: schema } }).value.generationConfig?.responseMimeType).toBe(
      'application/json',
    );
    expect(map({ output: { responseMimeType: 'text/x.enum' } }).value.generationConfig).toEqual({
      responseMimeType: 'text/x.enum',
    });
    expect(map({ output: { responseFormat: { type: 'json_object' } } }).warnings).toHaveLength(1);
  });

  it('visual: imageConfig (STANDARD→1K, HD→2K) for image models, mediaResolution for all', () => {
    const image = map(
      {
        visual: { aspectRatio: '16:9', resolution: 'HD', mediaResolution: 'HIGH' },
        output: { responseModalities: ['TEXT', 'IMAGE'] },
      },
      imageModel,
    );
    expect(image.value.generationConfig).toEqual({
      responseModalities: ['TEXT', 'IMAGE'],
      imageConfig: { aspectRatio: '16:9', imageSize: '2K' },
      mediaResolution: 'MEDIA_RESOLUTION_HIGH',
    });
    expect(
      map({ visual: { resolution: 'standard' } }, imageModel).value.generationConfig?.imageConfig,
    ).toEqual({
      imageSize: '1K',
    });
    expect(map({ visual: { resolution: '4k' } }, imageModel).value.generationConfig?.imageConfig).toEqual({
      imageSize: '4K',
    });
    const text = map({ visual: { aspectRatio: '1:1', mediaResolution: 'LOW' } });
    expect(text.value.generationConfig).toEqual({ mediaResolution: 'MEDIA_RESOLUTION_LOW' });
    expect(text.warnings[0]).toContain('does not generate images');
    const bad = map(
      { visual: { aspectRatio: '1024x1024', resolution: '8K', quality: 'hd', count: 2 } },
      imageModel,
    );
    expect(bad.value.generationConfig).toBeUndefined();
    expect(bad.warnings).toHaveLength(4);
  });

  it('customParams: merged into generationConfig with the seed renames; seed-only keys dropped; input untouched', () => {
    const customParams = {
      max_tokens: 100,
      top_k: 5,
      top_p: 0.5,
      candidateCount: 1,
      repetition_penalty: 1.2,
      reflexion_retries: 3,
      user_location: { latitude: 1, longitude: 2 },
    };
    const before = JSON.stringify(customParams);
    const { value, warnings } = map({ core: { maxTokens: 10 }, customParams });
    expect(value.generationConfig).toEqual({ maxOutputTokens: 100, topK: 5, topP: 0.5, candidateCount: 1 });
    expect(value.retrievalConfig).toEqual({ latLng: { latitude: 1, longitude: 2 } });
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(value.generationConfig)).not.toMatch(
      /repetition|reflexion|user_location|max_tokens/,
    );
    expect(JSON.stringify(customParams)).toBe(before);
  });
});
