import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { LLMConfig } from '../spec/index.js';
import { createModelRegistry } from './model-registry.js';

const config: LLMConfig = {
  providers: [
    {
      name: 'OpenAI',
      apiType: 'openai',
      apiKeys: ['test-key-1'],
      models: ['text-embedding-3-small', 'gpt-4o', 'gpt-4o-mini', 'gpt-image-1'],
    },
    {
      name: 'SiliconFlow',
      apiType: 'openai',
      apiKeys: 'test-key-2',
      models: ['deepseek-ai/DeepSeek-V3', 'BAAI/bge-m3'],
    },
    {
      name: 'Relay',
      apiType: 'smart',
      apiBase: 'https://relay.test',
      apiKeys: 'test-key-3',
      models: ['gemini-2.5-flash'],
    },
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

describe('createModelRegistry', () => {
  it('lists every model, and the embedding models, as ModelInfo', () => {
    const registry = registryOf();
    expect(registry.list().map((m) => [m.name, m.kind, m.apiType])).toEqual([
      ['OpenAI/text-embedding-3-small', 'embedding', 'openai'],
      ['OpenAI/gpt-4o', 'chat', 'openai'],
      ['OpenAI/gpt-4o-mini', 'chat', 'openai'],
      ['OpenAI/gpt-image-1', 'image', 'openai'],
      ['SiliconFlow/deepseek-ai/DeepSeek-V3', 'chat', 'openai'],
      ['SiliconFlow/BAAI/bge-m3', 'embedding', 'openai'],
      ['Relay/gemini-2.5-flash', 'chat', 'gemini'],
    ]);
    expect(registry.listEmbedding().map((m) => m.name)).toEqual([
      'OpenAI/text-embedding-3-small',
      'SiliconFlow/BAAI/bge-m3',
    ]);
    const [, gpt4o] = registry.list();
    expect(gpt4o).toEqual({
      name: 'OpenAI/gpt-4o',
      provider: 'OpenAI',
      model: 'gpt-4o',
      kind: 'chat',
      capabilities: expect.objectContaining({ inputModalities: ['text', 'image'], jsonSchema: true }),
      apiType: 'openai',
      available: true,
    });
  });

  it('hands out copies: changing a listed ModelInfo changes nothing', () => {
    const registry = registryOf();
    const info = registry.info(registry.resolve('OpenAI/gpt-4o'));
    info.capabilities.inputModalities.push('audio');
    expect(registry.resolve('OpenAI/gpt-4o').capabilities.inputModalities).toEqual(['text', 'image']);
  });

  it('resolves names case-insensitively, trimmed, split on the first "/"', () => {
    const registry = registryOf();
    expect(registry.resolve(' openai / GPT-4O ').fullName).toBe('OpenAI/gpt-4o');
    const v3 = registry.resolve('siliconflow/DEEPSEEK-AI/deepseek-v3');
    expect(v3).toMatchObject({
      id: 'deepseek-ai/DeepSeek-V3',
      fullName: 'SiliconFlow/deepseek-ai/DeepSeek-V3',
    });
    expect(v3.provider.name).toBe('SiliconFlow');
  });

  it('throws MODEL_NOT_FOUND listing the configured models', () => {
    const registry = registryOf();
    const error = thrown(() => registry.resolve('OpenAI/gpt-9'));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toBe(
      'Model "OpenAI/gpt-9" is not configured. Configured models: OpenAI/text-embedding-3-small, OpenAI/gpt-4o, ' +
        'OpenAI/gpt-4o-mini, OpenAI/gpt-image-1, SiliconFlow/deepseek-ai/DeepSeek-V3, SiliconFlow/BAAI/bge-m3, ' +
        'Relay/gemini-2.5-flash',
    );
    expect(error.details).toMatchObject({ requested: 'OpenAI/gpt-9' });
    expect(thrown(() => registry.resolve('Azure/gpt-4o')).message).toMatch(
      /^Unknown provider "Azure" in "Azure\/gpt-4o"\. Configured models: OpenAI\//,
    );
    // the first "/" splits: "deepseek-ai" is not a provider
    expect(thrown(() => registry.resolve('deepseek-ai/DeepSeek-V3')).code).toBe('MODEL_NOT_FOUND');
  });

  it.each(['gpt-4o', '/gpt-4o', 'OpenAI/', ' / ', ''])('explains the format for %j', (name) => {
    const error = thrown(() => registryOf().resolve(name));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain(
      'expected "Provider/model" (e.g. "OpenAI/gpt-4o-mini"; split on the first "/")',
    );
    expect(error.message).toContain('Configured models: OpenAI/text-embedding-3-small');
  });

  it('suggests the full name for a bare model id', () => {
    expect(thrown(() => registryOf().resolve('GPT-4o')).message).toContain('Did you mean "OpenAI/gpt-4o"?');
  });

  it('rejects a non-string name with INVALID_PARAMETER', () => {
    const error = thrown(() => registryOf().resolve(42 as never));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain('model must be a string');
  });

  it('defaults to the configured default model, else the first chat model', () => {
    expect(registryOf().getDefault()).toBe('OpenAI/gpt-4o');
    expect(registryOf().resolve().fullName).toBe('OpenAI/gpt-4o');
    const configured = registryOf({ defaultModel: 'relay/GEMINI-2.5-flash' });
    expect(configured.getDefault()).toBe('Relay/gemini-2.5-flash');
    expect(configured.resolve().apiType).toBe('gemini');
  });

  it('setDefault takes effect on the very next resolve()', () => {
    const registry = registryOf();
    expect(registry.resolve().id).toBe('gpt-4o');
    registry.setDefault('siliconflow/deepseek-ai/deepseek-v3');
    expect(registry.getDefault()).toBe('SiliconFlow/deepseek-ai/DeepSeek-V3');
    expect(registry.resolve().id).toBe('deepseek-ai/DeepSeek-V3');
    registry.setDefault('OpenAI/gpt-4o-mini');
    expect(registry.resolve().id).toBe('gpt-4o-mini');
  });

  it('setDefault validates and keeps the old default on error', () => {
    const registry = registryOf();
    expect(thrown(() => registry.setDefault('OpenAI/nope')).code).toBe('MODEL_NOT_FOUND');
    const embedding = thrown(() => registry.setDefault('OpenAI/text-embedding-3-small'));
    expect(embedding.code).toBe('INVALID_PARAMETER');
    expect(embedding.message).toContain('is an embedding model');
    expect(registry.getDefault()).toBe('OpenAI/gpt-4o');
  });

  it('resolves the embedding default: configured, else the first embedding model', () => {
    expect(registryOf().resolveEmbedding().fullName).toBe('OpenAI/text-embedding-3-small');
    expect(registryOf({ defaultEmbeddingModel: 'SiliconFlow/BAAI/bge-m3' }).resolveEmbedding().id).toBe(
      'BAAI/bge-m3',
    );
    expect(registryOf().resolveEmbedding('siliconflow/baai/BGE-M3').fullName).toBe('SiliconFlow/BAAI/bge-m3');
  });

  it('says when no embedding model is configured', () => {
    const registry = createModelRegistry(
      resolveConfig({
        providers: [{ name: 'A', apiType: 'openai', apiKeys: 'test-key-1', models: ['gpt-4o'] }],
      }),
    );
    const error = thrown(() => registry.resolveEmbedding());
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain('No embedding model is configured');
    expect(registry.listEmbedding()).toEqual([]);
  });

  it('says when there is no chat model to default to', () => {
    const registry = createModelRegistry(
      resolveConfig({
        providers: [
          { name: 'A', apiType: 'openai', apiKeys: 'test-key-1', models: ['text-embedding-3-small'] },
        ],
      }),
    );
    const error = thrown(() => registry.resolve());
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain('No chat model is configured');
    expect(registry.resolveEmbedding().id).toBe('text-embedding-3-small');
  });

  it('falls back to an image model when there is no chat model', () => {
    const registry = createModelRegistry(
      resolveConfig({
        providers: [{ name: 'Img', apiType: 'openai_image', apiKeys: 'test-key-1', models: ['gpt-image-1'] }],
      }),
    );
    expect(registry.getDefault()).toBe('Img/gpt-image-1');
  });
});
