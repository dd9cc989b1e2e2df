import type { LLMMessage, LLMResponse } from '../spec/index.js';

/**
 * A copy of `messages` with `text` added to the system prompt: appended (blank-line separated) to a
 * leading system message, else as a new first message. The caller's messages are never mutated.
 */
export function withSystemText(messages: readonly LLMMessage[], text: string): LLMMessage[] {
  const out = [...messages];
  if (text === '') return out;
  const first = out[0];
  if (first?.role !== 'system') {
    out.unshift({ role: 'system', content: text });
  } else if (typeof first.content === 'string') {
    out[0] = { ...first, content: first.content === '' ? text : `${first.content}\n\n${text}` };
  } else {
    out[0] = { ...first, content: [...first.content, { type: 'text', text }] };
  }
  return out;
}

/**
 * The model's answer as an assistant turn for a re-ask: `response.message` (keeping thought signatures and
 * `model`), with its tool calls only when `keepToolCalls`; `undefined` when the answer was empty.
 */
export function assistantTurn(response: LLMResponse, keepToolCalls: boolean): LLMMessage | undefined {
  const message: LLMMessage =
    response.message?.role === 'assistant' ? response.message : { role: 'assistant', content: response.text };
  const { toolCalls, ...rest } = message;
  const calls = keepToolCalls && toolCalls != null && toolCalls.length > 0 ? toolCalls : undefined;
  const content = rest.content;
  const empty = typeof content === 'string' ? content.trim() === '' : content.length === 0;
  if (calls != null) return { ...rest, toolCalls: calls };
  if (empty) return undefined;
  return rest;
}
