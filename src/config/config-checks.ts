import { MODEL_NAME_FORMAT, parseModelName } from '../models/model-name.js';
import { getProviderDefinition } from '../providers/provider-registry.js';
import type { ModelCapabilities, ModelKind } from '../spec/index.js';
import type { ConfigIssue } from './config-issues.js';
import { capabilitiesOf, isEmbeddingEntry, kindOf, type ModelEntry, routeModel } from './resolve-model.js';
import { type RouteCatalog, routeIssues, type TargetLookup } from './route-checks.js';

interface CatalogProvider {
  name: string;
  /** The provider's `apiType` as given (any value). */
  apiType: unknown;
  models: ModelEntry[];
  /** False when the provider's `models` is not a list (its models are unknown). */
  modelsKnown: boolean;
}

/**
 * Checks that span fields (unique names, default models, required bases), run on the raw input so
 * they are reported together with the schema's issues. Tolerates any shape (the schema reports those).
 */
export function crossFieldIssues(raw: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const catalog: CatalogProvider[] = [];
  let complete = Array.isArray(raw.providers);
  const seenProviders = new Map<string, number>();

  (Array.isArray(raw.providers) ? raw.providers : []).forEach((item: unknown, index) => {
    const at = `providers[${index}]`;
    const provider = asRecord(item);
    const name = trimmed(provider?.name);
    if (provider === undefined || name === undefined || !Array.isArray(provider.models)) complete = false;
    if (provider === undefined) return;
    if (name !== undefined) {
      const first = seenProviders.get(name.toLowerCase());
      if (first !== undefined) {
        issues.push({
          path: `${at}.name`,
          message: `duplicate provider name "${name}" (also providers[${first}]; names are case-insensitive)`,
        });
      } else seenProviders.set(name.toLowerCase(), index);
    }
    // Unregistered types are the schema's issue; a registered one without a default base needs apiBase.
    const definition =
      typeof provider.apiType === 'string' ? getProviderDefinition(provider.apiType) : undefined;
    if (definition !== undefined && definition.defaultApiBase == null && provider.apiBase == null) {
      issues.push({ path: `${at}.apiBase`, message: `required for apiType ${provider.apiType}` });
    }
    const models: ModelEntry[] = [];
    const seenModels = new Map<string, number>();
    (Array.isArray(provider.models) ? provider.models : []).forEach((entry: unknown, modelIndex) => {
      const model = toEntry(entry);
      if (model === undefined) return;
      const first = seenModels.get(model.name.toLowerCase());
      if (first !== undefined) {
        issues.push({
          path: `${at}.models[${modelIndex}]`,
          message: `duplicate model "${model.name}" (also models[${first}]; names are case-insensitive)`,
        });
      } else seenModels.set(model.name.toLowerCase(), modelIndex);
      const problem = routeProblem(model, provider.apiType);
      if (problem !== undefined) issues.push({ path: `${at}.models[${modelIndex}]`, message: problem });
      models.push(model);
    });
    if (name !== undefined) {
      catalog.push({ name, apiType: provider.apiType, models, modelsKnown: Array.isArray(provider.models) });
    }
  });

  const routes = routeIssues(raw.routes, {
    find: (name) => findModel(name, catalog, complete),
    configured: () => catalog.flatMap((p) => p.models.map((m) => `${p.name}/${m.name}`)),
  });
  issues.push(...routes.issues);
  for (const field of ['defaultModel', 'defaultEmbeddingModel'] as const) {
    const value = trimmed(raw[field]);
    if (value === undefined) continue;
    const embedding = field === 'defaultEmbeddingModel';
    const message =
      parseModelName(value) === undefined && routes.catalog.names.length > 0
        ? checkDefaultRoute(value, embedding, routes.catalog)
        : checkDefault(value, embedding, catalog, complete);
    if (message !== undefined) issues.push({ path: field, message });
  }
  return issues;
}

/** A `"Provider/model"` of the catalog, with its kind when it can be told. */
function findModel(name: string, catalog: CatalogProvider[], complete: boolean): TargetLookup {
  const parsed = parseModelName(name);
  if (parsed === undefined) return { status: 'missing' };
  const provider = catalog.find((p) => p.name.toLowerCase() === parsed.provider.toLowerCase());
  const model = provider?.models.find((m) => m.name.toLowerCase() === parsed.model.toLowerCase());
  if (model === undefined || provider === undefined) {
    return (provider === undefined ? !complete : !provider.modelsKnown)
      ? { status: 'unsure' }
      : { status: 'missing' };
  }
  return {
    status: 'found',
    fullName: `${provider.name}/${model.name}`,
    kind: entryKind(model, provider.apiType),
  };
}

