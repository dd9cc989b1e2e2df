import type { ChatStreamParser, ParsedChat, StreamDelta } from '../../spec/index.js';
import { isRecord, safeParseJson } from '../../util/safe-json.js';
import { AnthropicAnswer } from './anthropic-answer.js';
import { type AnthropicErrorContext, anthropicBodyError, invalidResponse } from './anthropic-error.js';
import { parseAnthropicResponse } from './anthropic-response.js';
import type { AnthropicUsage } from './anthropic-wire.js';

type Emit = (delta: StreamDelta) => void;

/** A content block between `content_block_start` and `content_block_stop`. */
interface OpenBlock {
  start: Record<string, unknown>;
  /** `text_delta` / `thinking_delta` pieces, joined once when the block stops. */
  pieces: string[];
  /** `input_json_delta` fragments of a `tool_use` / `server_tool_use` block. */
  json: string[];
  citations: Record<string, unknown>[];
  signature: string;
}

/**
 * Parser of a Messages API stream (`event: <type>` + `data: <json>`; the type is read from the JSON, so a
 * missing `event:` line does not matter). `text_delta` → `text-delta`, `thinking_delta` → `reasoning-delta`,
 * `signature_delta` and `citations_delta` are kept on their block, `input_json_delta` fragments become one
 * `tool-call` at `content_block_stop`; other blocks (redacted thinking, server tools) arrive whole and are kept.
 * Usage: `message_start` then the cumulative `message_delta` usage. `ping` and unknown events are ignored.
 * An `error` event (or a bare JSON error after the events) ends the answer with the classified `LLMError`; a
 * stream without `message_stop` is a cut stream (`API_RESPONSE_INVALID`); `stop_reason: "refusal"` →
 * `CONTENT_FILTERED`.
 */
export class AnthropicStreamParser implements ChatStreamParser {
  private readonly answer = new AnthropicAnswer();
  private readonly open = new Map<number, OpenBlock>();
  private usage: AnthropicUsage = {};
  private stopReason: string | undefined;
  private stopSequence: unknown;
  private stopDetails: unknown;
  private stopped = false;
  private received = false;

  constructor(private readonly context: AnthropicErrorContext) {}

  push(data: string, event: string | undefined, emit: Emit): void {
    if (data === '') return;
    const parsed = safeParseJson(data);
    if (!parsed.ok || !isRecord(parsed.value)) {
      if (data.trim() === '') return;
      const excerpt = data.slice(0, 200);
      if (event === 'error') throw invalidResponse(`stream error event: ${excerpt}`, this.context);
      throw invalidResponse('malformed stream event (not a JSON object)', this.context, { chunk: excerpt });
    }
    const value = parsed.value;
    const type = typeof value.type === 'string' ? value.type : event;
    switch (type) {
      case 'message_start':
        if (isRecord(value.message) && isRecord(value.message.usage)) this.mergeUsage(value.message.usage);
        return;
      case 'content_block_start':
        this.startBlock(value, emit);
        return;
      case 'content_block_delta':
        this.delta(value, emit);
        return;
      case 'content_block_stop':
        if (typeof value.index === 'number') this.stopBlock(value.index, emit);
        return;
      case 'message_delta':
        if (isRecord(value.delta)) {
          if (typeof value.delta.stop_reason === 'string') this.stopReason = value.delta.stop_reason;
          if (value.delta.stop_sequence != null) this.stopSequence = value.delta.stop_sequence;
          if (value.delta.stop_details != null) this.stopDetails = value.delta.stop_details;
        }
        if (isRecord(value.usage)) this.mergeUsage(value.usage);
        return;
      case 'message_stop':
        this.stopped = true;
        return;
      case 'error':
        throw (
          anthropicBodyError(value, this.context) ??
          invalidResponse(`stream error event: ${data.slice(0, 200)}`, this.context)
        );
      default:
        // `ping` and event types newer than this parser.
        return;
    }
  }

