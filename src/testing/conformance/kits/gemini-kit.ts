import {
  type GeminiReplyOptions,
  geminiErrorReply,
  geminiReply,
  geminiStreamReply,
} from '../../gemini-replies.js';
import type { JsonReply, Reply, SseReply } from '../../reply-types.js';
import type { SseItem } from '../../sse-items.js';
import type { ConformanceToolCall, ConformanceUsage, WireKit } from '../conformance-types.js';
import { asRecord, records } from './wire-json.js';

const QUOTA_FAILURE = 'type.googleapis.com/google.rpc.QuotaFailure';

function usageOf(usage: ConformanceUsage | undefined): GeminiReplyOptions {
  if (usage == null) return {};
  const thoughts = usage.reasoningTokens;
  return {
    usage: {
      promptTokens: usage.promptTokens,
      // Gemini counts thoughts apart from the candidates; the client adds them to the completion.
      candidatesTokens: usage.completionTokens - (thoughts ?? 0),
      ...(thoughts != null ? { thoughtsTokens: thoughts } : {}),
      ...(usage.cachedTokens != null ? { cachedTokens: usage.cachedTokens } : {}),
    },
  };
}

function callParts(calls: readonly ConformanceToolCall[]) {
  return calls.map((call) => ({ functionCall: { name: call.name, args: call.arguments, id: call.id } }));
}

/** The deltas followed by an empty last chunk that carries the finish reason (the end marker). */
function withEnd(deltas: readonly string[]): SseReply {
  return geminiStreamReply([...deltas, '']);
}

function deltaEvents(deltas: readonly string[]): SseItem[] {
  return [...(withEnd(deltas).sse as Iterable<SseItem>)].slice(0, deltas.length);
}

function quotaViolation(quotaId: string) {
  return { '@type': QUOTA_FAILURE, violations: [{ quotaMetric: 'generate_content_requests', quotaId }] };
}

/**
 * The wire kit of the Gemini API (`gemini`: `:generateContent`, `:streamGenerateContent?alt=sse` with CRLF
 * framing, `:batchEmbedContents`, image models answering `inlineData`), on the fake provider. Reasoning: a
 * thought part, then the text part carrying the `thoughtSignature`.
 */
export const geminiWireKit: WireKit<Reply> = {
  name: 'Gemini',
  usageDetails: { cached: true, reasoning: true },
  text: (text, options) => geminiReply(text, usageOf(options?.usage)),
  textStream: (deltas, options) => geminiStreamReply(deltas, usageOf(options?.usage)),
  toolCalls: (calls) => geminiReply(callParts(calls)),
  toolCallStream: (calls) => geminiStreamReply([callParts(calls)]),
  reasoning: ({ thought, signature, text }) =>
    geminiReply([
      { text: thought, thought: true },
      { text, thoughtSignature: signature },
    ]),
  errors: {
    invalidKey: () =>
      geminiErrorReply(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
      ]),
    location: () =>
      geminiErrorReply(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
    contextLength: () =>
      geminiErrorReply(
        400,
        'INVALID_ARGUMENT',
        'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
      ),
    quota: () =>
      geminiErrorReply(
        429,
        'RESOURCE_EXHAUSTED',
        'You exceeded your current quota, please check your plan and billing details.',
        [quotaViolation('GenerateRequestsPerDayPerProjectPerModel-FreeTier')],
      ),
    invalidParameter: () =>
      geminiErrorReply(
        400,
        'INVALID_ARGUMENT',
        'Invalid value at \'generation_config.temperature\' (TYPE_FLOAT), "hot"',
      ),
    modelNotFound: () =>
      geminiErrorReply(
        404,
        'NOT_FOUND',
        'models/gemini-conformance is not found for API version v1beta, or is not supported for generateContent.',
      ),
    rateLimit: ({ retryAfterSeconds }) =>
      geminiErrorReply(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
        quotaViolation('GenerateRequestsPerMinutePerProjectPerModel'),
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` },
      ]),
    serverError: () => geminiErrorReply(500, 'INTERNAL', 'An internal error has occurred. Please retry.'),
    overloaded: () =>
      geminiErrorReply(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
    errorIn200: () => ({ json: { error: { message: 'conformance: an error object inside a 200 body' } } }),
    contentFiltered: (): JsonReply => ({
      json: {
        promptFeedback: { blockReason: 'SAFETY' },
        usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 },
        modelVersion: 'fake-model',
      },
    }),
  },
  cutStream: (deltas) => ({ ...withEnd(deltas), cutAfter: deltas.length }),
  endedStream: (deltas): SseReply => ({ sse: deltaEvents(deltas), framing: 'crlf' }),
  streamError: (deltas, message): SseReply => ({
    sse: [...deltaEvents(deltas), { error: { code: 500, message, status: 'INTERNAL' } }],
    framing: 'crlf',
  }),
  malformedStream: (deltas) => ({ ...withEnd(deltas), malformedAt: deltas.length }),
  stall: () => ({ stall: true }),
  stalledStream: (deltas) => ({ ...withEnd(deltas), stallAfter: deltas.length }),
  reset: () => ({ reset: true }),
  embeddings: (vectors): JsonReply => ({ json: { embeddings: vectors.map((values) => ({ values })) } }),
  images: (images) =>
    geminiReply(images.map((image) => ({ inlineData: { mimeType: image.mimeType, data: image.base64 } }))),
  read: {
    toolResults: (body) => {
      const last = records(asRecord(body).contents).at(-1);
      return records(last?.parts)
        .filter((part) => part.functionResponse != null)
        .map((part) => {
          const response = asRecord(part.functionResponse);
          return {
            ...(typeof response.id === 'string' ? { id: response.id } : {}),
            name: String(response.name),
            content: response.response,
          };
        });
    },
    declaredTools: (body) =>
      records(asRecord(body).tools)
        .flatMap((tool) => records(tool.functionDeclarations))
        .map((declaration) => String(declaration.name)),
    signatures: (body) =>
      records(asRecord(body).contents)
        .flatMap((content) => records(content.parts))
        .flatMap((part) => (typeof part.thoughtSignature === 'string' ? [part.thoughtSignature] : [])),
    imageInputs: (body) => {
      const user = records(asRecord(body).contents)
        .filter((content) => content.role === 'user')
        .at(-1);
      return records(user?.parts).filter((part) => part.inlineData != null).length;
    },
  },
};
