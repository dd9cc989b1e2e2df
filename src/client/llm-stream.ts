import { LLMError } from '../errors/llm-error.js';
import type { LLMResponse, LLMStream, Locale, StreamEvent } from '../spec/index.js';
import type { StreamObserver } from '../telemetry/client-telemetry.js';

/** One reader of the stream: its own queue of events not yet taken. */
class Reader {
  private readonly items: StreamEvent[] = [];
  private head = 0;

  push(event: StreamEvent): void {
    this.items.push(event);
  }

  take(): StreamEvent | undefined {
    if (this.head >= this.items.length) return undefined;
    const event = this.items[this.head++];
    // Drop consumed slots now and then so a long stream keeps a small queue.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return event;
  }
}

/**
 * `LLMStream` over a pull-driven event source. Events are produced only as readers ask for them (the
 * HTTP body is read at the readers' pace); several readers (the stream itself and `textStream`) each
 * see every event from the moment they start. Awaiting `response` alone drains the stream.
 */
export class LLMStreamImpl implements LLMStream {
  private readonly responsePromise: Promise<LLMResponse>;
  /** Dropped once the stream is over: a finished generator still holds its frames (parser, pieces). */
  private source: AsyncGenerator<StreamEvent | StreamEvent[], void> | undefined;
  private readonly readers = new Set<Reader>();
  private done = false;
  private pulling: Promise<void> | undefined;
  private resolveResponse!: (response: LLMResponse) => void;
  private rejectResponse!: (error: LLMError) => void;
  private failure: LLMError | undefined;
  /** `response` was read: the caller wants the answer, so an abandoned iteration keeps draining. */
  private responseWanted = false;
  private draining = false;
  /** Telemetry of the call: told of the first event and, once, of the end. */
  private observer: StreamObserver | undefined;
  private started = false;

