import { bodyPreview } from '../../errors/body-preview.js';
import type { ChatStreamParser, LLMUsage, ParsedChat, StreamDelta } from '../../spec/index.js';
import { isRecord, safeParseJson } from '../../util/safe-json.js';
import { type GeminiErrorContext, geminiBodyError, invalidResponse } from './gemini-error.js';
import { GeminiPartCollector } from './gemini-parts.js';
import {
  buildParsedChat,
  type GeminiAnswerState,
  GroundingCollector,
  mapGeminiUsage,
  throwIfPromptBlocked,
} from './gemini-response.js';

/**
 * Parser of `streamGenerateContent?alt=sse`. Each event is a whole `GenerateContentResponse` holding the
 * next parts of candidate 0: text → `text-delta`, thought → `reasoning-delta`, each complete
 * `functionCall` → `tool-call` (Vertex `partialArgs` calls are assembled and emitted when they end).
 * Usage comes from the last chunk that carries it; grounding accumulates over chunks. An error object
 * (as an event or as bare JSON after the events), a prompt block, or a stream that ends without a
 * `finishReason` ends the answer with an `LLMError`.
 */
export class GeminiStreamParser implements ChatStreamParser {
  private readonly collector = new GeminiPartCollector();
  private readonly grounding = new GroundingCollector();
  private readonly state: GeminiAnswerState = {};
  private usage: LLMUsage | undefined;

  constructor(private readonly context: GeminiErrorContext) {}

  push(data: string, event: string | undefined, emit: (delta: StreamDelta) => void): void {
    if (data === '' || data === '[DONE]') return;
    const parsed = safeParseJson(data);
    if (!parsed.ok) {
      if (data.trim() === '') return;
      const excerpt = bodyPreview(data, 200);
      if (event === 'error') throw invalidResponse(`stream error event: ${excerpt}`, this.context);
      throw invalidResponse('malformed stream chunk (not JSON)', this.context, { chunk: excerpt });
    }
    this.chunk(parsed.value, emit);
  }

  finish(trailing: string): ParsedChat {
    const rest = trailing.trim();
    if (rest !== '') {
      const error = geminiBodyError(rest, this.context);
      if (error != null) throw error;
      // A whole JSON answer served instead of SSE: take it as the last chunk.
      const parsed = safeParseJson(rest);
      if (parsed.ok && isRecord(parsed.value)) this.chunk(parsed.value);
    }
    this.collector.flush();
    if (this.state.rawFinishReason == null) {
      throw invalidResponse('stream ended without a finish reason (cut off?)', this.context, {
        receivedText: this.collector.hasContent(),
      });
    }
    if (this.usage != null) this.state.usage = this.usage;
    const grounding = this.grounding.result();
    if (grounding != null) this.state.grounding = grounding;
    return buildParsedChat(this.collector, this.state, this.context);
  }

  private chunk(value: unknown, emit?: (delta: StreamDelta) => void): void {
    const error = geminiBodyError(value, this.context);
    if (error != null) throw error;
    if (!isRecord(value)) throw invalidResponse('stream chunk is not a JSON object', this.context);
    throwIfPromptBlocked(value, this.context);
    const usage = mapGeminiUsage(value.usageMetadata);
    if (usage != null) this.usage = usage;
    const candidates = value.candidates;
    const candidate = Array.isArray(candidates) ? candidates[0] : undefined;
    if (!isRecord(candidate)) return;
    const content = candidate.content;
    if (isRecord(content) && Array.isArray(content.parts)) {
      for (const part of content.parts) this.collector.add(part, emit);
    }
    this.grounding.add(candidate);
    if (typeof candidate.finishReason === 'string') this.state.rawFinishReason = candidate.finishReason;
    if (typeof candidate.finishMessage === 'string') this.state.finishMessage = candidate.finishMessage;
    if (candidate.safetyRatings != null) this.state.safetyRatings = candidate.safetyRatings;
  }
}
