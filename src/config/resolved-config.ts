import type {
  DebugLogOptions,
  Locale,
  Logger,
  Middleware,
  ModelKind,
  ProviderDefinition,
  ProviderInfo,
  ProviderModel,
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
  /** The `gateway` group, when the config has one (`resolveGateway` gives the defaults otherwise). */
  gateway?: ResolvedGateway;
}
