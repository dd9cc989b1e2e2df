import { lookupCapabilities, mergeCapabilities } from '../models/capability-registry.js';
import type { ApiType, ModelCapabilities, ModelKind } from '../spec/index.js';
import type { Dialect, ResolvedModel, ResolvedProvider } from './resolved-config.js';

/** What `resolveModel` needs of a model entry (a validated `ModelDetail`). */
export interface ModelEntry {
  name: string;
  apiType?: ApiType;
  endpoint?: string;
  embedding?: boolean;
  temperature?: number;
  maxTokens?: number;
  capabilities?: Partial<ModelCapabilities>;
}

/**
 * The dialect a model is spoken to in: the model's `apiType` wins over the provider's; `smart` goes by
 * name (case-insensitive): `*gemini*` or `*nano-banana*` → `gemini`, anything else → `openai`.
 */
export function resolveDialect(modelId: string, providerType: ApiType, modelType?: ApiType): Dialect {
  const type = modelType ?? providerType;
  if (type !== 'smart') return type;
  const name = modelId.toLowerCase();
  return name.includes('gemini') || name.includes('nano-banana') ? 'gemini' : 'openai';
}

/**
 * Registry capabilities with the model's overrides merged over them. `embedding: true` on a model the
 * registry does not know as one turns it into an embedding model; `false` turns it into a chat model.
 */
export function capabilitiesOf(entry: ModelEntry, dialect?: Dialect): ModelCapabilities {
  let base = lookupCapabilities(entry.name);
  if (entry.embedding === true && !base.embedding) {
    base = { ...base, embedding: true, outputModalities: ['embedding'], toolCalling: false };
  } else if (entry.embedding === false && base.embedding) {
    base = { ...base, embedding: false, outputModalities: ['text'] };
  }
  // An unknown model behind an image dialect still makes images.
  if (dialect === 'openai_image' && !base.outputModalities.includes('image')) {
    base = { ...base, outputModalities: ['image'], toolCalling: false };
  } else if (dialect === 'nano_banana' && !base.outputModalities.includes('image')) {
    base = { ...base, outputModalities: ['text', 'image'] };
  }
  return mergeCapabilities(base, entry.capabilities);
}

/** `embedding` when flagged or known as such, `image` for image dialects and image-only models, else `chat`. */
export function kindOf(capabilities: ModelCapabilities, dialect: Dialect): ModelKind {
  if (capabilities.embedding) return 'embedding';
  if (isImageDialect(dialect)) return 'image';
  const out = capabilities.outputModalities;
  if (out.includes('image') && !out.includes('text')) return 'image';
  return 'chat';
}

/** Whether `entry` is an embedding model (for checks on configs that did not fully validate). */
export function isEmbeddingEntry(entry: ModelEntry): boolean {
  return capabilitiesOf(entry).embedding;
}

/** A validated model entry of `provider`, resolved (the provider's `models` list is filled by the caller). */
export function resolveModel(entry: ModelEntry, provider: ResolvedProvider): ResolvedModel {
  const dialect = resolveDialect(entry.name, provider.apiType, entry.apiType);
  const capabilities = capabilitiesOf(entry, dialect);
  const defaults: ResolvedModel['defaults'] = {};
  if (entry.temperature != null) defaults.temperature = entry.temperature;
  if (entry.maxTokens != null) defaults.maxTokens = entry.maxTokens;
  const model: ResolvedModel = {
    id: entry.name,
    fullName: `${provider.name}/${entry.name}`,
    provider,
    dialect,
    kind: kindOf(capabilities, dialect),
    capabilities,
    defaults,
  };
  if (entry.endpoint != null) model.endpoint = entry.endpoint;
  return model;
}

function isImageDialect(dialect: Dialect): boolean {
  return dialect === 'openai_image' || dialect === 'nano_banana';
}
