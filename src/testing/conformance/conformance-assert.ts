import { inspect, isDeepStrictEqual } from 'node:util';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMStream, StreamEvent } from '../../spec/index.js';

// Framework-free assertions of the conformance suite: each throws an Error saying what differed.

/** A value as it appears in a failure message: one line, cut at 400 characters. */
export function show(value: unknown): string {
  const text = inspect(value, { depth: 6, breakLength: Number.POSITIVE_INFINITY, maxStringLength: 200 });
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

export function fail(message: string): never {
  throw new Error(message);
}

export function check(condition: boolean, what: string): asserts condition {
  if (!condition) fail(what);
}

export function equal(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** True when `actual` has every field of `pattern` (recursively; arrays element by element, same length). */
export function matches(actual: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    return (
      Array.isArray(actual) &&
      actual.length === pattern.length &&
      pattern.every((item, index) => matches(actual[index], item))
    );
  }
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof actual !== 'object' || actual === null) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(pattern).every(([key, value]) => matches(record[key], value));
  }
  return Object.is(actual, pattern);
}

export function like(actual: unknown, pattern: unknown, what: string): void {
  if (!matches(actual, pattern)) fail(`${what}: expected ${show(pattern)} in ${show(actual)}`);
}

/** The `LLMError` a promise rejects with; fails when it resolves or rejects with anything else. */
export async function failureOf(promise: Promise<unknown>, what: string): Promise<LLMError> {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) fail(`${what}: expected an LLMError, the call resolved with ${show(outcome.value)}`);
  if (!LLMError.isInstance(outcome.error)) fail(`${what}: expected an LLMError, got ${show(outcome.error)}`);
  return outcome.error;
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

export function typesOf(events: readonly StreamEvent[]): string[] {
  return events.map((event) => event.type);
}

/** The error of a stream that must end with exactly one `error` event, last (no `finish`). */
export function finalError(events: readonly StreamEvent[], what: string): LLMError {
  const last = events.at(-1);
  if (last?.type !== 'error')
    fail(`${what}: the stream must end with an error event; events: ${show(typesOf(events))}`);
  const ends = events.filter((event) => event.type === 'error' || event.type === 'finish');
  check(
    ends.length === 1,
    `${what}: exactly one error event and no finish; events: ${show(typesOf(events))}`,
  );
  if (!LLMError.isInstance(last.error))
    fail(`${what}: the error event must carry an LLMError, got ${show(last.error)}`);
  return last.error;
}

/** Resolves once `condition()` holds, polling; fails after `limitMs` (a guard against a hang, not a speed bound). */
export async function waitFor(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) fail(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
