import type { FinishReason, Grounding, LLMUsage, ParsedChat } from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';
import {
  contentFiltered,
  type GeminiErrorContext,
  geminiBodyError,
  invalidResponse,
} from './gemini-error.js';
import { GeminiPartCollector } from './gemini-parts.js';

const CONTENT_FILTER_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

const ERROR_REASONS = new Set([
  'MALFORMED_FUNCTION_CALL',
  'UNEXPECTED_TOOL_CALL',
  'TOO_MANY_TOOL_CALLS',
  'MISSING_THOUGHT_SIGNATURE',
  'MALFORMED_RESPONSE',
]);

/**
 * Gemini `finishReason` → neutral: `STOP` (with calls → `tool_calls`), `MAX_TOKENS` → `length`, safety
 * and recitation blocks → `content_filter`, malformed or unexpected calls → `error`, anything else
 * (`OTHER`, `LANGUAGE`, values added later) → `other`.
 */
export function mapGeminiFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (raw == null || raw === 'STOP') return hasToolCalls ? 'tool_calls' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER_REASONS.has(raw)) return 'content_filter';
  if (ERROR_REASONS.has(raw)) return 'error';
  return 'other';
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * `usageMetadata` → neutral usage. Tool-use prompt tokens (search/code-execution context) count as
 * prompt; thinking tokens count as completion and are reported as `reasoningTokens`.
 */
export function mapGeminiUsage(usage: unknown): LLMUsage | undefined {
  if (!isRecord(usage)) return undefined;
  // Vertex streams send `{ trafficType }` alone on intermediate chunks.
  if (usage.promptTokenCount == null && usage.totalTokenCount == null && usage.candidatesTokenCount == null) {
    return undefined;
  }
  const promptTokens = count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount);
  const completionTokens = count(usage.candidatesTokenCount) + count(usage.thoughtsTokenCount);
  const total = usage.totalTokenCount;
  const result: LLMUsage = {
    promptTokens,
    completionTokens,
    totalTokens: typeof total === 'number' ? total : promptTokens + completionTokens,
  };
  if (typeof usage.thoughtsTokenCount === 'number') result.reasoningTokens = usage.thoughtsTokenCount;
  if (typeof usage.cachedContentTokenCount === 'number') result.cachedTokens = usage.cachedContentTokenCount;
  return result;
}

/** Search queries and cited sources (deduplicated by URI), from every candidate or chunk seen. */
export class GroundingCollector {
  private readonly queries: string[] = [];
  private readonly sources = new Map<string, { title?: string; uri: string }>();

  add(candidate: Record<string, unknown>): void {
    const grounding = candidate.groundingMetadata;
    if (isRecord(grounding)) {
      if (Array.isArray(grounding.webSearchQueries)) {
        for (const query of grounding.webSearchQueries) {
          if (typeof query === 'string' && !this.queries.includes(query)) this.queries.push(query);
        }
      }
      if (Array.isArray(grounding.groundingChunks)) {
        for (const chunk of grounding.groundingChunks) {
          const web = isRecord(chunk) ? chunk.web : undefined;
          if (isRecord(web) && typeof web.uri === 'string') {
            this.addSource(web.uri, typeof web.title === 'string' ? web.title : undefined);
          }
        }
      }
    }
    const urlContext = candidate.urlContextMetadata;
    if (isRecord(urlContext) && Array.isArray(urlContext.urlMetadata)) {
      for (const entry of urlContext.urlMetadata) {
        if (!isRecord(entry) || typeof entry.retrievedUrl !== 'string') continue;
        const status = entry.urlRetrievalStatus;
        if (status == null || status === 'URL_RETRIEVAL_STATUS_SUCCESS') this.addSource(entry.retrievedUrl);
      }
    }
  }

  result(): Grounding | undefined {
    if (this.queries.length === 0 && this.sources.size === 0) return undefined;
    return { queries: this.queries, sources: [...this.sources.values()] };
  }

  private addSource(uri: string, title?: string): void {
    const existing = this.sources.get(uri);
    if (existing == null) this.sources.set(uri, title != null ? { title, uri } : { uri });
    else if (existing.title == null && title != null) existing.title = title;
  }
}

/** Throws the right `LLMError` when a prompt was blocked (`promptFeedback.blockReason`). */
export function throwIfPromptBlocked(data: Record<string, unknown>, context: GeminiErrorContext): void {
  const feedback = data.promptFeedback;
  if (!isRecord(feedback) || typeof feedback.blockReason !== 'string') return;
  const details: Record<string, unknown> = { blockReason: feedback.blockReason };
  if (typeof feedback.blockReasonMessage === 'string')
    details.blockReasonMessage = feedback.blockReasonMessage;
  if (feedback.safetyRatings != null) details.safetyRatings = feedback.safetyRatings;
  const reason = details.blockReasonMessage != null ? `: ${String(details.blockReasonMessage)}` : '';
  throw contentFiltered(`prompt blocked (${feedback.blockReason})${reason}`, context, details);
}

