import type { JsonReply, Reply, SseReply } from '../../reply-types.js';
import {
  type ResponsesFakeUsage,
  responsesErrorEvent,
  responsesReply,
  responsesStreamReply,
  responsesToolCallReply,
  responsesToolCallStreamReply,
} from '../../responses-replies.js';
import type { SseItem } from '../../sse-items.js';
import type { ConformanceToolCall, ConformanceUsage, WireKit } from '../conformance-types.js';
import { openaiChatWireKit, openaiErrorReplies } from './openai-chat-kit.js';
import { asRecord, jsonOrText, records, trailing } from './wire-json.js';

/** Events before the first text delta: created, in_progress, output_item.added, content_part.added. */
const OPENING = 4;

function usageOf(usage: ConformanceUsage | undefined): { usage?: ResponsesFakeUsage } {
  if (usage == null) return {};
  const fake: ResponsesFakeUsage = { inputTokens: usage.promptTokens, outputTokens: usage.completionTokens };
  if (usage.cachedTokens != null) fake.cachedTokens = usage.cachedTokens;
  if (usage.reasoningTokens != null) fake.reasoningTokens = usage.reasoningTokens;
  return { usage: fake };
}

const calls = (list: readonly ConformanceToolCall[]) =>
  list.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments }));

function head(deltas: readonly string[]): SseItem[] {
  return [...(responsesStreamReply(deltas).sse as Iterable<SseItem>)].slice(0, OPENING + deltas.length);
}

function refusal(): JsonReply {
  const reply = responsesReply('');
  const json = reply.json as { output: { content: unknown[] }[] };
  const item = json.output[0];
  if (item != null) item.content = [{ type: 'refusal', refusal: "I'm sorry, I can't help with that." }];
  return reply;
}

/**
 * The wire kit of the OpenAI Responses API (`openai_responses`, `POST /v1/responses`, named SSE events ending
 * with `response.completed`), on the fake provider. Embeddings go through `/v1/embeddings` as for chat
 * completions.
 */
export const openaiResponsesWireKit: WireKit<Reply> = {
  name: 'OpenAI Responses',
  usageDetails: { cached: true, reasoning: true },
  text: (text, options) => responsesReply(text, usageOf(options?.usage)),
  textStream: (deltas, options) => responsesStreamReply(deltas, usageOf(options?.usage)),
  toolCalls: (list) => responsesToolCallReply(calls(list)),
  toolCallStream: (list) => responsesToolCallStreamReply(calls(list)),
  errors: { ...openaiErrorReplies, contentFiltered: refusal },
  cutStream: (deltas) => ({ ...responsesStreamReply(deltas), cutAfter: OPENING + deltas.length }),
  endedStream: (deltas): SseReply => ({ sse: head(deltas), framing: 'lf', done: false }),
  streamError: (deltas, message): SseReply => ({
    sse: [...head(deltas), responsesErrorEvent('server_error', message)],
    framing: 'lf',
    done: false,
  }),
  malformedStream: (deltas) => ({ ...responsesStreamReply(deltas), malformedAt: OPENING + deltas.length }),
  stall: () => ({ stall: true }),
  stalledStream: (deltas) => ({ ...responsesStreamReply(deltas), stallAfter: OPENING + deltas.length }),
  reset: () => ({ reset: true }),
  ...(openaiChatWireKit.embeddings != null ? { embeddings: openaiChatWireKit.embeddings } : {}),
  read: {
    toolResults: (body) =>
      trailing(records(asRecord(body).input), (item) => item.type === 'function_call_output').map((item) => ({
        id: String(item.call_id),
        content: jsonOrText(item.output),
      })),
    declaredTools: (body) =>
      records(asRecord(body).tools)
        .filter((tool) => tool.type === 'function')
        .map((tool) => String(tool.name)),
    imageInputs: (body) => {
      const user = records(asRecord(body).input)
        .filter((item) => item.role === 'user')
        .at(-1);
      return records(user?.content).filter((part) => part.type === 'input_image').length;
    },
  },
  unsupported: {
    reasoning:
      'the Responses dialect does not replay reasoning items (it keeps no item ids or encrypted content)',
    images: 'the Responses API makes no images here',
  },
};
