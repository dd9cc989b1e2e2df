import { countWords } from './openai-replies.js';
import { copyCommon, copyFaults } from './reply-options.js';
import type { JsonReply, ReplyCommon, SseFaults, SseReply } from './reply-types.js';

/** A Gemini content part, e.g. `{ text: 'hi' }` or `{ functionCall: { name: 'f', args: {} } }`. */
export type GeminiPart = Record<string, unknown>;

/** Options of the Gemini builders. */
export interface GeminiReplyOptions extends ReplyCommon {
  /** `modelVersion` of the answer. Default `'fake-model'`. */
  model?: string;
  /** `finishReason` of the (last) candidate. Default `'STOP'`. */
  finishReason?: string;
  /**
   * Token counts; defaults: prompt 10, candidates = words of the text parts. `thoughtsTokens` →
   * `thoughtsTokenCount` (counted in the total), `cachedTokens` → `cachedContentTokenCount` (part of the prompt).
   */
  usage?: {
    promptTokens?: number;
    candidatesTokens?: number;
    thoughtsTokens?: number;
    cachedTokens?: number;
  };
}

/** Options of `geminiStreamReply`. */
export interface GeminiStreamOptions extends GeminiReplyOptions, SseFaults {}

function partsOf(content: string | readonly GeminiPart[]): GeminiPart[] {
  return typeof content === 'string' ? [{ text: content }] : [...content];
}

function textOf(parts: readonly GeminiPart[]): string {
  return parts.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
}

function usageMetadata(options: GeminiReplyOptions, answer: string, final: boolean) {
  const prompt = options.usage?.promptTokens ?? 10;
  const detail = { promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }] };
  if (!final) return { promptTokenCount: prompt, totalTokenCount: prompt, ...detail };
  const candidates = options.usage?.candidatesTokens ?? countWords(answer);
  const thoughts = options.usage?.thoughtsTokens;
  const cached = options.usage?.cachedTokens;
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + (thoughts ?? 0),
    ...(thoughts != null ? { thoughtsTokenCount: thoughts } : {}),
    ...(cached != null ? { cachedContentTokenCount: cached } : {}),
    ...detail,
  };
}

/**
 * A `generateContent` answer with one candidate.
 * @example geminiReply('Paris') · geminiReply([{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }])
 */
export function geminiReply(
  content: string | readonly GeminiPart[],
  options: GeminiReplyOptions = {},
): JsonReply {
  const parts = partsOf(content);
  const json = {
    candidates: [
      { content: { parts, role: 'model' }, finishReason: options.finishReason ?? 'STOP', index: 0 },
    ],
    usageMetadata: usageMetadata(options, textOf(parts), true),
    modelVersion: options.model ?? 'fake-model',
    responseId: 'fake-response',
  };
  return { ...copyCommon(options), json };
}

/**
 * A `streamGenerateContent?alt=sse` answer: one event per delta (CRLF framing, no `[DONE]`); every event has
 * `usageMetadata`, the last one also `finishReason` and the candidate token count.
 * @example geminiStreamReply(['Hel', 'lo'], { stallAfter: 1 })
 */
export function geminiStreamReply(
  deltas: readonly (string | readonly GeminiPart[])[],
  options: GeminiStreamOptions = {},
): SseReply {
  const answer = deltas.map((delta) => textOf(partsOf(delta))).join('');
  const events = deltas.map((delta, index) => {
    const last = index === deltas.length - 1;
    const candidate: Record<string, unknown> = {
      content: { parts: partsOf(delta), role: 'model' },
      index: 0,
    };
    if (last) candidate.finishReason = options.finishReason ?? 'STOP';
    return {
      candidates: [candidate],
      usageMetadata: usageMetadata(options, answer, last),
      modelVersion: options.model ?? 'fake-model',
      responseId: 'fake-response',
    };
  });
  return { ...copyCommon(options), ...copyFaults(options), sse: events, framing: 'crlf', done: false };
}

/**
 * A Gemini error answer: `{ error: { code, message, status, details? } }`.
 * @example geminiErrorReply(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')
 */
export function geminiErrorReply(
  status: number,
  statusText: string,
  message: string,
  details?: readonly object[],
  options?: ReplyCommon,
): JsonReply {
  const error: Record<string, unknown> = { code: status, message, status: statusText };
  if (details != null) error.details = details;
  return { ...copyCommon(options), status, json: { error } };
}
