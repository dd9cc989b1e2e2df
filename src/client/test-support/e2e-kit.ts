import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMConfig, LLMStream, ProviderConfig, StreamEvent } from '../../spec/index.js';
import type { FakeProvider, SseItem } from '../../testing/index.js';
import { createLLM, type LLM } from '../llm.js';

/** Helpers of the end-to-end client tests (stream, replay, Gemini, images) against the fake provider. */

const FIXTURES = new URL('../../../fixtures/providers/', import.meta.url);

/** Fast retries for every test client: no test waits on real backoff. */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 } as const;

/** A client over `providers` with fast retries (extra config fields merged in). */
export function clientFor(providers: ProviderConfig[], extra: Partial<LLMConfig> = {}): LLM {
  return createLLM({ providers, retry: FAST_RETRY, ...extra });
}

/** Text of a recording under `fixtures/providers/`. */
export function fixtureText(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

export function fixtureJson<T = unknown>(path: string): T {
  return JSON.parse(fixtureText(path)) as T;
}

/** One interaction of a `*.exchange.json` recording. */
export interface RecordedInteraction {
  request: { method: string; url: string; headers?: Record<string, unknown>; body?: unknown };
  response: {
    status: number;
    headers: Record<string, unknown>;
    body?: string;
    bodyJson?: unknown;
    sseEvents?: unknown[];
  };
}

export function interactionsOf(path: string): RecordedInteraction[] {
  return fixtureJson<{ interactions: RecordedInteraction[] }>(path).interactions;
}

/** Every recording in the given folders, as `folder/file`. */
export function recordingsIn(folders: readonly string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(new URL(`${folder}/`, FIXTURES))
      .sort()
      .map((file) => `${folder}/${file}`),
  );
}

/** All events of a stream, in order. */
export async function collect(stream: LLMStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

export function textsOf(events: readonly StreamEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
}

export function reasoningOf(events: readonly StreamEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'reasoning-delta' ? [event.text] : []));
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<LLMError> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok)
    throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)?.slice(0, 300)}`);
  expect(LLMError.isInstance(outcome.error)).toBe(true);
  return outcome.error as LLMError;
}

/** Asserts that a stream ended with exactly one `error` event, last, and returns its error. */
export function finalError(events: readonly StreamEvent[]): LLMError {
  const last = events.at(-1);
  expect(last?.type).toBe('error');
  expect(events.filter((event) => event.type === 'error' || event.type === 'finish')).toHaveLength(1);
  const error = (last as Extract<StreamEvent, { type: 'error' }>).error;
  expect(LLMError.isInstance(error)).toBe(true);
  return error as LLMError;
}

/**
 * An endless-looking SSE source that counts what the fake pulled and notes when the fake stopped pulling
 * (the `finally` runs when the fake's writer gives up because the client closed the connection).
 */
export class CountingSource {
  produced = 0;
  stoppedAt: number | undefined;
  private resolveStopped!: () => void;
  readonly stopped = new Promise<void>((resolve) => {
    this.resolveStopped = resolve;
  });

  constructor(
    private readonly total: number,
    private readonly item: (index: number) => SseItem,
  ) {}

  async *items(): AsyncGenerator<SseItem> {
    try {
      for (let index = 0; index < this.total; index++) {
        this.produced++;
        yield this.item(index);
      }
    } finally {
      this.stoppedAt = Date.now();
      this.resolveStopped();
    }
  }
}

/** Resolves with `true` when `promise` settles within `ms`, else `false`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** An OpenAI chat-completion chunk with one content delta (no finish reason). */
export function openaiDelta(text: string): object {
  return {
    id: 'chatcmpl-x',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
  };
}

/** A Gemini stream chunk with one text part (no finish reason). */
export function geminiDelta(text: string, thought = false): object {
  const part = thought ? { text, thought: true } : { text };
  return { candidates: [{ content: { role: 'model', parts: [part] }, index: 0 }] };
}

/** The parsed body of the fake's request at `index` (default: the last one); fails when there is none. */
export function sentBody<T>(fake: FakeProvider, index = -1): T {
  const request = index < 0 ? fake.requests.at(index) : fake.requests[index];
  expect(request).toBeDefined();
  return request?.body as T;
}
