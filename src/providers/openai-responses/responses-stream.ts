import { bodyPreview } from '../../errors/body-preview.js';
import type { ChatStreamParser, ParsedChat, StreamDelta } from '../../spec/index.js';
import { isRecord, safeParseJson } from '../../util/safe-json.js';
import { invalidResponse, llmErrorFromBody } from './responses-error.js';
import {
  addOutputItem,
  emptyAnswer,
  finishAnswer,
  type ResponsesParseContext,
  toolCallOf,
} from './responses-response.js';

type Emit = (delta: StreamDelta) => void;
type Event = Record<string, unknown>;

/** One output item as it streams in; text arrives as pieces, joined once at the end. */
type StreamItem =
  | { kind: 'message'; index: number; pieces: string[]; refusals: string[] }
  | { kind: 'reasoning'; index: number; summaries: string[][] }
  | {
      kind: 'function_call';
      index: number;
      callId?: string;
      name?: string;
      args: string[];
      emitted: boolean;
    };

/**
 * Reads the typed SSE events of a streamed Responses answer (`ResponseStreamEvent`):
 * `response.output_text.delta` → text-delta, `response.reasoning_summary_text.delta` → reasoning-delta,
 * a function call → one tool-call once its arguments are complete, `response.completed` /
 * `response.incomplete` → the end (usage, finish reason). `error` and `response.failed` events throw;
 * a stream without `response.completed`/`response.incomplete` ends with `API_RESPONSE_INVALID`.
 */
export class ResponsesStreamParser implements ChatStreamParser {
  private readonly items = new Map<string, StreamItem>();
  private final: Record<string, unknown> | undefined;

  constructor(private readonly context: ResponsesParseContext = {}) {}

  push(data: string, event: string | undefined, emit: Emit): void {
    if (data === '[DONE]' || data.trim() === '') return;
    const parsed = safeParseJson(data);
    if (!parsed.ok || !isRecord(parsed.value)) {
      throw invalidResponse(`unparsable stream event: ${bodyPreview(data, 200)}`, this.context);
    }
    const value = parsed.value;
    const type = typeof value.type === 'string' ? value.type : event;
    switch (type) {
      case 'error':
        throw this.errorOf(isRecord(value.error) ? value.error : value, 'the stream reported an error');
      case 'response.failed': {
        const response = isRecord(value.response) ? value.response : {};
        throw this.errorOf(response.error, 'the response failed');
      }
      case 'response.completed':
      case 'response.incomplete':
        if (isRecord(value.response)) this.final = value.response;
        else throw invalidResponse(`${type} event without a response object`, this.context);
        return;
      case 'response.output_item.added':
      case 'response.output_item.done':
        this.onItem(value, type === 'response.output_item.done', emit);
        return;
      case 'response.output_text.delta':
        this.onText(value, value.delta, false, emit);
        return;
      case 'response.output_text.done':
        this.onText(value, value.text, true, emit);
        return;
      case 'response.refusal.done':
        if (typeof value.refusal === 'string') this.message(value).refusals.push(value.refusal);
        return;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        this.onReasoning(value, value.delta, false, emit);
        return;
      case 'response.reasoning_summary_text.done':
        this.onReasoning(value, value.text, true, emit);
        return;
      case 'response.function_call_arguments.delta': {
        const call = this.call(value);
        if (typeof value.delta === 'string') call.args.push(value.delta);
        return;
      }
      case 'response.function_call_arguments.done': {
        const call = this.call(value);
        if (typeof value.arguments === 'string') call.args = [value.arguments];
        if (typeof value.name === 'string') call.name ??= value.name;
        this.emitCall(call, emit);
        return;
      }
      default:
        if (value.error != null && type == null)
          throw this.errorOf(value.error, 'the stream reported an error');
    }
  }

  finish(trailing: string): ParsedChat {
    if (trailing.trim() !== '') {
      const parsed = safeParseJson(trailing.trim());
      const error = parsed.ok ? llmErrorFromBody(parsed.value, this.context) : undefined;
      if (error != null) throw error;
    }
    const final = this.final;
    if (final == null) {
      throw invalidResponse('the stream ended without response.completed (truncated answer)', this.context);
    }
    const answer = emptyAnswer();
    if (this.items.size === 0 && Array.isArray(final.output)) {
      for (const item of final.output) addOutputItem(answer, item, this.context.strictOptionalPaths);
      return finishAnswer(answer, final, this.context);
    }
    const ordered = [...this.items.values()].sort((a, b) => a.index - b.index);
    for (const item of ordered) {
      switch (item.kind) {
        case 'message': {
          const text = item.pieces.join('');
          if (text !== '') answer.parts.push({ type: 'text', text });
          answer.refusals.push(...item.refusals);
          break;
        }
        case 'reasoning':
          for (const pieces of item.summaries) {
            const text = pieces.join('');
            if (text !== '') answer.parts.push({ type: 'thought', text });
          }
          break;
        case 'function_call': {
          const call = toolCallOf(
            item.callId,
            item.name,
            item.args.join(''),
            this.context.strictOptionalPaths,
          );
          if (call != null) answer.toolCalls.push(call);
          else answer.warnings.push('a streamed function call without call_id or name was skipped');
          break;
        }
        default: {
          const unreachable: never = item;
          return unreachable;
        }
      }
    }
    return finishAnswer(answer, final, this.context);
  }

