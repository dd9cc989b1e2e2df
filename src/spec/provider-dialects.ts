import type { ModelCapabilities } from './capabilities.js';
import type { ApiType } from './config.js';
import type { LLMContentPart, MediaPart } from './content-part.js';
import type { FinishReason } from './finish-reason.js';
import type { LLMEmbeddingConfig, LLMGenerationConfig } from './generation-config.js';
import type { LLMMessage, LLMToolCall } from './message.js';
import type { ProviderAuth } from './provider.js';
import type { GeneratedImage, Grounding } from './response.js';
import type { FunctionToolSpec, ProviderToolSpec, ToolChoice } from './tool.js';
import type { LLMUsage } from './usage.js';

/**
 * The four dialect pieces a provider implements (see `ProviderDefinition`): pure functions that map
 * neutral values to an HTTP request and parse the answer back. HTTP, keys, retries and deadlines belong
 * to the pipeline; settings a provider ignores are reported as `warnings`, never dropped silently.
 */

/** A value plus the settings the provider will ignore (one sentence each). */
export interface Mapped<T> {
  value: T;
  warnings: string[];
}

/**
 * The provider as a dialect sees it (read it, never change it). No keys: authentication is added per
 * attempt by the pipeline, from the definition's `auth`.
 */
export interface ProviderInfo {
  /** Provider name as configured (`"OpenAI"`). */
  name: string;
  /** The provider's configured `apiType` (a model may be spoken to in another: `ProviderModel.apiType`). */
  apiType: ApiType;
  /**
   * Base URL without trailing slash: the configured `apiBase`, else the definition's `defaultApiBase`
   * (config validation requires one of them). May or may not end in a version segment such as `/v1`.
   */
  apiBase: string;
  /**
   * Headers to send with every request: the definition's `headers` with the provider's configured
   * `headers` over them (a configured header wins, whatever its case). Merge them into each request.
   */
  headers: Record<string, string>;
  /** Whole-call deadline of this provider's calls, in ms. */
  timeoutMs: number;
}

/** One configured model, as dialects see it. */
export interface ProviderModel {
  /** Model id sent to the provider (`gpt-4o-mini`). */
  id: string;
  /** `"Provider/model"`, for messages and errors. */
  fullName: string;
  /** The apiType this model is spoken to in: its own `apiType`, else the provider's, after routing (`smart`). */
  apiType: ApiType;
  /** From the capability registry, adjusted by the definition's `capabilities`, then by config overrides. */
  capabilities: ModelCapabilities;
  /** `ModelDetail.endpoint`: a path under `apiBase` or an absolute URL replacing the dialect's chat URL. */
  endpoint?: string;
  /** `ModelDetail.temperature` / `maxTokens` (already merged into every call's `config`). */
  defaults: { temperature?: number; maxTokens?: number };
  provider: ProviderInfo;
}

/** The HTTP request a dialect wants sent. */
export interface ProviderRequest {
  method: 'POST' | 'GET';
  /** Full URL, without any key. */
  url: string;
  /** Headers without authentication (content type, `provider.headers`, per-request extras). */
  headers: Record<string, string>;
  /** JSON-serialisable body, or `FormData` for multipart. */
  body: unknown;
  /** How the key is sent. @default the definition's `auth` */
  auth?: ProviderAuth;
  /** Read the answer as a stream of server-sent events. */
  stream: boolean;
  /**
   * Called with a parsed 2xx JSON body; throws an `LLMError` when the body is really an error (an error
   * object inside a 200, no choices, …), so the pipeline retries or fails it like an HTTP error.
   */
  checkBody?: (data: unknown) => void;
}

/** Tools prepared for a dialect: function tools with plain, `$ref`-free JSON Schemas, and native tools. */
export interface PreparedTools {
  functions: FunctionToolSpec[];
  /** Provider-side tools (`geminiCodeExecution()` …); a dialect that has none warns and drops them. */
  providerTools: ProviderToolSpec[];
}

/** Everything a dialect needs to build one chat request. */
export interface ChatRequestInput {
  model: ProviderModel;
  /** Full conversation, system messages included; never mutate it. */
  messages: LLMMessage[];
  /** The call's config, already merged over the model's defaults. */
  config: LLMGenerationConfig;
  tools: PreparedTools;
  toolChoice?: ToolChoice;
  /** Build the streaming variant of the request. */
  stream: boolean;
}

/** A parsed answer, before the client adds `model`, `attempts` and `message`. */
export interface ParsedChat {
  text: string;
  contentParts: LLMContentPart[];
  toolCalls: LLMToolCall[];
  finishReason: FinishReason;
  rawFinishReason?: string;
  usage?: LLMUsage;
  thoughtText?: string;
  images: GeneratedImage[];
  grounding?: Grounding;
  warnings: string[];
}

/** What a stream parser emits per provider delta (one delta → at most one event of each kind, in order). */
export type StreamDelta =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call'; toolCall: LLMToolCall };

/**
 * Incremental parser of one streamed answer (one per call). Keep accumulated text as an array of pieces
 * and join it once in `finish` (never copy the whole text per chunk).
 */
export interface ChatStreamParser {
  /** One SSE event (`data`, and its `event:` name). Throws an `LLMError` when the event is an error object. */
  push(data: string, event: string | undefined, emit: (delta: StreamDelta) => void): void;
  /**
   * The body ended. `trailing` holds any non-SSE text that came with it (a bare JSON error after the
   * events). Returns the whole answer, or throws an `LLMError` when the stream carried an error or
   * ended without the provider's end marker (a cut stream is never a silent truncation).
   */
  finish(trailing: string): ParsedChat;
}

/** Chat: requests, answers and streams. */
export interface ChatDialect {
  buildChatRequest(input: ChatRequestInput): Mapped<ProviderRequest>;
  /** Parses a 2xx body (already passed `checkBody`). Throws `CONTENT_FILTERED` for blocked answers. */
  parseChatResponse(data: unknown, input: ChatRequestInput): ParsedChat;
  createStreamParser(input: ChatRequestInput): ChatStreamParser;
}

/** Embeddings. */
export interface EmbeddingDialect {
  /** Most inputs one request may carry (OpenAI 2048, Gemini 100); the client batches by it. */
  readonly maxBatchSize: number;
  buildEmbeddingRequest(
    model: ProviderModel,
    texts: string[],
    config: LLMEmbeddingConfig,
  ): Mapped<ProviderRequest>;
  /** Vectors in input order (sorted by the provider's `index`), decoded to numbers. */
  parseEmbeddingResponse(data: unknown, inputCount: number): number[][];
}

/** A dedicated image endpoint (generation, and edits of `inputImages`). */
export interface ImageDialect {
  buildImageRequest(
    model: ProviderModel,
    prompt: string,
    inputImages: MediaPart[],
    config: LLMGenerationConfig,
  ): Mapped<ProviderRequest>;
  /** The answer, with the images in `images`. */
  parseImageResponse(data: unknown): ParsedChat;
}