  constructor(
    /** Events, or batches of events (one batch per network read: a single hop through the generators). */
    source: AsyncGenerator<StreamEvent | StreamEvent[], void>,
    private readonly locale: Locale,
    private readonly onAbort: (reason?: unknown) => void,
  ) {
    this.source = source;
    this.responsePromise = new Promise<LLMResponse>((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
    // Handled here so an unobserved failure never becomes an unhandled rejection; callers that await
    // `response` still get the rejection.
    this.responsePromise.catch(() => undefined);
  }

  /**
   * The final response. Reading it without iterating (no reader attached by the next macrotask) drains
   * the stream in the background, so `await llm.stream(…).response` works on its own; so does a reader
   * leaving early once `response` has been read.
   */
  get response(): Promise<LLMResponse> {
    if (!this.responseWanted) {
      this.responseWanted = true;
      setImmediate(() => {
        if (this.readers.size === 0) this.drain();
      });
    }
    return this.responsePromise;
  }

  abort(reason?: unknown): void {
    this.onAbort(reason);
  }

  /** @internal Attaches the call's telemetry (before anyone reads the stream). */
  observe(observer: StreamObserver): void {
    this.observer = observer;
  }

  /** Tells the observer (once) that the stream ended, before any reader sees the last event. */
  private settle(response: LLMResponse | undefined, error: unknown): void {
    const observer = this.observer;
    if (observer === undefined) return;
    this.observer = undefined;
    observer.end(response, error);
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    const reader = this.attach();
    const step = (event: StreamEvent | undefined): IteratorResult<StreamEvent> => {
      if (event === undefined) {
        this.detach(reader);
        return { done: true, value: undefined };
      }
      return { done: false, value: event };
    };
    return {
      next: () => {
        // An event already queued is handed out without a pull (and without extra promise hops).
        const queued = reader.take();
        if (queued !== undefined) return Promise.resolve({ done: false, value: queued });
        return this.nextFor(reader).then(step);
      },
      return: async () => {
        this.detach(reader);
        return { done: true, value: undefined };
      },
    };
  }

  get textStream(): AsyncIterable<string> {
    const self = this;
    return {
      [Symbol.asyncIterator](): AsyncIterator<string> {
        const reader = self.attach();
        const slow = async (): Promise<IteratorResult<string>> => {
          for (;;) {
            const event = await self.nextFor(reader);
            if (event === undefined) {
              self.detach(reader);
              return { done: true, value: undefined };
            }
            if (event.type === 'text-delta') return { done: false, value: event.text };
            // A text-only reader would otherwise miss the failure: surface it as a throw.
            if (event.type === 'error') {
              self.detach(reader);
              throw event.error;
            }
          }
        };
        return {
          next(): Promise<IteratorResult<string>> {
            // Fast path: a text delta already queued (the usual case within one network read).
            for (let event = reader.take(); event !== undefined; event = reader.take()) {
              if (event.type === 'text-delta') return Promise.resolve({ done: false, value: event.text });
              if (event.type === 'error') {
                self.detach(reader);
                return Promise.reject(event.error);
              }
            }
            return slow();
          },
          async return() {
            self.detach(reader);
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  private attach(): Reader {
    const reader = new Reader();
    this.readers.add(reader);
    return reader;
  }

  /**
   * A reader is done. When the last one leaves before the end (a `break`), the stream is drained if
   * `response` was read, else cancelled: the HTTP body is released at once instead of being held open
   * until the deadline, and `response` rejects with `ABORTED`.
   */
  private detach(reader: Reader): void {
    if (!this.readers.delete(reader) || this.readers.size > 0 || this.done) return;
    if (this.responseWanted) this.drain();
    else this.cancel();
  }

  private cancel(): void {
    const error = new LLMError(
      'ABORTED',
      'The stream was abandoned before it finished (iteration stopped early).',
      {
        locale: this.locale,
      },
    );
    this.failure = error;
    this.settle(undefined, error);
    this.rejectResponse(error);
    this.done = true;
    // Aborting the call cuts a read in progress; `return()` closes a generator paused at a `yield`.
    this.onAbort(error);
    this.release();
  }

  private async nextFor(reader: Reader): Promise<StreamEvent | undefined> {
    for (;;) {
      const event = reader.take();
      if (event !== undefined) return event;
      if (this.done) return undefined;
      await this.pullOnce();
    }
  }

  /** Advances the source by one event, distributing it to every reader (one pull at a time). */
  private pullOnce(): Promise<void> {
    this.pulling ??= this.pull().finally(() => {
      this.pulling = undefined;
    });
    return this.pulling;
  }

  private async pull(): Promise<void> {
    let value: StreamEvent | StreamEvent[];
    try {
      const source = this.source;
      if (source === undefined) return;
      const step = await source.next();
      if (step.done === true) {
        this.finish();
        return;
      }
      value = step.value;
    } catch (error) {
      const llmError = LLMError.from(error, 'API_RESPONSE_INVALID');
      llmError.locale = this.locale;
      value = { type: 'error', error: llmError };
    }
    if (Array.isArray(value)) {
      for (const event of value) if (!this.done) this.deliver(event);
    } else this.deliver(value);
  }

  private deliver(event: StreamEvent): void {
    if (this.observer !== undefined) {
      // `response.cost` is set here, so every reader of the finish event sees it.
      if (event.type === 'finish') this.settle(event.response, undefined);
      else if (event.type === 'error') this.settle(undefined, event.error);
      else if (!this.started) {
        this.started = true;
        this.observer.first?.();
      }
    }
    for (const reader of this.readers) reader.push(event);
    if (event.type === 'finish') {
      this.resolveResponse(event.response);
      // The last event: the source is closed now (its `finally` runs) rather than on a next pull nobody may make.
      this.done = true;
      this.release();
    }
    if (event.type === 'error') {
      this.failure = event.error as LLMError;
      this.rejectResponse(this.failure);
      this.finish();
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.failure === undefined) {
      // The source ended without a finish event: never a silent truncation.
      const error = new LLMError('API_RESPONSE_INVALID', 'The stream ended without a final response.', {
        locale: this.locale,
      });
      this.settle(undefined, error);
      this.rejectResponse(error);
    }
    this.release();
  }

  /** Closes the source (a generator paused at a `yield` runs its `finally`) and lets it be collected. */
  private release(): void {
    const source = this.source;
    this.source = undefined;
    void source?.return(undefined).catch(() => undefined);
  }

  /** Reads the rest of the stream in the background (once), for `response`. */
  private drain(): void {
    if (this.draining || this.done) return;
    this.draining = true;
    const reader = this.attach();
    void (async () => {
      while ((await this.nextFor(reader)) !== undefined) {
        // discard: only `response` is wanted
      }
      this.readers.delete(reader);
    })();
  }
}
