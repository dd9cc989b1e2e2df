import { bodyPreview } from '../../errors/body-preview.js';
import type { ChatStreamParser, LLMToolCall, LLMUsage, ParsedChat, StreamDelta } from '../../spec/index.js';
import { isRecord, safeParseJson } from '../../util/safe-json.js';
import { errorFromOpenAIBody, invalidResponse } from './openai-error.js';
import {
  assembleOpenAIAnswer,
  assignMessageSignature,
  imageFromUrl,
  makeToolCall,
  type OpenAIAnswer,
  type OpenAIParseContext,
  parseOpenAIChatResponse,
  parseOpenAIUsage,
  restoreStrictToolArguments,
} from './openai-response.js';
import type { OpenAIWireMessage, OpenAIWireToolCallIn } from './openai-wire.js';

interface PendingToolCall {
  id: string;
  name: string;
  argumentPieces: string[];
  thoughtSignature?: string;
  done: boolean;
}

const noEmit = () => {};

/**
 * Incremental parser of a streamed chat completion. One event per provider delta (reasoning before
 * text); tool calls are assembled by `index` and emitted when complete (at `finish_reason` or
 * `[DONE]`). A stream needs `[DONE]` or a finish reason to count as complete.
 */
export class OpenAIStreamParser implements ChatStreamParser {
  private readonly textPieces: string[] = [];
  private readonly thoughtPieces: string[] = [];
  private readonly refusalPieces: string[] = [];
  private readonly pending = new Map<number, PendingToolCall>();
  private readonly toolCalls: LLMToolCall[] = [];
  private readonly images: OpenAIAnswer['images'] = [];
  private readonly warnings: string[] = [];
  private rawFinishReason: string | undefined;
  private usage: LLMUsage | undefined;
  private messageSignature: string | undefined;
  private sawDone = false;
  private sawChunk = false;

  constructor(private readonly context: OpenAIParseContext) {}

  push(data: string, event: string | undefined, emit: (delta: StreamDelta) => void): void {
    if (data === '[DONE]') {
      this.sawDone = true;
      this.flushToolCalls(emit);
      return;
    }
    const parsed = safeParseJson(data);
    if (!parsed.ok) {
      throw invalidResponse(`${this.context.provider} sent a malformed stream chunk`, this.context, {
        chunk: bodyPreview(data, 500),
      });
    }
    const chunk = parsed.value;
    // Cheap guard first: ordinary chunks carry no `error` key.
    if (!isRecord(chunk) || chunk.error != null || event === 'error') {
      const error = errorFromOpenAIBody(chunk, this.context);
      if (error !== undefined) throw error;
    }
    if (event === 'error') {
      throw invalidResponse(`${this.context.provider} sent an error event`, this.context, {
        chunk: bodyPreview(data, 500),
      });
    }
    if (!isRecord(chunk)) return;
    this.sawChunk = true;
    if (isRecord(chunk.usage)) this.usage = parseOpenAIUsage(chunk.usage);
    if (!Array.isArray(chunk.choices)) return;
    for (const choice of chunk.choices) {
      // Only the first choice is read (n > 1 is not requested); Azure's first chunk has no choices.
      if (!isRecord(choice) || (choice.index != null && choice.index !== 0)) continue;
      if (isRecord(choice.delta)) this.readDelta(choice.delta as OpenAIWireMessage, emit);
      if (typeof choice.finish_reason === 'string') {
        this.rawFinishReason = choice.finish_reason;
        this.flushToolCalls(emit);
      }
    }
  }

  finish(trailing: string): ParsedChat {
    const rest = trailing.trim();
    if (rest !== '') {
      const parsed = safeParseJson(rest);
      if (parsed.ok) {
        const error = errorFromOpenAIBody(parsed.value, this.context);
        if (error !== undefined) throw error;
        // A JSON completion served on a streaming request (gateways that ignore `stream`).
        if (!this.sawChunk && isRecord(parsed.value) && Array.isArray(parsed.value.choices)) {
          return parseOpenAIChatResponse(parsed.value, this.context);
        }
      }
      if (!this.sawChunk) {
        throw invalidResponse(
          `${this.context.provider} answered the stream with non-SSE text`,
          this.context,
          {
            body: bodyPreview(rest, 500),
          },
        );
      }
    }
    if (!this.sawDone && this.rawFinishReason === undefined) {
      throw invalidResponse(
        `${this.context.provider} stream ended without [DONE] or a finish reason (truncated)`,
        this.context,
      );
    }
    this.flushToolCalls(noEmit);
    const answer: OpenAIAnswer = {
      text: this.textPieces.join(''),
      thought: this.thoughtPieces.join(''),
      refusal: this.refusalPieces.join(''),
      toolCalls: this.toolCalls,
      images: this.images,
      warnings: this.warnings,
    };
    assignMessageSignature(this.messageSignature, answer);
    if (this.rawFinishReason !== undefined) answer.rawFinishReason = this.rawFinishReason;
    if (this.usage !== undefined) answer.usage = this.usage;
    return assembleOpenAIAnswer(answer, this.context);
  }

