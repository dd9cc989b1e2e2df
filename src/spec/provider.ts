import type { ModelCapabilities } from './capabilities.js';
import type { MediaKind } from './content-part.js';
import type { LLMErrorCode, Locale } from './error-code.js';
import type { OutputConfig } from './generation-config.js';
import type { ChatDialect, EmbeddingDialect, ImageDialect, ProviderModel } from './provider-dialects.js';
import type { JsonSchema } from './tool.js';

/**
 * How the pipeline sends a key, per attempt: `bearer` → `Authorization: Bearer <key>`, `header` → the
 * named header (`x-goog-api-key`, `x-api-key`). Keys never go into URLs.
 */
export type ProviderAuth = { scheme: 'bearer' } | { scheme: 'header'; name: string };

/** Client settings a dialect may depend on (read-only; the same for every call of one client). */
export interface ProviderSettings {
  /** Config `geminiSafetyThreshold`. @default 'BLOCK_NONE' */
  readonly geminiSafetyThreshold: string;
  /** Config `locale` (language of friendly error messages). @default 'en' */
  readonly locale: Locale;
  /** Config `timeoutMs`: the client's default whole-call deadline. @default 180000 */
  readonly timeoutMs: number;
}

/** What a dialect factory gets. Each factory runs at most once per client, on first use. */
export interface ProviderSetup {
  /** The apiType being set up (lets one factory serve several definitions). */
  readonly apiType: string;
  readonly settings: ProviderSettings;
}

/**
 * The native structured-output settings for one schema: what `generateStructured` sends with
 * `strategy: 'native'`.
 */
export interface NativeStructuredOutput {
  /**
   * Output settings the type's chat dialect turns into its wire form, e.g.
   * `{ responseFormat: { type: 'json_schema', json_schema: { name, schema, strict: true } } }` or
   * `{ responseMimeType: 'application/json', responseSchema }`. Replaces the caller's output settings.
   */
  output: OutputConfig;
  /**
   * The schema was not an object, so it was sent wrapped as
   * `{ type: 'object', properties: { value: <schema> }, required: ['value'] }`; the answer's `value`
   * is unwrapped before validation. @default false
   */
  rootWrapped?: boolean;
  /**
   * Properties made required-and-nullable for a strict mode, as optional paths (JSON Pointers, `*` for
   * every array item, `~0` `~1` `~2` escaping `~` `/` `*`): their `null`s become absent before
   * validation. @default []
   */
  optionalPaths?: string[];
  /** Sent in the provider's strict mode (reported as `StructuredResult.strict`). @default false */
  strict?: boolean;
  /** Things the caller should know (e.g. "sent without strict mode: …"). @default [] */
  warnings?: string[];
}

/**
 * How `generateStructured` may get JSON from this apiType. The strategy of a call is, in order: the
 * caller's `strategy` (asking for `native` on a type without `native` is an `INVALID_PARAMETER`);
 * `native` when the type has it and the model's `capabilities.jsonSchema` is true; `fallback` when set
 * (`tool_call` becomes `prompt` for a model without `toolCalling`); else `tool_call` for a model whose
 * capabilities claim a JSON schema mode the type lacks (and that calls tools), else `prompt`.
 *
 * @example { native: (schema, { name }) => ({ output: { responseFormat: { type: 'json_schema', json_schema: { name, schema } } } }), jsonMode: true }
 */
export interface StructuredOutputSupport {
  /**
   * Builds the native settings for a JSON Schema (`name`: 1–64 letters, digits, `_`, `-`; already checked).
   * Returns `undefined` when this schema cannot be expressed natively (e.g. open maps where the provider
   * closes every object): the call then uses `fallback`, with a warning.
   */
  native?(
    schema: JsonSchema,
    options: { name: string; model: ProviderModel },
  ): NativeStructuredOutput | undefined;
  /**
   * The `prompt` strategy also turns the provider's JSON mode on (`responseFormat: 'json'`) unless the
   * caller sets `jsonMode`. Declare it only where JSON mode is documented. @default false
   */
  jsonMode?: boolean;
  /** Strategy when `native` does not apply. @default see above */
  fallback?: 'tool_call' | 'prompt';
}

