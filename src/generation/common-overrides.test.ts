import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import { CommonOverrides, GEMINI_SAFETY_CATEGORIES } from './common-overrides.js';
import { mergeGenerationConfig } from './merge-generation-config.js';
import { validateGenerationConfig } from './validate-generation-config.js';

function errorOf(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

describe('CommonOverrides', () => {
  it('geminiJson asks for JSON', () => {
    expect(CommonOverrides.geminiJson()).toEqual({
      output: { responseFormat: 'json', responseMimeType: 'application/json' },
    });
  });

  it('gemini25Thinking sets the budget, shows thoughts, temperature 1', () => {
    expect(CommonOverrides.gemini25Thinking()).toEqual({
      core: { temperature: 1 },
      reasoning: { budgetTokens: -1, showThoughts: true },
    });
    expect(CommonOverrides.gemini25Thinking(2048).reasoning?.budgetTokens).toBe(2048);
    expect(CommonOverrides.gemini25Thinking(0).reasoning?.budgetTokens).toBe(0);
    expect(errorOf(() => CommonOverrides.gemini25Thinking(-3)).code).toBe('INVALID_PARAMETER');
  });

  it('gemini3Thinking sets the level in any casing and rejects unknown levels (no silent HIGH)', () => {
    expect(CommonOverrides.gemini3Thinking()).toEqual({ reasoning: { effort: 'high', showThoughts: true } });
    expect(CommonOverrides.gemini3Thinking('low').reasoning?.effort).toBe('low');
    expect(CommonOverrides.gemini3Thinking('MINIMAL').reasoning?.effort).toBe('minimal');
    const error = errorOf(() => CommonOverrides.gemini3Thinking('ULTRA' as 'HIGH'));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain('gemini3Thinking.level');
    expect(error.message).toContain("'ULTRA'");
  });

  it('geminiStructured constrains the answer to the schema (zod or JSON Schema)', () => {
    const config = CommonOverrides.geminiStructured(z.object({ answer: z.string().describe('The answer') }));
    expect(config).toEqual({
      output: {
        responseFormat: 'json',
        responseMimeType: 'application/json',
        responseSchema: {
          type: 'object',
          properties: { answer: { type: 'string', description: 'The answer' } },
          required: ['answer'],
        },
      },
    });
    const json = { type: 'object', properties: { n: { type: 'number' } } };
    const fromJson = CommonOverrides.geminiStructured(json);
    expect(fromJson.output?.responseSchema).toEqual(json);
    expect(fromJson.output?.responseSchema).not.toBe(json);
  });

  it('geminiSafe sets the four categories at the threshold', () => {
    const expected = (threshold: string) =>
      Object.fromEntries(GEMINI_SAFETY_CATEGORIES.map((category) => [category, threshold]));
    expect(CommonOverrides.geminiSafe()).toEqual({
      safety: { safetySettings: expected('BLOCK_MEDIUM_AND_ABOVE') },
    });
    expect(CommonOverrides.geminiSafe('BLOCK_ONLY_HIGH').safety?.safetySettings).toEqual(
      expected('BLOCK_ONLY_HIGH'),
    );
    expect(CommonOverrides.geminiSafe('block_none' as 'BLOCK_NONE').safety?.safetySettings).toEqual(
      expected('BLOCK_NONE'),
    );
    expect(Object.keys(CommonOverrides.geminiSafe().safety!.safetySettings!)).toHaveLength(4);
    expect(errorOf(() => CommonOverrides.geminiSafe('BLOCK_SOME' as 'OFF')).message).toContain(
      'geminiSafe.threshold',
    );
  });

  it('geminiCodeExecution attaches the code-execution tool and no custom params', () => {
    expect(CommonOverrides.geminiCodeExecution()).toEqual({
      nativeTools: [{ kind: 'provider', provider: 'gemini', type: 'code_execution' }],
    });
  });

  it('geminiGrounding attaches Google Search and no custom params that could leak into OpenAI bodies', () => {
    const config = CommonOverrides.geminiGrounding();
    expect(config).toEqual({
      nativeTools: [{ kind: 'provider', provider: 'gemini', type: 'google_search' }],
    });
    expect(config.customParams).toBeUndefined();
  });

  it('geminiNanoBanana sets a valid aspect ratio and rejects others', () => {
    expect(CommonOverrides.geminiNanoBanana()).toEqual({ visual: { aspectRatio: '16:9' } });
    expect(CommonOverrides.geminiNanoBanana('21:9').visual?.aspectRatio).toBe('21:9');
    const error = errorOf(() => CommonOverrides.geminiNanoBanana('7:3' as '1:1'));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain('geminiNanoBanana.aspectRatio');
  });

  it('geminiHighRes sets high media resolution and a valid Gemini image size', () => {
    expect(CommonOverrides.geminiHighRes()).toEqual({
      visual: { mediaResolution: 'HIGH', resolution: '2K' },
    });
  });

  it('returns a new config on every call, valid and mergeable', () => {
    const first = CommonOverrides.geminiSafe();
    first.safety!.safetySettings!.HARM_CATEGORY_HARASSMENT = 'OFF';
    expect(CommonOverrides.geminiSafe().safety?.safetySettings?.HARM_CATEGORY_HARASSMENT).toBe(
      'BLOCK_MEDIUM_AND_ABOVE',
    );
    const tools = CommonOverrides.geminiCodeExecution();
    tools.nativeTools!.pop();
    expect(CommonOverrides.geminiCodeExecution().nativeTools).toHaveLength(1);

    const presets = [
      CommonOverrides.geminiJson(),
      CommonOverrides.gemini25Thinking(),
      CommonOverrides.gemini3Thinking(),
      CommonOverrides.geminiStructured({ type: 'object' }),
      CommonOverrides.geminiSafe(),
      CommonOverrides.geminiCodeExecution(),
      CommonOverrides.geminiGrounding(),
      CommonOverrides.geminiNanoBanana(),
      CommonOverrides.geminiHighRes(),
    ];
    for (const preset of presets) expect(validateGenerationConfig(preset)).toBe(preset);
    const combined = presets.reduce((acc, preset) => mergeGenerationConfig(acc, preset), {});
    expect(combined.nativeTools?.map((tool) => tool.type)).toEqual(['code_execution', 'google_search']);
    expect(Object.isFrozen(CommonOverrides)).toBe(true);
  });
});
