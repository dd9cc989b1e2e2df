import { describe, expect, it } from 'vitest';
import type { LLMGenerationConfig, ModelCapabilities } from '../../spec/index.js';
import { applyCustomParams, isOpenAIReasoningModel, mapOpenAIConfig } from './openai-config.js';
import { OPENAI_DIALECTS, type OpenAIDialectName } from './openai-dialects.js';
import { testModel } from './test-support/openai-test-kit.js';

interface MapOptions {
  dialect?: OpenAIDialectName;
  id?: string;
  geminiCompat?: boolean;
  toolNames?: string[];
  capabilities?: Partial<ModelCapabilities>;
}

function map(config: LLMGenerationConfig, options: MapOptions = {}) {
  const dialect = options.dialect ?? 'openai';
  return mapOpenAIConfig(config, {
    profile: OPENAI_DIALECTS[dialect],
    quirks: { geminiCompat: options.geminiCompat ?? false },
    model: testModel({
      dialect,
      id: options.id ?? 'gpt-4o-mini',
      ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    }),
    toolNames: options.toolNames ?? [],
  });
}

const core: LLMGenerationConfig = {
  core: {
    temperature: 0.3,
    maxTokens: 256,
    topP: 0.9,
    topK: 40,
    frequencyPenalty: 0.1,
    presencePenalty: 0.2,
    repetitionPenalty: 1.1,
    stop: 'END',
    seed: 7,
  },
};
const sampling = {
  temperature: 0.3,
  top_p: 0.9,
  frequency_penalty: 0.1,
  presence_penalty: 0.2,
  stop: ['END'],
  seed: 7,
};

describe('mapOpenAIConfig: core settings per dialect', () => {
  it.each([
    ['openai', { ...sampling, max_tokens: 256 }, ['topK', 'repetitionPenalty']],
    ['deepseek', { ...sampling, max_tokens: 256, repetition_penalty: 1.1 }, ['topK']],
    ['zhipu', { ...sampling, max_tokens: 256, repetition_penalty: 1.1 }, ['topK']],
    ['ark', { ...sampling, max_tokens: 256 }, ['topK', 'repetitionPenalty']],
    ['openrouter', { ...sampling, max_tokens: 256, top_k: 40, repetition_penalty: 1.1 }, []],
  ] as const)('%s', (dialect, fields, ignored) => {
    const { value, warnings } = map(core, { dialect });
    expect(value.fields).toEqual(fields);
    expect(warnings).toEqual(ignored.map((name) => `${name} is not supported by ${dialect}; not sent`));
  });

  it('sends max_completion_tokens and no sampling settings to OpenAI reasoning models', () => {
    for (const id of ['o3-mini', 'o1', 'gpt-5-nano', 'openai/o4-mini']) {
      const { value, warnings } = map({ core: { temperature: 0.3, maxTokens: 100, seed: 1 } }, { id });
      expect(value.fields).toEqual({ max_completion_tokens: 100, seed: 1 });
      expect(warnings).toEqual([`temperature is not supported by reasoning model ${id}; not sent`]);
    }
    expect(
      map({ core: { temperature: 0.3, maxTokens: 100 } }, { id: 'gpt-5-chat-latest' }).value.fields,
    ).toEqual({
      temperature: 0.3,
      max_tokens: 100,
    });
    expect(
      map({ core: { maxTokens: 9 } }, { id: 'my-model', capabilities: { reasoningMode: 'effort' } }).value
        .fields,
    ).toEqual({
      max_completion_tokens: 9,
    });
    // Other dialects keep max_tokens (DeepSeek's reasoner, OpenRouter's o-series routing).
    expect(map({ core: { maxTokens: 9 } }, { dialect: 'openrouter', id: 'openai/o3' }).value.fields).toEqual({
      max_tokens: 9,
    });
  });

  it('limits OpenAI to four stop sequences, with a warning', () => {
    const { value, warnings } = map({ core: { stop: ['a', 'b', 'c', 'd', 'e'] } });
    expect(value.fields.stop).toEqual(['a', 'b', 'c', 'd']);
    expect(warnings).toEqual(['stop: OpenAI takes at most 4 sequences; the rest are not sent']);
    expect(
      map({ core: { stop: ['a', 'b', 'c', 'd', 'e'] } }, { dialect: 'deepseek' }).value.fields.stop,
    ).toHaveLength(5);
  });
});

