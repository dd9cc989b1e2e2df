import { LLMError } from '../errors/llm-error.js';

/**
 * A one-reader async queue: the producer pushes and closes (with an error to fail the reader); the reader
 * iterates. Items pushed before the reader starts are kept; once the reader leaves (breaks out of its loop),
 * pushes are dropped.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private closed = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private state: 'idle' | 'reading' | 'left' = 'idle';

  /** True while a reader is iterating; producers may skip work nobody would see. */
  get reading(): boolean {
    return this.state === 'reading';
  }

  push(item: T): void {
    if (this.closed || this.state === 'left') return;
    this.items.push(item);
    this.notify();
  }

  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = error;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void> {
    if (this.state !== 'idle')
      throw new LLMError('INVALID_PARAMETER', 'a structured stream can be iterated only once');
    this.state = 'reading';
    try {
      for (;;) {
        if (this.head < this.items.length) {
          const item = this.items[this.head] as T;
          this.head++;
          if (this.head > 256 && this.head * 2 > this.items.length) {
            this.items = this.items.slice(this.head);
            this.head = 0;
          }
          yield item;
          continue;
        }
        if (this.closed) {
          if (this.failure !== undefined) throw this.failure;
          return;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      this.state = 'left';
      this.items = [];
      this.head = 0;
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
