import type { FunctionToolSpec, LLMMessage } from '../spec/index.js';

/**
 * The warning for `cacheControl` marks sent to a provider without prompt caching (API.md §13: other providers
 * ignore them with a warning); undefined when nothing carries one.
 */
export function cacheControlWarning(
  messages: readonly LLMMessage[],
  tools: readonly FunctionToolSpec[],
  providerName: string,
): string | undefined {
  let marks = tools.filter((tool) => tool.cacheControl != null).length;
  for (const message of messages) {
    if (typeof message.content === 'string' || message.content == null) continue;
    for (const part of message.content) if ('cacheControl' in part && part.cacheControl != null) marks++;
  }
  return marks === 0
    ? undefined
    : `${providerName} has no prompt caching marks; cacheControl ignored on ${marks} part(s)/tool(s)`;
}
