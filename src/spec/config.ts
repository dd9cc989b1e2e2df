import type { ModelCapabilities } from './capabilities.js';
import type { LLMErrorCode, Locale } from './error-code.js';
import type { GatewayConfig } from './gateway.js';
import type { LLMEmbeddingConfig, LLMGenerationConfig } from './generation-config.js';
import type { DebugLogOptions, Logger } from './logger.js';
import type { Middleware } from './middleware.js';
import type { TelemetryConfig } from './telemetry.js';
import type { ModelPricing } from './usage.js';

/**
 * The built-in apiTypes (each one a `ProviderDefinition` in `src/providers/<name>/`):
 * - `openai`, `deepseek`, `zhipu`, `ark`, `openrouter`: OpenAI chat completions and their quirks
 * - `openai_responses`: OpenAI `POST /v1/responses`
 * - `gemini`: Gemini `generateContent`
 * - `openai_image`: OpenAI `/v1/images/generations` and `/v1/images/edits`
 * - `nano_banana`: the OpenAI images protocol as image relays expose it (seed-spec §3.9: JSON
 *   `POST /v1/images/generations`, input images as base64 `image: [...]`); OpenRouter image models answering
 *   inside chat (`modalities`) use `openrouter`
 * - `anthropic`: the Anthropic Messages API (`POST /v1/messages`)
 * - `smart`: names matching `*gemini*` or `*nano-banana*` go to the Gemini dialect, the rest to OpenAI
 */
export type BuiltInApiType =
  | 'openai'
  | 'deepseek'
  | 'zhipu'
  | 'ark'
  | 'openrouter'
  | 'openai_responses'
  | 'gemini'
  | 'openai_image'
  | 'nano_banana'
  | 'anthropic'
  | 'smart';

/** Wire dialect of a provider (or of one model): a built-in one, or one added with `registerProvider`. */
export type ApiType = BuiltInApiType | (string & {});

/**
 * One problem of a configuration or of call settings: where and what. `CONFIGURATION_ERROR` and
 * `INVALID_PARAMETER` errors list them in `details.issues`.
 *
 * @example { path: 'providers[1].apiType', message: 'required' }
 */
export interface ConfigIssue {
  /** Value path, `providers[1].models[0].name` style; `''` is the whole value. */
  path: string;
  message: string;
}

/** One model of a provider, with optional per-model settings. */
export interface ModelDetail {
  /** Model id sent to the provider; may contain `/` (`deepseek-ai/DeepSeek-V3`). */
  name: string;
  /** Per-model dialect; wins over the provider's `apiType` (also under `smart`). */
  apiType?: ApiType;
  /** Path override for the chat endpoint, e.g. `/v1/chat/completions`. */
  endpoint?: string;
  /** An embedding model. @default from the capability registry */
  embedding?: boolean;
  /** Request default (a call's `config.core.temperature` wins). */
  temperature?: number;
  /** Request default (a call's `config.core.maxTokens` wins). */
  maxTokens?: number;
  /** Overrides of the built-in capability registry. */
  capabilities?: Partial<ModelCapabilities>;
  /**
   * Prices in USD per million tokens: calls to this model get `response.cost`, and `llm.usage()` and the
   * spend ledger add it up (API.md §16).
   * @example { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 }
   */
  pricing?: ModelPricing;
  /**
   * `false` keeps the model configured but out of service (the seed's `is_available: false`): it is listed
   * with `available: false`, never chosen as a default, and a call to it fails with `MODEL_NOT_FOUND` saying
   * it is unavailable. @default true
   */
  available?: boolean;
  /** Why the model is unavailable, shown in that error and in `ModelInfo`. @example 'quota used up until June' */
  unavailableReason?: string;
  /**
   * Context window in tokens (a positive integer). Routes use it after `CONTEXT_LENGTH_EXCEEDED`: only
   * targets with a known, larger window are tried next (API.md §14). @default unknown @example 128000
   */
  contextWindow?: number;
}

