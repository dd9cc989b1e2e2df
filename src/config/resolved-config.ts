import type { RemoteMediaOptions } from '../http/download-remote-media.js';
import type {
  DebugLogOptions,
  LLMEmbeddingConfig,
  LLMErrorCode,
  LLMGenerationConfig,
  Locale,
  Logger,
  Middleware,
  ModelKind,
  ModelPricing,
  ProviderDefinition,
  ProviderInfo,
  ProviderModel,
  RouteStrategy,
  TelemetryTracer,
} from '../spec/index.js';

/**
 * A model after validation: apiType resolved (`smart` routed by name), its definition looked up,
 * capabilities adjusted, defaults attached. Dialects see it as the public `ProviderModel`.
 */
export interface ResolvedModel extends ProviderModel {
  provider: ResolvedProvider;
  kind: ModelKind;
  /** The registered definition of `apiType` (bound when the config was resolved). */
  definition: ProviderDefinition;
  /** `false` when configured `available: false`: listed, never a default, calls fail with `MODEL_NOT_FOUND`. */
  available: boolean;
  /** The configured reason of an unavailable model. */
  unavailableReason?: string;
  /** `ModelDetail.contextWindow`: tokens, when configured. */
  contextWindow?: number;
  /** `ModelDetail.pricing` (USD per million tokens). */
  pricing?: ModelPricing;
}

/** One target of a resolved route. */
export interface ResolvedRouteTarget {
  model: ResolvedModel;
  /** `weighted` share (positive). @default 1 */
  weight: number;
  /** Chat and image routes: the target's generation config (the call's is merged over it). */
  config?: LLMGenerationConfig;
  /** Embedding routes: the target's embedding config (the call's is merged over it). */
  embeddingConfig?: LLMEmbeddingConfig;
}

/** A route (API.md §14) after validation, or an ad-hoc `model: [...]` chain of one call. */
export interface ResolvedRoute {
  /** As configured; an ad-hoc chain is named by its list (`[A/x, B/y]`). */
  name: string;
  strategy: RouteStrategy;
  /** The kind of every target. */
  kind: ModelKind;
  /** In configured order (at least one). */
  targets: ResolvedRouteTarget[];
  /** Codes after which the next target is tried. */
  fallbackOn: ReadonlySet<LLMErrorCode>;
  /** A `model: [...]` list of one call rather than a configured route. */
  adHoc: boolean;
}

/** A provider after validation. */
export interface ResolvedProvider extends ProviderInfo {
  apiKeys: string[];
  proxy?: string;
  models: ResolvedModel[];
}

/** `keyStore` normalised. */
export type ResolvedKeyStore =
  | { type: 'memory' }
  | { type: 'file'; path: string }
  | { type: 'redis'; url: string; prefix: string };

/** `telemetry` normalised: `enabled` false for `telemetry: false`. */
export interface ResolvedTelemetry {
  enabled: boolean;
  tracer?: TelemetryTracer;
  recordContent: boolean;
}

/** A client token of the gateway: its SHA-256 instead of the token (API.md §15). */
export interface ResolvedGatewayToken {
  name: string;
  /** SHA-256 (hex) of the token; the token itself is never kept. */
  tokenHash: string;
  models?: string[];
  rpm?: number;
  tpm?: number;
  maxConcurrent?: number;
  budgetUsdPerDay?: number;
  /** Epoch milliseconds. */
  expiresAt?: number;
}

/** The `gateway` group with its defaults applied (`requestTimeoutMs` absent: the call's own deadline). */
export interface ResolvedGateway {
  port: number;
  host: string;
  tokens: ResolvedGatewayToken[];
  bodyLimitBytes: number;
  requestTimeoutMs?: number;
  allowUnauthenticatedLoopback: boolean;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  drainTimeoutMs: number;
  accessLog: boolean;
}

/** `LLMConfig` after validation, with every default applied. */
export interface ResolvedConfig {
  providers: ResolvedProvider[];
  defaultModel?: string;
  defaultEmbeddingModel?: string;
  timeoutMs: number;
  proxy?: string;
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  structuredRetries: number;
  maxToolRounds: number;
  keyStore: ResolvedKeyStore;
  logger: Logger | false;
  /** `false` = no body logging; otherwise what to show. */
  debugLog: false | Required<DebugLogOptions>;
  locale: Locale;
  middlewares: Middleware[];
  geminiSafetyThreshold: string;
  /** Largest non-stream response body read, in decoded bytes. */
  maxResponseBytes: number;
  /** `fetchRemoteMedia` as options (`true` → `{}`); absent when downloads are off (the default). */
  fetchRemoteMedia?: RemoteMediaOptions;
  /** Configured routes, in order (API.md §14). */
  routes: ResolvedRoute[];
  /** Absent (configs built by hand in tests) = enabled, no content. */
  telemetry?: ResolvedTelemetry;
  /** The `gateway` group, when the config has one (`resolveGateway` gives the defaults otherwise). */
  gateway?: ResolvedGateway;
}
