import type { Dialect, ResolvedModel } from '../../../config/resolved-config.js';
import type { ModelCapabilities } from '../../../spec/index.js';

/** A resolved model for dialect tests (provider `OpenAI`, base `https://api.openai.com`, key `test-key-1`). */
export function testModel(
  id: string,
  dialect: Dialect,
  options: { capabilities?: Partial<ModelCapabilities>; apiBase?: string; endpoint?: string } = {},
): ResolvedModel {
  const capabilities: ModelCapabilities = {
    inputModalities: ['text', 'image'],
    outputModalities: dialect === 'openai_image' ? ['image'] : ['text'],
    toolCalling: true,
    embedding: false,
    reasoningMode: 'effort',
    reasoningVisibility: 'visible',
    jsonSchema: true,
    nativeTools: false,
    requiresThoughtSignatures: false,
    ...options.capabilities,
  };
  const model: ResolvedModel = {
    id,
    fullName: `OpenAI/${id}`,
    provider: {
      name: 'OpenAI',
      apiType: dialect,
      apiKeys: ['test-key-1'],
      apiBase: options.apiBase ?? 'https://api.openai.com',
      timeoutMs: 180_000,
      headers: {},
      models: [],
    },
    dialect,
    kind: dialect === 'openai_image' ? 'image' : 'chat',
    capabilities,
    defaults: {},
  };
  if (options.endpoint != null) model.endpoint = options.endpoint;
  return model;
}
