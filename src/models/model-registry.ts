import type { ResolvedConfig, ResolvedModel } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { ModelInfo } from '../spec/index.js';
import { MODEL_NAME_FORMAT, modelKey, parseModelName } from './model-name.js';

/** The configured models of one client: listing, name resolution and the default model. */
export interface ModelRegistry {
  /** Every configured model (chat, image and embedding), in config order. */
  list(): ModelInfo[];
  /** The embedding models. */
  listEmbedding(): ModelInfo[];
  /** `"Provider/model"` (case-insensitive, split on the first `/`), or the default model when omitted. */
  resolve(name?: string): ResolvedModel;
  /** Like `resolve`, but the default is the default embedding model. */
  resolveEmbedding(name?: string): ResolvedModel;
  info(model: ResolvedModel): ModelInfo;
  /** The current default model (`"Provider/model"`). */
  getDefault(): string;
  /** Validates `name` and makes it the default of the very next `resolve()`. */
  setDefault(name: string): void;
}

/** Builds the registry of a resolved config. Names are looked up case-insensitively; nothing is cached. */
export function createModelRegistry(config: ResolvedConfig): ModelRegistry {
  const models = config.providers.flatMap((provider) => provider.models);
  const byKey = new Map(models.map((model) => [modelKey(model.provider.name, model.id), model]));
  let defaultName = config.defaultModel;

  const info = (model: ResolvedModel): ModelInfo => {
    const out: ModelInfo = {
      name: model.fullName,
      provider: model.provider.name,
      model: model.id,
      kind: model.kind,
      capabilities: {
        ...model.capabilities,
        inputModalities: [...model.capabilities.inputModalities],
        outputModalities: [...model.capabilities.outputModalities],
      },
      apiType: model.apiType,
    };
    if (model.pricing != null) out.pricing = { ...model.pricing };
    return out;
  };

  // Names as callers spell them, resolved (bounded): resolution runs on every call.
  const resolved = new Map<string, ResolvedModel>();
  const lookup = (name: unknown): ResolvedModel => {
    if (typeof name === 'string') {
      const known = resolved.get(name);
      if (known !== undefined) return known;
    }
    const model = lookupUncached(name);
    if (resolved.size >= 256) resolved.clear();
    resolved.set(name as string, model);
    return model;
  };
  const lookupUncached = (name: unknown): ResolvedModel => {
    if (typeof name !== 'string') {
      throw new LLMError('INVALID_PARAMETER', `model must be a string ${MODEL_NAME_FORMAT}`, {
        details: { field: 'model' },
      });
    }
    const parsed = parseModelName(name);
    if (parsed === undefined) throw badFormat(name, models);
    const model = byKey.get(modelKey(parsed.provider, parsed.model));
    if (model === undefined) throw notFound(name, parsed.provider, models);
    return model;
  };

  const getDefault = (): string => {
    if (defaultName !== undefined) return defaultName;
    const first =
      models.find((model) => model.kind === 'chat') ?? models.find((model) => model.kind !== 'embedding');
    if (first === undefined) {
      throw new LLMError('MODEL_NOT_FOUND', 'No chat model is configured, so there is no default model.', {
        details: { available: models.map((model) => model.fullName) },
      });
    }
    return first.fullName;
  };

  return {
    list: () => models.map(info),
    listEmbedding: () => models.filter((model) => model.kind === 'embedding').map(info),
    resolve: (name) => lookup(name === undefined ? getDefault() : name),
    resolveEmbedding: (name) => {
      if (name !== undefined) return lookup(name);
      if (config.defaultEmbeddingModel !== undefined) return lookup(config.defaultEmbeddingModel);
      const first = models.find((model) => model.kind === 'embedding');
      if (first === undefined) {
        throw new LLMError(
          'MODEL_NOT_FOUND',
          'No embedding model is configured. Add one to a provider, e.g. ' +
            "models: [{ name: 'text-embedding-3-small', embedding: true }].",
          { details: { available: models.map((model) => model.fullName) } },
        );
      }
      return first;
    },
    info,
    getDefault,
    setDefault: (name) => {
      const model = lookup(name);
      if (model.kind === 'embedding') {
        throw new LLMError(
          'INVALID_PARAMETER',
          `"${model.fullName}" is an embedding model and cannot be the default chat model.`,
          { model: model.fullName },
        );
      }
      defaultName = model.fullName;
    },
  };
}

function configuredList(models: readonly ResolvedModel[]): string {
  return models.length === 0 ? 'none' : models.map((model) => model.fullName).join(', ');
}

function badFormat(name: string, models: readonly ResolvedModel[]): LLMError {
  const bare = name.trim().toLowerCase();
  const matches = bare === '' ? [] : models.filter((model) => model.id.toLowerCase() === bare);
  const hint =
    matches.length > 0 ? ` Did you mean ${matches.map((m) => `"${m.fullName}"`).join(' or ')}?` : '';
  return new LLMError(
    'MODEL_NOT_FOUND',
    `Invalid model name "${name}": expected ${MODEL_NAME_FORMAT}.${hint} Configured models: ${configuredList(models)}`,
    { model: name, details: { requested: name, available: models.map((model) => model.fullName) } },
  );
}

function notFound(name: string, provider: string, models: readonly ResolvedModel[]): LLMError {
  const known = models.some((model) => model.provider.name.toLowerCase() === provider.toLowerCase());
  const what = known ? `Model "${name}" is not configured` : `Unknown provider "${provider}" in "${name}"`;
  return new LLMError('MODEL_NOT_FOUND', `${what}. Configured models: ${configuredList(models)}`, {
    model: name,
    details: { requested: name, available: models.map((model) => model.fullName) },
  });
}
