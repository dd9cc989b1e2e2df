import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import type { LLMGenerationConfig } from '../spec/index.js';
import { validateGenerationConfig } from './validate-generation-config.js';

function issuesOf(config: unknown, path?: string): { path: string; message: string }[] {
  try {
    validateGenerationConfig(config, path);
  } catch (error) {
    if (!LLMError.isInstance(error)) throw error;
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.retryable).toBe(false);
    return error.details?.issues as { path: string; message: string }[];
  }
  throw new Error('expected validateGenerationConfig to throw');
}

const full: LLMGenerationConfig = {
  core: {
    temperature: 0.7,
    maxTokens: 1024,
    topP: 0.9,
    topK: 40,
    frequencyPenalty: -1.5,
    presencePenalty: 2,
    repetitionPenalty: 1.1,
    stop: ['END', '###'],
    seed: 42,
  },
  reasoning: { effort: 'medium', budgetTokens: 2048, showThoughts: true },
  visual: { aspectRatio: '16:9', resolution: '2K', mediaResolution: 'HIGH', quality: 'hd', count: 2 },
  output: {
    responseFormat: 'json',
    responseMimeType: 'application/json',
    responseSchema: { type: 'object', properties: { a: { type: 'string' } } },
    responseModalities: ['TEXT', 'IMAGE'],
    structuredOutputStrategy: 'tool_call',
  },
  safety: { safetySettings: { HARM_CATEGORY_HARASSMENT: 'BLOCK_ONLY_HIGH' } },
  toolConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
  nativeTools: [
    { kind: 'provider', provider: 'gemini', type: 'code_execution' },
    { kind: 'provider', provider: 'gemini', type: 'url_context', urls: ['https://example.com/a'] },
  ],
  customParams: { logprobs: true, nested: { a: [1] } },
};

