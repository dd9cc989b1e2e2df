import {
  type AnthropicBlock,
  type AnthropicFakeUsage,
  anthropicErrorReply,
  anthropicMessageReply,
  anthropicStreamReply,
  anthropicToolUseReply,
} from '../../anthropic-replies.js';
import type { Reply, SseReply } from '../../reply-types.js';
import type { SseItem } from '../../sse-items.js';
import type { ConformanceToolCall, ConformanceUsage, WireKit } from '../conformance-types.js';
import { asRecord, jsonOrText, records } from './wire-json.js';

/** Events before the first text delta: message_start, ping, content_block_start. */
const OPENING = 3;

function usageOf(usage: ConformanceUsage | undefined): { usage?: AnthropicFakeUsage } {
  if (usage == null) return {};
  const cached = usage.cachedTokens ?? 0;
  return {
    usage: {
      // Anthropic's input_tokens counts only the uncached part of the prompt.
      inputTokens: usage.promptTokens - cached,
      outputTokens: usage.completionTokens,
      cacheReadTokens: cached,
      ...(usage.reasoningTokens != null ? { thinkingTokens: usage.reasoningTokens } : {}),
    },
  };
}

function toolUse(call: ConformanceToolCall): AnthropicBlock {
  return { type: 'tool_use', id: call.id, name: call.name, input: call.arguments };
}

function textOf(content: unknown): unknown {
  if (typeof content === 'string') return jsonOrText(content);
  const texts = records(content).filter((block) => block.type === 'text');
  return jsonOrText(texts.map((block) => String(block.text)).join(''));
}

/**
 * The wire kit of the Anthropic Messages API (`anthropic`: `POST /v1/messages`, `event:`-named SSE ending with
 * `message_stop`), on the fake provider. Reasoning: a signed `thinking` block, then the text.
 */
export const anthropicWireKit: WireKit<Reply> = {
  name: 'Anthropic Messages',
  usageDetails: { cached: true, reasoning: true },
  text: (text, options) => anthropicMessageReply(text, usageOf(options?.usage)),
  textStream: (deltas, options) => anthropicStreamReply(deltas, usageOf(options?.usage)),
  toolCalls: (calls) =>
    anthropicToolUseReply(calls.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments }))),
  toolCallStream: (calls) => anthropicStreamReply(calls.map(toolUse)),
  reasoning: ({ thought, signature, text }) =>
    anthropicMessageReply([
      { type: 'thinking', thinking: thought, signature },
      { type: 'text', text },
    ]),
  errors: {
    invalidKey: () => anthropicErrorReply(401, 'authentication_error', 'invalid x-api-key'),
    contextLength: () =>
      anthropicErrorReply(400, 'invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum'),
    quota: () =>
      anthropicErrorReply(
        400,
        'invalid_request_error',
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      ),
    invalidParameter: () =>
      anthropicErrorReply(
        400,
        'invalid_request_error',
        'temperature: Input should be less than or equal to 1',
      ),
    modelNotFound: () => anthropicErrorReply(404, 'not_found_error', 'model: claude-conformance'),
    rateLimit: ({ retryAfterSeconds }) =>
      anthropicErrorReply(
        429,
        'rate_limit_error',
        'This request would exceed the rate limit for your organization of 50 requests per minute.',
        { headers: { 'retry-after': String(retryAfterSeconds) } },
      ),
    serverError: () => anthropicErrorReply(500, 'api_error', 'Internal server error'),
    overloaded: () => anthropicErrorReply(529, 'overloaded_error', 'Overloaded'),
    errorIn200: () => ({
      json: { type: 'error', error: { message: 'conformance: an error object inside a 200 body' } },
    }),
    contentFiltered: () => anthropicMessageReply([], { stopReason: 'refusal' }),
  },
  cutStream: (deltas) => ({ ...anthropicStreamReply(deltas), cutAfter: OPENING + deltas.length }),
  endedStream: (deltas): SseReply => {
    const whole = anthropicStreamReply(deltas);
    // Everything but message_delta and message_stop.
    return { ...whole, sse: [...(whole.sse as Iterable<SseItem>)].slice(0, -2) };
  },
  streamError: (deltas, message) =>
    anthropicStreamReply(deltas, {
      error: { type: 'api_error', message, afterEvents: OPENING + deltas.length },
    }),
  malformedStream: (deltas) => ({ ...anthropicStreamReply(deltas), malformedAt: OPENING + deltas.length }),
  stall: () => ({ stall: true }),
  stalledStream: (deltas) => ({ ...anthropicStreamReply(deltas), stallAfter: OPENING + deltas.length }),
  reset: () => ({ reset: true }),
  read: {
    toolResults: (body) => {
      const last = records(asRecord(body).messages).at(-1);
      return records(last?.content)
        .filter((block) => block.type === 'tool_result')
        .map((block) => ({ id: String(block.tool_use_id), content: textOf(block.content) }));
    },
    declaredTools: (body) =>
      records(asRecord(body).tools)
        .filter((tool) => tool.input_schema != null)
        .map((tool) => String(tool.name)),
    signatures: (body) =>
      records(asRecord(body).messages)
        .flatMap((message) => records(message.content))
        .flatMap((block) =>
          block.type === 'thinking' && typeof block.signature === 'string' ? [block.signature] : [],
        ),
    imageInputs: (body) => {
      const user = records(asRecord(body).messages)
        .filter((message) => message.role === 'user')
        .at(-1);
      return records(user?.content).filter((block) => block.type === 'image').length;
    },
  },
  unsupported: {
    'errors.location':
      'Anthropic has no distinct unsupported-region error (a 403 permission_error is a key problem)',
    embeddings: 'Anthropic has no embeddings API',
    images: 'Anthropic makes no images',
  },
};
