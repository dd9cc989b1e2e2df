import type { LLMToolCall } from '../spec/index.js';

/** When a tool call ran (by the invoker's clock). */
export interface ToolTiming {
  startedAt: number;
  durationMs: number;
}

// By the call object itself (the one a response's `toolResults[i].call` holds), so the timing needs no place in
// the public shapes and goes away with the response.
const timings = new WeakMap<LLMToolCall, ToolTiming>();

/** Records when `call` ran (the tool invoker, for every call it runs). */
export function recordToolTiming(call: LLMToolCall, startedAt: number, durationMs: number): void {
  timings.set(call, { startedAt, durationMs });
}

/** When `call` ran, if an invoker ran it. */
export function toolTimingOf(call: LLMToolCall): ToolTiming | undefined {
  return timings.get(call);
}
