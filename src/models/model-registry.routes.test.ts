import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { LLMConfig } from '../spec/index.js';
import { createModelRegistry } from './model-registry.js';

// API.md §2 and §14: `model` may be a route name or a list; routes are listed with `kind: 'route'`.

const config: LLMConfig = {
  providers: [
    {
      name: 'OpenAI',
      apiType: 'openai',
      apiKeys: ['test-key-1'],
      models: [
        { name: 'gpt-4o', contextWindow: 128_000 },
        { name: 'text-only', capabilities: { inputModalities: ['text'], toolCalling: false } },
        'text-embedding-3-small',
      ],
    },
    {
      name: 'Gemini',
      apiType: 'gemini',
      apiKeys: ['test-key-2'],
      models: ['gemini-2.5-flash', 'gemini-embedding-001'],
    },
  ],
  routes: [
    { name: 'Smart', strategy: 'latency', targets: ['OpenAI/text-only', 'Gemini/gemini-2.5-flash'] },
    { name: 'vectors', targets: ['OpenAI/text-embedding-3-small', 'Gemini/gemini-embedding-001'] },
  ],
};

const registryOf = (overrides: Partial<LLMConfig> = {}) =>
  createModelRegistry(resolveConfig({ ...config, ...overrides }));

function thrown(run: () => unknown): LLMError {
  try {
    run();
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    return error as LLMError;
  }
  throw new Error('expected an LLMError');
}

describe('model registry: routes', () => {
  it('lists routes after the models, with their targets, strategy, kind and joined capabilities', () => {
    const registry = registryOf();
    const list = registry.list();
    expect(list.map((info) => [info.name, info.kind])).toEqual([
      ['OpenAI/gpt-4o', 'chat'],
      ['OpenAI/text-only', 'chat'],
      ['OpenAI/text-embedding-3-small', 'embedding'],
      ['Gemini/gemini-2.5-flash', 'chat'],
      ['Gemini/gemini-embedding-001', 'embedding'],
      ['Smart', 'route'],
      ['vectors', 'route'],
    ]);
    const smart = list.find((info) => info.name === 'Smart');
    expect(smart).toMatchObject({
      provider: '',
      model: 'Smart',
      apiType: '',
      strategy: 'latency',
      targets: ['OpenAI/text-only', 'Gemini/gemini-2.5-flash'],
      targetKind: 'chat',
      available: true,
    });
    // What at least one target can do: Gemini reads images and calls tools, text-only does neither.
    expect(smart?.capabilities.toolCalling).toBe(true);
    expect(smart?.capabilities.inputModalities).toEqual(expect.arrayContaining(['text', 'image']));
    expect(list[0]?.contextWindow).toBe(128_000);
    expect(registry.listEmbedding().map((info) => info.name)).toEqual([
      'OpenAI/text-embedding-3-small',
      'Gemini/gemini-embedding-001',
      'vectors',
    ]);
  });

  it('route(): names (case-insensitive), the default, lists; undefined for "Provider/model"', () => {
    const registry = registryOf({ defaultModel: 'smart', defaultEmbeddingModel: 'Vectors' });
    expect(registry.route('smart')?.name).toBe('Smart');
    expect(registry.route(' SMART ')?.name).toBe('Smart');
    expect(registry.route('OpenAI/gpt-4o')).toBeUndefined();
    expect(registry.route('unknown')).toBeUndefined();
    expect(registry.route(undefined)?.name).toBe('Smart');
    expect(registry.route(undefined, true)?.name).toBe('vectors');
    const chain = registry.route(['openai/gpt-4o', 'Gemini/gemini-2.5-flash']);
    expect(chain).toMatchObject({ name: '[OpenAI/gpt-4o, Gemini/gemini-2.5-flash]', strategy: 'fallback' });
    expect(chain?.adHoc).toBe(true);
    expect(chain?.kind).toBe('chat');
    expect(chain?.fallbackOn.has('API_RATE_LIMITED')).toBe(true);
    expect(registry.route(['OpenAI/gpt-4o'])?.targets).toHaveLength(1);
  });

  it('a bad model list is a clear error naming the entry', () => {
    const registry = registryOf();
    expect(thrown(() => registry.route([])).message).toBe(
      'model: an empty list; give at least one "Provider/model"',
    );
    expect(thrown(() => registry.route(['OpenAI/gpt-4o', 7])).message).toMatch(
      /^model\[1\]: must be a string/,
    );
    expect(thrown(() => registry.route(['OpenAI/gpt-4o', 'smart'])).message).toMatch(
      /^model\[1\]: "smart" is a route; .* routes cannot be nested$/,
    );
    expect(thrown(() => registry.route(['OpenAI/gpt-4o', 'openai/GPT-4o'])).message).toBe(
      'model[1]: "OpenAI/gpt-4o" is listed twice (also model[0])',
    );
    expect(thrown(() => registry.route(['OpenAI/gpt-4o', 'OpenAI/text-embedding-3-small'])).message).toBe(
      'model[1]: "OpenAI/text-embedding-3-small" is an embedding model, but model[0] "OpenAI/gpt-4o" is a chat model; a model list is of one kind',
    );
    const unknown = thrown(() => registry.route(['OpenAI/gpt-4o', 'OpenAI/nope']));
    expect(unknown.code).toBe('MODEL_NOT_FOUND');
  });

  it('unknown names list models and routes; a route where one model is needed says so', () => {
    const registry = registryOf();
    const error = thrown(() => registry.resolve('nope'));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(
      'expected "Provider/model" (e.g. "OpenAI/gpt-4o-mini"; split on the first "/") or a route name.',
    );
    expect(error.message).toContain('; routes: Smart, vectors');
    expect(error.details).toMatchObject({ requested: 'nope', routes: ['Smart', 'vectors'] });
    const missing = thrown(() => registry.resolve('OpenAI/nope'));
    expect(missing.message).toMatch(
      /^Model "OpenAI\/nope" is not configured\. Configured models: .*; routes: Smart, vectors$/,
    );
    const route = thrown(() => registry.resolve('smart'));
    expect(route.code).toBe('INVALID_PARAMETER');
    expect(route.message).toMatch(/^"Smart" is a route; this operation needs one model/);
  });

  it('describe() and setDefault() accept routes; an embedding route cannot be the chat default', () => {
    const registry = registryOf();
    expect(registry.describe('smart').kind).toBe('route');
    expect(registry.describe('OpenAI/gpt-4o').kind).toBe('chat');
    registry.setDefault('SMART');
    expect(registry.getDefault()).toBe('Smart');
    expect(registry.route(undefined)?.name).toBe('Smart');
    expect(registry.describe().name).toBe('Smart');
    const error = thrown(() => registry.setDefault('vectors'));
    expect(error.code).toBe('INVALID_PARAMETER');
    registry.setDefault('Gemini/gemini-2.5-flash');
    expect(registry.route(undefined)).toBeUndefined();
    expect(registry.resolve().fullName).toBe('Gemini/gemini-2.5-flash');
  });
});
