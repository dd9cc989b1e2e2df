import type { LLMContentPart, LLMResponse, LLMUsage } from '../../spec/index.js';
import type { CaseSpec } from './case-spec.js';
import { check, collect, equal, like, textsOf, typesOf } from './conformance-assert.js';
import type { ConformanceUsage, WireKit } from './conformance-types.js';

/** Ten deltas with spaces, punctuation and a newline at the edges: none may be merged, split or trimmed. */
export const DELTAS = ['Hel', 'lo', ', ', 'wor', 'ld', '!', ' ', 'A', ' B', '\n'] as const;

const USAGE: ConformanceUsage = {
  promptTokens: 12,
  completionTokens: 7,
  cachedTokens: 4,
  reasoningTokens: 3,
};

function textOf(content: string | LLMContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** The usage the kit can express, as the client must report it. */
function expectedUsage(wire: WireKit<unknown>): LLMUsage {
  const usage: LLMUsage = {
    promptTokens: USAGE.promptTokens,
    completionTokens: USAGE.completionTokens,
    totalTokens: USAGE.promptTokens + USAGE.completionTokens,
  };
  if (wire.usageDetails?.cached === true) usage.cachedTokens = USAGE.cachedTokens;
  if (wire.usageDetails?.reasoning === true) usage.reasoningTokens = USAGE.reasoningTokens;
  return usage;
}

function usageSent(wire: WireKit<unknown>): ConformanceUsage {
  const usage: ConformanceUsage = {
    promptTokens: USAGE.promptTokens,
    completionTokens: USAGE.completionTokens,
  };
  if (wire.usageDetails?.cached === true) usage.cachedTokens = USAGE.cachedTokens;
  if (wire.usageDetails?.reasoning === true) usage.reasoningTokens = USAGE.reasoningTokens;
  return usage;
}

/** The fields of `usage` the expectation names (a provider may add counters the kit did not ask for). */
function pick(usage: LLMUsage | undefined, expected: LLMUsage): Partial<LLMUsage> | undefined {
  if (usage == null) return undefined;
  return Object.fromEntries(Object.keys(expected).map((key) => [key, usage[key as keyof LLMUsage]]));
}

/** What a streamed response and a chat response must share. */
function comparable(response: LLMResponse) {
  const { text, contentParts, toolCalls, finishReason, usage, model, message, images } = response;
  return { text, contentParts, toolCalls, finishReason, usage, model, message, images };
}

export const chatCases: readonly CaseSpec[] = [
  {
    name: 'text: chat returns the text, finish reason "stop", the model and the assistant message',
    capability: 'chat',
    needs: [{ model: 'chat' }],
    async run({ server, llm, chat, model }) {
      const answer = 'Hello from the conformance suite.';
      server.enqueue(chat.text(answer));
      const response = await llm.chat('Say hello', { model: model('chat') });
      equal(response.text, answer, 'response.text');
      equal(response.finishReason, 'stop', 'response.finishReason');
      equal(response.model, model('chat'), 'response.model');
      equal(response.toolCalls, [], 'response.toolCalls');
      equal(response.message.role, 'assistant', 'response.message.role');
      equal(textOf(response.message.content), answer, 'the text of response.message.content');
      equal(response.message.model, model('chat'), 'response.message.model');
      like(response.attempts, [{ attempt: 1, status: 200 }], 'response.attempts');
      equal(server.requests.length, 1, 'requests sent');
    },
  },
  {
    name: 'usage: prompt, completion and total tokens (and cached/reasoning where the format has them), chat and stream',
    capability: 'usage',
    needs: [{ model: 'chat' }],
    async run({ server, llm, wire, chat, model }) {
      const expected = expectedUsage(wire as WireKit<unknown>);
      const sent = usageSent(wire as WireKit<unknown>);
      server.enqueue(
        chat.text('Counted.', { usage: sent }),
        chat.textStream(['Coun', 'ted.'], { usage: sent }),
      );
      const answered = await llm.chat('Count', { model: model('chat') });
      equal(pick(answered.usage, expected), expected, 'chat: response.usage');
      const streamed = await llm.stream('Count', { model: model('chat') }).response;
      equal(pick(streamed.usage, expected), expected, 'stream: response.usage');
    },
  },
  {
    name: 'stream: one text-delta per provider delta, in order, then finish with the response chat would give',
    capability: 'stream',
    needs: [{ model: 'chat' }],
    async run({ server, llm, chat, model }) {
      const usage = { promptTokens: 5, completionTokens: DELTAS.length };
      server.enqueue(chat.textStream(DELTAS, { usage }), chat.text(DELTAS.join(''), { usage }));
      const stream = llm.stream('Stream', { model: model('chat') });
      const events = await collect(stream);
      equal(typesOf(events), [...DELTAS.map(() => 'text-delta'), 'finish'], 'event types');
      equal(textsOf(events), [...DELTAS], 'text-delta texts');
      const response = await stream.response;
      const finish = events.at(-1);
      check(
        finish?.type === 'finish' && finish.response === response,
        'the finish event carries stream.response',
      );
      equal(response.text, DELTAS.join(''), 'response.text');
      equal(response.finishReason, 'stop', 'response.finishReason');
      const answered = await llm.chat('Stream', { model: model('chat') });
      equal(comparable(response), comparable(answered), 'the streamed response against chat (same answer)');
    },
  },
  {
    name: 'stream: textStream yields the same texts; events and textStream read together both see every delta',
    capability: 'stream',
    needs: [{ model: 'chat' }],
    async run({ server, llm, chat, model }) {
      server.enqueue(chat.textStream(DELTAS), chat.textStream(DELTAS));
      const texts: string[] = [];
      const alone = llm.stream('Stream', { model: model('chat') });
      for await (const text of alone.textStream) texts.push(text);
      equal(texts, [...DELTAS], 'textStream texts');
      const both = llm.stream('Stream', { model: model('chat') });
      const seen: string[] = [];
      const [events] = await Promise.all([
        collect(both),
        (async () => {
          for await (const text of both.textStream) seen.push(text);
        })(),
      ]);
      equal(textsOf(events), [...DELTAS], 'events read together with textStream');
      equal(seen, [...DELTAS], 'textStream read together with the events');
    },
  },
  {
    name: 'stream: 1,000 deltas are neither merged nor split; awaiting response alone drains the stream',
    capability: 'stream',
    needs: [{ model: 'chat' }],
    async run({ server, llm, chat, model }) {
      const many = Array.from({ length: 1000 }, (_, index) => `t${index} `);
      server.enqueue(chat.textStream(many), chat.textStream(DELTAS));
      const stream = llm.stream('Many', { model: model('chat') });
      const events = await collect(stream);
      const texts = textsOf(events);
      check(
        texts.length === many.length && texts.every((text, index) => text === many[index]),
        `1,000 text-delta events equal to the deltas (got ${texts.length})`,
      );
      const drained = await llm.stream('Drain', { model: model('chat') }).response;
      equal(drained.text, DELTAS.join(''), 'response of a stream nobody iterated');
      equal(drained.finishReason, 'stop', 'its finishReason');
    },
  },
];
