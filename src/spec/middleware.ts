import type { AttemptRecord } from './attempt.js';
import type { ProviderAuth, ProviderErrorClassifier } from './provider.js';

/** What the pipeline is doing. */
export type PipelineOperation = 'chat' | 'stream' | 'embedding' | 'image';

/**
 * One HTTP call as it travels through the middleware chain. Middlewares may return a changed copy
 * (`next({ ...request, headers: { ...request.headers, 'x-trace': id } })`).
 *
 * The API key is not on the request: key selection adds it to the headers of each attempt, below
 * every user and logging middleware, so no middleware outside the transport ever sees it.
 */
export interface PipelineRequest {
  operation: PipelineOperation;
  /** Provider name as configured. */
  provider: string;
  /** `"Provider/model"` */
  model: string;
  /** Model id sent to the provider. */
  modelId: string;
  /** Dialect of the request (`openai`, `gemini`, …). */
  apiType: string;
  method: 'POST' | 'GET';
  url: string;
  /** Request headers (without authentication). */
  headers: Record<string, string>;
  /** JSON body, or a `FormData` for multipart uploads (image edits). */
  body?: unknown;
  /** Whether the response is read as a stream (SSE). */
  stream: boolean;
  /** How key selection authenticates: `bearer` → `Authorization: Bearer`, otherwise the named header. */
  auth: ProviderAuth;
  /** Aborted when the caller aborts. */
  signal?: AbortSignal;
  /** Epoch ms (by the client's clock) after which the call fails with `API_TIMEOUT`. */
  deadline: number;
  /** 1-based attempt number, set by the retry layer. */
  attempt: number;
  /** Masked id of the key of this attempt, set by key selection. */
  keyId?: string;
  /**
   * Called by the transport with a parsed 2xx JSON body; throws an `LLMError` when the body is really an
   * error (an error object inside a 200, no candidates, …) so the retry layer can act on it.
   */
  checkBody?: (data: unknown) => void;
  /** The provider definition's error hints, consulted by the transport before the generic classifier. */
  classifyError?: ProviderErrorClassifier;
  /** Free space for user middlewares; copied, never read by the library. */
  context: Record<string, unknown>;
}

/** What comes back up the chain. */
export interface PipelineResponse {
  status: number;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON body (non-streaming). */
  data?: unknown;
  /** The raw body for streams, read incrementally. */
  body?: AsyncIterable<Uint8Array>;
  /** Masked id of the key that produced the response. */
  keyId?: string;
  /** Every attempt made for this call, in order. */
  attempts: AttemptRecord[];
  /** Wall time of the whole call so far. */
  durationMs: number;
}

/** Calls the rest of the chain; may be called more than once (that is how retry works). */
export type Next = (request: PipelineRequest) => Promise<PipelineResponse>;

/** `(request, next) => response`. User middlewares (config `middlewares`) are the outermost layers. */
export type Middleware = (request: PipelineRequest, next: Next) => Promise<PipelineResponse>;
