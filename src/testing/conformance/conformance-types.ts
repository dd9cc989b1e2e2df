import type { LLMConfig, ModelDetail, ProviderConfig, StructuredOutputStrategy } from '../../spec/index.js';
import type { Reply } from '../reply-types.js';

/**
 * One check of the provider conformance suite. `run()` resolves when the provider behaves as API.md says and
 * throws an `Error` whose message says what differed otherwise. A case that does not apply to the target has
 * `skip` set (the reason, e.g. `the target has no models.embedding`) and must not be run.
 */
export interface ConformanceCase {
  /** Unique within a target, `area: behaviour`. @example 'stream: one text-delta per provider delta, in order' */
  name: string;
  /** What the case exercises: `chat`, `stream`, `tools`, `structured`, `reasoning`, `usage`, `errors`, `abort`, `embeddings`, `images`, `vision`. */
  capability: ConformanceCapability;
  /** Why the case does not apply to this target; absent when it runs. */
  skip?: string;
  /** Runs the case against a fresh server and client; rejects with an `Error` naming the difference. */
  run(): Promise<void>;
}

/** The areas of the suite (each case has one). */
export type ConformanceCapability =
  | 'chat'
  | 'stream'
  | 'usage'
  | 'tools'
  | 'structured'
  | 'reasoning'
  | 'errors'
  | 'abort'
  | 'embeddings'
  | 'images'
  | 'vision';

/** Token counts the suite asks a wire kit to put in an answer; the client must report exactly these. */
export interface ConformanceUsage {
  /** All prompt tokens, cached ones included. */
  promptTokens: number;
  /** All completion tokens, reasoning ones included. `totalTokens` is expected to be prompt + completion. */
  completionTokens: number;
  /** Prompt tokens served from a cache (only when `WireKit.usageDetails.cached`). */
  cachedTokens?: number;
  /** Completion tokens spent on reasoning (only when `WireKit.usageDetails.reasoning`). */
  reasoningTokens?: number;
}

/** A tool call the scripted model makes. */
export interface ConformanceToolCall {
  /** Call id, e.g. `call_conformance_1` (providers without call ids ignore it). */
  id: string;
  name: string;
  /** The arguments (the kit serialises them the provider's way). */
  arguments: Record<string, unknown>;
}

/** An answer with reasoning artefacts: a thought, its signature, then the text. */
export interface ConformanceReasoning {
  /** The reasoning text; the client must report it as `thoughtText`. */
  thought: string;
  /** The provider's opaque artefact (Gemini `thoughtSignature`, Anthropic thinking `signature`). */
  signature: string;
  /** The answer text. */
  text: string;
}

/** An image the scripted model returns. */
export interface ConformanceImage {
  mimeType: string;
  /** The bytes, base64. */
  base64: string;
}

/**
 * The failure classes of API.md §4 a wire kit can express, each as the provider really answers it:
 * - `invalidKey`: the key is rejected (OpenAI 401 `invalid_api_key`, Gemini 400 `API_KEY_INVALID`) → `API_KEY_INVALID`
 * - `location`: the caller's region is not served (Gemini 400 `FAILED_PRECONDITION`) → `USER_LOCATION_NOT_SUPPORTED`
 * - `contextLength`: the prompt is too long → `CONTEXT_LENGTH_EXCEEDED`
 * - `quota`: billing/plan exhausted, no reset hint (OpenAI 429 `insufficient_quota`) → `API_QUOTA_EXCEEDED`
 * - `invalidParameter`: any other 400 → `INVALID_PARAMETER`
 * - `modelNotFound`: 404 → `MODEL_NOT_FOUND`
 * - `rateLimit`: 429 carrying the provider's retry hint of `options.retryAfterSeconds` → `API_RATE_LIMITED`
 * - `serverError`: a 500 → `API_SERVER_ERROR`
 * - `overloaded`: the provider's "overloaded" answer (503, Anthropic 529) → `API_SERVER_ERROR`
 * - `errorIn200`: HTTP 200 whose body is an error object (no status, code or text that names another class) →
 *   `API_RESPONSE_INVALID`
 * - `contentFiltered`: the provider's safety block or refusal → `CONTENT_FILTERED`
 */
export type ConformanceErrorKind =
  | 'invalidKey'
  | 'location'
  | 'contextLength'
  | 'quota'
  | 'invalidParameter'
  | 'modelNotFound'
  | 'rateLimit'
  | 'serverError'
  | 'overloaded'
  | 'errorIn200'
  | 'contentFiltered';