/**
 * `checkBody` of `generateContent`: an error object in a 2xx body → its classified `LLMError`; a body
 * with neither candidates nor a prompt block → `API_RESPONSE_INVALID` (retryable).
 */
export function checkGeminiBody(data: unknown, context: GeminiErrorContext): void {
  const error = geminiBodyError(data, context);
  if (error != null) throw error;
  if (!isRecord(data)) throw invalidResponse('response body is not a JSON object', context);
  const candidates = data.candidates;
  const hasCandidate = Array.isArray(candidates) && candidates.length > 0;
  const blocked = isRecord(data.promptFeedback) && data.promptFeedback.blockReason != null;
  if (!hasCandidate && !blocked) throw invalidResponse('response has no candidates', context);
}

/** Finish reason, usage and grounding that complete a collected answer. */
export interface GeminiAnswerState {
  rawFinishReason?: string;
  finishMessage?: string;
  safetyRatings?: unknown;
  usage?: LLMUsage;
  grounding?: Grounding;
}

/**
 * Builds the parsed answer. Decision: a content-filter finish with nothing kept is a `CONTENT_FILTERED`
 * error; one with partial output returns that output with `finishReason: 'content_filter'` (the caller
 * sees what was produced and why it stopped). Other finishes return as they are, with a warning
 * carrying Gemini's `finishMessage` when the finish is not a normal one.
 */
export function buildParsedChat(
  collector: GeminiPartCollector,
  state: GeminiAnswerState,
  context: GeminiErrorContext,
): ParsedChat {
  const raw = state.rawFinishReason;
  const finishReason = mapGeminiFinishReason(raw, collector.toolCalls.length > 0);
  if (finishReason === 'content_filter' && !collector.hasContent()) {
    const details: Record<string, unknown> = { finishReason: raw };
    if (state.finishMessage != null) details.finishMessage = state.finishMessage;
    if (state.safetyRatings != null) details.safetyRatings = state.safetyRatings;
    throw contentFiltered(`answer blocked (finish reason ${raw})`, context, details);
  }
  const warnings: string[] = [];
  if (finishReason !== 'stop' && finishReason !== 'tool_calls' && finishReason !== 'length') {
    warnings.push(
      `Gemini finished with ${raw}${state.finishMessage != null ? `: ${state.finishMessage}` : ''}`,
    );
  }
  const parsed: ParsedChat = {
    text: collector.text(),
    contentParts: collector.contentParts(),
    toolCalls: collector.toolCalls,
    finishReason,
    images: collector.images,
    warnings,
  };
  if (raw != null) parsed.rawFinishReason = raw;
  if (state.usage != null) parsed.usage = state.usage;
  const thoughtText = collector.thoughtText();
  if (thoughtText != null) parsed.thoughtText = thoughtText;
  if (state.grounding != null) parsed.grounding = state.grounding;
  return parsed;
}

/** Parses a (checked) `generateContent` body: candidate 0, usage, grounding, finish reason. */
export function parseGeminiResponse(data: unknown, context: GeminiErrorContext): ParsedChat {
  checkGeminiBody(data, context);
  const body = data as Record<string, unknown>;
  throwIfPromptBlocked(body, context);
  const candidate = (body.candidates as unknown[])[0];
  if (!isRecord(candidate)) throw invalidResponse('candidate is not an object', context);

  const collector = new GeminiPartCollector();
  const content = candidate.content;
  if (isRecord(content) && Array.isArray(content.parts)) {
    for (const part of content.parts) collector.add(part);
  }
  collector.flush();
  const grounding = new GroundingCollector();
  grounding.add(candidate);

  const state: GeminiAnswerState = {};
  if (typeof candidate.finishReason === 'string') state.rawFinishReason = candidate.finishReason;
  if (typeof candidate.finishMessage === 'string') state.finishMessage = candidate.finishMessage;
  if (candidate.safetyRatings != null) state.safetyRatings = candidate.safetyRatings;
  const usage = mapGeminiUsage(body.usageMetadata);
  if (usage != null) state.usage = usage;
  const groundingResult = grounding.result();
  if (groundingResult != null) state.grounding = groundingResult;
  return buildParsedChat(collector, state, context);
}
