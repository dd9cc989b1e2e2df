import { copyCommon, copyFaults } from './reply-options.js';
import type { JsonReply, ReplyCommon, SseFaults, SseReply } from './reply-types.js';

/** Token counts of a built reply; defaults: prompt 10, completion = words in the answer, details 0. */
export interface FakeUsage {
  promptTokens?: number;
  completionTokens?: number;
  /** `prompt_tokens_details.cached_tokens` (part of the prompt tokens). */
  cachedTokens?: number;
  /** `completion_tokens_details.reasoning_tokens` (part of the completion tokens). */
  reasoningTokens?: number;
}

/** Options of the OpenAI chat builders. */
export interface OpenAIReplyOptions extends ReplyCommon {
  /** `model` field of the answer. Default `'fake-model'`. */
  model?: string;
  /** `finish_reason`. Default `'stop'` (`'tool_calls'` for `openaiToolCallReply`). */
  finishReason?: string;
  usage?: FakeUsage;
  /** Completion id. Default `'chatcmpl-fake'`. */
  id?: string;
}

/** Options of `openaiStreamReply`. */
export interface OpenAIStreamOptions extends OpenAIReplyOptions, SseFaults {
  /** Send `usage: null` on every chunk and a final usage-only chunk with `choices: []`. Default `true`. */
  includeUsage?: boolean;
  /** Append `data: [DONE]`. Default `true`. */
  done?: boolean;
}

/** A tool call of `openaiToolCallReply`. */
export interface FakeToolCall {
  name: string;
  /** An object (serialised) or the raw argument string. Default `{}`. */
  arguments?: unknown;
  /** Default `call_fake_<n>`. */
  id?: string;
}

/** Rough token count: words. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

function usageOf(usage: FakeUsage | undefined, answer: string) {
  const prompt = usage?.promptTokens ?? 10;
  const completion = usage?.completionTokens ?? countWords(answer);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cachedTokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0, audio_tokens: 0 },
  };
}

function completion(message: object, finishReason: string, answer: string, options: OpenAIReplyOptions = {}) {
  return {
    id: options.id ?? 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: options.model ?? 'fake-model',
    choices: [{ index: 0, message, logprobs: null, finish_reason: options.finishReason ?? finishReason }],
    usage: usageOf(options.usage, answer),
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

/** A chat completion answering `text`. @example fake.enqueue(openaiChatReply('Paris')) */
export function openaiChatReply(text: string, options?: OpenAIReplyOptions): JsonReply {
  const message = { role: 'assistant', content: text, refusal: null, annotations: [] };
  return { ...copyCommon(options), json: completion(message, 'stop', text, options) };
}

/**
 * A chat completion that calls tools (`content: null`, `finish_reason: 'tool_calls'`).
 * @example openaiToolCallReply([{ name: 'get_weather', arguments: { city: 'Paris' } }])
 */
export function openaiToolCallReply(calls: readonly FakeToolCall[], options?: OpenAIReplyOptions): JsonReply {
  const toolCalls = calls.map((call, index) => ({
    id: call.id ?? `call_fake_${index + 1}`,
    type: 'function',
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
    },
  }));
  const message = { role: 'assistant', content: null, tool_calls: toolCalls, refusal: null, annotations: [] };
  return { ...copyCommon(options), json: completion(message, 'tool_calls', '', options) };
}

/**
 * A streamed chat completion: one event per delta (the first also carries `role`), a finish event
 * (`delta: {}`, `finish_reason`), then — with `includeUsage` — a usage-only event (`choices: []`), then `[DONE]`.
 * @example openaiStreamReply(['Hel', 'lo'], { cutAfter: 1 })
 */
export function openaiStreamReply(deltas: readonly string[], options: OpenAIStreamOptions = {}): SseReply {
  const includeUsage = options.includeUsage ?? true;
  const base = {
    id: options.id ?? 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: options.model ?? 'fake-model',
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
  const withUsage = includeUsage ? { usage: null } : {};
  const chunk = (delta: object, finishReason: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...withUsage,
  });
  const events: object[] = deltas.map((text, index) =>
    chunk(index === 0 ? { role: 'assistant', content: text, refusal: null } : { content: text }, null),
  );
  events.push(chunk({}, options.finishReason ?? 'stop'));
  if (includeUsage) events.push({ ...base, choices: [], usage: usageOf(options.usage, deltas.join('')) });
  return {
    ...copyCommon(options),
    ...copyFaults(options),
    sse: events,
    framing: 'lf',
    done: options.done ?? true,
  };
}

/**
 * A streamed chat completion that calls tools: a role chunk, then per call a chunk with its id, name and the first
 * half of the arguments and a chunk with the rest (as OpenAI splits them), then `finish_reason: 'tool_calls'`
 * and `[DONE]`.
 * @example openaiToolCallStreamReply([{ name: 'get_weather', arguments: { city: 'Paris' } }])
 */
export function openaiToolCallStreamReply(
  calls: readonly FakeToolCall[],
  options: OpenAIStreamOptions = {},
): SseReply {
  const base = {
    id: options.id ?? 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: options.model ?? 'fake-model',
  };
  const chunk = (delta: object, finishReason: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const events: object[] = [chunk({ role: 'assistant', content: null }, null)];
  calls.forEach((call, index) => {
    const text = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
    const half = Math.floor(text.length / 2);
    const id = call.id ?? `call_fake_${index + 1}`;
    const head = {
      index,
      id,
      type: 'function',
      function: { name: call.name, arguments: text.slice(0, half) },
    };
    events.push(chunk({ tool_calls: [head] }, null));
    events.push(chunk({ tool_calls: [{ index, function: { arguments: text.slice(half) } }] }, null));
  });
  events.push(chunk({}, options.finishReason ?? 'tool_calls'));
  return {
    ...copyCommon(options),
    ...copyFaults(options),
    sse: events,
    framing: 'lf',
    done: options.done ?? true,
  };
}

/** OpenAI's error fields. */
export interface OpenAIErrorFields {
  message: string;
  /** e.g. `'invalid_request_error'`, `'requests'`. Default `'invalid_request_error'`. */
  type?: string;
  /** e.g. `'context_length_exceeded'`, `'rate_limit_exceeded'`; `null` when absent. */
  code?: string | null;
  param?: string | null;
}

/**
 * An OpenAI error answer: `{ error: { message, type, param, code } }` with `status`.
 * @example openaiErrorReply(400, { code: 'context_length_exceeded', message: "This model's maximum context length is 8192 tokens." })
 */
export function openaiErrorReply(
  status: number,
  fields: OpenAIErrorFields,
  options?: ReplyCommon,
): JsonReply {
  const error = {
    message: fields.message,
    type: fields.type ?? 'invalid_request_error',
    param: fields.param ?? null,
    code: fields.code ?? null,
  };
  return { ...copyCommon(options), status, json: { error } };
}
