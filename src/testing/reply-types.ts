import type { SseItem } from './sse-items.js';

/** Response headers of a scripted reply; a multi-valued header is an array. */
export type ReplyHeaders = Record<string, string | number | readonly string[]>;

/**
 * A compression of the body, sent with the matching `content-encoding`: `'gzip'`, `'deflate'` (zlib-wrapped),
 * `'br'`, or `'deflate-raw'` (a raw deflate stream labelled `deflate`, as some servers send it).
 */
export type ReplyCompression = 'gzip' | 'deflate' | 'deflate-raw' | 'br';

/** Fields every reply accepts. */
export interface ReplyCommon {
  /** HTTP status. Default `200` (fixtures: the recorded status, or the one their error object implies). */
  status?: number;
  /** Extra response headers, e.g. `{ 'retry-after': '2' }`. They override the defaults (content type included). */
  headers?: ReplyHeaders;
  /** Wait this long before sending anything (headers included). Ends early when the connection closes. */
  delayMs?: number;
  /**
   * Compress the body (JSON, text, error and stream replies alike) and send `content-encoding`. A stream is
   * compressed incrementally: every write is flushed, so each event can be decoded as soon as it arrives.
   * Default: not compressed. @example { json: { error: { message: 'API key not valid' } }, status: 400, compress: 'gzip' }
   */
  compress?: ReplyCompression;
}

/** A JSON body. @example { json: { error: { message: 'boom' } }, status: 500 } */
export interface JsonReply extends ReplyCommon {
  /** Serialised with `JSON.stringify`; sent as `application/json`. */
  json: unknown;
}

/** A text (or binary) body, sent as given. @example { text: 'upstream down', status: 502 } */
export interface TextReply extends ReplyCommon {
  /** A string (sent as UTF-8) or bytes (e.g. an image). */
  text: string | Uint8Array;
  /** Default `text/plain; charset=utf-8` (a `content-type` in `headers` wins). */
  contentType?: string;
}

/** Fault knobs of a streamed reply (also accepted by fixture replies that replay a stream). */
export interface SseFaults {
  /** Wait this long after each event (the event is flushed first). Default `0`. */
  eventDelayMs?: number;
  /** Send the first `cutAfter` events, then destroy the socket: no end marker, no trailing text. */
  cutAfter?: number;
  /** Send the first `stallAfter` events, then keep the connection open without writing until it closes. */
  stallAfter?: number;
  /** Send the event at this 0-based index as invalid JSON (`data: {"malformed":`) instead of its content. */
  malformedAt?: number;
}

/**
 * A `text/event-stream` body.
 * @example { sse: [{ choices: [{ index: 0, delta: { content: 'hi' } }] }], done: true }
 */
export interface SseReply extends ReplyCommon, SseFaults {
  /**
   * The events, in order. A string is a `data:` payload sent as is (multi-line strings become several `data:`
   * lines); any other object is `JSON.stringify`d; `sseEvent(name, data)` adds an `event:` line and
   * `rawSse(text)` is written verbatim. Any iterable or async iterable works, so a generator can stream
   * 100,000 events without building them in memory.
   */
  sse: Iterable<SseItem> | AsyncIterable<SseItem>;
  /** Event separator: `'lf'` (`\n\n`, OpenAI) or `'crlf'` (`\r\n\r\n`, Gemini). Default: `'crlf'` on Gemini paths, else `'lf'`. */
  framing?: 'lf' | 'crlf';
  /** Append `data: [DONE]` after the events. Default: `true` on OpenAI chat-completions paths, else `false`. */
  done?: boolean;
  /** Comment lines sent before the first event (`': '` is prepended when missing), like OpenRouter's keep-alives. */
  comments?: readonly string[];
  /** Raw text written at the very end (after `[DONE]` when `done`), e.g. a bare JSON error object. */
  trailing?: string;
}

/**
 * Replays a recorded provider response (rules of `fixtures/providers/SOURCES.md`):
 * - `*.json` / `*.issue.json`: the body byte-exact, `application/json`, status 200 or the one its error object
 *   implies (Gemini `error.code`; OpenAI-style 401/404/429/500 from the error code or type, else 400);
 * - `*.chunks.txt`: each line as `data: <line>\n\n` plus `data: [DONE]\n\n`; for files under `gemini/` or
 *   `vertex/` (or `dialect: 'gemini'`) `data: <line>\r\n\r\n` and no `[DONE]`; for files under `anthropic/`
 *   (or `dialect: 'anthropic'`) `event: <line's type>\ndata: <line>\n\n` and no `[DONE]`;
 * - `*.sse.txt` / `*.txt`: verbatim as `text/event-stream` (a body that is one JSON error gets its status);
 * - `*.exchange.json`: recorded status and headers (minus content-length, content-encoding, transfer-encoding,
 *   connection, keep-alive); `body` verbatim, `bodyJson` serialised, `sseEvents` as `data: <json>\r\n\r\n`.
 * `status` and `headers` override the recorded ones; the `SseFaults` apply to streamed fixtures.
 * @example { fixture: 'openai/chat-text.chunks.txt', cutAfter: 10 }
 */
export interface FixtureReply extends ReplyCommon, SseFaults {
  /** Path relative to the fixtures directory (`fixturesDir`, default `<package>/fixtures/providers`), absolute, or a `file:` URL. */
  fixture: string | URL;
  /**
   * Which interaction of a multi-interaction `*.exchange.json` to serve (0-based). Default: the next one for
   * this fixture file (the first use serves 0, the next 1, …, cycling), so enqueuing the same fixture again
   * replays the conversation in order.
   */
  interaction?: number;
  /**
   * Framing of `*.chunks.txt`. Default: `'gemini'` for files under a `gemini/` or `vertex/` folder, `'anthropic'`
   * under `anthropic/`, else `'openai'`.
   */
  dialect?: 'openai' | 'gemini' | 'anthropic';
}

/** Never answer (no headers, no body) until the client gives up or the fake closes. */
export interface StallReply {
  stall: true;
  delayMs?: number;
}

/** Reset the connection (TCP RST) without answering; the client sees `ECONNRESET`. */
export interface ResetReply {
  reset: true;
  delayMs?: number;
}

/** Anything the fake can answer with. */
export type Reply = JsonReply | TextReply | SseReply | FixtureReply | StallReply | ResetReply;