/**
 * How a route orders its targets for each call (API.md §14); the rest of the order is the call's fallback chain.
 * - `fallback`: as listed
 * - `round_robin`: each call starts one target further along the list
 * - `weighted`: first target drawn by `weight`, then the others the same way among those left
 * - `least_busy`: fewest calls of this route in flight first (ties take turns)
 * - `latency`: lowest recent latency first (a moving average per target; targets not yet measured go first,
 *   and 5 % of calls try another target first so a recovered one is noticed)
 */
export type RouteStrategy = 'fallback' | 'round_robin' | 'weighted' | 'least_busy' | 'latency';

/**
 * One target of a route. A plain string `'Provider/model'` is the same as `{ model: 'Provider/model' }`.
 *
 * @example { model: 'DeepSeek/deepseek-chat', weight: 3, config: { core: { maxTokens: 2048 } } }
 */
export interface RouteTargetConfig {
  /** A configured `"Provider/model"` (not another route). Every target of a route is of one kind (chat, embedding or image). */
  model: string;
  /** Relative share of `weighted` routes (a positive number; other strategies ignore it). @default 1 */
  weight?: number;
  /**
   * Settings for calls this target serves: the call's own config is merged over it (the call wins field by
   * field). An `LLMGenerationConfig`; on a route of embedding models an `LLMEmbeddingConfig`.
   */
  config?: LLMGenerationConfig | LLMEmbeddingConfig;
}

/**
 * A named fallback chain or load-balanced group (API.md §14), called as `model: '<name>'`.
 *
 * @example { name: 'smart', strategy: 'fallback', targets: ['OpenAI/gpt-4o', { model: 'Gemini/gemini-2.5-flash' }] }
 */
export interface RouteConfig {
  /**
   * Unique among routes (case-insensitive), without `/` (so it never reads as `"Provider/model"`); it may equal a
   * provider's name.
   */
  name: string;
  /** @default 'fallback' */
  strategy?: RouteStrategy;
  /** At least one; each a configured model, all of one kind, none twice. */
  targets: (string | RouteTargetConfig)[];
  /**
   * Error codes after which the next target is tried at once; any other error ends the call. `ABORTED` (the
   * caller's own abort) never falls back. `[]` never falls back (pure load balancing).
   * @default ['API_SERVER_ERROR', 'API_TIMEOUT', 'API_RATE_LIMITED', 'NO_AVAILABLE_KEYS', 'API_QUOTA_EXCEEDED',
   *   'API_KEY_INVALID', 'API_REQUEST_FAILED', 'CONTEXT_LENGTH_EXCEEDED', 'CONTENT_FILTERED']
   */
  fallbackOn?: LLMErrorCode[];
}

/**
 * One provider: a base URL, a dialect, a pool of keys and its models.
 *
 * @example { name: 'OpenAI', apiType: 'openai', apiKeys: ['sk-a', 'sk-b'], models: ['gpt-4o-mini'] }
 */
export interface ProviderConfig {
  /** Unique (case-insensitive); the `Provider` in `"Provider/model"`. */
  name: string;
  apiType: ApiType;
  /** One key or several (round-robin with health tracking). At least one. */
  apiKeys: string | string[];
  /** At least one. */
  models: (string | ModelDetail)[];
  /**
   * Absolute http(s) base URL. @default the apiType's `defaultApiBase` (types without one, such as `smart`
   * and `nano_banana`, require it). A trailing `/v1` (or `/v1beta`) is accepted and never doubled.
   * - `anthropic`: the Anthropic Messages API (`POST /v1/messages`)
   */
  apiBase?: string;
  /** Whole-call deadline for this provider. @default the client's `timeoutMs` */
  timeoutMs?: number;
  /** http(s) proxy for this provider. @default the client's `proxy` */
  proxy?: string;
  /** Extra headers sent with every request (never logged when they look like secrets). */
  headers?: Record<string, string>;
}

/** Where key health is kept. */
export type KeyStoreConfig =
  | 'memory'
  | { type: 'memory' }
  | { type: 'file'; path: string }
  | { type: 'redis'; url: string; prefix?: string };

