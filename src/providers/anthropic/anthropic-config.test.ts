import { describe, expect, it } from 'vitest';
import type { LLMGenerationConfig } from '../../spec/index.js';
import { ANTHROPIC_DEFAULT_MAX_TOKENS, mapAnthropicConfig } from './anthropic-config.js';
import { anthropicModel, requestBody } from './test-support/anthropic-fixtures.js';

const haiku = anthropicModel('claude-haiku-4-5-20251001');
const map = (config: LLMGenerationConfig, model = haiku) => mapAnthropicConfig(config, model);

describe('mapAnthropicConfig', () => {
  it('max_tokens is always sent: the call, else the model default, else 4096', () => {
    expect(map({}).value.max_tokens).toBe(ANTHROPIC_DEFAULT_MAX_TOKENS);
    expect(ANTHROPIC_DEFAULT_MAX_TOKENS).toBe(4096);
    expect(map({}, anthropicModel('claude-haiku-4-5', { maxTokens: 64000 })).value.max_tokens).toBe(64000);
    expect(
      map({ core: { maxTokens: 100 } }, anthropicModel('claude-haiku-4-5', { maxTokens: 64000 })).value
        .max_tokens,
    ).toBe(100);
  });

  it('sampling: temperature (clamped to 1), top_p, top_k, stop → stop_sequences; unsupported settings warn', () => {
    const { value, warnings } = map({
      core: { temperature: 0.3, topP: 0.9, topK: 40, stop: 'Paris', frequencyPenalty: 1, seed: 7 },
    });
    expect(value).toMatchObject({ temperature: 0.3, top_p: 0.9, top_k: 40, stop_sequences: ['Paris'] });
    expect(warnings).toEqual([
      'Anthropic does not support frequencyPenalty; ignored',
      'Anthropic does not support seed; ignored',
    ]);
    const hot = map({ core: { temperature: 1.5, stop: ['a', 'b'] } });
    expect(hot.value).toMatchObject({ temperature: 1, stop_sequences: ['a', 'b'] });
    expect(hot.warnings).toEqual(['Anthropic temperature is 0–1; 1.5 sent as 1']);
  });

  it('budgetTokens → thinking enabled with that budget (the recorded thinking request)', () => {
    const recorded = requestBody('anthropic/messages-thinking.exchange.json');
    const { value, warnings } = map({ core: { maxTokens: 64000 }, reasoning: { budgetTokens: 1024 } });
    expect(value.thinking).toEqual(recorded.thinking);
    expect(value.max_tokens).toBe(recorded.max_tokens);
    expect(warnings).toEqual([]);
  });

  it('effort levels map to budgets; −1 is half of max_tokens; fractions are shares of 32768; 0 is off', () => {
    const budget = (config: LLMGenerationConfig) =>
      map({ core: { maxTokens: 40000 }, ...config }).value.thinking;
    expect(budget({ reasoning: { effort: 'minimal' } })).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(budget({ reasoning: { effort: 'low' } })).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(budget({ reasoning: { effort: 'medium' } })).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(budget({ reasoning: { effort: 'high' } })).toEqual({ type: 'enabled', budget_tokens: 16384 });
    expect(budget({ reasoning: { budgetTokens: -1, showThoughts: true } })).toEqual({
      type: 'enabled',
      budget_tokens: 20000,
    });
    expect(budget({ reasoning: { budgetTokens: 0.25 } })).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(budget({ reasoning: { budgetTokens: 0 } })).toBeUndefined();
  });

  it('budgets are at least 1024 and below max_tokens (half of it when asked for more); too small a max_tokens disables thinking', () => {
    const high = map({ reasoning: { effort: 'high' } });
    expect(high.value.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(high.warnings).toEqual([
      'Anthropic thinking budget must be below max_tokens (4096); 16384 sent as 2048 (raise maxTokens for more)',
    ]);
    expect(map({ reasoning: { budgetTokens: 3000 } }).value.thinking).toEqual({
      type: 'enabled',
      budget_tokens: 3000,
    });
    expect(map({ core: { stop: [] } }).value).not.toHaveProperty('stop_sequences');
    const low = map({ reasoning: { budgetTokens: 100 } });
    expect(low.value.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(low.warnings[0]).toMatch(/start at 1024/);
    const tiny = map({ core: { maxTokens: 1000 }, reasoning: { budgetTokens: 2000 } });
    expect(tiny.value.thinking).toBeUndefined();
    expect(tiny.warnings[0]).toMatch(/needs max_tokens above 1024/);
  });

  it('while thinking, temperature and top_k are dropped and top_p is kept only within 0.95–1', () => {
    const { value, warnings } = map({
      core: { temperature: 0.2, topK: 5, topP: 0.5 },
      reasoning: { budgetTokens: 2000 },
    });
    expect(value).not.toHaveProperty('temperature');
    expect(value).not.toHaveProperty('top_k');
    expect(value).not.toHaveProperty('top_p');
    expect(warnings).toHaveLength(3);
    expect(
      map({ core: { temperature: 1, topP: 0.97 }, reasoning: { budgetTokens: 2000 } }).value,
    ).toMatchObject({
      temperature: 1,
      top_p: 0.97,
    });
  });

  it('models that do not think ignore reasoning with a warning; effort with a budget warns', () => {
    const old = map({ reasoning: { budgetTokens: 2000 } }, anthropicModel('claude-3-5-sonnet-20241022'));
    expect(old.value.thinking).toBeUndefined();
    expect(old.warnings).toEqual([
      'Anthropic/claude-3-5-sonnet-20241022 does not think; reasoning settings ignored',
    ]);
    expect(map({ reasoning: { effort: 'low', budgetTokens: 2000 } }).warnings[0]).toMatch(/effort ignored/);
    expect(map({ reasoning: { showThoughts: true } }).warnings[0]).toMatch(/showThoughts ignored/);
  });

  it('responseSchema → output_config.format with a closed schema (the recorded structured-output request)', () => {
    const recorded = requestBody('anthropic/messages-structured-output.exchange.json');
    const { value, warnings } = map({
      output: {
        responseSchema: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            age: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
          },
          required: ['name', 'age'],
        },
      },
    });
    expect(value.output_config).toEqual(recorded.output_config);
    expect(warnings).toEqual([]);
  });

  it('an OpenAI json_schema response format is read; JSON mode without a schema and other modalities warn', () => {
    const schema = { type: 'object', properties: {} };
    const fromOpenAI = map({
      output: { responseFormat: { type: 'json_schema', json_schema: { name: 'x', schema } } },
    });
    expect(fromOpenAI.value.output_config?.format?.type).toBe('json_schema');
    const jsonMode = map({ output: { responseFormat: 'json', responseModalities: ['TEXT', 'IMAGE'] } });
    expect(jsonMode.value.output_config).toBeUndefined();
    expect(jsonMode.warnings).toEqual([
      'Anthropic has no JSON mode without a schema; give output.responseSchema (JSON ignored)',
      'Anthropic answers with text only; responseModalities ignored',
    ]);
  });

  it('visual and safety settings warn; customParams merge verbatim except citations', () => {
    const { value, warnings } = map({
      visual: { aspectRatio: '16:9' },
      safety: { safetySettings: { HARM_CATEGORY_HARASSMENT: 'BLOCK_NONE' } },
      customParams: { metadata: { user_id: 'u1' }, citations: true },
    });
    expect(value.custom).toEqual({ metadata: { user_id: 'u1' } });
    expect(value.citations).toBe(true);
    expect(warnings).toEqual([
      'Anthropic does not support visual.aspectRatio; ignored',
      'Anthropic does not take safety settings; safety.safetySettings ignored',
    ]);
    expect(map({ customParams: { citations: { enabled: true } } }).value.citations).toBe(true);
  });

  it('a schema with open maps is closed for native output, with a warning', () => {
    const { value, warnings } = map({
      output: {
        responseSchema: {
          type: 'object',
          properties: { m: { type: 'object', additionalProperties: { type: 'number' } } },
        },
      },
    });
    expect(value.output_config?.format?.schema).toMatchObject({
      properties: { m: { additionalProperties: false } },
    });
    expect(warnings).toEqual([
      expect.stringMatching(/open maps \(records\) in responseSchema come back empty/),
    ]);
  });

  it('never mutates the config', () => {
    const config: LLMGenerationConfig = {
      core: { stop: ['x'] },
      output: { responseSchema: { type: 'object', properties: { a: { type: 'string', minLength: 1 } } } },
    };
    const copy = structuredClone(config);
    map(config);
    expect(config).toEqual(copy);
  });
});