describe('validateGenerationConfig', () => {
  it('returns a valid, canonical config itself (no copy on the hot path)', () => {
    expect(validateGenerationConfig(full)).toBe(full);
    expect(validateGenerationConfig({})).toEqual({});
  });

  it('treats undefined/null as an empty config and null fields as unset', () => {
    expect(validateGenerationConfig(undefined)).toEqual({});
    expect(validateGenerationConfig(null)).toEqual({});
    const withNulls = { core: { temperature: null, maxTokens: 5 }, reasoning: null };
    expect(validateGenerationConfig(withNulls)).toBe(withNulls);
  });

  it('accepts the boundaries of every range', () => {
    for (const core of [
      { temperature: 0 },
      { temperature: 2 },
      { topP: 0 },
      { topP: 1 },
      { frequencyPenalty: -2, presencePenalty: 2 },
      { repetitionPenalty: 0 },
      { repetitionPenalty: 2 },
      { maxTokens: 1, topK: 1 },
      { stop: 'STOP' },
      { seed: -7 },
    ]) {
      expect(() => validateGenerationConfig({ core })).not.toThrow();
    }
    for (const budgetTokens of [-1, 0, 0.25, 1, 1024, 32768]) {
      expect(() => validateGenerationConfig({ reasoning: { budgetTokens } })).not.toThrow();
    }
  });

  it('reports every bad field by path in one error', () => {
    const issues = issuesOf({
      core: {
        temperature: 2.5,
        maxTokens: 0,
        topP: 1.01,
        topK: 0,
        frequencyPenalty: -2.1,
        presencePenalty: Number.NaN,
        repetitionPenalty: 3,
        stop: ['ok', 7],
        seed: 1.5,
      },
      reasoning: { effort: 'extreme', budgetTokens: -2, showThoughts: 'yes' },
      visual: { aspectRatio: 'wide', mediaResolution: 'ULTRA', count: 0, resolution: '' },
      output: {
        responseFormat: 'xml',
        responseSchema: 'not a schema',
        responseModalities: ['TEXT', 'VIDEO'],
        structuredOutputStrategy: 'magic',
      },
      safety: { safetySettings: { HARM_CATEGORY_HARASSMENT: 3 } },
      toolConfig: { mode: 'SOMETIMES', allowedFunctionNames: [''] },
      customParams: 'x',
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      'config.core.temperature',
      'config.core.maxTokens',
      'config.core.topP',
      'config.core.topK',
      'config.core.frequencyPenalty',
      'config.core.presencePenalty',
      'config.core.repetitionPenalty',
      'config.core.stop[1]',
      'config.core.seed',
      'config.reasoning.effort',
      'config.reasoning.budgetTokens',
      'config.reasoning.showThoughts',
      'config.visual.aspectRatio',
      'config.visual.mediaResolution',
      'config.visual.count',
      'config.visual.resolution',
      'config.output.responseFormat',
      'config.output.responseSchema',
      'config.output.responseModalities[1]',
      'config.output.structuredOutputStrategy',
      'config.safety.safetySettings.HARM_CATEGORY_HARASSMENT',
      'config.toolConfig.mode',
      'config.toolConfig.allowedFunctionNames[0]',
      'config.customParams',
    ]);
  });

  it('says what is expected in the message', () => {
    try {
      validateGenerationConfig({ core: { temperature: 3, maxTokens: 1.5 } });
      expect.unreachable();
    } catch (error) {
      const message = (error as LLMError).message;
      expect(message).toContain('config.core.temperature: must be between 0 and 2 (got 3)');
      expect(message).toContain('config.core.maxTokens: must be a positive integer (got 1.5)');
    }
    expect(issuesOf({ reasoning: { budgetTokens: 1.5 } })[0]?.message).toContain('fraction between 0 and 1');
    expect(issuesOf({ reasoning: { effort: 'extreme' } })[0]?.message).toBe(
      "must be one of minimal, low, medium, high (got 'extreme')",
    );
  });

  it('rejects non-finite and non-number values', () => {
    for (const temperature of [Number.POSITIVE_INFINITY, '0.5', true, [1]]) {
      expect(issuesOf({ core: { temperature } })[0]?.path).toBe('config.core.temperature');
    }
  });

  it('reports unknown components and fields, hinting the camelCase name', () => {
    const issues = issuesOf({
      tool_config: { mode: 'AUTO' },
      enableCaching: true,
      core: { max_tokens: 10, temprature: 1 },
    });
    expect(issues).toEqual([
      { path: 'config.tool_config', message: 'unknown component; did you mean toolConfig?' },
      {
        path: 'config.enableCaching',
        message: expect.stringContaining('unknown component (expected core, reasoning, visual'),
      },
      { path: 'config.core.max_tokens', message: 'unknown field; did you mean maxTokens?' },
      {
        path: 'config.core.temprature',
        message: expect.stringContaining('unknown field (expected temperature'),
      },
    ]);
  });

  it('rejects non-object configs and components', () => {
    expect(issuesOf('hot')).toEqual([{ path: 'config', message: "must be an object (got 'hot')" }]);
    expect(issuesOf([])).toEqual([{ path: 'config', message: 'must be an object (got an array)' }]);
    expect(issuesOf({ core: 5 })[0]?.path).toBe('config.core');
    expect(issuesOf({ core: 5 }, 'options.config')[0]?.path).toBe('options.config.core');
  });

  it('checks native tools', () => {
    const issues = issuesOf({
      nativeTools: [
        { kind: 'provider', provider: 'gemini', type: 'url_context' },
        { kind: 'provider', provider: 'openai', type: 'web_search' },
        { kind: 'provider', provider: 'gemini', type: 'google_search', urls: ['https://a.example'] },
        'code_execution',
      ],
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      'config.nativeTools[0].urls',
      'config.nativeTools[1].provider',
      'config.nativeTools[1].type',
      'config.nativeTools[2].urls',
      'config.nativeTools[3]',
    ]);
    expect(issuesOf({ nativeTools: {} })[0]?.path).toBe('config.nativeTools');
  });

  it('normalises casing and aliases into a copy, leaving the input untouched', () => {
    const input = {
      reasoning: { effort: 'HIGH' },
      toolConfig: { mode: 'required', allowedFunctionNames: ['f'] },
      visual: { mediaResolution: 'low' },
      output: {
        responseModalities: ['text', 'IMAGE'],
        structuredOutputStrategy: 'NATIVE',
        responseFormat: 'JSON',
      },
      core: { temperature: 1 },
    };
    const before = structuredClone(input);
    const out = validateGenerationConfig(input);
    expect(out).toEqual({
      reasoning: { effort: 'high' },
      toolConfig: { mode: 'ANY', allowedFunctionNames: ['f'] },
      visual: { mediaResolution: 'LOW' },
      output: {
        responseModalities: ['TEXT', 'IMAGE'],
        structuredOutputStrategy: 'native',
        responseFormat: 'json',
      },
      core: { temperature: 1 },
    });
    expect(input).toEqual(before);
    expect(out.core).toBe(input.core);
    expect(validateGenerationConfig({ toolConfig: { mode: 'auto' } }).toolConfig?.mode).toBe('AUTO');
  });

  it('accepts an OpenAI response_format object and converts a zod responseSchema', () => {
    const responseFormat = { type: 'json_object' };
    expect(validateGenerationConfig({ output: { responseFormat } }).output?.responseFormat).toBe(
      responseFormat,
    );
    const out = validateGenerationConfig({ output: { responseSchema: z.object({ n: z.number() }) } });
    expect(out.output?.responseSchema).toEqual({
      type: 'object',
      properties: { n: { type: 'number' } },
      required: ['n'],
    });
    expect(issuesOf({ output: { responseSchema: z.object({ at: z.date() }) } })).toEqual([
      {
        path: 'config.output.responseSchema',
        message: expect.stringContaining('Date cannot be represented'),
      },
    ]);
  });
});
