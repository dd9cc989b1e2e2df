import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import {
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type Inflate,
  type InflateRaw,
} from 'node:zlib';

/** What `accept-encoding` offers on every request (API.md §5). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** A `content-encoding` this transport decodes. */
export type ContentCoding = 'gzip' | 'deflate' | 'br';

/** `content-encoding` read: the codings in the order they were applied, or the first one not supported. */
export type ContentCodings = readonly ContentCoding[] | { unsupported: string };

const NONE: readonly ContentCoding[] = [];

/** True when every coding is one this transport decodes. */
export function isSupported(codings: ContentCodings): codings is readonly ContentCoding[] {
  return Array.isArray(codings);
}

/**
 * Parses a `content-encoding` header (`gzip`, `x-gzip`, `deflate`, `br`, `identity`, or a list of them).
 * No header → `[]` (no allocation: the usual case).
 */
export function contentCodingsOf(header: string | undefined): ContentCodings {
  if (header == null) return NONE;
  const codings: ContentCoding[] = [];
  for (const raw of header.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '' || name === 'identity') continue;
    if (name === 'gzip' || name === 'x-gzip') codings.push('gzip');
    else if (name === 'deflate' || name === 'br') codings.push(name);
    else return { unsupported: name.slice(0, 40) };
  }
  return codings.length === 0 ? NONE : codings;
}

/** Marks an error raised while decoding a body, so it is reported as a bad body rather than a network failure. */
const DECODE_FAILURE: unique symbol = Symbol('switchboard.decodeFailure');

/** The coding whose decoder failed, when `error` came from one. */
export function decodeFailureOf(error: unknown): ContentCoding | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { [DECODE_FAILURE]?: ContentCoding })[DECODE_FAILURE]
    : undefined;
}

// Lenient like browsers and fetch: a body cut at a flush point decodes as far as it goes (the JSON or SSE
// layer then reports the truncation) instead of failing with "unexpected end of file".
const ZLIB_OPTIONS = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
const BROTLI_OPTIONS = {
  flush: constants.BROTLI_OPERATION_FLUSH,
  finishFlush: constants.BROTLI_OPERATION_FLUSH,
};

/**
 * `deflate` is meant to be zlib-wrapped (RFC 9110), but some servers send a raw deflate stream: the first
 * byte decides (a zlib header has compression method 8 in its low nibble), as in browsers and undici's fetch.
 */
class InflateAuto extends Transform {
  private inner: Inflate | InflateRaw | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let inner = this.inner;
    if (inner === undefined) {
      if (chunk.length === 0) {
        callback();
        return;
      }
      const created =
        (chunk[0]! & 0x0f) === 0x08 ? createInflate(ZLIB_OPTIONS) : createInflateRaw(ZLIB_OPTIONS);
      created.on('data', (data: Buffer) => {
        // Backpressure: a tiny deflate body can expand without bound (a "zip bomb").
        if (!this.push(data)) created.pause();
      });
      created.on('error', (error) => this.destroy(error));
      this.inner = inner = created;
    }
    if (inner.write(chunk)) callback();
    else inner.once('drain', () => callback());
  }

  override _read(size: number): void {
    this.inner?.resume();
    super._read(size);
  }

  override _flush(callback: TransformCallback): void {
    const inner = this.inner;
    if (inner === undefined) {
      callback();
      return;
    }
    inner.once('end', () => callback());
    inner.resume();
    inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(error);
  }
}

function decoderOf(coding: ContentCoding): Transform {
  switch (coding) {
    case 'gzip':
      return createGunzip(ZLIB_OPTIONS);
    case 'deflate':
      return new InflateAuto();
    case 'br':
      return createBrotliDecompress(BROTLI_OPTIONS);
    default: {
      const unreachable: never = coding;
      return unreachable;
    }
  }
}

/**
 * `body` decoded, incrementally: each chunk is decompressed as it arrives (an SSE decoder downstream sees
 * events as soon as the server flushed them), with backpressure, so a reader that stops early (a size limit)
 * never makes the decoder expand more than a chunk or two. Destroying the result destroys `body` (the
 * connection is released); a decoder failure destroys both and is marked (see `decodeFailureOf`).
 * Without codings `body` is returned as is.
 */
export function decodeBody(body: Readable, codings: readonly ContentCoding[]): Readable {
  if (codings.length === 0) return body;
  // A failure of the body itself (network, abort) reaches every stage too: only the others are marked.
  let upstream: unknown;
  body.once('error', (error: unknown) => {
    upstream = error;
  });
  // Codings are listed in the order they were applied: undo the last first.
  const stages: Transform[] = [];
  for (let index = codings.length - 1; index >= 0; index--) {
    const coding = codings[index]!;
    const stage = decoderOf(coding);
    stage.once('error', (error: unknown) => {
      if (error === upstream || typeof error !== 'object' || error === null) return;
      if (decodeFailureOf(error) === undefined) {
        (error as { [DECODE_FAILURE]?: ContentCoding })[DECODE_FAILURE] = coding;
      }
    });
    stages.push(stage);
  }
  const last = stages[stages.length - 1]!;
  // The error reaches the reader through the last stage; nothing else to report here.
  pipeline([body, ...stages], () => {});
  return last;
}
