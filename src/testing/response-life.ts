import type { ServerResponse } from 'node:http';
import {
  type BrotliCompress,
  brotliCompressSync,
  createBrotliCompress,
  createDeflate,
  createDeflateRaw,
  createGzip,
  type Deflate,
  type DeflateRaw,
  deflateRawSync,
  deflateSync,
  type Gzip,
  gzipSync,
} from 'node:zlib';
import type { ReplyCompression } from './reply-types.js';

/** `content-encoding` sent for a compression (`deflate-raw` is labelled `deflate`, like the servers that send it). */
function encodingOf(compression: ReplyCompression): string {
  return compression === 'deflate-raw' ? 'deflate' : compression;
}

/** A whole body, compressed. */
export function compressBody(body: string | Uint8Array, compression: ReplyCompression): Buffer {
  switch (compression) {
    case 'gzip':
      return gzipSync(body);
    case 'deflate':
      return deflateSync(body);
    case 'deflate-raw':
      return deflateRawSync(body);
    case 'br':
      return brotliCompressSync(body);
    default: {
      const unreachable: never = compression;
      return unreachable;
    }
  }
}

type Compressor = Gzip | Deflate | DeflateRaw | BrotliCompress;

function compressorOf(compression: ReplyCompression): Compressor {
  switch (compression) {
    case 'gzip':
      return createGzip();
    case 'deflate':
      return createDeflate();
    case 'deflate-raw':
      return createDeflateRaw();
    case 'br':
      return createBrotliCompress();
    default: {
      const unreachable: never = compression;
      return unreachable;
    }
  }
}

/**
 * Tracks whether a response's connection is still open, so waits (delays, stalls, backpressure) end as soon
 * as the client goes away or the fake closes — no timer outlives the connection.
 */
export class ResponseLife {
  closed = false;
  readonly whenClosed: Promise<void>;
  private lastWrite: Promise<void> = Promise.resolve();
  /** Set by `compress`: every write goes through it and is flushed. */
  private encoder: Compressor | undefined;

  constructor(readonly res: ServerResponse) {
    this.whenClosed = new Promise((resolve) => {
      res.once('close', () => {
        this.closed = true;
        resolve();
      });
    });
  }

  /** Waits `ms`; resolves `true` if the connection is still open afterwards. */
  async sleep(ms: number): Promise<boolean> {
    if (this.closed) return false;
    if (ms <= 0) return true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
      this.whenClosed,
    ]);
    clearTimeout(timer);
    return !this.closed;
  }

  /**
   * Compresses what is written from now on (`write`, `end`) and sets `content-encoding`; call before the
   * headers are sent. Each `write` is flushed through the compressor, so the client can decode it at once.
   */
  compress(compression: ReplyCompression): void {
    this.res.setHeader('content-encoding', encodingOf(compression));
    const encoder = compressorOf(compression);
    encoder.on('data', (data: Buffer) => {
      this.lastWrite = new Promise<void>((resolve) => {
        if (!this.res.write(data, () => resolve())) {
          encoder.pause();
          this.res.once('drain', () => encoder.resume());
        }
      });
    });
    encoder.on('end', () => this.res.end());
    encoder.on('error', () => this.res.destroy());
    this.encoder = encoder;
  }

  /** Ends the response (through the compressor when there is one). */
  end(): void {
    if (this.encoder != null) this.encoder.end();
    else this.res.end();
  }

  /** Writes a chunk, waiting for `drain` when the socket buffer is full; `false` once closed. */
  async write(chunk: string): Promise<boolean> {
    if (this.closed) return false;
    if (chunk.length === 0) return true;
    const encoder = this.encoder;
    if (encoder != null) {
      encoder.write(chunk);
      await Promise.race([new Promise<void>((resolve) => encoder.flush(() => resolve())), this.whenClosed]);
      await this.flushed();
      return !this.closed;
    }
    let ok = true;
    this.lastWrite = new Promise<void>((resolve) => {
      ok = this.res.write(chunk, () => resolve());
    });
    if (ok) return true;
    await Promise.race([new Promise((resolve) => this.res.once('drain', resolve)), this.whenClosed]);
    return !this.closed;
  }

  /** Resolves once everything written so far has been handed to the socket (or the connection closed). */
  async flushed(): Promise<void> {
    if (this.closed) return;
    await Promise.race([this.lastWrite, this.whenClosed]);
  }

  /** Destroys the socket after the written data is flushed (a stream cut mid-body). */
  async cut(): Promise<void> {
    await this.flushed();
    this.res.socket?.destroy();
  }

  /** Resets the connection (TCP RST when the platform supports it). */
  reset(): void {
    const socket = this.res.socket;
    if (socket == null) return;
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  }
}
