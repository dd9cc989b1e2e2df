import { LLMError } from '../errors/llm-error.js';
import type { LLMMessage, MemoryPolicy, MemoryProcessor, MemoryStore } from '../spec/index.js';
import { pendingToolCalls } from './pending-tool-calls.js';
import { newTurnOf, type SessionInput } from './session-turn.js';

/** The call's own messages: none for `null`/`undefined` (continue from the history). */
export function ownTurnOf(input: SessionInput | null | undefined): LLMMessage[] {
  return input == null ? [] : newTurnOf(input);
}

/** A turn without input needs something to answer: history or observations, and no unanswered tool call. */
export function checkContinuable(history: LLMMessage[], observations: number): void {
  if (history.length === 0 && observations === 0) {
    throw new LLMError(
      'INVALID_PARAMETER',
      'input: a turn without input continues the conversation, but this session has no history and no observations; pass an input',
      { details: { path: 'input' } },
    );
  }
  const pending = pendingToolCalls(history);
  if (pending.length > 0) {
    const calls = pending.map((call) => `'${call.id}' (${call.name})`).join(', ');
    throw new LLMError(
      'INVALID_PARAMETER',
      `input: the history ends with tool calls that have no results yet: ${calls}; add them with ai.addToHistory({ role: 'tool', toolCallId, name, content }) before continuing`,
      { details: { path: 'input', toolCallIds: pending.map((call) => call.id) } },
    );
  }
}

export function checkSessionOptions(
  memory: MemoryStore,
  policy: MemoryPolicy,
  processors: MemoryProcessor[],
  maxObservations: number,
): void {
  const bad = (path: string, message: string) =>
    new LLMError('INVALID_PARAMETER', `session ${path}: ${message}`, { details: { path } });
  for (const method of ['load', 'append', 'replace', 'clear'] as const) {
    if (typeof memory?.[method] !== 'function') throw bad('memory', `must be a MemoryStore (no ${method}())`);
  }
  if (typeof policy?.trim !== 'function') throw bad('policy', 'must be a MemoryPolicy with trim()');
  if (!Array.isArray(processors)) throw bad('processors', 'must be an array of MemoryProcessor');
  if (!Number.isInteger(maxObservations) || maxObservations < 1) {
    throw bad('maxObservations', `must be a whole number ≥ 1 (got ${maxObservations})`);
  }
}

/** The error of a session stream aborted before it started. */
export function abortedStream(reason: unknown): LLMError {
  if (LLMError.isInstance(reason)) return reason;
  return new LLMError('ABORTED', 'The stream was aborted.', reason === undefined ? {} : { cause: reason });
}