/**
 * Whether http(s) media given by URL is downloaded for providers that need inline data (Gemini; the
 * `nano_banana` images protocol; the Markdown-image rescue of image calls). `false`: URLs are passed by
 * reference where the provider accepts them, else the call fails naming the part. `true` or an object: each
 * distinct URL is downloaded once per call (never again on a retry), within the call's deadline, typed by
 * sniffing the bytes, redirects refused, loopback/private/link-local/metadata addresses refused.
 * @default false
 * @example { allowPrivateNetworks: false, maxBytes: 10485760 }
 */
export type FetchRemoteMediaSetting =
  | boolean
  | {
      /** Allow loopback, private (RFC 1918, ULA), CGNAT, link-local and cloud metadata addresses. @default false */
      allowPrivateNetworks?: boolean;
      /** Largest media body, in bytes; larger ones fail without being read past the limit. @default 20971520 (20 MiB) */
      maxBytes?: number;
    };

/** Retry policy of the pipeline. */
export interface RetryConfig {
  /** Retries after the first attempt. @default 3 */
  maxRetries?: number;
  /** Base of exponential backoff (full jitter). @default 1000 */
  baseDelayMs?: number;
  /** Cap of one backoff wait. @default 30000 */
  maxDelayMs?: number;
}

/**
 * Everything `createLLM` takes. Only `providers` is required.
 *
 * @example
 * createLLM({
 *   providers: [{ name: 'Gemini', apiType: 'gemini', apiKeys: ['k1', 'k2'], models: ['gemini-2.5-flash'] }],
 *   defaultModel: 'Gemini/gemini-2.5-flash',
 * })
 */
export interface LLMConfig {
  providers: ProviderConfig[];
  /** `"Provider/model"` or a route name. @default the first configured chat model */
  defaultModel?: string;
  /** Default embedding model (`"Provider/model"` or a route of embedding models). @default the first configured embedding model */
  defaultEmbeddingModel?: string;
  /** Whole-call deadline, retries and waits included. @default 180000 */
  timeoutMs?: number;
  /** http(s) proxy URL for every provider without its own. */
  proxy?: string;
  retry?: RetryConfig;
  /** Validation-and-repair rounds of `generateStructured`. @default 2 */
  structuredRetries?: number;
  /** Bound of the automatic tool loop. @default 5 */
  maxToolRounds?: number;
  /** @default 'memory' (the CLI and gateway default to a file under `.switchboard/`) */
  keyStore?: KeyStoreConfig;
  /** pino-compatible logger, or `false` for silence. @default silent */
  logger?: Logger | false;
  /** Log every attempt's request and response at debug level; the object hides parts. @default false */
  debugLog?: boolean | DebugLogOptions;
  /** Language of `friendlyMessage`. @default 'en' */
  locale?: Locale;
  /** User middlewares, outermost first. */
  middlewares?: Middleware[];
  /** Default Gemini safety threshold for the four standard categories. @default 'BLOCK_NONE' */
  geminiSafetyThreshold?: string;
  /** Download http(s) media for providers that need inline data (a call's `fetchRemoteMedia` wins). @default false */
  fetchRemoteMedia?: FetchRemoteMediaSetting;
  /**
   * Largest non-stream response body read, in bytes after decoding (a positive integer). A bigger body fails
   * with `API_RESPONSE_INVALID` (`details.limit`), is not retried, and is never buffered past the limit.
   * Streams are bounded per event instead (8 MiB). @default 67108864 (64 MiB) @example 8_388_608
   */
  maxResponseBytes?: number;
  /** Named fallback chains and load-balanced groups, called as `model: '<name>'` (API.md §14). @default [] */
  routes?: RouteConfig[];
  /**
   * OpenTelemetry spans of every call (API.md §16): on when `@opentelemetry/api` is installed and a tracer
   * provider is registered, or with `tracer`; `false` turns them off. @default {} (recordContent false)
   */
  telemetry?: TelemetryConfig | false;
  /** The OpenAI-compatible server `switchboard serve` (API.md §15): port, host, client tokens, limits. @default none */
  gateway?: GatewayConfig;
}