/** A failed HTTP answer, as a definition's `classifyError` sees it. */
export interface ProviderFailureInfo {
  /** HTTP status. */
  status?: number;
  /** Response headers, names lower-cased. */
  headers: Readonly<Record<string, string>>;
  /** The body: parsed JSON, else its text (bounded), else absent. */
  body?: unknown;
  /** The provider's message, as the generic reader found it (`error.message`, …), else the body text. */
  message: string;
  /** The first of `error.code` / `error.status` / `error.type` of an error object (`overloaded_error`). */
  providerCode?: string;
}

/**
 * A provider's own reading of a failed answer, consulted before the generic classifier (API.md §4):
 * return a code to decide, `undefined` to leave it to the generic rules. Retry hints (`retry-after`, …)
 * are read either way. Never consulted for aborts, timeouts and network failures.
 *
 * @example (failure) => failure.providerCode === 'overloaded_error' ? 'API_SERVER_ERROR' : undefined
 */
export type ProviderErrorClassifier = (failure: ProviderFailureInfo) => LLMErrorCode | undefined;

/**
 * Everything the library knows about one `apiType`: one object, registered with `registerProvider`.
 * The built-in providers are written against this same shape (see `docs/providers.md`).
 *
 * @example
 * registerProvider({
 *   apiType: 'toy',
 *   defaultApiBase: 'https://api.toy.example',
 *   auth: { scheme: 'header', name: 'x-toy-key' },
 *   chat: () => createToyChatDialect(),
 *   structuredOutput: { fallback: 'tool_call' },
 * });
 */
export interface ProviderDefinition {
  /** The name configs use: lower-case letters, digits, `_` and `-`, starting with a letter (`toy`, `my_llm`). */
  apiType: string;
  /** Base URL when a provider of this type gives no `apiBase`. Absent → config requires `apiBase`. */
  defaultApiBase?: string;
  /** How keys are sent. @default { scheme: 'bearer' } */
  auth?: ProviderAuth;
  /** Headers sent with every request (e.g. an API version); a provider's configured `headers` win. */
  headers?: Record<string, string>;
  /**
   * A router type (`smart`): the registered apiType a model of this type is spoken to in, by its id.
   * A router declares no dialects, structured output or error hints of its own, and may not route to
   * another router.
   */
  resolveApiType?(modelId: string): string;
  /**
   * Adjusts what the capability registry found for a model of this type (before config overrides),
   * e.g. an image type makes images whatever the model id. Return a new object; never mutate `found`.
   */
  capabilities?(modelId: string, found: ModelCapabilities): ModelCapabilities;
  /** Every model of this type is an image model (`kind: 'image'`, default for `createImage`). @default false */
  imageOnly?: boolean;
  /** Chat, streams, tools and structured output. Absent → chat calls fail with `INVALID_PARAMETER`. */
  chat?(setup: ProviderSetup): ChatDialect;
  /** Embeddings. Absent → `embed` fails with `INVALID_PARAMETER`. */
  embedding?(setup: ProviderSetup): EmbeddingDialect;
  /**
   * A dedicated image endpoint for `createImage`. Absent → `createImage` runs a chat call asking for
   * image output (`responseModalities: ['IMAGE', 'TEXT']`) through `chat`.
   */
  image?(setup: ProviderSetup): ImageDialect;
  /** How structured output works. Absent → no `native` strategy (see `StructuredOutputSupport`). */
  structuredOutput?: StructuredOutputSupport;
  /** Provider-specific error reading, consulted before the generic classifier. */
  classifyError?: ProviderErrorClassifier;
  /** Content parts and tools may carry `cacheControl` (sent as the provider's prompt caching). @default false */
  promptCaching?: boolean;
  /**
   * Which media kinds this type takes by http(s) URL (`true`, or left out) and which it needs inline, as
   * base64 (`false`). When a call has `fetchRemoteMedia` on, URL-only parts of a `false` kind (chat messages
   * and `createImage` input images alike) are downloaded once per call, before the first attempt, and sent
   * inline; with it off they reach the dialect as URLs, which handles them as it always did (sends them by
   * reference, warns or refuses). Gemini Files API and YouTube URLs are never downloaded.
   * @default every kind taken by URL (nothing downloaded)
   * @example { image: false, audio: false, video: false, file: false } // Gemini: inline data for arbitrary URLs
   */
  mediaUrls?: Partial<Record<MediaKind, boolean>>;
  /**
   * The OpenTelemetry `gen_ai.provider.name` of calls to this type (a GenAI semantic-convention value such
   * as `openai`, `gcp.gemini`, `anthropic`, `deepseek`). @default the apiType
   */
  genAiProviderName?: string;
}
