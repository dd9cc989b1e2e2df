import type { ResolvedModel } from '../config/resolved-config.js';
import type {
  FinishReason,
  FunctionToolSpec,
  GeneratedImage,
  Grounding,
  LLMContentPart,
  LLMEmbeddingConfig,
  LLMGenerationConfig,
  LLMMessage,
  LLMToolCall,
  LLMUsage,
  MediaPart,
  PipelineRequest,
  ProviderToolSpec,
  ToolChoice,
} from '../spec/index.js';

/**
 * The internal contract between the client and a wire dialect. Every method is pure: it maps neutral
 * values to a request (or a response back to neutral values) and reports ignored settings as
 * `warnings`; HTTP, keys, retries and deadlines belong to the pipeline.
 */

/** A value plus the settings the provider will ignore. */
export interface Mapped<T> {
  value: T;
  warnings: string[];
}

/** The HTTP request a dialect wants sent (authentication is added per attempt by key selection). */
export interface ProviderRequest {
  method: 'POST' | 'GET';
  /** Full URL, without any key. */
  url: string;
  /** Headers without authentication (content-type, provider extras). */
  headers: Record<string, string>;
  /** JSON-serialisable body, or `FormData` for multipart. */
  body: unknown;
  auth: PipelineRequest['auth'];
  stream: boolean;
  /** Throws an `LLMError` when a 2xx JSON body is really an error (see `PipelineRequest.checkBody`). */
  checkBody?: (data: unknown) => void;
}

/** Tools prepared for a dialect: function tools with plain, `$ref`-free JSON Schemas, and native tools. */
export interface PreparedTools {
  functions: FunctionToolSpec[];
  providerTools: ProviderToolSpec[];
}

/** Everything a dialect needs to build one chat request. */
export interface ChatRequestInput {
  model: ResolvedModel;
  /** Full conversation, system messages included; never mutated by dialects. */
  messages: LLMMessage[];
  /** Call config already merged over the model defaults. */
  config: LLMGenerationConfig;
  tools: PreparedTools;
  toolChoice?: ToolChoice;
  stream: boolean;
  /** Default Gemini safety threshold (config `geminiSafetyThreshold`). */
  geminiSafetyThreshold: string;
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
 * Incremental parser of one streamed answer. State lives in the parser; accumulated text is kept as
 * an array of pieces and joined once in `finish` (never copied per chunk).
 */
export interface ChatStreamParser {
  /** One SSE event. Throws an `LLMError` when the event is an error object. */
  push(data: string, event: string | undefined, emit: (delta: StreamDelta) => void): void;
  /**
   * The body ended. `trailing` holds any non-SSE text that came with it (a bare JSON error after the
   * events). Returns the whole answer, or throws an `LLMError` when the stream carried an error or
   * ended without the provider's end marker / finish reason.
   */
  finish(trailing: string): ParsedChat;
}

export interface ChatDialect {
  buildChatRequest(input: ChatRequestInput): Mapped<ProviderRequest>;
  /** Parses a 2xx body (already checked by `checkBody`). Throws `CONTENT_FILTERED` for blocked answers. */
  parseChatResponse(data: unknown, input: ChatRequestInput): ParsedChat;
  createStreamParser(input: ChatRequestInput): ChatStreamParser;
}

export interface EmbeddingDialect {
  /** Most inputs one request may carry (OpenAI 2048, Gemini 100). */
  readonly maxBatchSize: number;
  buildEmbeddingRequest(
    model: ResolvedModel,
    texts: string[],
    config: LLMEmbeddingConfig,
  ): Mapped<ProviderRequest>;
  /** Vectors in input order (sorted by the provider's `index`), base64 decoded. */
  parseEmbeddingResponse(data: unknown, inputCount: number): number[][];
}

export interface ImageDialect {
  buildImageRequest(
    model: ResolvedModel,
    prompt: string,
    inputImages: MediaPart[],
    config: LLMGenerationConfig,
  ): Mapped<ProviderRequest>;
  parseImageResponse(data: unknown): ParsedChat;
}
