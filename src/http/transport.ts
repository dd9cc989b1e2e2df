import {
  Agent,
  type Dispatcher,
  ProxyAgent,
  FormData as UndiciFormData,
  Response as UndiciResponse,
  request as undiciRequest,
} from 'undici';
import type { ResolvedProvider } from '../config/resolved-config.js';
import { providerErrorToLLMError } from '../errors/classify-provider-error.js';
import { LLMError } from '../errors/llm-error.js';
import type { PipelineRequest, PipelineResponse } from '../spec/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import { type AbortState, attemptAbortOf, type CallContext, errorOfAbortedSignal } from './call-signal.js';
import {
  type ContentCoding,
  type ContentCodings,
  contentCodingsOf,
  decodeBody,
  decodeFailureOf,
  isSupported,
} from './content-encoding.js';
import {
  bodyTooLargeError,
  DEFAULT_MAX_RESPONSE_BYTES,
  readLimitedText,
  readTruncatedText,
} from './read-body.js';
import { type ContentTypeRule, outgoingHeaders } from './request-headers.js';
import { safeParseJson } from './safe-json.js';

/** Sends one attempt over HTTP. The terminal layer of the pipeline. */
export interface Transport {
  /**
   * 2xx JSON → `{ status, headers, data }` (after `request.checkBody`); 2xx stream → `{ status, headers,
   * body }` with the body unread (decoded as it is read); a stream request answered with a JSON content
   * type → `data` as for a non-stream request (or, when that text is not JSON, `body` with it); bodies are
   * decoded per `content-encoding` and a non-stream one is read within `maxResponseBytes`; anything else throws an `LLMError` (non-2xx classified from status,
   * headers and body; network failures `API_REQUEST_FAILED` with a `networkCause`; connect/header
   * timeouts `API_TIMEOUT`; an aborted signal (the timeout layer's attempt trigger, else
   * `request.signal`) → its `LLMError` reason, else `ABORTED`).
   * `attempts` and `durationMs` are left for the retry layer to fill.
   */
  send(request: PipelineRequest): Promise<PipelineResponse>;
  /** Closes every connection (in-flight requests get a grace period, then are cut); idempotent. */
  close(): Promise<void>;
}

export interface TransportOptions {
  /** Providers (for their `proxy`), the global `proxy` and `maxResponseBytes` (default 64 MiB). */
  config: {
    providers: readonly Pick<ResolvedProvider, 'name' | 'proxy'>[];
    proxy?: string | undefined;
    maxResponseBytes?: number | undefined;
  };
  /** For `retry-after` HTTP dates. @default systemClock */
  clock?: Clock;
  /** Error bodies are read up to this many (decoded) bytes; the rest is dropped. @default 65536 */
  maxErrorBodyBytes?: number;
  /**
   * TCP/TLS connect timeout of one connection (a failed connect is an `API_TIMEOUT` attempt, retried within
   * the call's deadline). @default 10000
   */
  connectTimeoutMs?: number;
  /** Idle keep-alive sockets are closed after this. @default 10000 */
  keepAliveTimeoutMs?: number;
  /** `close()` waits this long for in-flight requests before cutting them. @default 1000 */
  closeGraceMs?: number;
}

interface ProviderNet {
  proxy: string | undefined;
  /** Cached `dispatcherFor(this)`. */
  dispatcher?: Dispatcher | undefined;
}

// setTimeout overflows above this; undici's `0` means no timeout.
const MAX_TIMER_MS = 2_147_483_647;