/** The kind a model entry resolves to, when its types are registered. */
function entryKind(model: ModelEntry, providerType: unknown): ModelKind | undefined {
  const type = model.apiType ?? providerType;
  if (typeof type !== 'string' || getProviderDefinition(type) === undefined) return undefined;
  const route = routeModel(model.name, type);
  return 'definition' in route
    ? kindOf(capabilitiesOf(model, route.definition), route.definition)
    : undefined;
}

/** A default naming a route: it must exist and serve the default's kind. */
function checkDefaultRoute(name: string, embedding: boolean, routes: RouteCatalog): string | undefined {
  const key = name.toLowerCase();
  if (!routes.kinds.has(key)) {
    return `must be ${MODEL_NAME_FORMAT} or a route name (routes: ${routes.names.join(', ')})`;
  }
  const kind = routes.kinds.get(key);
  if (embedding && kind !== undefined && kind !== 'embedding') {
    return `route "${name}" is not a route of embedding models`;
  }
  if (!embedding && kind === 'embedding') {
    return `route "${name}" is a route of embedding models; set it as defaultEmbeddingModel`;
  }
  return undefined;
}

/** Why a router type cannot route this model (unregistered types are the schema's issue). */
function routeProblem(model: ModelEntry, providerType: unknown): string | undefined {
  const type = model.apiType ?? providerType;
  if (typeof type !== 'string' || getProviderDefinition(type)?.resolveApiType == null) return undefined;
  const route = routeModel(model.name, type);
  return 'problem' in route ? route.problem : undefined;
}

function checkDefault(
  name: string,
  embedding: boolean,
  catalog: CatalogProvider[],
  complete: boolean,
): string | undefined {
  const parsed = parseModelName(name);
  if (parsed === undefined) return `must be ${MODEL_NAME_FORMAT}`;
  const provider = catalog.find((p) => p.name.toLowerCase() === parsed.provider.toLowerCase());
  const model = provider?.models.find((m) => m.name.toLowerCase() === parsed.model.toLowerCase());
  if (model === undefined || provider === undefined) {
    // With a broken provider entry the model may exist there; that entry's own issue is reported instead.
    if (provider === undefined ? !complete : !provider.modelsKnown) return undefined;
    const names = catalog.flatMap((p) => p.models.map((m) => `${p.name}/${m.name}`));
    return `unknown model "${name}"; configured: ${names.join(', ') || 'none'}`;
  }
  if (model.available === false) {
    return `"${name}" is configured with available: false, so it cannot be the default`;
  }
  const isEmbedding = isEmbeddingEntry(model);
  if (embedding && !isEmbedding) {
    return `"${name}" is not an embedding model (mark it with embedding: true if it is one)`;
  }
  if (!embedding && isEmbedding) return `"${name}" is an embedding model; set it as defaultEmbeddingModel`;
  return undefined;
}

function toEntry(entry: unknown): ModelEntry | undefined {
  if (typeof entry === 'string') return entry.trim() === '' ? undefined : { name: entry.trim() };
  const record = asRecord(entry);
  const name = trimmed(record?.name);
  if (record === undefined || name === undefined) return undefined;
  const model: ModelEntry = { name };
  if (typeof record.apiType === 'string') model.apiType = record.apiType;
  if (typeof record.embedding === 'boolean') model.embedding = record.embedding;
  if (record.available === false) model.available = false;
  const capabilities = asRecord(record.capabilities);
  if (typeof capabilities?.embedding === 'boolean')
    model.capabilities = { embedding: capabilities.embedding };
  // The output modalities decide an image model's kind (route targets are checked for one kind).
  const output = capabilities?.outputModalities;
  if (Array.isArray(output) && output.every((item) => typeof item === 'string')) {
    model.capabilities = {
      ...model.capabilities,
      outputModalities: output as ModelCapabilities['outputModalities'],
    };
  }
  return model;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function trimmed(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
