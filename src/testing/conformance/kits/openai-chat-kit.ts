import {
  openaiChatReply,
  openaiErrorReply,
  openaiStreamReply,
  openaiToolCallReply,
  openaiToolCallStreamReply,
} from '../../openai-replies.js';
import type { JsonReply, Reply, SseReply } from '../../reply-types.js';
import type { SseItem } from '../../sse-items.js';
import type {
  ConformanceErrorKind,
  ConformanceErrorOptions,
  ConformanceToolCall,
  WireKit,
} from '../conformance-types.js';
import { asRecord, jsonOrText, records, trailing } from './wire-json.js';

/**
 * The OpenAI error answers of API.md §4 (`{ error: { message, type, param, code } }`), shared by every wire kit of
 * the OpenAI family (chat completions, Responses, images).
 */
export const openaiErrorReplies: Readonly<
  Record<ConformanceErrorKind, (options: ConformanceErrorOptions) => Reply>
> = {
  invalidKey: () =>
    openaiErrorReply(401, {
      message:
        'Incorrect API key provided: test-***-1. You can find your API key at https://platform.openai.com/account/api-keys.',
      code: 'invalid_api_key',
    }),
  location: () =>
    openaiErrorReply(403, {
      message: 'Country, region, or territory not supported',
      type: 'request_forbidden',
      code: 'unsupported_country_region_territory',
    }),
  contextLength: () =>
    openaiErrorReply(400, {
      message:
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
      param: 'messages',
      code: 'context_length_exceeded',
    }),
  quota: () =>
    openaiErrorReply(429, {
      message: 'You exceeded your current quota, please check your plan and billing details.',
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    }),
  invalidParameter: () =>
    openaiErrorReply(400, {
      message: "Invalid value for 'temperature': expected a number between 0 and 2.",
      param: 'temperature',
      code: 'invalid_value',
    }),
  modelNotFound: () =>
    openaiErrorReply(404, {
      message: 'The model `gpt-conformance` does not exist or you do not have access to it.',
      code: 'model_not_found',
    }),
  rateLimit: ({ retryAfterSeconds }) =>
    openaiErrorReply(
      429,
      {
        message: 'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1.',
        type: 'requests',
        code: 'rate_limit_exceeded',
      },
      { headers: { 'retry-after': String(retryAfterSeconds) } },
    ),
  serverError: () =>
    openaiErrorReply(500, {
      message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error',
    }),
  overloaded: () =>
    openaiErrorReply(503, {
      message: 'The engine is currently overloaded, please try again later.',
      type: 'server_error',
    }),
  errorIn200: () => ({ json: { error: { message: 'conformance: an error object inside a 200 body' } } }),
  contentFiltered: () => {
    const reply = openaiChatReply('');
    const json = reply.json as { choices: { message: Record<string, unknown> }[] };
    const message = json.choices[0]?.message;
    if (message != null)
      Object.assign(message, { content: null, refusal: "I'm sorry, I can't help with that." });
    return reply;
  },
};

function fakeCalls(calls: readonly ConformanceToolCall[]) {
  return calls.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments }));
}

function deltaEvents(deltas: readonly string[]): SseItem[] {
  return [...(openaiStreamReply(deltas).sse as Iterable<SseItem>)].slice(0, deltas.length);
}

/** Reads the tool messages ending an OpenAI chat request. */
export function openaiChatToolResults(body: unknown) {
  const messages = records(asRecord(body).messages);
  return trailing(messages, (message) => message.role === 'tool').map((message) => ({
    id: String(message.tool_call_id),
    content: jsonOrText(message.content),
  }));
}

function lastUser(body: unknown) {
  return records(asRecord(body).messages)
    .filter((message) => message.role === 'user')
    .at(-1);
}

/**
 * The wire kit of OpenAI chat completions (`openai` and the OpenAI-compatible types), on the fake provider:
 * answers, streams with `[DONE]`, tool calls (streamed in split argument chunks), embeddings (out of index order,
 * so the client must sort them), every error class, and faults.
 */
export const openaiChatWireKit: WireKit<Reply> = {
  name: 'OpenAI chat completions',
  usageDetails: { cached: true, reasoning: true },
  text: (text, options) => openaiChatReply(text, options?.usage != null ? { usage: options.usage } : {}),
  textStream: (deltas, options) =>
    openaiStreamReply(deltas, options?.usage != null ? { usage: options.usage } : {}),
  toolCalls: (calls) => openaiToolCallReply(fakeCalls(calls)),
  toolCallStream: (calls) => openaiToolCallStreamReply(fakeCalls(calls)),
  errors: openaiErrorReplies,
  cutStream: (deltas) => ({ ...openaiStreamReply(deltas), cutAfter: deltas.length }),
  endedStream: (deltas): SseReply => ({ sse: deltaEvents(deltas), framing: 'lf', done: false }),
  streamError: (deltas, message): SseReply => ({
    sse: [...deltaEvents(deltas), { error: { message, type: 'server_error', code: 'server_error' } }],
    framing: 'lf',
    done: false,
  }),
  malformedStream: (deltas) => ({ ...openaiStreamReply(deltas), malformedAt: deltas.length }),
  stall: () => ({ stall: true }),
  stalledStream: (deltas) => ({ ...openaiStreamReply(deltas), stallAfter: deltas.length }),
  reset: () => ({ reset: true }),
  embeddings: (vectors): JsonReply => ({
    json: {
      object: 'list',
      // Reversed: the client must put the vectors back in input order by `index`.
      data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })).reverse(),
      model: 'fake-embedding',
      usage: { prompt_tokens: vectors.length, total_tokens: vectors.length },
    },
  }),
  read: {
    toolResults: openaiChatToolResults,
    declaredTools: (body) =>
      records(asRecord(body).tools).map((tool) => String(asRecord(tool.function).name)),
    imageInputs: (body) =>
      records(lastUser(body)?.content).filter((part) => part.type === 'image_url').length,
  },
  unsupported: {
    reasoning:
      'OpenAI chat completions carry no reasoning artefacts to replay (Gemini’s OpenAI endpoint aside)',
    images: 'chat completions make no images (see the nano_banana kit)',
  },
};
