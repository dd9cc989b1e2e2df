import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import type { ProviderToolSpec } from '../spec/index.js';
import { GenConfigBuilder } from './gen-config-builder.js';
import { geminiCodeExecution, geminiGoogleSearch, geminiUrlContext } from './native-tools.js';
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

describe('GenConfigBuilder', () => {
  it('builds every component fluently', () => {
    const config = new GenConfigBuilder()
      .configCore({ temperature: 0.3, maxTokens: 500, stop: ['END'], repetitionPenalty: 1.1, seed: 7 })
      .configVisual({ aspectRatio: '9:16', resolution: '4K', mediaResolution: 'LOW' })
      .configSafety({ HARM_CATEGORY_HATE_SPEECH: 'BLOCK_ONLY_HIGH' })
      .enableThinking(4096, true)
      .effort('medium')
      .toolChoice('ANY', ['lookup'])
      .modalities(['TEXT', 'IMAGE'])
      .strategy('tool_call')
      .setCustomParam('logprobs', true)
      .nativeTool(geminiCodeExecution())
      .build();
    expect(config).toEqual({
      core: { temperature: 0.3, maxTokens: 500, stop: ['END'], repetitionPenalty: 1.1, seed: 7 },
      visual: { aspectRatio: '9:16', resolution: '4K', mediaResolution: 'LOW' },
      safety: { safetySettings: { HARM_CATEGORY_HATE_SPEECH: 'BLOCK_ONLY_HIGH' } },
      reasoning: { budgetTokens: 4096, showThoughts: true, effort: 'medium' },
      toolConfig: { mode: 'ANY', allowedFunctionNames: ['lookup'] },
      output: { responseModalities: ['TEXT', 'IMAGE'], structuredOutputStrategy: 'tool_call' },
      customParams: { logprobs: true },
      nativeTools: [{ kind: 'provider', provider: 'gemini', type: 'code_execution' }],
    });
    expect(validateGenerationConfig(config)).toBe(config);
  });

  it('enableThinking defaults to a dynamic budget without thoughts', () => {
    expect(new GenConfigBuilder().enableThinking().build()).toEqual({
      reasoning: { budgetTokens: -1, showThoughts: false },
    });
    expect(errorOf(() => new GenConfigBuilder().enableThinking(-5)).message).toContain(
      'config.reasoning.budgetTokens',
    );
  });

  it('asJson sets JSON output, with a zod schema converted and inlined or a JSON schema copied', () => {
    expect(new GenConfigBuilder().asJson().build()).toEqual({ output: { responseFormat: 'json' } });
    const Item = z.object({ id: z.string().describe('Identifier') }).meta({ id: 'Item' });
    const zodConfig = new GenConfigBuilder().asJson(z.object({ first: Item, rest: z.array(Item) })).build();
    expect(zodConfig.output?.responseSchema).toEqual({
      type: 'object',
      properties: {
        first: {
          type: 'object',
          properties: { id: { type: 'string', description: 'Identifier' } },
          required: ['id'],
        },
        rest: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string', description: 'Identifier' } },
            required: ['id'],
          },
        },
      },
      required: ['first', 'rest'],
    });
    const schema = {
      type: 'object',
      properties: { a: { $ref: '#/$defs/A' } },
      $defs: { A: { type: 'number' } },
    };
    const jsonConfig = new GenConfigBuilder().asJson(schema).build();
    expect(jsonConfig.output?.responseSchema).toEqual({
      type: 'object',
      properties: { a: { type: 'number' } },
    });
    expect(schema.$defs).toBeDefined();
  });

  it('effort accepts any casing and names a bad value', () => {
    expect(new GenConfigBuilder().effort('HIGH').build().reasoning).toEqual({ effort: 'high' });
    expect(new GenConfigBuilder().effort('Minimal' as 'minimal').build().reasoning?.effort).toBe('minimal');
    const error = errorOf(() => new GenConfigBuilder().effort('extreme' as 'high'));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain('config.reasoning.effort');
    expect(error.message).toContain("'extreme'");
  });

  it('configCore sets only the fields given and keeps earlier ones', () => {
    const config = new GenConfigBuilder()
      .configCore({ temperature: 0.5, maxTokens: 10 })
      .configCore({ temperature: undefined, topP: 0.8 })
      .build();
    expect(config.core).toEqual({ temperature: 0.5, maxTokens: 10, topP: 0.8 });
    const error = errorOf(() => new GenConfigBuilder().configCore({ temperature: 9, topK: -1 }));
    expect(error.details?.issues).toEqual([
      { path: 'config.core.temperature', message: 'must be between 0 and 2 (got 9)' },
      { path: 'config.core.topK', message: 'must be a positive integer (got -1)' },
    ]);
    expect(errorOf(() => new GenConfigBuilder().configCore({ max_tokens: 5 } as never)).message).toContain(
      'did you mean maxTokens?',
    );
  });

  it('configVisual validates and merges', () => {
    const config = new GenConfigBuilder()
      .configVisual({ aspectRatio: '1:1' })
      .configVisual({ count: 2 })
      .build();
    expect(config.visual).toEqual({ aspectRatio: '1:1', count: 2 });
    expect(errorOf(() => new GenConfigBuilder().configVisual({ aspectRatio: 'square' })).code).toBe(
      'INVALID_PARAMETER',
    );
  });

  it('configSafety replaces the settings', () => {
    const config = new GenConfigBuilder()
      .configSafety({ A: 'BLOCK_NONE', B: 'BLOCK_NONE' })
      .configSafety({ C: 'OFF' })
      .build();
    expect(config.safety).toEqual({ safetySettings: { C: 'OFF' } });
  });

  it('toolChoice accepts lowercase modes and required, and replaces the tool config', () => {
    expect(new GenConfigBuilder().toolChoice('required').build().toolConfig).toEqual({ mode: 'ANY' });
    expect(new GenConfigBuilder().toolChoice('none').build().toolConfig).toEqual({ mode: 'NONE' });
    const replaced = new GenConfigBuilder().toolChoice('ANY', ['a', 'b']).toolChoice('auto').build();
    expect(replaced.toolConfig).toEqual({ mode: 'AUTO' });
    expect(errorOf(() => new GenConfigBuilder().toolChoice('always' as 'auto')).message).toContain(
      'config.toolConfig.mode',
    );
  });

  it('modalities and strategy are checked', () => {
    expect(new GenConfigBuilder().modalities(['text', 'image']).build().output).toEqual({
      responseModalities: ['TEXT', 'IMAGE'],
    });
    expect(errorOf(() => new GenConfigBuilder().modalities(['VIDEO' as 'TEXT'])).message).toContain(
      'config.output.responseModalities[0]',
    );
    expect(errorOf(() => new GenConfigBuilder().strategy('guess' as 'native')).code).toBe(
      'INVALID_PARAMETER',
    );
  });

  it('asJson keeps the other output fields', () => {
    const config = new GenConfigBuilder().strategy('prompt').asJson().build();
    expect(config.output).toEqual({ structuredOutputStrategy: 'prompt', responseFormat: 'json' });
  });

  it('setCustomParam copies values and undefined removes a key', () => {
    const value = { nested: [1] };
    const builder = new GenConfigBuilder().setCustomParam('a', value).setCustomParam('b', 2);
    value.nested.push(2);
    expect(builder.build().customParams).toEqual({ a: { nested: [1] }, b: 2 });
    expect(builder.setCustomParam('b', undefined).build().customParams).toEqual({ a: { nested: [1] } });
    expect(errorOf(() => builder.setCustomParam('', 1)).code).toBe('INVALID_PARAMETER');
  });

  it('nativeTool adds tools, replacing one of the same type, and rejects bad specs', () => {
    const config = new GenConfigBuilder()
      .nativeTool(geminiUrlContext(['https://a.example']))
      .nativeTool(geminiGoogleSearch())
      .nativeTool(geminiUrlContext(['https://b.example']))
      .build();
    expect(config.nativeTools).toEqual([
      { kind: 'provider', provider: 'gemini', type: 'url_context', urls: ['https://b.example'] },
      { kind: 'provider', provider: 'gemini', type: 'google_search' },
    ]);
    const bad = { kind: 'provider', provider: 'gemini', type: 'maps' } as unknown as ProviderToolSpec;
    expect(errorOf(() => new GenConfigBuilder().nativeTool(bad)).message).toContain('type');
  });

  it('build returns a fresh deep copy every time', () => {
    const builder = new GenConfigBuilder().configCore({ temperature: 0.1, stop: ['A'] }).modalities(['TEXT']);
    const first = builder.build();
    const second = builder.build();
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
    expect(first.core).not.toBe(second.core);

    builder
      .configCore({ temperature: 1.5, stop: ['B'] })
      .modalities(['IMAGE'])
      .setCustomParam('x', 1);
    expect(first).toEqual({
      core: { temperature: 0.1, stop: ['A'] },
      output: { responseModalities: ['TEXT'] },
    });

    (second.core!.stop as string[]).push('mutated');
    second.output!.responseModalities!.push('AUDIO');
    expect(builder.build()).toEqual({
      core: { temperature: 1.5, stop: ['B'] },
      output: { responseModalities: ['IMAGE'] },
      customParams: { x: 1 },
    });
  });

  it('from() starts from a validated copy', () => {
    const source = { core: { temperature: 0.4, stop: ['Z'] }, reasoning: { effort: 'LOW' } } as never;
    const builder = GenConfigBuilder.from(source);
    const built = builder.configCore({ maxTokens: 3 }).build();
    expect(built).toEqual({
      core: { temperature: 0.4, stop: ['Z'], maxTokens: 3 },
      reasoning: { effort: 'low' },
    });
    expect(source).toEqual({ core: { temperature: 0.4, stop: ['Z'] }, reasoning: { effort: 'LOW' } });
    expect(errorOf(() => GenConfigBuilder.from({ core: { temperature: -1 } })).code).toBe(
      'INVALID_PARAMETER',
    );
  });
});
