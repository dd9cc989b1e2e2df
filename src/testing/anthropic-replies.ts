import type { FakeToolCall } from './openai-replies.js';
import { countWords } from './openai-replies.js';
import { copyCommon, copyFaults } from './reply-options.js';
import type { JsonReply, ReplyCommon, SseFaults, SseReply } from './reply-types.js';
import { type SpecialSseItem, sseEvent } from './sse-items.js';

/**
 * An Anthropic content block, e.g. `{ type: 'text', text: 'hi' }`, `{ type: 'thinking', thinking: '…', signature:
 * 'sig' }`, `{ type: 'redacted_thinking', data: '…' }`, `{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }`
 * or a server-tool block (`server_tool_use`, `web_search_tool_result`, …).
 */
export type AnthropicBlock = { type: string } & Record<string, unknown>;

/** Token counts of a built Anthropic answer; defaults: input 10, output = words of the text blocks, caches 0. */
export interface AnthropicFakeUsage {
  inputTokens?: number;
  outputTokens?: number;
  /** `cache_read_input_tokens`. */
  cacheReadTokens?: number;
  /** `cache_creation_input_tokens`. */
  cacheCreationTokens?: number;
  /** `output_tokens_details.thinking_tokens` (part of the output tokens); absent by default. */
  thinkingTokens?: number;
}

/** Options of the Anthropic builders. */
export interface AnthropicReplyOptions extends ReplyCommon {
  /** `model` field of the answer. Default `'fake-model'`. */
  model?: string;
  /** `stop_reason`. Default `'tool_use'` when a `tool_use` block is present, else `'end_turn'`. */
  stopReason?: string;
  usage?: AnthropicFakeUsage;
  /** Message id. Default `'msg_fake'`. */
  id?: string;
}

/** Options of `anthropicStreamReply`. */
export interface AnthropicStreamOptions extends AnthropicReplyOptions, SseFaults {
  /**
   * End the stream with an `event: error` (Anthropic's in-stream failure, e.g. `overloaded_error`) after
   * `afterEvents` events (default: after the content blocks), instead of `message_delta` and `message_stop`.
   */
  error?: { type: string; message: string; afterEvents?: number };
}

function blocksOf(content: string | readonly AnthropicBlock[]): AnthropicBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : [...content];
}

function textOf(blocks: readonly AnthropicBlock[]): string {
  return blocks
    .map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .join('');
}

function usageOf(usage: AnthropicFakeUsage | undefined, answer: string) {
  return {
    input_tokens: usage?.inputTokens ?? 10,
    cache_creation_input_tokens: usage?.cacheCreationTokens ?? 0,
    cache_read_input_tokens: usage?.cacheReadTokens ?? 0,
    output_tokens: usage?.outputTokens ?? countWords(answer),
    ...(usage?.thinkingTokens != null
      ? { output_tokens_details: { thinking_tokens: usage.thinkingTokens } }
      : {}),
    service_tier: 'standard',
  };
}

