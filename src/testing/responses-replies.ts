import type { FakeToolCall } from './openai-replies.js';
import { countWords } from './openai-replies.js';
import { copyCommon, copyFaults } from './reply-options.js';
import type { JsonReply, ReplyCommon, SseFaults, SseReply } from './reply-types.js';
import { type SpecialSseItem, sseEvent } from './sse-items.js';

/** Token counts of a built Responses answer; defaults: input 10, output = words of the text, details 0. */
export interface ResponsesFakeUsage {
  inputTokens?: number;
  outputTokens?: number;
  /** `input_tokens_details.cached_tokens` (part of the input tokens). */
  cachedTokens?: number;
  /** `output_tokens_details.reasoning_tokens` (part of the output tokens). */
  reasoningTokens?: number;
}

/** Options of the Responses API builders. */
export interface ResponsesReplyOptions extends ReplyCommon {
  /** `model` of the answer. Default `'fake-model'`. */
  model?: string;
  /** Response id. Default `'resp_fake'`. */
  id?: string;
  usage?: ResponsesFakeUsage;
}

/** Options of the streamed Responses builders. */
export interface ResponsesStreamOptions extends ResponsesReplyOptions, SseFaults {}

type Item = Record<string, unknown>;

function usageOf(usage: ResponsesFakeUsage | undefined, text: string) {
  const input = usage?.inputTokens ?? 10;
  const output = usage?.outputTokens ?? countWords(text);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.cachedTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}

function responseObject(output: Item[], text: string, options: ResponsesReplyOptions, completed: boolean) {
  return {
    id: options.id ?? 'resp_fake',
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: completed ? 'completed' : 'in_progress',
    error: null,
    incomplete_details: null,
    model: options.model ?? 'fake-model',
    output: completed ? output : [],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: completed ? usageOf(options.usage, text) : null,
  };
}

function messageItem(text: string, status: string): Item {
  const content = status === 'completed' ? [{ type: 'output_text', text, annotations: [] }] : [];
  return { id: 'msg_fake', type: 'message', status, role: 'assistant', content };
}

function functionCallItem(call: FakeToolCall, index: number, done: boolean): Item {
  const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
  return {
    id: `fc_fake_${index + 1}`,
    type: 'function_call',
    status: done ? 'completed' : 'in_progress',
    call_id: call.id ?? `call_fake_${index + 1}`,
    name: call.name,
    arguments: done ? args : '',
  };
}

/**
 * A Responses API answer (`POST /v1/responses`): one message item with the text, `status: 'completed'`, usage.
 * @example fake.enqueue(responsesReply('Paris'))
 */
export function responsesReply(text: string, options: ResponsesReplyOptions = {}): JsonReply {
  return {
    ...copyCommon(options),
    json: responseObject([messageItem(text, 'completed')], text, options, true),
  };
}

/**
 * A Responses API answer that calls tools: one `function_call` item per call (id = `call_id`).
 * @example responsesToolCallReply([{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_1' }])
 */
export function responsesToolCallReply(
  calls: readonly FakeToolCall[],
  options: ResponsesReplyOptions = {},
): JsonReply {
  const output = calls.map((call, index) => functionCallItem(call, index, true));
  return { ...copyCommon(options), json: responseObject(output, '', options, true) };
}

/** Collects typed events with their `sequence_number`. */
class EventList {
  readonly items: SpecialSseItem[] = [];
  add(type: string, fields: object): void {
    this.items.push(sseEvent(type, { type, sequence_number: this.items.length, ...fields }));
  }
}

function opening(events: EventList, options: ResponsesReplyOptions): void {
  events.add('response.created', { response: responseObject([], '', options, false) });
  events.add('response.in_progress', { response: responseObject([], '', options, false) });
}

function sse(events: EventList, options: ResponsesStreamOptions): SseReply {
  return { ...copyCommon(options), ...copyFaults(options), sse: events.items, framing: 'lf', done: false };
}

/**
 * A streamed Responses answer (named events): `response.created`, `response.in_progress`, the message item and
 * its content part, one `response.output_text.delta` per delta (events 4 … 3 + deltas), then the `.done` events
 * and `response.completed` (the end marker) with usage.
 * @example responsesStreamReply(['Hel', 'lo'], { cutAfter: 6 })
 */
export function responsesStreamReply(
  deltas: readonly string[],
  options: ResponsesStreamOptions = {},
): SseReply {
  const text = deltas.join('');
  const events = new EventList();
  const at = { item_id: 'msg_fake', output_index: 0, content_index: 0 };
  const part = (partText: string) => ({ type: 'output_text', text: partText, annotations: [] });
  opening(events, options);
  events.add('response.output_item.added', { output_index: 0, item: messageItem(text, 'in_progress') });
  events.add('response.content_part.added', { ...at, part: part('') });
  for (const delta of deltas) events.add('response.output_text.delta', { ...at, delta, logprobs: [] });
  events.add('response.output_text.done', { ...at, text, logprobs: [] });
  events.add('response.content_part.done', { ...at, part: part(text) });
  events.add('response.output_item.done', { output_index: 0, item: messageItem(text, 'completed') });
  const output = [messageItem(text, 'completed')];
  events.add('response.completed', { response: responseObject(output, text, options, true) });
  return sse(events, options);
}

/**
 * A streamed Responses answer that calls tools: per call `output_item.added`, two
 * `function_call_arguments.delta` halves, `function_call_arguments.done` and `output_item.done`; then
 * `response.completed`.
 */
export function responsesToolCallStreamReply(
  calls: readonly FakeToolCall[],
  options: ResponsesStreamOptions = {},
): SseReply {
  const events = new EventList();
  opening(events, options);
  calls.forEach((call, index) => {
    const done = functionCallItem(call, index, true);
    const args = String(done.arguments);
    const half = Math.floor(args.length / 2);
    const at = { item_id: done.id, output_index: index };
    events.add('response.output_item.added', {
      output_index: index,
      item: functionCallItem(call, index, false),
    });
    for (const delta of [args.slice(0, half), args.slice(half)]) {
      events.add('response.function_call_arguments.delta', { ...at, delta });
    }
    events.add('response.function_call_arguments.done', { ...at, arguments: args });
    events.add('response.output_item.done', { output_index: index, item: done });
  });
  const output = calls.map((call, index) => functionCallItem(call, index, true));
  events.add('response.completed', { response: responseObject(output, '', options, true) });
  return sse(events, options);
}

/**
 * An `error` event of a Responses stream, as the API sends mid-stream.
 * @example { sse: [responsesErrorEvent('server_error', 'The server had an error')] }
 */
export function responsesErrorEvent(code: string, message: string): SpecialSseItem {
  return sseEvent('error', { type: 'error', code, message, param: null });
}