/** undici's header/body timeout for an attempt with `remainingMs` left before the deadline (at least 1 ms). */
function undiciTimeoutOf(remainingMs: number): number {
  if (!(remainingMs <= MAX_TIMER_MS)) return 0;
  return Math.max(1, Math.ceil(remainingMs));
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Maps a failure of the HTTP exchange (not an HTTP status) to an `LLMError`: the signal's reason when it
 * was aborted, else the classifier's verdict on the cause; with a proxy, a failure to reach the provider
 * is reported as a proxy failure.
 */
export function transportFailure(
  error: unknown,
  signal: AbortState | undefined,
  context: CallContext,
  viaProxy = false,
  now = Date.now(),
): LLMError {
  if (signal?.aborted) return errorOfAbortedSignal(signal, context);
  if (LLMError.isInstance(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (viaProxy && !(typeof code === 'string' && TIMEOUT_CODES.has(code))) {
    const message = error instanceof Error ? error.message : String(error);
    return new LLMError('API_REQUEST_FAILED', `Could not reach the provider through the proxy: ${message}`, {
      ...context,
      networkCause: 'proxy',
      cause: error,
    });
  }
  return providerErrorToLLMError({ cause: error }, { ...context, now });
}

function isFormData(value: unknown): value is FormData {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'FormData'
  );
}

const JSON_CONTENT_TYPE: ContentTypeRule = { value: 'application/json', replace: false };

/**
 * Multipart encoding of a FormData. undici only encodes its own FormData class; the global one (Node's
 * bundled undici) is encoded by the global `Response`. Image uploads are in memory already.
 */
async function encodeMultipart(form: FormData): Promise<{ body: Uint8Array; contentType: string }> {
  if (form instanceof UndiciFormData) {
    const encoded = new UndiciResponse(form);
    return {
      body: new Uint8Array(await encoded.arrayBuffer()),
      contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
    };
  }
  const encoded = new Response(form);
  return {
    body: new Uint8Array(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
  };
}

/** undici's headers with multi-valued ones joined, in place (no copy on the hot path). */
function normalizeHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  for (const name in raw) {
    const value = raw[name];
    if (typeof value !== 'string') {
      if (value === undefined) delete raw[name];
      else raw[name] = value.join(', ');
    }
  }
  return raw as Record<string, string>;
}

/** `application/json` or any `+json` type (`application/problem+json`), parameters ignored. */
function isJsonContentType(header: string | undefined): boolean {
  if (header == null) return false;
  const semicolon = header.indexOf(';');
  const type = (semicolon >= 0 ? header.slice(0, semicolon) : header).trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** A body already read, as the one-chunk stream a stream reader expects. */
async function* bodyOfText(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}

/** Releases an answer that arrived after its attempt was aborted. */
function discardResponse(response: Dispatcher.ResponseData): void {
  discard(response.body);
}

/** Drops a body without reading it (the connection is closed); the abort it causes is nobody's error. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

/** `API_RESPONSE_INVALID` for a `content-encoding` this transport cannot decode: asking again cannot help. */
function unsupportedEncodingError(encoding: string, context: CallContext & { status: number }): LLMError {
  return new LLMError(
    'API_RESPONSE_INVALID',
    `${context.provider ?? 'The provider'} answered with content-encoding "${encoding}", which is not supported (gzip, deflate and br are)`,
    { ...context, details: { contentEncoding: encoding }, final: true },
  );
}

/** Why reading a 2xx body failed: the abort, the size limit, an undecodable body, else the network. */
function bodyFailure(
  error: unknown,
  signal: AbortState | undefined,
  context: CallContext,
  status: number,
  now: number,
): LLMError {
  if (signal?.aborted) return errorOfAbortedSignal(signal, context);
  if (LLMError.isInstance(error)) return error;
  const coding = decodeFailureOf(error);
  if (coding !== undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new LLMError(
      'API_RESPONSE_INVALID',
      `${context.provider ?? 'The provider'} sent a ${coding} body that could not be decoded: ${message}`,
      { ...context, status, cause: error },
    );
  }
  return transportFailure(error, signal, context, false, now);
}

class UndiciTransport implements Transport {
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly net = new Map<string, ProviderNet>();
  private readonly fallback: ProviderNet;
  private readonly clock: Clock;
  private readonly maxErrorBodyBytes: number;
  private readonly maxResponseBytes: number;
  private readonly connectTimeoutMs: number;
  private readonly keepAliveTimeoutMs: number;
  private readonly closeGraceMs: number;
  private closing: Promise<void> | undefined;

  constructor(options: TransportOptions) {
    const { config } = options;
    this.clock = options.clock ?? systemClock;
    this.maxErrorBodyBytes = options.maxErrorBodyBytes ?? 65_536;
    this.maxResponseBytes = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 10_000;
    this.closeGraceMs = options.closeGraceMs ?? 1000;
    this.fallback = { proxy: config.proxy };
    for (const provider of config.providers) {
      const net: ProviderNet = { proxy: provider.proxy ?? config.proxy };
      this.net.set(provider.name, net);
      this.net.set(provider.name.toLowerCase(), net);
    }
  }

  private netOf(provider: string): ProviderNet {
    return this.net.get(provider) ?? this.net.get(provider.toLowerCase()) ?? this.fallback;
  }

  /**
   * One dispatcher per proxy: keep-alive pools shared by the providers that agree on it. Header and body
   * timeouts are not the dispatcher's: each request gets its own from the call's deadline (see `send`).
   */
  private dispatcherFor(net: ProviderNet): Dispatcher {
    if (net.dispatcher != null) return net.dispatcher;
    const id = net.proxy ?? '';
    let dispatcher = this.dispatchers.get(id);
    if (dispatcher == null) {
      const agentOptions: Agent.Options = {
        keepAliveTimeout: this.keepAliveTimeoutMs,
        connect: { timeout: this.connectTimeoutMs },
      };
      dispatcher =
        net.proxy != null ? new ProxyAgent({ ...agentOptions, uri: net.proxy }) : new Agent(agentOptions);
      this.dispatchers.set(id, dispatcher);
    }
    net.dispatcher = dispatcher;
    return dispatcher;
  }

  async send(request: PipelineRequest): Promise<PipelineResponse> {
    const context: CallContext = { provider: request.provider, model: request.model };
    if (request.keyId != null) context.keyId = request.keyId;
    if (this.closing != null) {
      throw new LLMError('CONFIGURATION_ERROR', 'The client is closed', context);
    }
    const net = this.netOf(request.provider);
    const dispatcher = this.dispatcherFor(net);
    // The timeout layer's trigger (deadline + caller) when present: cheaper for undici than an AbortSignal.
    const attempt = attemptAbortOf(request);
    const signal = attempt ?? request.signal;

    let body: Dispatcher.DispatchOptions['body'];
    let contentType: ContentTypeRule | undefined;
    const raw = request.body;
    if (raw !== undefined && request.method !== 'GET') {
      if (typeof raw === 'string' || raw instanceof Uint8Array) {
        body = raw;
      } else if (isFormData(raw)) {
        const encoded = await encodeMultipart(raw);
        body = encoded.body;
        contentType = { value: encoded.contentType, replace: true };
      } else {
        body = JSON.stringify(raw);
        contentType = JSON_CONTENT_TYPE;
      }
    }
    const headers = outgoingHeaders(request.headers, contentType);

    let response: Dispatcher.ResponseData;
    try {
      // The call's deadline bounds the wait for headers and each body read; a provider's `timeoutMs` is only
      // the default deadline of its calls (API.md §1), so it must not cut a call given a longer one.
      const timeout = undiciTimeoutOf(request.deadline - this.clock.now());
      const pending = undiciRequest(request.url, {
        method: request.method,
        headers,
        body,
        signal: signal as AbortSignal | undefined,
        dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      // With the timeout layer's trigger, an abort settles the attempt at once (see `AttemptAbort`).
      response = await (attempt != null ? attempt.race(pending, discardResponse) : pending);
    } catch (error) {
      throw transportFailure(error, signal, context, net.proxy != null, this.clock.now());
    }

    const status = response.statusCode;
    const responseHeaders = normalizeHeaders(response.headers);
    const codings = contentCodingsOf(responseHeaders['content-encoding']);
    if (status < 200 || status >= 300) {
      throw await this.statusError(response.body, codings, status, responseHeaders, signal, context);
    }
    if (!isSupported(codings)) {
      discard(response.body);
      throw unsupportedEncodingError(codings.unsupported, { ...context, status });
    }

    // A stream request answered with JSON (a gateway ignoring `stream`) is read like a non-stream answer.
    const jsonAnswer = !request.stream || isJsonContentType(responseHeaders['content-type']);
    if (!jsonAnswer) {
      const body = decodeBody(response.body, codings);
      return { status, headers: responseHeaders, body, attempts: [], durationMs: 0 };
    }

    let text: string;
    try {
      text = await this.readBody(response.body, codings, responseHeaders['content-length'], context, status);
    } catch (error) {
      throw bodyFailure(error, signal, context, status, this.clock.now());
    }
    const parsed = safeParseJson(text);
    if (!parsed.ok && request.stream) {
      // Labelled JSON but not JSON: an event stream with the wrong content type. The SSE reader judges it.
      return { status, headers: responseHeaders, body: bodyOfText(text), attempts: [], durationMs: 0 };
    }
    if (!parsed.ok) {
      throw new LLMError(
        'API_RESPONSE_INVALID',
        `${request.provider} answered ${status} with a body that is not JSON`,
        {
          ...context,
          status,
          details: { bodyPreview: text.slice(0, 200) },
          cause: parsed.error,
        },
      );
    }
    const data = parsed.value;
    if (request.checkBody != null) {
      try {
        request.checkBody(data);
      } catch (error) {
        const failure = LLMError.isInstance(error)
          ? error
          : new LLMError('API_RESPONSE_INVALID', error instanceof Error ? error.message : String(error), {
              cause: error,
            });
        failure.status ??= status;
        failure.provider ??= context.provider;
        failure.model ??= context.model;
        if (context.keyId != null) failure.keyId ??= context.keyId;
        throw failure;
      }
    }
    return { status, headers: responseHeaders, data, attempts: [], durationMs: 0 };
  }

  /**
   * A 2xx body as text, decoded, at most `maxResponseBytes` (decoded bytes: a small compressed body cannot
   * expand past it). A declared `content-length` over the limit fails before anything is read; a body
   * whose length is declared and within the limit is read in one go.
   */
  private readBody(
    body: Dispatcher.ResponseData['body'],
    codings: readonly ContentCoding[],
    contentLength: string | undefined,
    context: CallContext,
    status: number,
  ): Promise<string> {
    const limit = this.maxResponseBytes;
    const tooLarge = (declared?: number) =>
      bodyTooLargeError({ ...context, status }, limit, 'a response body', declared);
    if (codings.length === 0 && contentLength != null) {
      const declared = Number(contentLength);
      if (declared > limit) {
        discard(body);
        return Promise.reject(tooLarge(declared));
      }
      if (declared <= limit) return body.text();
    }
    return readLimitedText(decodeBody(body, codings), limit, () => tooLarge());
  }

  /** The classified error of a non-2xx answer, from its status, headers and (decoded, truncated) body. */
  private async statusError(
    body: Dispatcher.ResponseData['body'],
    codings: ContentCodings,
    status: number,
    headers: Record<string, string>,
    signal: AbortState | undefined,
    context: CallContext,
  ): Promise<LLMError> {
    let text: string | undefined;
    if (isSupported(codings)) {
      try {
        text = await readTruncatedText(decodeBody(body, codings), this.maxErrorBodyBytes);
      } catch {
        // The status still classifies the failure; only an abort outranks it. An undecodable body is
        // left out rather than shown compressed.
        if (signal?.aborted) return errorOfAbortedSignal(signal, context);
        text = undefined;
      }
    } else {
      discard(body);
    }
    let errorBody: unknown;
    if (text != null && text !== '') {
      const parsed = safeParseJson(text);
      errorBody = parsed.ok ? parsed.value : text;
    }
    return providerErrorToLLMError(
      { status, headers, ...(errorBody !== undefined ? { body: errorBody } : {}) },
      { ...context, now: this.clock.now() },
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const all = [...new Set(this.dispatchers.values())];
      this.dispatchers.clear();
      for (const net of this.net.values()) net.dispatcher = undefined;
      this.fallback.dispatcher = undefined;
      await Promise.all(
        all.map(async (dispatcher) => {
          const grace = setTimeout(() => {
            void dispatcher.destroy().catch(() => {});
          }, this.closeGraceMs);
          grace.unref();
          try {
            await dispatcher.close();
          } catch {
            // Destroyed after the grace period: nothing left to close.
          } finally {
            clearTimeout(grace);
          }
        }),
      );
    })();
    return this.closing;
  }
}

/** The undici transport: `request()` (not fetch), keep-alive, per-provider proxy. */
export function createTransport(options: TransportOptions): Transport {
  return new UndiciTransport(options);
}
