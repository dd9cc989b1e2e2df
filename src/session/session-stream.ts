import { LLMError } from '../errors/llm-error.js';
import type { LLMResponse, LLMStream, StreamEvent } from '../spec/index.js';

/** What a producer of a `BufferedStream` gets. */
export interface StreamSink {
  push(event: StreamEvent): void;
  /** The reason passed to `abort()`, once the stream was aborted. */
  readonly abortReason: { reason: unknown } | undefined;
  /** Called (at once if already aborted) when the caller aborts. */
  onAbort(listener: (reason: unknown) => void): void;
}

/**
 * An `LLMStream` whose producer runs to the end on its own, whether or not anyone reads: events are kept,
 * and every reader (the stream itself, `textStream`) sees all of them from the first. A session stream must
 * finish by itself because the session's next turn waits for it. The producer's failure becomes an `error`
 * event; ending without `finish` or `error` is an error too, never a silent truncation.
 */
export class BufferedStream implements LLMStream {
  readonly response: Promise<LLMResponse>;
  private readonly events: StreamEvent[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private waiting: Promise<void> | undefined;
  private abortState: { reason: unknown } | undefined;
  private readonly abortListeners: ((reason: unknown) => void)[] = [];
  private settle!: { resolve(response: LLMResponse): void; reject(error: unknown): void };

  constructor(producer: (sink: StreamSink) => Promise<void>) {
    this.response = new Promise<LLMResponse>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.response.catch(() => undefined);
    const self = this;
    const sink: StreamSink = {
      push: (event) => this.push(event),
      get abortReason() {
        return self.abortState;
      },
      onAbort: (listener) => {
        if (this.abortState !== undefined) listener(this.abortState.reason);
        else this.abortListeners.push(listener);
      },
    };
    // Started synchronously, so a session stream takes its place in the session's queue when it is created.
    let running: Promise<void>;
    try {
      running = producer(sink);
    } catch (error) {
      running = Promise.reject(error);
    }
    void running.then(
      () => this.end(new LLMError('API_RESPONSE_INVALID', 'The stream ended without a final response.')),
      (error: unknown) => this.end(LLMError.from(error, 'GENERATION_FAILED')),
    );
  }

  abort(reason?: unknown): void {
    if (this.abortState !== undefined || this.ended) return;
    this.abortState = { reason };
    for (const listener of this.abortListeners.splice(0)) listener(reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    let index = 0;
    return {
      next: async () => {
        const event = await this.eventAt(index);
        if (event === undefined) return { done: true, value: undefined };
        index++;
        return { done: false, value: event };
      },
      return: async () => {
        index = Number.POSITIVE_INFINITY;
        return { done: true, value: undefined };
      },
    };
  }

  get textStream(): AsyncIterable<string> {
    return {
      [Symbol.asyncIterator]: () => {
        let index = 0;
        return {
          next: async (): Promise<IteratorResult<string>> => {
            for (;;) {
              const event = await this.eventAt(index);
              if (event === undefined) return { done: true, value: undefined };
              index++;
              if (event.type === 'text-delta') return { done: false, value: event.text };
              if (event.type === 'error') throw event.error;
            }
          },
          return: async (): Promise<IteratorResult<string>> => {
            index = Number.POSITIVE_INFINITY;
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  private async eventAt(index: number): Promise<StreamEvent | undefined> {
    if (index === Number.POSITIVE_INFINITY) return undefined;
    while (index >= this.events.length) {
      if (this.ended) return undefined;
      this.waiting ??= new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      await this.waiting;
    }
    return this.events[index];
  }

  private push(event: StreamEvent): void {
    if (this.ended) return;
    this.events.push(event);
    if (event.type === 'finish') {
      this.settle.resolve(event.response);
      this.ended = true;
    } else if (event.type === 'error') {
      this.settle.reject(event.error);
      this.ended = true;
    }
    this.notify();
  }

  private end(error: LLMError): void {
    if (!this.ended) this.push({ type: 'error', error });
  }

  private notify(): void {
    const wake = this.wake;
    this.waiting = undefined;
    this.wake = undefined;
    wake?.();
  }
}
