import { LLMError } from '../errors/llm-error.js';
import type { AttemptRecord, ChatDialect, ChatRequestInput, ParsedChat, StreamDelta } from '../spec/index.js';

/** A whole answer that came as one JSON body, and the deltas a stream yields for it. */
export interface JsonStreamAnswer {
  parsed: ParsedChat;
  deltas: StreamDelta[];
}

/**
 * A stream request answered with a JSON body (a gateway that ignored `stream: true`; the transport read and
 * checked it): parsed with the dialect's JSON parser, and turned into the deltas the stream would have
 * carried, one each: the reasoning, the text, then every tool call. A parse failure (e.g. a blocked answer)
 * carries the attempts that got the body.
 */
export function jsonStreamAnswer(
  dialect: ChatDialect,
  data: unknown,
  input: ChatRequestInput,
  attempts: AttemptRecord[],
): JsonStreamAnswer {
  let parsed: ParsedChat;
  try {
    parsed = dialect.parseChatResponse(data, input);
  } catch (error) {
    const failure = LLMError.from(error, 'API_RESPONSE_INVALID');
    failure.attempts ??= attempts;
    throw failure;
  }
  const deltas: StreamDelta[] = [];
  if (parsed.thoughtText != null && parsed.thoughtText !== '') {
    deltas.push({ type: 'reasoning-delta', text: parsed.thoughtText });
  }
  if (parsed.text !== '') deltas.push({ type: 'text-delta', text: parsed.text });
  for (const toolCall of parsed.toolCalls) deltas.push({ type: 'tool-call', toolCall });
  return { parsed, deltas };
}
