import { describe, expect, it } from 'vitest';
import type { LLMGenerationConfig } from '../spec/index.js';
import { mergeGenerationConfig } from './merge-generation-config.js';

function makeBase(): LLMGenerationConfig {
  return {
    core: { temperature: 0.2, maxTokens: 100, stop: ['A', 'B'] },
    reasoning: { effort: 'low' },
    output: {
      responseFormat: 'json',
      responseSchema: { type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } },
      responseModalities: ['TEXT'],
    },
    safety: { safetySettings: { HARM_CATEGORY_HARASSMENT: 'BLOCK_NONE' } },
    toolConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'b'] },
    nativeTools: [
      { kind: 'provider', provider: 'gemini', type: 'code_execution' },
      { kind: 'provider', provider: 'gemini', type: 'url_context', urls: ['https://old.example'] },
    ],
    customParams: { keep: { deep: [1, 2] }, replace: 'base' },
  };
}

function makeOverride(): LLMGenerationConfig {
  return {
    core: { temperature: 1, topP: 0.5 },
    visual: { aspectRatio: '1:1' },
    toolConfig: { allowedFunctionNames: ['c'] },
    nativeTools: [
      { kind: 'provider', provider: 'gemini', type: 'url_context', urls: ['https://new.example'] },
      { kind: 'provider', provider: 'gemini', type: 'google_search' },
    ],
    customParams: { replace: 'override', added: { x: [true] } },
  };
}

describe('mergeGenerationConfig', () => {
  it('merges component by component, the override winning field by field', () => {
    expect(mergeGenerationConfig(makeBase(), makeOverride())).toEqual({
      core: { temperature: 1, maxTokens: 100, stop: ['A', 'B'], topP: 0.5 },
      reasoning: { effort: 'low' },
      visual: { aspectRatio: '1:1' },
      output: makeBase().output,
      safety: { safetySettings: { HARM_CATEGORY_HARASSMENT: 'BLOCK_NONE' } },
      toolConfig: { mode: 'ANY', allowedFunctionNames: ['c'] },
      nativeTools: [
        { kind: 'provider', provider: 'gemini', type: 'code_execution' },
        { kind: 'provider', provider: 'gemini', type: 'url_context', urls: ['https://new.example'] },
        { kind: 'provider', provider: 'gemini', type: 'google_search' },
      ],
      customParams: { keep: { deep: [1, 2] }, replace: 'override', added: { x: [true] } },
    });
  });

  it('replaces array fields whole', () => {
    const merged = mergeGenerationConfig(
      { core: { stop: ['A', 'B'] }, output: { responseModalities: ['TEXT', 'IMAGE'] } },
      { core: { stop: 'C' }, output: { responseModalities: ['AUDIO'] } },
    );
    expect(merged).toEqual({ core: { stop: 'C' }, output: { responseModalities: ['AUDIO'] } });
  });

  it('ignores unset (undefined/null) override fields', () => {
    const override = { core: { temperature: undefined, maxTokens: null } } as unknown as LLMGenerationConfig;
    expect(mergeGenerationConfig({ core: { temperature: 0.3, maxTokens: 9 } }, override)).toEqual({
      core: { temperature: 0.3, maxTokens: 9 },
    });
    expect(mergeGenerationConfig({ core: { temperature: 0.3 } }, { core: undefined })).toEqual({
      core: { temperature: 0.3 },
    });
  });

  it('accepts undefined and null inputs', () => {
    expect(mergeGenerationConfig()).toEqual({});
    expect(mergeGenerationConfig(null, null)).toEqual({});
    expect(mergeGenerationConfig(undefined, makeOverride())).toEqual(makeOverride());
    expect(mergeGenerationConfig(makeBase(), null)).toEqual(makeBase());
  });

  it('removes duplicate native tools within one side too', () => {
    const tool = { kind: 'provider', provider: 'gemini', type: 'google_search' } as const;
    expect(mergeGenerationConfig({ nativeTools: [tool, { ...tool }] }, {}).nativeTools).toEqual([tool]);
  });

  it('never mutates its inputs', () => {
    const base = makeBase();
    const override = makeOverride();
    mergeGenerationConfig(base, override);
    expect(base).toEqual(makeBase());
    expect(override).toEqual(makeOverride());
  });

  it('never aliases: inputs and output stay independent when either is mutated afterwards', () => {
    for (const [base, override] of [
      [makeBase(), makeOverride()],
      [makeBase(), undefined],
      [undefined, makeBase()],
    ] as const) {
      const inputsBefore = structuredClone([base, override]);
      const merged = mergeGenerationConfig(base, override);
      const source = (base ?? override)!;
      // every object and array of the output is a new one
      const sharedWith = (a: unknown, b: unknown): boolean =>
        typeof a === 'object' && a !== null && (a === b || Object.values(a).some((v) => sharedWith(v, b)));
      const collect = (v: unknown, out: unknown[] = []): unknown[] => {
        if (typeof v === 'object' && v !== null) {
          out.push(v);
          for (const child of Object.values(v)) collect(child, out);
        }
        return out;
      };
      for (const node of collect(source)) expect(sharedWith(merged, node)).toBe(false);

      // mutate the output: inputs unchanged
      (merged.core!.stop as string[]).push('X');
      merged.output!.responseModalities!.push('AUDIO');
      ((merged.output!.responseSchema!.properties as any).a.items as any).type = 'number';
      (merged.customParams!.keep as { deep: number[] }).deep.push(3);
      merged.toolConfig!.allowedFunctionNames!.push('z');
      merged.nativeTools![0]!.type = 'google_search';
      expect([base, override]).toEqual(inputsBefore);

      // mutate the inputs: output unchanged
      const snapshot = structuredClone(merged);
      (source.core!.stop as string[]).push('Y');
      source.output!.responseModalities!.push('IMAGE');
      (source.output!.responseSchema!.properties as any).a.type = 'null';
      (source.customParams!.keep as { deep: number[] }).deep.length = 0;
      source.safety!.safetySettings!.HARM_CATEGORY_HARASSMENT = 'OFF';
      expect(merged).toEqual(snapshot);
    }
  });

  it('merges customParams by key and copies nested values', () => {
    const base = { customParams: { a: { list: [1] } } };
    const override = { customParams: { b: { list: [2] } } };
    const merged = mergeGenerationConfig(base, override);
    expect(merged.customParams).toEqual({ a: { list: [1] }, b: { list: [2] } });
    expect(merged.customParams!.a).not.toBe(base.customParams.a);
    expect(merged.customParams!.b).not.toBe(override.customParams.b);
  });
});
