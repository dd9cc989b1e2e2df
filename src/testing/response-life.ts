import type { ServerResponse } from 'node:http';

/**
 * Tracks whether a response's connection is still open, so waits (delays, stalls, backpressure) end as soon
 * as the client goes away or the fake closes — no timer outlives the connection.
 */
export class ResponseLife {
  closed = false;
  readonly whenClosed: Promise<void>;
  private lastWrite: Promise<void> = Promise.resolve();

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

  /** Writes a chunk, waiting for `drain` when the socket buffer is full; `false` once closed. */
  async write(chunk: string): Promise<boolean> {
    if (this.closed) return false;
    if (chunk.length === 0) return true;
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