  finish(trailing: string): ParsedChat {
    const rest = trailing.trim();
    if (rest !== '') {
      const error = anthropicBodyError(rest, this.context);
      if (error != null) throw error;
      // A whole JSON answer served instead of SSE.
      const parsed = safeParseJson(rest);
      if (!this.received && parsed.ok && isRecord(parsed.value) && Array.isArray(parsed.value.content)) {
        return parseAnthropicResponse(parsed.value, this.context);
      }
    }
    if (!this.stopped) {
      throw invalidResponse('stream ended without message_stop (cut off?)', this.context, {
        receivedText: this.received,
      });
    }
    for (const index of [...this.open.keys()]) this.stopBlock(index);
    return this.answer.build(
      this.stopReason,
      this.usage,
      { stopSequence: this.stopSequence, stopDetails: this.stopDetails },
      this.context,
    );
  }

  private mergeUsage(usage: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(usage)) {
      if (typeof value === 'number' || (key === 'output_tokens_details' && isRecord(value))) {
        (this.usage as Record<string, unknown>)[key] = value;
      }
    }
  }

  private startBlock(value: Record<string, unknown>, emit: Emit): void {
    if (typeof value.index !== 'number' || !isRecord(value.content_block)) return;
    const start = value.content_block;
    const block = this.openBlock(value.index, start);
    if (start.type === 'text' && typeof start.text === 'string' && start.text !== '') {
      this.text(block, start.text, emit);
    } else if (start.type === 'thinking' && typeof start.thinking === 'string' && start.thinking !== '') {
      this.thinking(block, start.thinking, emit);
    }
  }

  private openBlock(index: number, start: Record<string, unknown>): OpenBlock {
    const block: OpenBlock = { start, pieces: [], json: [], citations: [], signature: '' };
    if (typeof start.signature === 'string') block.signature = start.signature;
    this.open.set(index, block);
    this.received = true;
    return block;
  }

  private delta(value: Record<string, unknown>, emit: Emit): void {
    const delta = value.delta;
    if (typeof value.index !== 'number' || !isRecord(delta)) return;
    // A delta without its `content_block_start` (seen in a recorded stream's tail): open the block it implies.
    const block =
      this.open.get(value.index) ??
      this.openBlock(value.index, { type: delta.type === 'thinking_delta' ? 'thinking' : 'text' });
    switch (delta.type) {
      case 'text_delta':
        if (typeof delta.text === 'string') this.text(block, delta.text, emit);
        return;
      case 'thinking_delta':
        if (typeof delta.thinking === 'string') this.thinking(block, delta.thinking, emit);
        return;
      case 'signature_delta':
        if (typeof delta.signature === 'string') block.signature += delta.signature;
        return;
      case 'input_json_delta':
        if (typeof delta.partial_json === 'string') block.json.push(delta.partial_json);
        return;
      case 'citations_delta':
        if (isRecord(delta.citation)) block.citations.push(delta.citation);
        return;
      default:
        return;
    }
  }

  private text(block: OpenBlock, text: string, emit: Emit): void {
    block.pieces.push(text);
    if (text !== '') emit({ type: 'text-delta', text });
  }

  private thinking(block: OpenBlock, text: string, emit: Emit): void {
    block.pieces.push(text);
    if (text !== '') emit({ type: 'reasoning-delta', text });
  }

  private stopBlock(index: number, emit?: Emit): void {
    const block = this.open.get(index);
    if (block == null) return;
    this.open.delete(index);
    const start = block.start;
    switch (start.type) {
      case 'text': {
        const citations = Array.isArray(start.citations)
          ? [...start.citations, ...block.citations]
          : block.citations;
        const text: Record<string, unknown> = { ...start, text: block.pieces.join('') };
        if (citations.length > 0) text.citations = citations;
        this.answer.add(text);
        return;
      }
      case 'thinking':
        this.answer.add({ ...start, thinking: block.pieces.join(''), signature: block.signature });
        return;
      case 'tool_use': {
        const call = this.answer.add(start, block.json.join(''));
        if (call != null) emit?.({ type: 'tool-call', toolCall: call });
        return;
      }
      default: {
        const raw = block.json.join('');
        const input = raw.trim() === '' ? undefined : safeParseJson(raw);
        this.answer.add(input?.ok === true ? { ...start, input: input.value } : start);
      }
    }
  }
}
