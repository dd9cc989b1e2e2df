import { LLMError } from '../errors/llm-error.js';
import type { LLMMessage, LLMToolCall } from '../spec/index.js';

/**
 * The tool calls of the last assistant tool-call turn that no `tool` message answered yet (empty when the
 * history does not end in a tool exchange). Only the newest exchange counts: a later user or assistant
 * message closes the earlier ones, as providers read them.
 */
export function pendingToolCalls(history: readonly LLMMessage[]): LLMToolCall[] {
  let pending: LLMToolCall[] = [];
  for (const message of history) pending = afterMessage(pending, message);
  return pending;
}

function afterMessage(pending: LLMToolCall[], message: LLMMessage): LLMToolCall[] {
  if (message.role === 'tool') return pending.filter((call) => call.id !== message.toolCallId);
  return message.role === 'assistant' ? [...(message.toolCalls ?? [])] : [];
}

/**
 * Checks that every `tool` message of `added` answers a call still open at its place (the calls of the
 * assistant turn right before it, in `stored` or earlier in `added`), so `addToHistory` never stores a
 * result the window policy would drop as an orphan, or a second result for one call.
 * @throws LLMError `INVALID_PARAMETER` naming the message (`messages[i]`) and the call id.
 */
export function checkToolResults(stored: readonly LLMMessage[], added: readonly LLMMessage[]): void {
  let pending = pendingToolCalls(stored);
  added.forEach((message, index) => {
    if (message.role === 'tool' && !pending.some((call) => call.id === message.toolCallId)) {
      const open = pending.map((call) => `'${call.id}' (${call.name})`).join(', ');
      throw new LLMError(
        'INVALID_PARAMETER',
        `messages[${index}]: a tool result for call '${message.toolCallId}', which is not an open call of the history (${open === '' ? 'no call is waiting for a result' : `open calls: ${open}`}); tool results follow the assistant message that made the calls`,
        { details: { path: `messages[${index}]`, toolCallId: message.toolCallId } },
      );
    }
    pending = afterMessage(pending, message);
  });
}