function stopReasonOf(blocks: readonly AnthropicBlock[], options: AnthropicReplyOptions): string {
  return options.stopReason ?? (blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
}

/**
 * A Messages API answer (`POST /v1/messages`): a message with the given text or content blocks.
 * @example fake.enqueue(anthropicMessageReply('Paris'))
 * @example anthropicMessageReply([{ type: 'thinking', thinking: 'Hmm.', signature: 'sig-1' }, { type: 'text', text: '4' }])
 */
export function anthropicMessageReply(
  content: string | readonly AnthropicBlock[],
  options: AnthropicReplyOptions = {},
): JsonReply {
  const blocks = blocksOf(content);
  const json = {
    model: options.model ?? 'fake-model',
    id: options.id ?? 'msg_fake',
    type: 'message',
    role: 'assistant',
    content: blocks,
    stop_reason: stopReasonOf(blocks, options),
    stop_sequence: null,
    usage: usageOf(options.usage, textOf(blocks)),
  };
  return { ...copyCommon(options), json };
}

/**
 * A Messages API answer that calls tools: one `tool_use` block per call, `stop_reason: 'tool_use'`.
 * @example anthropicToolUseReply([{ name: 'get_weather', arguments: { city: 'Paris' } }])
 */
export function anthropicToolUseReply(
  calls: readonly FakeToolCall[],
  options: AnthropicReplyOptions = {},
): JsonReply {
  return anthropicMessageReply(calls.map(toolUseBlock), options);
}

function toolUseBlock(call: FakeToolCall, index: number): AnthropicBlock {
  const input =
    typeof call.arguments === 'string' ? (JSON.parse(call.arguments) as unknown) : (call.arguments ?? {});
  return { type: 'tool_use', id: call.id ?? `toolu_fake_${index + 1}`, name: call.name, input };
}

/** The events of one streamed content block, as the API sends them. */
function blockEvents(block: AnthropicBlock, index: number, deltas: readonly string[]): SpecialSseItem[] {
  const event = (type: string, fields: object) => sseEvent(type, { type, index, ...fields });
  const delta = (fields: object) => event('content_block_delta', { delta: fields });
  const events: SpecialSseItem[] = [];
  switch (block.type) {
    case 'text': {
      const citations = Array.isArray(block.citations) ? block.citations : [];
      const start =
        citations.length > 0 ? { type: 'text', text: '', citations: [] } : { type: 'text', text: '' };
      events.push(event('content_block_start', { content_block: start }));
      for (const citation of citations) events.push(delta({ type: 'citations_delta', citation }));
      for (const text of deltas) events.push(delta({ type: 'text_delta', text }));
      break;
    }
    case 'thinking':
      events.push(
        event('content_block_start', { content_block: { type: 'thinking', thinking: '', signature: '' } }),
      );
      events.push(delta({ type: 'thinking_delta', thinking: String(block.thinking ?? '') }));
      events.push(delta({ type: 'signature_delta', signature: String(block.signature ?? '') }));
      break;
    case 'tool_use': {
      const json = JSON.stringify(block.input ?? {});
      const half = Math.ceil(json.length / 2);
      events.push(event('content_block_start', { content_block: { ...block, input: {} } }));
      for (const partial of ['', json.slice(0, half), json.slice(half)]) {
        events.push(delta({ type: 'input_json_delta', partial_json: partial }));
      }
      break;
    }
    default:
      // Redacted thinking and server-tool results arrive whole.
      events.push(event('content_block_start', { content_block: block }));
  }
  events.push(event('content_block_stop', {}));
  return events;
}

/**
 * A streamed Messages API answer (`stream: true`): `message_start`, `ping`, the content blocks, `message_delta`
 * (stop reason, usage), `message_stop`, framed `event: <type>\ndata: <json>\n\n`. Consecutive strings are the
 * `text_delta`s of one text block; a block object is streamed as the API streams it (thinking + signature
 * deltas, tool input as `input_json_delta` fragments, other blocks whole). With `error`, the stream ends with an
 * `event: error` instead.
 * @example anthropicStreamReply(['Hel', 'lo'])
 * @example anthropicStreamReply(['Par'], { error: { type: 'overloaded_error', message: 'Overloaded' } })
 */
export function anthropicStreamReply(
  deltas: readonly (string | AnthropicBlock)[],
  options: AnthropicStreamOptions = {},
): SseReply {
  const blocks: AnthropicBlock[] = [];
  const events: SpecialSseItem[] = [];
  let pending: string[] = [];
  const flushText = () => {
    if (pending.length === 0) return;
    blocks.push({ type: 'text', text: pending.join('') });
    events.push(...blockEvents({ type: 'text' }, blocks.length - 1, pending));
    pending = [];
  };
  for (const delta of deltas) {
    if (typeof delta === 'string') pending.push(delta);
    else {
      flushText();
      blocks.push(delta);
      const texts = delta.type === 'text' && typeof delta.text === 'string' ? [delta.text] : [];
      events.push(...blockEvents(delta, blocks.length - 1, texts));
    }
  }
  flushText();
  const usage = usageOf(options.usage, textOf(blocks));
  const start = {
    type: 'message_start',
    message: {
      model: options.model ?? 'fake-model',
      id: options.id ?? 'msg_fake',
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  };
  const all: SpecialSseItem[] = [
    sseEvent('message_start', start),
    sseEvent('ping', { type: 'ping' }),
    ...events,
  ];
  if (options.error != null) {
    const at = Math.min(options.error.afterEvents ?? all.length, all.length);
    all.splice(at, all.length - at, anthropicErrorEvent(options.error.type, options.error.message));
  } else {
    const stop = { stop_reason: stopReasonOf(blocks, options), stop_sequence: null };
    all.push(sseEvent('message_delta', { type: 'message_delta', delta: stop, usage }));
    all.push(sseEvent('message_stop', { type: 'message_stop' }));
  }
  return { ...copyCommon(options), ...copyFaults(options), sse: all, framing: 'lf', done: false };
}

/**
 * An `event: error` stream item, as the API sends mid-stream (HTTP 200 already sent).
 * @example fake.enqueue({ sse: [anthropicErrorEvent('overloaded_error', 'Overloaded')] })
 */
export function anthropicErrorEvent(type: string, message: string): SpecialSseItem {
  return sseEvent('error', { type: 'error', error: { type, message } });
}

/**
 * An Anthropic error answer: `{ type: 'error', error: { type, message }, request_id }` with `status`.
 * @example anthropicErrorReply(529, 'overloaded_error', 'Overloaded')
 * @example anthropicErrorReply(400, 'invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum')
 */
export function anthropicErrorReply(
  status: number,
  type: string,
  message: string,
  options?: ReplyCommon,
): JsonReply {
  return {
    ...copyCommon(options),
    status,
    json: { type: 'error', error: { type, message }, request_id: 'req_fake' },
  };
}
