import { DEFAULT_FALLBACK_SET } from '../config/resolve-routes.js';
import type { ResolvedConfig, ResolvedModel, ResolvedRoute } from '../config/resolved-config.js';
import { LLMError } from '../errors/llm-error.js';
import type { ModelInfo } from '../spec/index.js';
import { MODEL_NAME_FORMAT, modelKey, parseModelName } from './model-name.js';
import { routeInfo } from './route-info.js';

/** The configured models and routes of one client: listing, name resolution and the default model. */
export interface ModelRegistry {
  /** Every configured model (chat, image and embedding), in config order, then the routes (`kind: 'route'`). */
  list(): ModelInfo[];
  /** The embedding models, then the routes of embedding models. */
  listEmbedding(): ModelInfo[];
  /**
   * `"Provider/model"` (case-insensitive, split on the first `/`), or the default model when omitted, for a
   * call: an unavailable model (`available: false`) is `MODEL_NOT_FOUND`. A route name is an
   * `INVALID_PARAMETER` here: callers that accept routes ask `route()` first.
   */
  resolve(name?: string | readonly string[]): ResolvedModel;
  /** Like `resolve`, but an unavailable model is returned too (for `llm.models.resolve`). */
  inspect(name?: string): ResolvedModel;
  /** Like `resolve`, but the default is the default embedding model. */
  resolveEmbedding(name?: string | readonly string[]): ResolvedModel;
  /**
   * The route a call's `model` designates (API.md §14): a route name (no `/`, case-insensitive), a
   * `model: [...]` list (an ad-hoc `fallback` chain, checked here), or — `name` undefined — the default model
   * (`embedding`: the default embedding model) when that is a route. Undefined for anything else, which
   * `resolve` then handles. A `"Provider/model"` costs one `indexOf`.
   * @throws LLMError `INVALID_PARAMETER` for a bad list, `MODEL_NOT_FOUND` for an unknown model in it.
   */
  route(name: unknown, embedding?: boolean): ResolvedRoute | undefined;
  info(model: ResolvedModel): ModelInfo;
  /** The `ModelInfo` of a model or route name (the default when omitted); `MODEL_NOT_FOUND` otherwise. */
  describe(name?: string): ModelInfo;
  /** The current default model (`"Provider/model"` or a route name). */
  getDefault(): string;
  /** Validates `name` (a chat/image model or route) and makes it the default of the very next call. */
  setDefault(name: string): void;
}