describe('mapOpenAIConfig: reasoning per dialect', () => {
  const effort: LLMGenerationConfig = { reasoning: { effort: 'high' } };
  it.each([
    ['openai', 'o3-mini', { reasoning_effort: 'high' }, []],
    ['openai', 'gpt-4o-mini', {}, ['reasoning.effort: gpt-4o-mini is not a reasoning model; not sent']],
    ['ark', 'doubao-seed-1-6', { reasoning_effort: 'high' }, []],
    ['openrouter', 'openai/o3', { reasoning: { effort: 'high' } }, []],
    ['zhipu', 'glm-4.5', { thinking: { type: 'enabled' } }, []],
    ['deepseek', 'deepseek-reasoner', {}, ['reasoning.effort is not supported by deepseek; not sent']],
  ] as const)('%s %s', (dialect, id, fields, warnings) => {
    expect(map(effort, { dialect, id })).toEqual({ value: { fields }, warnings });
  });

  it('maps budgets and thought visibility where a dialect has them', () => {
    expect(
      map({ reasoning: { budgetTokens: 2048, showThoughts: false } }, { dialect: 'openrouter' }).value.fields,
    ).toEqual({
      reasoning: { max_tokens: 2048, exclude: true },
    });
    expect(map({ reasoning: { budgetTokens: 0 } }, { dialect: 'openrouter' }).value.fields).toEqual({
      reasoning: { enabled: false },
    });
    expect(map({ reasoning: { budgetTokens: 0 } }, { dialect: 'zhipu' }).value.fields).toEqual({
      thinking: { type: 'disabled' },
    });
    expect(
      map({ reasoning: { effort: 'low', budgetTokens: 500, showThoughts: true } }, { id: 'o3' }),
    ).toEqual({
      value: { fields: { reasoning_effort: 'low' } },
      warnings: [
        'reasoning.budgetTokens is not supported by openai; not sent',
        'reasoning.showThoughts: OpenAI chat completions do not return reasoning text',
      ],
    });
  });

  it("uses Gemini's OpenAI-compatible knobs: reasoning_effort, or a thinking budget via extra_body", () => {
    expect(
      map({ reasoning: { effort: 'low' } }, { id: 'gemini-2.5-flash', geminiCompat: true }).value.fields,
    ).toEqual({
      reasoning_effort: 'low',
    });
    expect(
      map(
        { reasoning: { budgetTokens: 0.25, showThoughts: true } },
        { id: 'gemini-2.5-flash', geminiCompat: true },
      ).value.fields,
    ).toEqual({
      extra_body: { google: { thinking_config: { thinking_budget: 8192, include_thoughts: true } } },
    });
  });
});

describe('mapOpenAIConfig: output format', () => {
  const schema = {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer' } },
    required: ['name'],
  };

  it('asks for JSON mode without a schema, and for strict json_schema with one', () => {
    expect(map({ output: { responseFormat: 'json' } }).value).toEqual({
      fields: { response_format: { type: 'json_object' } },
    });
    expect(map({ output: { responseMimeType: 'application/json' } }).value.fields).toEqual({
      response_format: { type: 'json_object' },
    });
    const { value, warnings } = map({ output: { responseFormat: 'json', responseSchema: schema } });
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      fields: {
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'structured_response',
            strict: true,
            schema: {
              type: 'object',
              properties: { name: { type: 'string' }, age: { type: ['integer', 'null'] } },
              required: ['name', 'age'],
              additionalProperties: false,
            },
          },
        },
      },
      responseOptionalPaths: ['/age'],
    });
  });

  it('sends a schema that cannot be strict with strict: false, unchanged', () => {
    const record = {
      type: 'object',
      properties: { scores: { type: 'object', additionalProperties: { type: 'number' } } },
    };
    const { value, warnings } = map({ output: { responseFormat: 'json', responseSchema: record } });
    expect(value.fields.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'structured_response', schema: record, strict: false },
    });
    expect(warnings).toEqual([expect.stringMatching(/^responseSchema cannot be strict \(record/)]);
  });

  it('uses JSON mode plus the schema in the prompt where json_schema is unsupported (DeepSeek) or the model lacks it', () => {
    for (const { dialect, capabilities } of [
      { dialect: 'deepseek' as const, capabilities: {} },
      { dialect: 'openai' as const, capabilities: { jsonSchema: false } },
    ]) {
      const { value } = map(
        { output: { responseFormat: 'json', responseSchema: schema } },
        { dialect, capabilities },
      );
      expect(value.fields).toEqual({ response_format: { type: 'json_object' } });
      expect(value.systemInstruction).toBe(
        `Reply with a JSON object that matches this JSON Schema:\n${JSON.stringify(schema)}`,
      );
    }
  });

  it('sends an object responseFormat verbatim and nothing for the tool_call and prompt strategies', () => {
    const verbatim = { type: 'json_schema', json_schema: { name: 'x', schema: {} } };
    expect(map({ output: { responseFormat: verbatim } }).value.fields.response_format).toBe(verbatim);
    for (const strategy of ['tool_call', 'prompt'] as const) {
      expect(
        map({
          output: { responseFormat: 'json', responseSchema: schema, structuredOutputStrategy: strategy },
        }),
      ).toEqual({
        value: { fields: {} },
        warnings: [],
      });
    }
    expect(map({ output: { responseFormat: 'text', responseSchema: schema } }).warnings).toEqual([
      'responseSchema is ignored with responseFormat "text"',
    ]);
  });

  it('maps output modalities for OpenRouter image models and warns elsewhere', () => {
    expect(
      map({ output: { responseModalities: ['IMAGE'] } }, { dialect: 'openrouter' }).value.fields,
    ).toEqual({
      modalities: ['image', 'text'],
    });
    expect(map({ output: { responseFormat: 'multimodal' } }, { dialect: 'openrouter' }).value.fields).toEqual(
      {
        modalities: ['text', 'image'],
      },
    );
    expect(map({ output: { responseModalities: ['TEXT', 'IMAGE'] } })).toEqual({
      value: { fields: {} },
      warnings: ['IMAGE output is not supported by openai; not sent'],
    });
    expect(map({ output: { responseModalities: ['TEXT', 'AUDIO'] } })).toEqual({
      value: { fields: { modalities: ['text', 'audio'] } },
      warnings: ['AUDIO output needs customParams.audio ({ voice, format }) on OpenAI'],
    });
  });
});

