import { LLMError } from '../errors/llm-error.js';
import { resolveFetchRemoteMedia } from '../http/prefetch-remote-media.js';
import { registerSecrets } from '../logging/secrets.js';
import { modelKey, parseModelName } from '../models/model-name.js';
import { getProviderDefinition } from '../providers/provider-registry.js';
import { crossFieldIssues } from './config-checks.js';
import { type ConfigIssue, configErrorMap, configurationError, fromZodIssues } from './config-issues.js';
import { llmConfigSchema, type ParsedConfig, type ParsedProvider } from './config-schema.js';
import { gatewayIssues } from './gateway-schema.js';
import { mergeHeaders } from './merge-headers.js';
import { resolveGateway } from './resolve-gateway.js';
import { resolveModel } from './resolve-model.js';
import { resolveRoutes } from './resolve-routes.js';
import type { ResolvedConfig, ResolvedKeyStore, ResolvedModel, ResolvedProvider } from './resolved-config.js';

/** Defaults of `LLMConfig` (API.md §1). */
export const CONFIG_DEFAULTS = {
  timeoutMs: 180_000,
  retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 },
  structuredRetries: 2,
  maxToolRounds: 5,
  locale: 'en',
  geminiSafetyThreshold: 'BLOCK_NONE',
  maxResponseBytes: 67_108_864,
  redisPrefix: 'switchboard:',
} as const;

/** Trims whitespace and trailing slashes; a path (`/v1`, `/api/v3`) is kept (URL building handles it). */
export function normalizeApiBase(base: string): string {
  return base.trim().replace(/\/+$/, '');
}

/**
 * Validates an `LLMConfig`, applies every default and resolves every model. All problems are reported
 * together, by path, in one `LLMError('CONFIGURATION_ERROR')` (`details.issues: { path, message }[]`);
 * nothing is half-applied. Registers the API keys for redaction.
 *
 * @example resolveConfig({ providers: [{ name: 'A', apiType: 'openai', apiKeys: 'k', models: ['gpt-4o'] }] })
 */
export function resolveConfig(config: unknown): ResolvedConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    const got = config === null ? 'null' : Array.isArray(config) ? 'a list' : typeof config;
    throw configurationError([{ path: '', message: `must be an object { providers: [...] } (got ${got})` }]);
  }
  const raw = config as Record<string, unknown>;
  for (const keys of keysByProvider(raw)) registerSecrets(keys);
  const parsed = llmConfigSchema.safeParse(raw, { error: configErrorMap });
  const issues: ConfigIssue[] = [
    ...(parsed.success ? [] : fromZodIssues(parsed.error.issues)),
    ...crossFieldIssues(raw),
    ...gatewayIssues(raw.gateway),
  ];
  if (!parsed.success || issues.length > 0) throw configurationError(sortIssues(issues));
  return build(parsed.data);
}

function build(data: ParsedConfig): ResolvedConfig {
  const timeoutMs = data.timeoutMs ?? CONFIG_DEFAULTS.timeoutMs;
  const proxy = data.proxy?.trim();
  const providers = data.providers.map((provider) => buildProvider(provider, timeoutMs, proxy));
  const byName = new Map<string, ResolvedModel>();
  for (const provider of providers) {
    for (const model of provider.models) byName.set(modelKey(provider.name, model.id), model);
  }
  const find = (name: string) => {
    const parsed = parseModelName(name);
    return parsed && byName.get(modelKey(parsed.provider, parsed.model));
  };
  const routes = resolveRoutes(data.routes, find);
  // A default is a "Provider/model" or a route name (no "/"), spelled as configured.
  const canonical = (name: string | undefined) => {
    if (name === undefined) return undefined;
    if (parseModelName(name) !== undefined) return find(name)?.fullName;
    return routes.find((route) => route.name.toLowerCase() === name.toLowerCase())?.name;
  };
  const resolved: ResolvedConfig = {
    providers,
    timeoutMs,
    retry: { ...CONFIG_DEFAULTS.retry, ...definedOnly(data.retry ?? {}) },
    structuredRetries: data.structuredRetries ?? CONFIG_DEFAULTS.structuredRetries,
    maxToolRounds: data.maxToolRounds ?? CONFIG_DEFAULTS.maxToolRounds,
    keyStore: keyStoreOf(data.keyStore),
    logger: data.logger ?? false,
    debugLog: debugLogOf(data.debugLog),
    locale: data.locale ?? CONFIG_DEFAULTS.locale,
    middlewares: [...(data.middlewares ?? [])],
    geminiSafetyThreshold: data.geminiSafetyThreshold ?? CONFIG_DEFAULTS.geminiSafetyThreshold,
    maxResponseBytes: data.maxResponseBytes ?? CONFIG_DEFAULTS.maxResponseBytes,
    routes,
    telemetry: telemetryOf(data.telemetry),
  };
  const defaultModel = canonical(data.defaultModel);
  const defaultEmbeddingModel = canonical(data.defaultEmbeddingModel);
  if (defaultModel != null) resolved.defaultModel = defaultModel;
  if (defaultEmbeddingModel != null) resolved.defaultEmbeddingModel = defaultEmbeddingModel;
  if (proxy != null) resolved.proxy = proxy;
  const fetchRemoteMedia = resolveFetchRemoteMedia(data.fetchRemoteMedia);
  if (fetchRemoteMedia !== undefined) resolved.fetchRemoteMedia = fetchRemoteMedia;
  if (data.gateway != null) resolved.gateway = resolveGateway(data.gateway);
  return resolved;
}

