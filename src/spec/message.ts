import type { LLMContentPart } from './content-part.js';

/** Who wrote a message. `tool` messages carry the result of one tool call. */
export type LLMRole = 'system' | 'user' | 'assistant' | 'tool';

/**
 * One conversation turn, provider-neutral.
 *
 * @example { role: 'user', content: 'Hello' }
 * @example { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' }] }
 * @example { role: 'tool', toolCallId: 'call_1', name: 'get_weather', content: '{"tempC":21}' }
 */
export interface LLMMessage {
  role: LLMRole;
  content: string | LLMContentPart[];
  /** Assistant only: the tool calls the model made in this turn. */
  toolCalls?: LLMToolCall[];
  /** Tool only: the id of the call this message answers. */
  toolCallId?: string;
  /** Tool only: the name of the tool that ran. */
  name?: string;
  /**
   * Assistant only: `"Provider/model"` that produced this turn. Reasoning artefacts (thought
   * signatures) are replayed only to that provider; a message without `model` keeps them.
   */
  model?: string;
}

/** A function call requested by the model. */
export interface LLMToolCall {
  /** Provider id, or a generated unique id when the provider sends none (Gemini, some gateways). */
  id: string;
  name: string;
  /** Parsed (and, where possible, repaired) arguments; `{}` when they could not be parsed. */
  arguments: Record<string, unknown>;
  /** Arguments exactly as the provider sent them. */
  rawArguments: string;
  /** Gemini signature that came with the call; replayed on the same part. */
  thoughtSignature?: string;
}

/** What `chat`, `stream` and `generateStructured` accept as one user turn. */
export type MessageInput = string | LLMMessage | LLMContentPart[];
