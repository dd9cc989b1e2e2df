import { describe, expect, it } from 'vitest';
import type { FunctionToolSpec } from '../../spec/index.js';
import { imageDetailOf, mapResponsesConfig, mapResponsesToolChoice } from './responses-config.js';
import { testModel } from './test-support/resolved-model.js';

const model = testModel('gpt-5-mini', 'openai_responses');
const plainModel = testModel('gpt-4.1-mini', 'openai_responses', { capabilities: { reasoningMode: 'none' } });
/** The body fields of a mapping, with its warnings. */
function mapFields(...args: Parameters<typeof mapResponsesConfig>) {
  const { value, warnings } = mapResponsesConfig(...args);
  return { value: value.fields, warnings };
}

const strictSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer' } },
  required: ['city', 'days'],
  additionalProperties: false,
};

describe('mapResponsesConfig', () => {
  it('maps sampling settings to their Responses names', () => {
    const { value, warnings } = mapFields(
      { core: { maxTokens: 500, temperature: 0.3, topP: 0.9 } },
      plainModel,
    );
    expect(value).toEqual({ max_output_tokens: 500, temperature: 0.3, top_p: 0.9 });
    expect(value).not.toHaveProperty('max_tokens');
    expect(warnings).toEqual([]);
  });

  it('sends reasoning settings, and no sampling settings, to reasoning models', () => {
    const { value, warnings } = mapFields(
      {
        core: { maxTokens: 500, temperature: 0.3, topP: 0.9 },
        reasoning: { effort: 'low', showThoughts: true },
      },
      model,
    );
    expect(value).toEqual({ max_output_tokens: 500, reasoning: { effort: 'low', summary: 'auto' } });
    expect(warnings).toEqual([
      'temperature is not supported by reasoning model gpt-5-mini; not sent',
      'topP is not supported by reasoning model gpt-5-mini; not sent',
    ]);
  });

  it('raises max_output_tokens to the API minimum of 16 with a warning', () => {
    const { value, warnings } = mapFields({ core: { maxTokens: 5 } }, model);
    expect(value.max_output_tokens).toBe(16);
    expect(warnings[0]).toMatch(/maxTokens 5 raised to 16/);
  });

  it('warns about every setting the Responses API has no field for', () => {
    const { value, warnings } = mapFields(
      {
        core: {
          topK: 3,
          stop: ['END'],
          seed: 7,
          frequencyPenalty: 1,
          presencePenalty: 1,
          repetitionPenalty: 1.1,
        },
        reasoning: { budgetTokens: 1024 },
        safety: { safetySettings: { HARM_CATEGORY_HARASSMENT: 'BLOCK_NONE' } },
        visual: { aspectRatio: '16:9' },
        nativeTools: [{ kind: 'provider', provider: 'gemini', type: 'google_search' }],
      },
      model,
    );
    expect(value).toEqual({});
    for (const word of [
      'topK',
      'stop is',
      'seed',
      'frequencyPenalty',
      'presencePenalty',
      'repetitionPenalty',
      'budgetTokens',
      'safetySettings',
      'aspectRatio',
      'google_search',
    ]) {
      expect(warnings.some((w) => w.includes(word))).toBe(true);
    }
  });

  it('drops reasoning settings for models that do not reason', () => {
    const { value, warnings } = mapFields({ reasoning: { effort: 'high' } }, plainModel);
    expect(value).not.toHaveProperty('reasoning');
    expect(warnings).toEqual(['gpt-4.1-mini is not a reasoning model; reasoning settings not sent']);
  });

  it('asks for a JSON object without a schema', () => {
    const { value } = mapFields({ output: { responseFormat: 'json' } }, model);
    expect(value.text).toEqual({ format: { type: 'json_object' } });
    expect(value).not.toHaveProperty('response_format');
  });

  it('sends a strict json_schema format when the schema is strict-compatible', () => {
    const { value, warnings } = mapFields(
      { output: { responseFormat: 'json', responseSchema: strictSchema } },
      model,
    );
    expect(value.text).toEqual({
      format: { type: 'json_schema', name: 'structured_response', schema: strictSchema, strict: true },
    });
    expect(warnings).toEqual([]);
  });

  it('converts a schema with optional properties to strict form', () => {
    const loose = { type: 'object', properties: { city: { type: 'string' } } };
    const { value, warnings } = mapFields({ output: { responseSchema: loose } }, model);
    expect(value.text).toEqual({
      format: {
        type: 'json_schema',
        name: 'structured_response',
        schema: {
          type: 'object',
          properties: { city: { type: ['string', 'null'] } },
          required: ['city'],
          additionalProperties: false,
        },
        strict: true,
      },
    });
    expect(warnings).toEqual([]);
  });

  it('sends strict: false with the reason when the schema has no strict form', () => {
    const map = { type: 'object', additionalProperties: { type: 'number' } };
    const { value, warnings } = mapFields({ output: { responseSchema: map } }, model);
    expect(value.text).toEqual({
      format: { type: 'json_schema', name: 'structured_response', schema: map, strict: false },
    });
    expect(warnings[0]).toMatch(/^responseSchema cannot be strict \(/);
  });

  it('falls back to json_object plus a schema instruction for models without native JSON schema', () => {
    const noSchema = testModel('relay-model', 'openai_responses', { capabilities: { jsonSchema: false } });
    const { value, warnings } = mapResponsesConfig({ output: { responseSchema: strictSchema } }, noSchema);
    expect(value.fields.text).toEqual({ format: { type: 'json_object' } });
    expect(value.jsonInstruction).toBe(
      `Reply with a JSON object that matches this JSON Schema:\n${JSON.stringify(strictSchema)}`,
    );
    expect(warnings).toHaveLength(1);
  });

  it('ignores a schema when the format is text', () => {
    const { value, warnings } = mapFields(
      { output: { responseFormat: 'text', responseSchema: strictSchema } },
      model,
    );
    expect(value).toEqual({});
    expect(warnings).toEqual(['responseSchema is ignored with responseFormat "text"']);
  });

  it('leaves the format alone when structured output uses tools or prompting', () => {
    for (const strategy of ['tool_call', 'prompt'] as const) {
      const { value } = mapFields(
        {
          output: {
            responseFormat: 'json',
            responseSchema: strictSchema,
            structuredOutputStrategy: strategy,
          },
        },
        model,
      );
      expect(value).not.toHaveProperty('text');
    }
  });

  it('moves a verbatim chat-completions response_format to the flat text.format shape', () => {
    const { value } = mapFields(
      {
        output: {
          responseFormat: {
            type: 'json_schema',
            json_schema: { name: 'trip', schema: strictSchema, strict: true },
          },
        },
      },
      model,
    );
    expect(value.text).toEqual({
      format: { type: 'json_schema', name: 'trip', schema: strictSchema, strict: true },
    });
  });
});

describe('mapResponsesToolChoice', () => {
  const tools: FunctionToolSpec[] = [
    { name: 'get_weather', parameters: { type: 'object' } },
    { name: 'get_time', parameters: { type: 'object' } },
  ];

  it('takes the call option first and forces a named function in the Responses shape', () => {
    const { value } = mapResponsesToolChoice({ toolConfig: { mode: 'NONE' } }, { name: 'get_time' }, tools);
    expect(value).toEqual({ type: 'function', name: 'get_time' });
    expect(mapResponsesToolChoice({}, 'required', tools).value).toBe('required');
  });

  it('maps toolConfig modes and allowed names', () => {
    expect(mapResponsesToolChoice({ toolConfig: { mode: 'ANY' } }, undefined, tools).value).toBe('required');
    expect(mapResponsesToolChoice({ toolConfig: { mode: 'NONE' } }, undefined, tools).value).toBe('none');
    expect(
      mapResponsesToolChoice(
        { toolConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
        undefined,
        tools,
      ).value,
    ).toEqual({ type: 'function', name: 'get_weather' });
    expect(
      mapResponsesToolChoice(
        { toolConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather', 'get_time'] } },
        undefined,
        tools,
      ).value,
    ).toEqual({
      type: 'allowed_tools',
      mode: 'required',
      tools: [
        { type: 'function', name: 'get_weather' },
        { type: 'function', name: 'get_time' },
      ],
    });
  });

  it('sends no tool_choice without function tools, and reports a forced one', () => {
    expect(mapResponsesToolChoice({ toolConfig: { mode: 'AUTO' } }, undefined, []).value).toBeUndefined();
    const forced = mapResponsesToolChoice({}, { name: 'get_weather' }, []);
    expect(forced.value).toBeUndefined();
    expect(forced.warnings.join(' ')).toMatch(/not among the tools sent/);
  });
});

describe('imageDetailOf', () => {
  it('maps mediaResolution to the input image detail', () => {
    expect(imageDetailOf({})).toBe('auto');
    expect(imageDetailOf({ visual: { mediaResolution: 'LOW' } })).toBe('low');
    expect(imageDetailOf({ visual: { mediaResolution: 'MEDIUM' } })).toBe('auto');
    expect(imageDetailOf({ visual: { mediaResolution: 'HIGH' } })).toBe('high');
  });
});
