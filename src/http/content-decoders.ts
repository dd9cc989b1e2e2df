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
import { type ContentCoding, DECODE_FAILURE, decodeFailureOf } from './content-encoding.js';

// Loaded by the first compressed response (see `prepareDecoding`), not at start-up.

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
