import type { Reply } from './reply-types.js';

/** A file part of a multipart request (image edits). */
export interface MultipartFile {
  /** Form field name, e.g. `image[]`. */
  name: string;
  /** File name the client sent (`''` when none). */
  filename: string;
  /** The part's content type (`application/octet-stream` when the client sent none). */
  contentType: string;
  /** Size in bytes. */
  size: number;
  /** The bytes. */
  data: Buffer;
}

/** Body of a multipart request: text fields as strings, files as `MultipartFile`; a repeated name → an array. */
export type MultipartBody = Record<string, string | MultipartFile | (string | MultipartFile)[]>;

/** One request the fake received, recorded before it was answered. */
export interface RecordedRequest {
  /** `POST`, `GET`, … */
  method: string;
  /** Path without the query, as sent (`/v1/chat/completions`, `/v1beta/models/m:streamGenerateContent`, `/v1/messages`). */
  path: string;
  /** Query parameters (`{ alt: 'sse' }`); a repeated parameter becomes an array. A `?key=` shows up here. */
  query: Record<string, string | string[]>;
  /** Request headers, names lower-cased (duplicates joined with `, `). */
  headers: Record<string, string>;
  /** Parsed JSON body; for multipart a `MultipartBody`; otherwise the raw text; `undefined` when empty. */
  body: unknown;
  /** The body as UTF-8 text. */
  rawBody: string;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
  /** The API key the client presented: `Authorization: Bearer …`, `x-goog-api-key`, `x-api-key`, `api-key`, or `?key=`. */
  apiKey?: string;
  /** Model named by the request: from the Gemini path (`models/<model>:…`) or the body's `model` field. */
  model?: string;
}

/** Extra arguments handed to a reply handler. */
export interface ReplyContext {
  /** The reply the fake would send if the handler returned `undefined` (to wrap it, e.g. add `delayMs`). */
  automatic(): Reply;
  /** 0-based number of this request since the fake started (not reset by `clearRequests`). */
  index: number;
}

/** Decides the reply to a request; `undefined` falls through to the next source (see `FakeProviderScript`). */
export type ReplyHandler = (
  request: RecordedRequest,
  context: ReplyContext,
) => Reply | undefined | Promise<Reply | undefined>;

/** API keys the fake accepts or rejects with the provider's real invalid-key answer. */
export interface FakeKeys {
  /** These keys get the invalid-key answer. Example: `['test-key-bad']`. */
  invalid?: readonly string[];
  /** When set, only these keys are accepted; any other key (or none) gets the invalid-key answer. */
  valid?: readonly string[];
}

/** Full options of `startFakeProvider`. */
export interface FakeProviderOptions {
  /** Replies served in order to any request, then automatic replies. Same queue as `fake.enqueue`. */
  replies?: readonly Reply[];
  /** Called when no route script and no queued reply applies; `undefined` → automatic reply. */
  handler?: ReplyHandler;
  /**
   * Per-route scripts, checked first. Key: `'METHOD /path'` or `'/path'` (any method). The path is matched
   * against the request path as sent and against its canonical form (`/v1/…` for OpenAI routes, also when
   * sent to `/chat/completions` or `/v1beta/openai/…`; `/v1beta/models/<model>:<method>` for Gemini; `/v1/messages`
   * for Anthropic);
   * `*` matches any text within one path segment.
   * Value: replies consumed in order (then the route falls through), or a handler.
   * @example { 'POST /v1/chat/completions': [openaiChatReply('hi')], 'POST /v1beta/models/*:generateContent': handler }
   */
  routes?: Record<string, readonly Reply[] | ReplyHandler>;
  /** Key checks, applied before any script: a rejected key never consumes a scripted reply. Default: accept all. */
  keys?: FakeKeys;
  /** Directory relative fixture paths resolve against. Default: `fixtures/providers` of this package. */
  fixturesDir?: string | URL;
}

/**
 * What `startFakeProvider` takes. Replies come from, in order: the invalid-key check (`keys`), the route
 * scripts (`routes`), the queue (`replies`/`enqueue`), the handler, then the automatic reply.
 * - an array → the queue;
 * - a function → the handler;
 * - an object → `FakeProviderOptions`.
 */
export type FakeProviderScript = readonly Reply[] | ReplyHandler | FakeProviderOptions;

/** A running fake provider. Close it (or `await using`) at the end of the test. */
export interface FakeProvider {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port the fake listens on. */
  readonly port: number;
  /** `apiBase` for OpenAI-compatible providers: `<url>/v1`. */
  readonly openaiBase: string;
  /** `apiBase` for Gemini: `<url>` (the client adds `/v1beta`). */
  readonly geminiBase: string;
  /** `apiBase` for Anthropic: `<url>` (the client adds `/v1/messages`). */
  readonly anthropicBase: string;
  /** Every request received, oldest first (a live array). */
  readonly requests: readonly RecordedRequest[];
  /** The most recent request, if any. */
  readonly lastRequest: RecordedRequest | undefined;
  /** Requests whose path contains `pathFragment` (e.g. `'chat/completions'`, `':streamGenerateContent'`). */
  requestsTo(pathFragment: string): RecordedRequest[];
  /** Forgets the recorded requests. */
  clearRequests(): void;
  /**
   * Appends replies to the queue.
   * @throws LLMError `CONFIGURATION_ERROR` when a fixture reply names a missing file (nothing is queued then).
   */
  enqueue(...replies: Reply[]): void;
  /** Replaces the handler (`undefined` removes it). */
  setHandler(handler: ReplyHandler | undefined): void;
  /** Replies still waiting in the queue (route scripts not counted). */
  readonly pendingReplies: number;
  /**
   * Problems inside the fake (a handler threw or returned a missing fixture, an invalid reply); each was answered
   * with a 500. Scripted fixture replies are checked when given, so they never end up here.
   */
  readonly errors: readonly Error[];
  /** Stops listening and destroys every open connection (stalled, streaming, keep-alive). Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