/** Options of an error reply. */
export interface ConformanceErrorOptions {
  /** `rateLimit` only: the retry hint to carry, in seconds (`retry-after`, Gemini `RetryInfo`, …). */
  retryAfterSeconds: number;
}

/** A tool result as the provider received it in a follow-up request. */
export interface SentToolResult {
  /** The call id it answers (OpenAI `tool_call_id`, Anthropic `tool_use_id`, Gemini `functionResponse.id`), when the format has one. */
  id?: string;
  /** The tool name, when the format carries one (Gemini `functionResponse.name`). */
  name?: string;
  /** The result as JSON (a JSON text parsed; a plain text stays a string). */
  content: unknown;
}

/** Reads what the client sent, from a recorded request body (already parsed JSON). */
export interface WireReader {
  /** The tool results of the last turn of a request, in the order they were sent. */
  toolResults(body: unknown): SentToolResult[];
  /** Names of the function tools a request declares. Optional: the tool cases then skip that check. */
  declaredTools?(body: unknown): string[];
  /** Every reasoning artefact (signature) the request's history carries. Needed by the reasoning case. */
  signatures?(body: unknown): string[];
  /** How many images the last user turn carries. Needed by the vision case. */
  imageInputs?(body: unknown): number;
}

/** The chat answers of a wire kit (needed by every case that uses a chat model). */
export interface ChatWire<R = Reply> {
  /** A complete answer with `text`, finish reason "stop", and `usage` (else any counts). */
  text(text: string, options?: { usage?: ConformanceUsage }): R;
  /** A streamed answer: exactly one provider event per delta, in order, then the end marker (with `usage`). */
  textStream(deltas: readonly string[], options?: { usage?: ConformanceUsage }): R;
  /** An answer that calls these tools (finish reason "tool_calls"), in this order. */
  toolCalls(calls: readonly ConformanceToolCall[]): R;
  /** The deltas, then the connection closes (no end marker). */
  cutStream(deltas: readonly string[]): R;
  /** The deltas, then an error object in the stream (event or body) whose message contains `message`. */
  streamError(deltas: readonly string[], message: string): R;
  /** Sends the deltas, then keeps the connection open without writing. */
  stalledStream(deltas: readonly string[]): R;
}

/**
 * How to express neutral answers in one provider's wire format, so the suite can script a server (the fake
 * provider of this kit, or the target's own). `R` is what the server's `enqueue` takes (`Reply` for the fake
 * provider). The chat builders (`ChatWire`) are needed by every chat case (an image-only kit leaves them out);
 * optional builders enable optional cases; `unsupported` says why one is missing.
 */
export interface WireKit<R = Reply> extends Partial<ChatWire<R>> {
  /** Names the wire format in failure messages. @example 'OpenAI chat completions' */
  readonly name: string;
  /** Usage counters beyond prompt and completion the format carries. Default: neither. */
  readonly usageDetails?: { cached?: boolean; reasoning?: boolean };
  /** The same answer as `toolCalls`, streamed (each call complete in the end). */
  toolCallStream?(calls: readonly ConformanceToolCall[]): R;
  /**
   * The answer of a structured-output request for `value` under `strategy`. Default: `toolCalls` of the
   * `return_structured_response` tool for `tool_call`, else `text(JSON.stringify(value))`.
   */
  structured?(value: unknown, strategy: StructuredOutputStrategy): R;
  /** An answer with a thought carrying a signature, then text. */
  reasoning?(answer: ConformanceReasoning): R;
  /** The failure replies this format has, by class. A missing class skips its case. */
  errors: Partial<Record<ConformanceErrorKind, (options: ConformanceErrorOptions) => R>>;
  /** The deltas, then the body ends cleanly but without the provider's end marker. */
  endedStream?(deltas: readonly string[]): R;
  /** The deltas, then an event that is not valid JSON. */
  malformedStream?(deltas: readonly string[]): R;
  /** Never answers (no headers) until the client gives up. */
  stall(): R;
  /** Resets the connection without answering (the client sees a network failure). */
  reset?(): R;
  /** An embeddings answer with these vectors for the inputs, in input order. */
  embeddings?(vectors: readonly (readonly number[])[]): R;
  /** An image-generation answer with these images. */
  images?(images: readonly ConformanceImage[]): R;
  /** Reads the requests the client sent. */
  read: WireReader;
  /**
   * Why an optional builder or reader is missing, by its name (`reasoning`, `embeddings`, `errors.location`,
   * `read.signatures`, …); printed as the skip reason of the cases that need it.
   * @example { reasoning: 'the Responses API does not replay reasoning items' }
   */
  unsupported?: Readonly<Record<string, string>>;
}