/** Builds the registry of a resolved config. Names are looked up case-insensitively. */
export function createModelRegistry(config: ResolvedConfig): ModelRegistry {
  const models = config.providers.flatMap((provider) => provider.models);
  const byKey = new Map(models.map((model) => [modelKey(model.provider.name, model.id), model]));
  const routes = config.routes;
  // By lower-case name, and by the name as configured (the usual spelling: no string is built per call).
  const routeByKey = new Map<string, ResolvedRoute>();
  for (const route of routes) routeByKey.set(route.name.toLowerCase(), route).set(route.name, route);
  const routeNamed = (name: string): ResolvedRoute | undefined =>
    routes.length === 0 || name.indexOf('/') !== -1
      ? undefined
      : (routeByKey.get(name) ?? routeByKey.get(name.trim().toLowerCase()));
  const catalog: Known = { models, routes };
  let defaultName = config.defaultModel;
  let defaultRoute = defaultName !== undefined ? routeNamed(defaultName) : undefined;
  const defaultEmbeddingRoute =
    config.defaultEmbeddingModel !== undefined ? routeNamed(config.defaultEmbeddingModel) : undefined;

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
      available: model.available,
    };
    if (model.unavailableReason != null) out.unavailableReason = model.unavailableReason;
    if (model.contextWindow != null) out.contextWindow = model.contextWindow;
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
    if (Array.isArray(name)) {
      throw new LLMError('INVALID_PARAMETER', 'model: this operation takes one model, not a list', {
        details: { field: 'model' },
      });
    }
    if (typeof name !== 'string') {
      throw new LLMError('INVALID_PARAMETER', `model must be a string ${MODEL_NAME_FORMAT}`, {
        details: { field: 'model' },
      });
    }
    const parsed = parseModelName(name);
    if (parsed === undefined) {
      const route = routeNamed(name);
      if (route !== undefined) {
        throw new LLMError(
          'INVALID_PARAMETER',
          `"${route.name}" is a route; this operation needs one model, ${MODEL_NAME_FORMAT}.`,
          { model: route.name, details: { requested: name, targets: targetNames(route) } },
        );
      }
      throw badFormat(name, catalog);
    }
    const model = byKey.get(modelKey(parsed.provider, parsed.model));
    if (model === undefined) throw notFound(name, parsed.provider, catalog);
    return model;
  };

  const adHocRoute = (list: readonly unknown[]): ResolvedRoute => {
    if (list.length === 0) {
      throw new LLMError('INVALID_PARAMETER', 'model: an empty list; give at least one "Provider/model"', {
        details: { field: 'model' },
      });
    }
    const targets = list.map((item, index) => {
      if (typeof item !== 'string') {
        throw new LLMError('INVALID_PARAMETER', `model[${index}]: must be a string ${MODEL_NAME_FORMAT}`, {
          details: { field: `model[${index}]` },
        });
      }
      if (routeNamed(item) !== undefined) {
        throw new LLMError(
          'INVALID_PARAMETER',
          `model[${index}]: "${item}" is a route; a model list holds models (${MODEL_NAME_FORMAT}), routes cannot be nested`,
          { details: { field: `model[${index}]` } },
        );
      }
      return { model: lookup(item), weight: 1 };
    });
    const first = targets[0]?.model as ResolvedModel;
    targets.forEach(({ model }, index) => {
      const earlier = targets.findIndex((target) => target.model === model);
      const problem =
        earlier < index
          ? `"${model.fullName}" is listed twice (also model[${earlier}])`
          : model.kind !== first.kind
            ? `"${model.fullName}" is ${kindWord(model)}, but model[0] "${first.fullName}" is ${kindWord(first)}; a model list is of one kind`
            : undefined;
      if (problem !== undefined) {
        throw new LLMError('INVALID_PARAMETER', `model[${index}]: ${problem}`, {
          details: { field: `model[${index}]` },
        });
      }
    });
    return {
      name: `[${targets.map((target) => target.model.fullName).join(', ')}]`,
      strategy: 'fallback',
      kind: first.kind,
      targets,
      fallbackOn: DEFAULT_FALLBACK_SET,
      adHoc: true,
    };
  };

  const route = (name: unknown, embedding = false): ResolvedRoute | undefined => {
    if (typeof name === 'string') return routeNamed(name);
    if (name === undefined) return embedding ? defaultEmbeddingRoute : defaultRoute;
    return Array.isArray(name) ? adHocRoute(name) : undefined;
  };
  const infoOfRoute = (target: ResolvedRoute) =>
    routeInfo(
      target,
      target.targets.map((t) => info(t.model)),
    );

  const getDefault = (): string => {
    if (defaultName !== undefined) return defaultName;
    const first =
      models.find((model) => model.available && model.kind === 'chat') ??
      models.find((model) => model.available && model.kind !== 'embedding');
    if (first === undefined) {
      throw new LLMError(
        'MODEL_NOT_FOUND',
        'No chat model is configured (or none is available), so there is no default model.',
        { details: { available: models.map((model) => model.fullName) } },
      );
    }
    return first.fullName;
  };

  return {
    list: () => [...models.map(info), ...routes.map(infoOfRoute)],
    listEmbedding: () => [
      ...models.filter((model) => model.kind === 'embedding').map(info),
      ...routes.filter((r) => r.kind === 'embedding').map(infoOfRoute),
    ],
    resolve: (name) => callable(lookup(name === undefined ? getDefault() : name)),
    inspect: (name) => lookup(name === undefined ? getDefault() : name),
    route,
    describe: (name) => {
      const found = route(name);
      return found !== undefined
        ? infoOfRoute(found)
        : info(lookup(name === undefined ? getDefault() : name));
    },
    resolveEmbedding: (name) => {
      if (name !== undefined) return callable(lookup(name));
      if (config.defaultEmbeddingModel !== undefined) return callable(lookup(config.defaultEmbeddingModel));
      const first = models.find((model) => model.available && model.kind === 'embedding');
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
      const named = typeof name === 'string' ? routeNamed(name) : undefined;
      if (named !== undefined) {
        if (named.kind === 'embedding') {
          throw new LLMError(
            'INVALID_PARAMETER',
            `"${named.name}" is a route of embedding models and cannot be the default chat model.`,
            { model: named.name },
          );
        }
        defaultName = named.name;
        defaultRoute = named;
        return;
      }
      const model = callable(lookup(name));
      if (model.kind === 'embedding') {
        throw new LLMError(
          'INVALID_PARAMETER',
          `"${model.fullName}" is an embedding model and cannot be the default chat model.`,
          { model: model.fullName },
        );
      }
      defaultName = model.fullName;
      defaultRoute = undefined;
    },
  };
}

