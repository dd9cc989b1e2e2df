import type {
  ApiType,
  DebugLogOptions,
  Locale,
  Logger,
  Middleware,
  ModelCapabilities,
  ModelKind,
} from '../spec/index.js';

/** Dialects a request can actually be sent in (`smart` is resolved per model). */
export type Dialect = Exclude<ApiType, 'smart'>;

/** A model after validation: dialect resolved, capabilities looked up, defaults attached. */
export interface ResolvedModel {
  /** Model id sent to the provider. */
  id: string;
  /** `"Provider/model"` */
  fullName: string;
  provider: ResolvedProvider;
  /** Effective dialect: the model's `apiType`, else the provider's, with `smart` resolved by name. */
  dialect: Dialect;
  kind: ModelKind;
  capabilities: ModelCapabilities;
  /** Path override for the chat endpoint. */
  endpoint?: string;
  /** Request defaults from `ModelDetail.temperature` / `maxTokens`. */
  defaults: { temperature?: number; maxTokens?: number };
}

/** A provider after validation. */
export interface ResolvedProvider {
  name: string;
  apiType: ApiType;
  apiKeys: string[];
  /** Normalised base URL (no trailing slash), or undefined when the type has no default and none was given. */
  apiBase?: string;
  timeoutMs: number;
  proxy?: string;
  headers: Record<string, string>;
  models: ResolvedModel[];
}

/** `keyStore` normalised. */
export type ResolvedKeyStore =
  | { type: 'memory' }
  | { type: 'file'; path: string }
  | { type: 'redis'; url: string; prefix: string };

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
}