/** A request the target's server received. */
export interface ConformanceRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** Names lower-cased. */
  headers: Record<string, string>;
  /** The parsed JSON body (the raw text when it is not JSON). */
  body: unknown;
}

/**
 * A loopback server speaking the provider's wire format, scripted with the wire kit's replies. The fake
 * provider of this kit (`startFakeProvider()`) is one; a new provider may bring its own (any `node:http` server).
 */
export interface ConformanceServer<R = Reply> {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Queues replies, served in order to the next requests. */
  enqueue(...replies: R[]): void;
  /** Every request received, oldest first. */
  readonly requests: readonly ConformanceRequest[];
  /** Replies still queued; when present, each case checks that it used every reply it queued. */
  readonly pendingReplies?: number;
  /** Problems inside the server; when present, each case checks that there were none. */
  readonly errors?: readonly Error[];
  /** Stops the server and ends every open connection (stalled ones included). */
  close(): Promise<void>;
}

/**
 * The models of the provider under test, by what the suite uses them for. A missing entry skips the cases
 * that need it (with that reason). `tools`, `structured`, `reasoning` and `vision` default to `chat`.
 */
export interface ConformanceModels {
  /** A chat model: text, streams, usage, errors, abort, deadline. @example 'gpt-4o-mini' */
  chat?: string;
  /** A model with function calling. */
  tools?: string;
  /** The model `generateStructured` is called on. */
  structured?: string;
  /** A model whose answers carry reasoning artefacts. Without `WireKit.reasoning`, the case is skipped. */
  reasoning?: string;
  /** A model that takes image input. Without `WireKit.read.imageInputs`, the case is skipped. */
  vision?: string;
  /** An embedding model (configured with `embedding: true`). */
  embedding?: string;
  /** An image model (`createImage`). Errors, abort and deadline use it when there is no `chat` model. */
  image?: string;
}

/** What every target declares. */
export interface ConformanceTargetBase<R> {
  /** Names the target in case titles. @example 'OpenAI chat completions' */
  name: string;
  /** The registered `apiType` under test (`registerProvider` it before running the cases). @example 'openai' */
  apiType: string;
  models: ConformanceModels;
  /**
   * The strategy `generateStructured` picks for `models.structured` (from the definition's `structuredOutput`
   * and the model's capabilities). Without it the structured-output case is skipped.
   */
  structuredStrategy?: StructuredOutputStrategy;
  /** Speaks the provider's wire format. */
  wire: WireKit<R>;
  /** `apiBase` of the provider for a running server. Default: `server.url`. @example (server) => `${server.url}/v1` */
  apiBase?(server: ConformanceServer<R>): string;
  /** Extra fields of the provider config (`headers`, `timeoutMs`, …). */
  provider?: Partial<Omit<ProviderConfig, 'name' | 'apiType' | 'apiKeys' | 'models' | 'apiBase'>>;
  /** Full `ModelDetail`s for some model names (e.g. `capabilities`), used instead of the plain name. */
  modelDetails?: readonly ModelDetail[];
  /** Extra client configuration (not `providers`). */
  config?: Partial<Omit<LLMConfig, 'providers'>>;
}

/**
 * A provider to run the conformance suite against. With fake-provider replies (`R = Reply`) the server is
 * `startFakeProvider()` unless `startServer` is given; with any other reply type `startServer` is required.
 * @example
 * const target: ConformanceTarget = {
 *   name: 'OpenAI chat completions', apiType: 'openai', wire: openaiChatWireKit,
 *   models: { chat: 'gpt-4o-mini', embedding: 'text-embedding-3-small' }, structuredStrategy: 'native',
 * };
 */
export type ConformanceTarget<R = Reply> = ConformanceTargetBase<R> &
  ([R] extends [Reply]
    ? { /** Default: `startFakeProvider()`. */ startServer?(): Promise<ConformanceServer<R>> }
    : {
        /** Starts the server the wire kit's replies script. */ startServer(): Promise<ConformanceServer<R>>;
      });

/** The `describe`/`it` pair of a test framework (vitest, jest, node:test, mocha). */
export interface TestRegistrar {
  describe(name: string, body: () => void): unknown;
  it: {
    (name: string, run: () => Promise<void>): unknown;
    /** Registers a skipped test; without it a skipped case is registered as a passing test that logs its reason. */
    skip?(name: string, run: () => Promise<void> | void): unknown;
  };
}