function buildProvider(data: ParsedProvider, timeoutMs: number, proxy: string | undefined): ResolvedProvider {
  // Registered: the schema accepts registered apiTypes only, and built-ins are loaded by the schema module.
  const definition = getProviderDefinition(data.apiType);
  const configuredHeaders = { ...data.headers };
  const base = data.apiBase ?? definition?.defaultApiBase;
  if (base == null) {
    throw new LLMError(
      'CONFIGURATION_ERROR',
      `providers.${data.name}.apiBase: required for apiType ${data.apiType}`,
    );
  }
  const provider: ResolvedProvider = {
    name: data.name,
    apiType: data.apiType,
    apiKeys: [...new Set(data.apiKeys)],
    apiBase: normalizeApiBase(base),
    timeoutMs: data.timeoutMs ?? timeoutMs,
    headers: mergeHeaders(definition?.headers, configuredHeaders),
    models: [],
  };
  const providerProxy = data.proxy?.trim() ?? proxy;
  if (providerProxy != null) provider.proxy = providerProxy;
  // Pushed, not reassigned: a model's provider view shares this array.
  for (const model of data.models) provider.models.push(resolveModel(model, provider, configuredHeaders));
  return provider;
}

function keyStoreOf(store: ParsedConfig['keyStore']): ResolvedKeyStore {
  if (store == null || store.type === 'memory') return { type: 'memory' };
  if (store.type === 'file') return { type: 'file', path: store.path };
  return { type: 'redis', url: store.url, prefix: store.prefix ?? CONFIG_DEFAULTS.redisPrefix };
}

function telemetryOf(option: ParsedConfig['telemetry']): ResolvedConfig['telemetry'] {
  if (option === false) return { enabled: false, recordContent: false };
  const telemetry: ResolvedConfig['telemetry'] = {
    enabled: true,
    recordContent: option?.recordContent ?? false,
  };
  if (option?.tracer != null) telemetry.tracer = option.tracer;
  return telemetry;
}

function debugLogOf(option: ParsedConfig['debugLog']): ResolvedConfig['debugLog'] {
  if (option == null || option === false) return false;
  if (option === true) return { showTools: true, showSchema: true, showSafety: true };
  return {
    showTools: option.showTools ?? true,
    showSchema: option.showSchema ?? true,
    showSafety: option.showSafety ?? true,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

/** Every string that looks like a configured key, so it is redacted even from validation errors. */
/** Each provider's keys (trimmed, as the key pool gets them): redaction ids are unique per provider. */
function keysByProvider(raw: Record<string, unknown>): string[][] {
  if (!Array.isArray(raw.providers)) return [];
  return raw.providers.map((provider: unknown) => {
    const keys =
      typeof provider === 'object' && provider !== null ? (provider as { apiKeys?: unknown }).apiKeys : [];
    const list: unknown[] = Array.isArray(keys) ? keys : [keys];
    return list.filter((key): key is string => typeof key === 'string').map((key) => key.trim());
  });
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const rank = (path: string) => (path === '' ? 0 : path.startsWith('providers') ? 2 : 1);
  return [...issues].sort(
    (a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path, 'en', { numeric: true }),
  );
}