describe('mapOpenAIConfig: other components', () => {
  it('sends tool_choice only with tools', () => {
    expect(
      map({ toolConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } }, { toolNames: ['f', 'g'] }).value
        .fields,
    ).toEqual({
      tool_choice: { type: 'function', function: { name: 'f' } },
    });
    expect(map({ toolConfig: { mode: 'AUTO' } }).value.fields).toEqual({});
  });

  it('warns about Gemini-only settings: native tools, safety, visual (except OpenRouter image_config)', () => {
    const config: LLMGenerationConfig = {
      nativeTools: [{ kind: 'provider', provider: 'gemini', type: 'google_search' }],
      safety: { safetySettings: { HARM_CATEGORY_HARASSMENT: 'BLOCK_NONE' } },
      visual: { aspectRatio: '16:9', resolution: '2K', mediaResolution: 'LOW' },
    };
    expect(map(config)).toEqual({
      value: { fields: {} },
      warnings: [
        'visual.aspectRatio is not supported by openai; not sent',
        'visual.resolution is not supported by openai; not sent',
        'visual.mediaResolution is not supported by openai; not sent',
        'safetySettings is not supported by openai; not sent',
        'native tool gemini.google_search is not supported by openai; not sent',
      ],
    });
    expect(
      map({ visual: { aspectRatio: '16:9', resolution: '2K' } }, { dialect: 'openrouter' }).value.fields,
    ).toEqual({
      image_config: { aspect_ratio: '16:9', image_size: '2K' },
    });
  });

  it('names the Gemini OpenAI-compatible endpoint in warnings', () => {
    expect(map({ core: { topK: 3 } }, { geminiCompat: true }).warnings).toEqual([
      "topK is not supported by Gemini's OpenAI-compatible endpoint; not sent",
    ]);
  });
});

describe('applyCustomParams', () => {
  it('merges verbatim and last, a string stop becoming a list', () => {
    const body: Record<string, unknown> = { model: 'm', tool_choice: 'auto', temperature: 1 };
    applyCustomParams(body, { tool_choice: 'none', stop: 'X', top_a: 0.1 });
    expect(body).toEqual({ model: 'm', tool_choice: 'none', temperature: 1, stop: ['X'], top_a: 0.1 });
  });
});

describe('isOpenAIReasoningModel', () => {
  it.each([
    ['o1', true],
    ['o3-mini', true],
    ['gpt-5', true],
    ['gpt-5-chat-latest', false],
    ['gpt-4o', false],
    ['omni-moderation', false],
  ])('%s → %s', (id, expected) => {
    expect(isOpenAIReasoningModel(testModel({ id }))).toBe(expected);
  });
});
