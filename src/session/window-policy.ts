import { LLMError } from '../errors/llm-error.js';
import type { LLMMessage, MemoryPolicy } from '../spec/index.js';

/**
 * Keeps the newest `maxMessages` messages of a history without ever splitting a tool exchange.
 *
 * The history is cut into groups: an assistant message with `toolCalls` together with the `tool` messages
 * that follow it is one group; every other message is a group of its own. Whole groups are kept from the
 * newest backwards while they fit, so the kept history starts at a user or assistant message and never with a
 * tool result whose call was dropped. Rules for the edges:
 * - the newest group is always kept, even when it alone is longer than `maxMessages` (a history is never
 *   emptied by trimming; with `maxMessages: 1` that is the last answer, or the last tool exchange whole);
 * - `tool` messages that follow no assistant tool call (orphans, e.g. written by hand) are dropped;
 * - an empty history stays empty; a history that fits and has no orphans is returned unchanged (same array).
 *
 * System instructions are not part of session memory (they are added per call), so a `system` message in a
 * stored history is treated like any other single message.
 *
 * @param maxMessages at least 1. @default 50
 * @throws LLMError `INVALID_PARAMETER` when `maxMessages` is not an integer ≥ 1.
 * @example llm.session({ policy: windowPolicy(20) })
 */
export function windowPolicy(maxMessages = 50): MemoryPolicy {
  if (!Number.isInteger(maxMessages) || maxMessages < 1) {
    throw new LLMError(
      'INVALID_PARAMETER',
      `windowPolicy: maxMessages must be an integer ≥ 1 (got ${maxMessages})`,
      {
        details: { path: 'maxMessages' },
      },
    );
  }
  return {
    trim(messages) {
      const groups = groupsOf(messages);
      let count = 0;
      let first = groups.length;
      for (let index = groups.length - 1; index >= 0; index--) {
        const size = groups[index]!.length;
        if (count > 0 && count + size > maxMessages) break;
        count += size;
        first = index;
      }
      if (count === messages.length) return messages;
      return groups.slice(first).flat();
    },
  };
}

/** Splits a history into tool-exchange groups and single messages; orphan tool messages are left out. */
function groupsOf(messages: LLMMessage[]): LLMMessage[][] {
  const groups: LLMMessage[][] = [];
  let exchange: LLMMessage[] | undefined;
  for (const message of messages) {
    if (message.role === 'tool') {
      exchange?.push(message);
      continue;
    }
    const group = [message];
    groups.push(group);
    exchange = message.role === 'assistant' && (message.toolCalls?.length ?? 0) > 0 ? group : undefined;
  }
  return groups;
}