/** `model` itself when it may be called, else `MODEL_NOT_FOUND` saying it is unavailable (and why). */
function callable(model: ResolvedModel): ResolvedModel {
  if (model.available) return model;
  const reason = model.unavailableReason != null ? `: ${model.unavailableReason}` : '';
  const others = model.provider.models.filter((other) => other.available && other.kind === model.kind);
  throw new LLMError(
    'MODEL_NOT_FOUND',
    `Model "${model.fullName}" is unavailable (configured available: false${reason}).` +
      (others.length > 0
        ? ` Available ${model.kind} models of ${model.provider.name}: ${others.map((other) => other.fullName).join(', ')}`
        : ''),
    {
      provider: model.provider.name,
      model: model.fullName,
      details: {
        requested: model.fullName,
        unavailable: true,
        ...(model.unavailableReason != null ? { reason: model.unavailableReason } : {}),
      },
    },
  );
}

/** What exists, for error messages. */
interface Known {
  models: readonly ResolvedModel[];
  routes: readonly ResolvedRoute[];
}

function targetNames(route: ResolvedRoute): string[] {
  return route.targets.map((target) => target.model.fullName);
}

function kindWord(model: ResolvedModel): string {
  return model.kind === 'embedding' ? 'an embedding model' : `a ${model.kind} model`;
}

/** "Configured models: …" plus "; routes: …" when there are routes. */
function configuredList({ models, routes }: Known): string {
  const list = models.length === 0 ? 'none' : models.map((model) => model.fullName).join(', ');
  return routes.length === 0
    ? `Configured models: ${list}`
    : `Configured models: ${list}; routes: ${routes.map((route) => route.name).join(', ')}`;
}

function knownDetails(name: string, { models, routes }: Known): Record<string, unknown> {
  const details: Record<string, unknown> = {
    requested: name,
    available: models.map((model) => model.fullName),
  };
  if (routes.length > 0) details.routes = routes.map((route) => route.name);
  return details;
}

function badFormat(name: string, known: Known): LLMError {
  const bare = name.trim().toLowerCase();
  const matches = bare === '' ? [] : known.models.filter((model) => model.id.toLowerCase() === bare);
  const hint =
    matches.length > 0 ? ` Did you mean ${matches.map((m) => `"${m.fullName}"`).join(' or ')}?` : '';
  const expected = known.routes.length > 0 ? `${MODEL_NAME_FORMAT} or a route name` : MODEL_NAME_FORMAT;
  return new LLMError(
    'MODEL_NOT_FOUND',
    `Invalid model name "${name}": expected ${expected}.${hint} ${configuredList(known)}`,
    { model: name, details: knownDetails(name, known) },
  );
}

function notFound(name: string, provider: string, known: Known): LLMError {
  const has = known.models.some((model) => model.provider.name.toLowerCase() === provider.toLowerCase());
  const what = has ? `Model "${name}" is not configured` : `Unknown provider "${provider}" in "${name}"`;
  return new LLMError('MODEL_NOT_FOUND', `${what}. ${configuredList(known)}`, {
    model: name,
    details: knownDetails(name, known),
  });
}
