import type { Agent, Dispatcher } from 'undici';
import { bodyPreview } from '../errors/body-preview.js';
import { providerErrorToLLMError } from '../errors/classify-provider-error.js';
import { LLMError } from '../errors/llm-error.js';
import type { PipelineRequest, PipelineResponse } from '../spec/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import { safeParseJson } from '../util/safe-json.js';
import { type AbortState, attemptAbortOf, type CallContext, errorOfAbortedSignal } from './call-signal.js';
import {
  type ContentCoding,
  type ContentCodings,
  contentCodingsOf,
  decodeBody,
  isSupported,
  prepareDecoding,
} from './content-encoding.js';
import { loadUndici, type Undici, undiciLoaded } from './load-undici.js';
import {
  bodyTooLargeError,
  DEFAULT_MAX_RESPONSE_BYTES,
  readLimitedText,
  readTruncatedText,
} from './read-body.js';
import { encodeRequestBody } from './request-body.js';
import { outgoingHeaders } from './request-headers.js';
import {
  bodyOfText,
  discard,
  discardResponse,
  isJsonContentType,
  normalizeHeaders,
} from './response-body.js';
import { bodyFailure, transportFailure, unsupportedEncodingError } from './transport-failure.js';

export { transportFailure } from './transport-failure.js';

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
    providers: readonly { name: string; proxy?: string | undefined }[];
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
  private dispatcherFor(net: ProviderNet, undici: Undici): Dispatcher {
    if (net.dispatcher != null) return net.dispatcher;
    const id = net.proxy ?? '';
    let dispatcher = this.dispatchers.get(id);
    if (dispatcher == null) {
      const agentOptions: Agent.Options = {
        keepAliveTimeout: this.keepAliveTimeoutMs,
        connect: { timeout: this.connectTimeoutMs },
      };
      dispatcher =
        net.proxy != null
          ? new undici.ProxyAgent({ ...agentOptions, uri: net.proxy })
          : new undici.Agent(agentOptions);
      this.dispatchers.set(id, dispatcher);
    }
    net.dispatcher = dispatcher;
    return dispatcher;
  }

  async send(request: PipelineRequest): Promise<PipelineResponse> {
    // Imported by the first request of the process (see load-undici.ts); later requests only read it.
    const undici = undiciLoaded() ?? (await loadUndici());
    const context: CallContext = { provider: request.provider, model: request.model };
    if (request.keyId != null) context.keyId = request.keyId;
    if (this.closing != null) {
      throw new LLMError('CONFIGURATION_ERROR', 'The client is closed', context);
    }
    const net = this.netOf(request.provider);
    const dispatcher = this.dispatcherFor(net, undici);
    // The timeout layer's trigger (deadline + caller) when present: cheaper for undici than an AbortSignal.
    const attempt = attemptAbortOf(request);
    const signal = attempt ?? request.signal;

    let encoded = encodeRequestBody(request.body, request.method);
    // Only multipart encodes asynchronously: JSON bodies take no extra promise hop.
    if (encoded instanceof Promise) encoded = await encoded;
    const { body, contentType } = encoded;
    const headers = outgoingHeaders(request.headers, contentType);

    let response: Dispatcher.ResponseData;
    try {
      // The call's deadline bounds the wait for headers and each body read; a provider's `timeoutMs` is only
      // the default deadline of its calls (API.md §1), so it must not cut a call given a longer one.
      const timeout = undiciTimeoutOf(request.deadline - this.clock.now());
      const pending = undici.request(request.url, {
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
    const decoding = prepareDecoding(codings);
    if (decoding !== undefined) await decoding;
    if (status < 200 || status >= 300) {
      throw await this.statusError(response.body, codings, status, responseHeaders, signal, context, request);
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
          details: { bodyPreview: bodyPreview(text, 200) },
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
    request: PipelineRequest,
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
      {
        status,
        headers,
        ...(errorBody !== undefined ? { body: errorBody } : {}),
        ...(request.classifyError != null ? { classify: request.classifyError } : {}),
      },
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
