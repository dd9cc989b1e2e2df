import { countWords } from './openai-replies.js';
import type { JsonReply, SseReply } from './reply-types.js';
import { splitDeltas } from './request-text.js';
import { type SpecialSseItem, sseEvent } from './sse-items.js';

function responseObject(id: string, model: string, text: string, prompt: string, completed: boolean) {
  const input = Math.max(1, countWords(prompt));
  const output = countWords(text);
  return {
    id: `resp_${id}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: completed ? 'completed' : 'in_progress',
    error: null,
    incomplete_details: null,
    model,
    output: completed ? [messageItem(id, text, 'completed')] : [],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: completed
      ? {
          input_tokens: input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: output,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: input + output,
        }
      : null,
  };
}

function messageItem(id: string, text: string, status: string) {
  const content = status === 'completed' ? [{ type: 'output_text', text, annotations: [] }] : [];
  return { id: `msg_${id}`, type: 'message', status, role: 'assistant', content };
}

/** Automatic `POST /v1/responses` answer (Responses API), JSON or named SSE events ending with `response.completed`. */
export function responsesReply(
  id: string,
  model: string,
  text: string,
  prompt: string,
  stream: boolean,
): JsonReply | SseReply {
  if (!stream) return { json: responseObject(id, model, text, prompt, true) };
  const itemId = `msg_${id}`;
  const events: SpecialSseItem[] = [];
  const emit = (type: string, fields: object) =>
    events.push(sseEvent(type, { type, sequence_number: events.length, ...fields }));
  const part = (partText: string) => ({ type: 'output_text', text: partText, annotations: [] });
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  emit('response.created', { response: responseObject(id, model, text, prompt, false) });
  emit('response.in_progress', { response: responseObject(id, model, text, prompt, false) });
  emit('response.output_item.added', { output_index: 0, item: messageItem(id, text, 'in_progress') });
  emit('response.content_part.added', { ...at, part: part('') });
  for (const delta of splitDeltas(text)) emit('response.output_text.delta', { ...at, delta, logprobs: [] });
  emit('response.output_text.done', { ...at, text, logprobs: [] });
  emit('response.content_part.done', { ...at, part: part(text) });
  emit('response.output_item.done', { output_index: 0, item: messageItem(id, text, 'completed') });
  emit('response.completed', { response: responseObject(id, model, text, prompt, true) });
  return { sse: events, framing: 'lf', done: false };
}
