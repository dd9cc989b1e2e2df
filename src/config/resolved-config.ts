import type {
  DebugLogOptions,
  Locale,
  Logger,
  Middleware,
  ModelKind,
  ModelPricing,
  ProviderDefinition,
  ProviderInfo,
  ProviderModel,
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
  /** `ModelDetail.pricing` (USD per million tokens). */
  pricing?: ModelPricing;
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
  /** Absent (configs built by hand in tests) = enabled, no content. */
  telemetry?: ResolvedTelemetry;
}