  private readDelta(delta: OpenAIWireMessage, emit: (delta: StreamDelta) => void): void {
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (typeof reasoning === 'string' && reasoning !== '') {
      this.thoughtPieces.push(reasoning);
      emit({ type: 'reasoning-delta', text: reasoning });
    }
    const content = delta.content;
    const text = typeof content === 'string' ? content : Array.isArray(content) ? textOfParts(content) : '';
    if (text !== '') {
      this.textPieces.push(text);
      emit({ type: 'text-delta', text });
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') this.refusalPieces.push(delta.refusal);
    if (Array.isArray(delta.tool_calls)) {
      for (let position = 0; position < delta.tool_calls.length; position++) {
        const call = delta.tool_calls[position];
        if (isRecord(call)) this.readToolCallDelta(call as OpenAIWireToolCallIn, position);
      }
    }
    if (Array.isArray(delta.images)) {
      for (const image of delta.images) {
        const url = image?.image_url?.url;
        if (typeof url === 'string') this.images.push(imageFromUrl(url));
      }
    }
    const signature = delta.extra_content?.google?.thought_signature;
    if (typeof signature === 'string' && signature !== '') this.messageSignature = signature;
  }

  private readToolCallDelta(call: OpenAIWireToolCallIn, position: number): void {
    const id = typeof call.id === 'string' ? call.id : '';
    const pending = this.pendingFor(call.index, id, position);
    if (id !== '' && pending.id === '') pending.id = id;
    const name = call.function?.name;
    // Names may come in fragments, or be repeated whole on every delta (some gateways).
    if (typeof name === 'string' && name !== '' && name !== pending.name) pending.name += name;
    const args = call.function?.arguments;
    if (typeof args === 'string') {
      if (args !== '') pending.argumentPieces.push(args);
    } else if (isRecord(args)) pending.argumentPieces.push(JSON.stringify(args));
    const signature = call.extra_content?.google?.thought_signature;
    if (typeof signature === 'string' && signature !== '') pending.thoughtSignature = signature;
  }

  private pendingFor(index: unknown, id: string, position: number): PendingToolCall {
    let key: number;
    if (typeof index === 'number') key = index;
    else {
      // Without an index: a new id starts a new call, fragments continue the last one.
      const known = id !== '' ? [...this.pending].find(([, call]) => call.id === id) : undefined;
      const last = [...this.pending.keys()].at(-1);
      key = known?.[0] ?? (id !== '' || last === undefined ? this.pending.size + position : last);
    }
    let pending = this.pending.get(key);
    if (pending === undefined || pending.done) {
      pending = { id: '', name: '', argumentPieces: [], done: false };
      this.pending.set(key, pending);
    }
    return pending;
  }

  private flushToolCalls(emit: (delta: StreamDelta) => void): void {
    const keys = [...this.pending.keys()].sort((a, b) => a - b);
    const completed: LLMToolCall[] = [];
    for (const key of keys) {
      const pending = this.pending.get(key);
      if (pending === undefined || pending.done) continue;
      pending.done = true;
      if (pending.name === '') {
        this.warnings.push('streamed tool call without a function name; skipped');
        continue;
      }
      const rawArguments = pending.argumentPieces.join('');
      completed.push(
        makeToolCall(pending.id, pending.name, rawArguments, pending.thoughtSignature, this.warnings),
      );
    }
    restoreStrictToolArguments(completed, this.context.strictOptionalPaths);
    for (const toolCall of completed) {
      this.toolCalls.push(toolCall);
      emit({ type: 'tool-call', toolCall });
    }
  }
}

function textOfParts(parts: unknown[]): string {
  let text = '';
  for (const part of parts)
    if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') text += part.text;
  return text;
}
