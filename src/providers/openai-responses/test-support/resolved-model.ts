import type { ModelCapabilities, ProviderModel } from '../../../spec/index.js';

/** A model for dialect tests (provider `OpenAI`, base `https://api.openai.com`). */
export function testModel(
  id: string,
  dialect: 'openai' | 'openai_responses' | 'openai_image' | 'nano_banana',
  options: { capabilities?: Partial<ModelCapabilities>; apiBase?: string; endpoint?: string } = {},
): ProviderModel {
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
  const model: ProviderModel = {
    id,
    fullName: `OpenAI/${id}`,
    provider: {
      name: 'OpenAI',
      apiType: dialect,
      apiBase: options.apiBase ?? 'https://api.openai.com',
      timeoutMs: 180_000,
      headers: {},
    },
    apiType: dialect,
    capabilities,
    defaults: {},
  };
  if (options.endpoint != null) model.endpoint = options.endpoint;
  return model;
}
