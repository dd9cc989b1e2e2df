import { describe, expect, it } from 'vitest';
import type { FunctionToolSpec, ProviderToolSpec } from '../../spec/index.js';
import { type GeminiToolsInput, mapGeminiTools } from './gemini-tools.js';
import { exchange, geminiModel } from './test-support/gemini-fixtures.js';

const model = geminiModel('gemini-2.5-flash');
const weather: FunctionToolSpec = {
  name: 'weather',
  description: 'Gets current weather for a location',
  parameters: {
    type: 'object',
    properties: {
      latitude: { type: 'string', description: 'Latitude (e.g., 52.5200)' },
      longitude: { type: 'string', description: 'Longitude (e.g., 13.4050)' },
    },
    required: ['latitude', 'longitude'],
  },
};
const best: FunctionToolSpec = {
  name: 'best_language_to_learn',
  description: 'Gets the best language to learn',
  parameters: { type: 'object', properties: {} },
};
const gemini = (type: ProviderToolSpec['type'], urls?: string[]): ProviderToolSpec => ({
  kind: 'provider',
  provider: 'gemini',
  type,
  ...(urls != null ? { urls } : {}),
});
const map = (overrides: Partial<GeminiToolsInput> = {}) =>
  mapGeminiTools({ tools: { functions: [], providerTools: [] }, model, ...overrides });

describe('mapGeminiTools', () => {
  it('declares functions as the ruby_llm recording does (Gemini schema types; no empty parameters)', () => {
    const { value, warnings } = map({ tools: { functions: [weather, best], providerTools: [] } });
    const recorded = exchange('gemini/generate-parallel-function-calls.exchange.json')[0]!.request.body as {
      tools: { functionDeclarations: Record<string, unknown>[] }[];
    };
    const recordedWeather = recorded.tools[0]!.functionDeclarations[0];
    expect(value.tools).toEqual([
      {
        functionDeclarations: [
          recordedWeather,
          { name: 'best_language_to_learn', description: 'Gets the best language to learn' },
        ],
      },
    ]);
    expect(value.toolConfig).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('each native tool is its own tool object beside the declarations, deduplicated', () => {
    const { value } = map({
      tools: { functions: [weather], providerTools: [gemini('code_execution'), gemini('google_search')] },
      nativeTools: [
        gemini('code_execution'),
        gemini('url_context', ['https://a.example', 'https://b.example']),
      ],
    });
    expect(value.tools).toEqual([
      { functionDeclarations: [expect.objectContaining({ name: 'weather' })] },
      { code_execution: {} },
      { google_search: {} },
      { url_context: {} },
    ]);
    expect(value.contextUrls).toEqual(['https://a.example', 'https://b.example']);
  });

  it('keeps at most 20 context URLs', () => {
    const urls = Array.from({ length: 25 }, (_, i) => `https://site${i}.example`);
    const { value, warnings } = map({
      tools: { functions: [], providerTools: [gemini('url_context', urls)] },
    });
    expect(value.contextUrls).toHaveLength(20);
    expect(warnings).toHaveLength(1);
  });

  it('native tools are not sent to a model without them (warning)', () => {
    const plain = geminiModel('gemini-2.5-flash', { capabilities: { nativeTools: false } });
    const { value, warnings } = mapGeminiTools({
      tools: {
        functions: [],
        providerTools: [gemini('google_search'), gemini('url_context', ['https://a.example'])],
      },
      model: plain,
    });
    expect(value.tools).toBeUndefined();
    expect(value.contextUrls).toEqual([]);
    expect(warnings).toHaveLength(2);
  });

  it('toolChoice → functionCallingConfig: auto/none/required/{name}', () => {
    const tools = { functions: [weather, best], providerTools: [] };
    expect(map({ tools, toolChoice: 'auto' }).value.toolConfig).toEqual({
      functionCallingConfig: { mode: 'AUTO' },
    });
    expect(map({ tools, toolChoice: 'none' }).value.toolConfig).toEqual({
      functionCallingConfig: { mode: 'NONE' },
    });
    expect(map({ tools, toolChoice: 'required' }).value.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY' },
    });
    expect(map({ tools, toolChoice: { name: 'weather' } }).value.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] },
    });
  });

  it('config.toolConfig applies when no toolChoice is given; toolChoice wins; unknown names are warned', () => {
    const tools = { functions: [weather, best], providerTools: [] };
    const fromConfig = map({
      tools,
      toolConfig: { mode: 'ANY', allowedFunctionNames: ['weather', 'code_execution'] },
    });
    expect(fromConfig.value.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] },
    });
    expect(fromConfig.warnings[0]).toContain('code_execution');
    expect(map({ tools, toolChoice: 'none', toolConfig: { mode: 'ANY' } }).value.toolConfig).toEqual({
      functionCallingConfig: { mode: 'NONE' },
    });
  });

  it('functionCallingConfig only with function declarations, or for NONE', () => {
    const native = { functions: [], providerTools: [gemini('google_search')] };
    const required = map({ tools: native, toolChoice: 'required' });
    expect(required.value.toolConfig).toBeUndefined();
    expect(required.warnings[0]).toContain('no function tools');
    expect(map({ tools: native, toolChoice: 'auto' }).warnings).toEqual([]);
    expect(map({ tools: native, toolChoice: 'none' }).value.toolConfig).toEqual({
      functionCallingConfig: { mode: 'NONE' },
    });
  });
});