  private errorOf(error: unknown, fallback: string) {
    return (
      llmErrorFromBody({ error }, this.context) ??
      invalidResponse(
        `${fallback}${isRecord(error) && typeof error.message === 'string' ? `: ${error.message}` : ''}`,
        this.context,
      )
    );
  }

  /** `output_item.added` registers an item; `output_item.done` completes what deltas did not bring. */
  private onItem(value: Event, done: boolean, emit: Emit): void {
    const item = value.item;
    if (!isRecord(item) || typeof item.id !== 'string') return;
    const ref = { item_id: item.id, output_index: value.output_index };
    switch (item.type) {
      case 'message': {
        const message = this.message(ref);
        if (!done || !Array.isArray(item.content)) return;
        const streamed = message.pieces.length > 0;
        for (const content of item.content) {
          if (isRecord(content) && content.type === 'output_text' && typeof content.text === 'string') {
            if (!streamed) this.onText(ref, content.text, false, emit);
          } else if (isRecord(content) && content.type === 'refusal' && typeof content.refusal === 'string') {
            if (!message.refusals.includes(content.refusal)) message.refusals.push(content.refusal);
          }
        }
        return;
      }
      case 'reasoning': {
        const reasoning = this.reasoning(ref);
        if (!done || reasoning.summaries.length > 0 || !Array.isArray(item.summary)) return;
        item.summary.forEach((summary, index) => {
          if (isRecord(summary) && typeof summary.text === 'string') {
            this.onReasoning({ ...ref, summary_index: index }, summary.text, true, emit);
          }
        });
        return;
      }
      case 'function_call': {
        const call = this.call(ref);
        if (typeof item.call_id === 'string') call.callId = item.call_id;
        if (typeof item.name === 'string') call.name = item.name;
        if (done && typeof item.arguments === 'string') call.args = [item.arguments];
        if (done) this.emitCall(call, emit);
        return;
      }
      default:
    }
  }

  /** A text delta, or a `.done` text used only when no delta of that item came before. */
  private onText(ref: Event, text: unknown, done: boolean, emit: Emit): void {
    if (typeof text !== 'string' || text === '') return;
    const message = this.message(ref);
    if (done && message.pieces.length > 0) return;
    message.pieces.push(text);
    emit({ type: 'text-delta', text });
  }

  private onReasoning(ref: Event, text: unknown, done: boolean, emit: Emit): void {
    if (typeof text !== 'string' || text === '') return;
    const reasoning = this.reasoning(ref);
    const index = typeof ref.summary_index === 'number' ? ref.summary_index : 0;
    while (reasoning.summaries.length <= index) reasoning.summaries.push([]);
    const pieces = reasoning.summaries[index]!;
    if (done && pieces.length > 0) return;
    pieces.push(text);
    emit({ type: 'reasoning-delta', text });
  }

  private emitCall(call: Extract<StreamItem, { kind: 'function_call' }>, emit: Emit): void {
    if (call.emitted) return;
    const toolCall = toolCallOf(call.callId, call.name, call.args.join(''), this.context.strictOptionalPaths);
    if (toolCall == null) return;
    call.emitted = true;
    emit({ type: 'tool-call', toolCall });
  }

  private message(ref: Event) {
    return this.item(ref, 'message', (index) => ({ kind: 'message', index, pieces: [], refusals: [] }));
  }

  private reasoning(ref: Event) {
    return this.item(ref, 'reasoning', (index) => ({ kind: 'reasoning', index, summaries: [] }));
  }

  private call(ref: Event) {
    return this.item(ref, 'function_call', (index) => ({
      kind: 'function_call',
      index,
      args: [],
      emitted: false,
    }));
  }

  /** The item an event refers to (by `item_id`, else `output_index`), created on first sight. */
  private item<K extends StreamItem['kind']>(
    ref: Event,
    kind: K,
    create: (index: number) => Extract<StreamItem, { kind: K }>,
  ): Extract<StreamItem, { kind: K }> {
    const index = typeof ref.output_index === 'number' ? ref.output_index : this.items.size;
    const key = typeof ref.item_id === 'string' ? ref.item_id : `#${index}`;
    const existing = this.items.get(key);
    if (existing?.kind === kind) return existing as Extract<StreamItem, { kind: K }>;
    const created = create(index);
    this.items.set(key, created);
    return created;
  }
}
