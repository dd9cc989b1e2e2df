import { LLMError } from '../errors/llm-error.js';
import { lookupCapabilities, mergeCapabilities } from '../models/capability-registry.js';
import { getProviderDefinition } from '../providers/provider-registry.js';
import type {
  ApiType,
  ModelCapabilities,
  ModelKind,
  ModelPricing,
  ProviderDefinition,
} from '../spec/index.js';
import { mergeHeaders } from './merge-headers.js';
import type { ResolvedModel, ResolvedProvider } from './resolved-config.js';

/** What `resolveModel` needs of a model entry (a validated `ModelDetail`). */
export interface ModelEntry {
  name: string;
  apiType?: ApiType;
  endpoint?: string;
  embedding?: boolean;
  temperature?: number;
  maxTokens?: number;
  capabilities?: Partial<ModelCapabilities>;
  available?: boolean;
  unavailableReason?: string;
  contextWindow?: number;
  pricing?: ModelPricing;
}

/** Where a model is spoken to: its definition, or why there is none. */
export type ModelRoute = { definition: ProviderDefinition } | { problem: string };

/**
 * The definition a model is spoken to in: the model's `apiType` wins over the provider's; a router type
 * (`resolveApiType`, e.g. `smart`) picks another registered type by the model id.
 */
export function routeModel(modelId: string, providerType: ApiType, modelType?: ApiType): ModelRoute {
  const type = modelType ?? providerType;
  const definition = getProviderDefinition(type);
  if (definition === undefined) return { problem: `apiType "${type}" is not registered` };
  if (definition.resolveApiType == null) return { definition };
  let target: unknown;
  try {
    target = definition.resolveApiType(modelId);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { problem: `apiType "${type}" could not route "${modelId}": ${reason}` };
  }
  const routed = typeof target === 'string' ? getProviderDefinition(target) : undefined;
  if (routed === undefined || routed.resolveApiType != null) {
    return {
      problem: `apiType "${type}" routes "${modelId}" to ${JSON.stringify(target)}, which is not a registered dialect type`,
    };
  }
  return { definition: routed };
}

/**
 * Registry capabilities with the model's overrides merged over them. `embedding: true` on a model the
 * registry does not know as one turns it into an embedding model; `false` turns it into a chat model.
 * The definition adjusts the registry's answer for its type before the overrides apply.
 */
export function capabilitiesOf(entry: ModelEntry, definition?: ProviderDefinition): ModelCapabilities {
  let base = lookupCapabilities(entry.name);
  if (entry.embedding === true && !base.embedding) {
    base = { ...base, embedding: true, outputModalities: ['embedding'], toolCalling: false };
  } else if (entry.embedding === false && base.embedding) {
    base = { ...base, embedding: false, outputModalities: ['text'] };
  }
  if (definition?.capabilities != null) base = definition.capabilities(entry.name, base);
  return mergeCapabilities(base, entry.capabilities);
}

/** `embedding` when flagged or known as such, `image` for image-only types and image-only models, else `chat`. */
export function kindOf(capabilities: ModelCapabilities, definition: ProviderDefinition): ModelKind {
  if (capabilities.embedding) return 'embedding';
  if (definition.imageOnly === true) return 'image';
  const out = capabilities.outputModalities;
  if (out.includes('image') && !out.includes('text')) return 'image';
  return 'chat';
}

/** Whether `entry` is an embedding model (for checks on configs that did not fully validate). */
export function isEmbeddingEntry(entry: ModelEntry): boolean {
  return capabilitiesOf(entry).embedding;
}

/**
 * A validated model entry of `provider`, resolved (the caller adds it to `provider.models`). A model
 * spoken to in a type with headers of its own (`openrouter` under an `openai` provider) gets a view of
 * its provider whose `headers` include them; everything else is shared.
 */
export function resolveModel(
  entry: ModelEntry,
  provider: ResolvedProvider,
  configuredHeaders: Record<string, string>,
): ResolvedModel {
  const route = routeModel(entry.name, provider.apiType, entry.apiType);
  if (!('definition' in route)) {
    throw new LLMError('CONFIGURATION_ERROR', `${provider.name}/${entry.name}: ${route.problem}`);
  }
  const definition = route.definition;
  const capabilities = capabilitiesOf(entry, definition);
  const defaults: ResolvedModel['defaults'] = {};
  if (entry.temperature != null) defaults.temperature = entry.temperature;
  if (entry.maxTokens != null) defaults.maxTokens = entry.maxTokens;
  const ownHeaders = definition.headers != null && definition.apiType !== provider.apiType;
  const model: ResolvedModel = {
    id: entry.name,
    fullName: `${provider.name}/${entry.name}`,
    apiType: definition.apiType,
    provider: ownHeaders
      ? { ...provider, headers: mergeHeaders(definition.headers, configuredHeaders) }
      : provider,
    kind: kindOf(capabilities, definition),
    capabilities,
    defaults,
    definition,
    available: entry.available !== false,
  };
  if (entry.endpoint != null) model.endpoint = entry.endpoint;
  if (entry.available === false && entry.unavailableReason != null) {
    model.unavailableReason = entry.unavailableReason;
  }
  if (entry.contextWindow != null) model.contextWindow = entry.contextWindow;
  if (entry.pricing != null) model.pricing = { ...entry.pricing };
  return model;
}
