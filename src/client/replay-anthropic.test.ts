import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { geminiCodeExecution, geminiGoogleSearch } from '../generation/native-tools.js';
import type { FunctionToolSpec, LLMMessage, ProviderConfig, ToolSpec } from '../spec/index.js';
import {
  anthropicMessageReply,
  anthropicToolUseReply,
  type FakeProvider,
  startFakeProvider,
} from '../testing/index.js';
import type { LLM } from './llm.js';
import {
  clientFor,
  collect,
  finalError,
  fixtureText,
  interactionsOf,
  reasoningOf,
  rejectionOf,
  sentBody,
  textsOf,
} from './test-support/e2e-kit.js';
import { ReplayCoverage } from './test-support/replay-kit.js';

// Every Anthropic recording served by the fake provider and consumed through the client (createLLM, apiType
// 'anthropic'): chat, stream, the tool loop, thinking and redacted thinking replayed in a second turn, server
// tools, citations, prompt caching, structured output, refusals and every error with its code and retries.
// Request bodies are compared with the recorded ones wherever the recording has them.

const coverage = new ReplayCoverage(['anthropic']);
const replay = coverage.replay.bind(coverage);

let fake: FakeProvider;
let llm: LLM;

const HAIKU = 'Anthropic/claude-haiku-4-5-20251001';
const SONNET = 'Anthropic/claude-sonnet-4-5-20250929';
const SIGNATURE = /^E[A-Za-z0-9+/=]{100,}$/;

function providers(url: string): ProviderConfig[] {
  return [
    {
      name: 'Anthropic',
      apiType: 'anthropic',
      apiBase: url,
      apiKeys: ['test-key-1', 'test-key-2'],
      models: [
        // ruby_llm sends the model's 64000 output tokens; the pydantic-ai recordings use the 4096 default.
        { name: 'claude-haiku-4-5-20251001', maxTokens: 64000 },
        'claude-sonnet-4-5-20250929',
        'claude-sonnet-4-5',
        'claude-opus-4-6',
        'claude-fable-5',
        'claude-sonet-4-5',
        'claude-3-5-haiku-20241022',
      ],
    },
  ];
}

beforeEach(async () => {
  fake = await startFakeProvider();
  llm = clientFor(providers(fake.anthropicBase), { defaultModel: HAIKU });
});

afterEach(async () => {
  await llm.close();
  await fake.close();
  expect(fake.pendingReplies).toBe(0);
  expect(fake.errors).toEqual([]);
  // Every request went to /v1/messages with the key in x-api-key and the API version header.
  for (const request of fake.requests.filter((r) => r.path === '/v1/messages')) {
    expect(request.headers['x-api-key']).toMatch(/^test-key-/);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers.authorization).toBeUndefined();
  }
});

function recordedBody(file: string, index = 0): Record<string, unknown> {
  return interactionsOf(file)[index]?.request.body as Record<string, unknown>;
}

/** A recorded body as this client sends it: no `stream: false`, no ruby_llm `strict` inside tool schemas. */
function comparable(body: Record<string, unknown>): Record<string, unknown> {
  const { stream, ...rest } = body;
  if (stream === true) rest.stream = true;
  if (Array.isArray(rest.tools)) {
    rest.tools = (rest.tools as Record<string, unknown>[]).map((tool) => {
      if (tool.input_schema == null) return tool;
      const { strict: _strict, ...schema } = tool.input_schema as Record<string, unknown>;
      return { ...tool, input_schema: schema };
    });
  }
  return rest;
}

function userText(file: string, index = 0): string {
  const messages = recordedBody(file, index).messages as { content: { text?: string }[] }[];
  return messages[0]?.content[0]?.text ?? '';
}

const weatherSchema = {
  type: 'object',
  properties: {
    latitude: { type: 'string', description: 'Latitude (e.g., 52.5200)' },
    longitude: { type: 'string', description: 'Longitude (e.g., 13.4050)' },
  },
  required: ['latitude', 'longitude'],
  additionalProperties: false,
};

function weatherTool(ran: string[] = []): FunctionToolSpec {
  return {
    name: 'weather',
    description: 'Gets current weather for a location',
    parameters: weatherSchema,
    execute: async (args) => {
      ran.push(`weather ${args.latitude}`);
      return `Current weather at ${args.latitude}, ${args.longitude}: 15°C, Wind: 10 km/h`;
    },
  };
}

describe('chat and stream', () => {
  replay(
    'anthropic/messages-text.exchange.json',
    'chat: text, stop, usage; the body as recorded',
    async () => {
      const file = 'anthropic/messages-text.exchange.json';
      fake.enqueue({ fixture: file });
      const response = await llm.chat("What's 2 + 2?");
      expect(response).toMatchObject({
        text: '2 + 2 = 4',
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        model: HAIKU,
        usage: { promptTokens: 16, completionTokens: 13, totalTokens: 29, cachedTokens: 0 },
        warnings: [],
        message: { role: 'assistant', content: '2 + 2 = 4', model: HAIKU },
      });
      expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
    },
  );

  replay(
    'anthropic/messages-stream-text.exchange.json',
    'stream: deltas in order, finish, usage',
    async () => {
      const file = 'anthropic/messages-stream-text.exchange.json';
      fake.enqueue({ fixture: file });
      const stream = llm.stream('Count from 1 to 3');
      const events = await collect(stream);
      expect(events.map((event) => event.type)).toEqual(['text-delta', 'finish']);
      expect(textsOf(events)).toEqual(['1\n2\n3']);
      const response = await stream.response;
      expect(response.usage).toEqual({
        promptTokens: 15,
        completionTokens: 9,
        totalTokens: 24,
        cachedTokens: 0,
      });
      expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
    },
  );

  replay(
    'anthropic/messages-stop-sequence.exchange.json',
    'stop sequence: text cut before it, finish stop, raw stop_sequence',
    async () => {
      const file = 'anthropic/messages-stop-sequence.exchange.json';
      fake.enqueue({ fixture: file });
      const response = await llm.chat(userText(file), {
        model: 'Anthropic/claude-sonnet-4-5',
        config: { core: { maxTokens: 1024, stop: ['Paris'] } },
      });
      expect(response).toMatchObject({
        text: 'The beautiful city of ',
        finishReason: 'stop',
        rawFinishReason: 'stop_sequence',
      });
      expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
    },
  );

  replay(
    'anthropic/messages-prompt-cache.exchange.json',
    'cacheControl on the system part → cache_control; cache writes then reads in usage',
    async () => {
      const file = 'anthropic/messages-prompt-cache.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const system = (recordedBody(file).system as { text: string }[])[0]?.text ?? '';
      const messages: LLMMessage[] = [
        { role: 'system', content: [{ type: 'text', text: system, cacheControl: { type: 'ephemeral' } }] },
        { role: 'user', content: 'Reply with exactly: OK' },
      ];
      const write = await llm.generate(messages);
      const read = await llm.generate(messages);
      expect(write.usage).toEqual({
        promptTokens: 7361,
        completionTokens: 4,
        totalTokens: 7365,
        cachedTokens: 0,
      });
      expect(read.usage).toEqual({
        promptTokens: 7361,
        completionTokens: 4,
        totalTokens: 7365,
        cachedTokens: 7351,
      });
      expect(sentBody(fake, 0)).toEqual(comparable(recordedBody(file, 0)));
      expect(sentBody(fake, 1)).toEqual(comparable(recordedBody(file, 1)));
    },
  );

  replay('anthropic/messages-image-input.exchange.json', 'an image part → a base64 image block', async () => {
    const file = 'anthropic/messages-image-input.exchange.json';
    fake.enqueue({ fixture: file });
    const content = (recordedBody(file).messages as { content: { source?: { data: string } }[] }[])[0]
      ?.content;
    const response = await llm.chat([
      { type: 'text', text: 'What do you see in this image?' },
      { type: 'image', data: content?.[1]?.source?.data ?? '' },
    ]);
    expect(response.text).toMatch(/^# Image Description/);
    expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
  });

  replay(
    'anthropic/messages-pdf-citations.exchange.json',
    'a PDF file part with citations on; citations kept on the text parts and in the stored turn',
    async () => {
      const file = 'anthropic/messages-pdf-citations.exchange.json';
      fake.enqueue({ fixture: file });
      const content = (recordedBody(file).messages as { content: { source?: { data: string } }[] }[])[0]
        ?.content;
      const response = await llm.chat(
        [
          { type: 'text', text: 'What does the document say? Use the document.' },
          {
            type: 'file',
            mimeType: 'application/pdf',
            data: content?.[1]?.source?.data ?? '',
            name: 'sample.pdf',
          },
        ],
        { config: { customParams: { citations: true } } },
      );
      expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
      expect(response.text).toMatch(
        /^The document is a simple PDF file titled "Sample PDF", and it contains/,
      );
      expect(
        response.contentParts.filter((part) => part.type === 'text' && part.citations != null),
      ).toHaveLength(3);
      expect(response.message.content).toBe(response.contentParts);
    },
  );

  replay(
    'anthropic/messages-stream-citations.exchange.json',
    'stream with a text document: the citations_delta lands on the text part',
    async () => {
      const file = 'anthropic/messages-stream-citations.exchange.json';
      fake.enqueue({ fixture: file });
      const facts =
        'The Ruby programming language was created by Yukihiro Matsumoto in 1993. Ruby was designed to make programmers happy and productive. Ruby on Rails is a popular web framework built with Ruby. RubyLLM is a Ruby library for working with large language models.\n';
      const stream = llm.stream(
        [
          { type: 'text', text: 'Who created Ruby? Use the document.' },
          {
            type: 'file',
            mimeType: 'text/plain',
            data: Buffer.from(facts).toString('base64'),
            name: 'facts.txt',
          },
        ],
        { config: { customParams: { citations: true } } },
      );
      const events = await collect(stream);
      expect(textsOf(events)).toEqual([
        'The Ruby programming language was created by Yukihiro Matsumoto in 1993.',
      ]);
      const response = await stream.response;
      expect(response.contentParts[0]).toMatchObject({
        citations: [{ type: 'char_location', document_title: 'facts.txt' }],
      });
      expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
    },
  );
});

describe('tools', () => {
  replay(
    'anthropic/messages-tool-use.exchange.json',
    'tool loop: tool_use → the tool runs → tool_result in the next user turn, as recorded',
    async () => {
      const file = 'anthropic/messages-tool-use.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const ran: string[] = [];
      const response = await llm.chat("What's the weather in Berlin? (52.5200, 13.4050)", {
        tools: [weatherTool(ran)],
      });
      expect(ran).toEqual(['weather 52.5200']);
      expect(response.text).toMatch(/^The weather in Berlin is currently:/);
      expect(response.toolCalls).toEqual([]);
      expect(response.toolResults?.map((result) => result.call.id)).toEqual([
        'toolu_01Ay5KzhmQYMK53svGLaAxfc',
      ]);
      expect(response.attempts).toHaveLength(2);
      expect(sentBody(fake, 0)).toEqual(comparable(recordedBody(file, 0)));
      expect(sentBody(fake, 1)).toEqual(comparable(recordedBody(file, 1)));
    },
  );

  replay(
    'anthropic/messages-parallel-tool-use.exchange.json',
    'parallel tool calls run in one round; both results go back in one user message',
    async () => {
      const file = 'anthropic/messages-parallel-tool-use.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const ran: string[] = [];
      const language: FunctionToolSpec = {
        name: 'best_language_to_learn',
        description: 'Gets the best language to learn',
        parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
        execute: async () => {
          ran.push('language');
          return 'Ruby';
        },
      };
      const response = await llm.chat(
        "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?",
        { tools: [weatherTool(ran), language] },
      );
      expect(ran.sort()).toEqual(['language', 'weather 52.5200']);
      expect(response.text).toMatch(/Ruby is a versatile and elegant programming language/);
      expect(sentBody(fake, 0)).toEqual(comparable(recordedBody(file, 0)));
      expect(sentBody(fake, 1)).toEqual(comparable(recordedBody(file, 1)));
    },
  );

  replay(
    'anthropic/messages-stream-tool-use.exchange.json',
    'streamed tool loop over two user turns: tool-call, tool-result, text; every body as recorded',
    async () => {
      const file = 'anthropic/messages-stream-tool-use.exchange.json';
      for (let interaction = 0; interaction < 4; interaction++) fake.enqueue({ fixture: file, interaction });
      const tools = [weatherTool()];
      const history: LLMMessage[] = [
        { role: 'user', content: "What's the weather in Berlin? (52.5200, 13.4050)" },
      ];
      const first = llm.stream(history, { tools });
      const firstEvents = await collect(first);
      expect(firstEvents.map((event) => event.type)).toEqual([
        'tool-call',
        'tool-result',
        'text-delta',
        'text-delta',
        'text-delta',
        'finish',
      ]);
      const firstResponse = await first.response;
      // The streamed loop's transcript, then the next question, as the recorded client sent them.
      const transcript: LLMMessage[] = [
        ...history,
        {
          role: 'assistant',
          content: '',
          toolCalls: firstResponse.toolResults?.map((result) => result.call) ?? [],
        },
        {
          role: 'tool',
          toolCallId: 'toolu_01MKSN7NHsBVKr7Jvw5pqCQq',
          name: 'weather',
          content: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h',
        },
        firstResponse.message,
        { role: 'user', content: "What's the weather in Paris? (48.8575, 2.3514)" },
      ];
      const second = llm.stream(transcript, { tools });
      const secondEvents = await collect(second);
      expect(secondEvents.filter((event) => event.type === 'tool-call')).toHaveLength(1);
      expect((await second.response).text).toMatch(/^The weather in Paris is currently:/);
      for (let index = 0; index < 4; index++) {
        expect(sentBody(fake, index)).toEqual(comparable(recordedBody(file, index)));
      }
    },
  );

  it('a forced tool choice: tool_choice { type: "tool" }; cacheControl on a tool → cache_control', async () => {
    fake.enqueue(anthropicToolUseReply([{ name: 'weather', arguments: { latitude: '1', longitude: '2' } }]));
    const tool: ToolSpec = {
      name: 'weather',
      description: 'Gets current weather for a location',
      parameters: weatherSchema,
      cacheControl: { type: 'ephemeral', ttl: '1h' },
    };
    const response = await llm.chat('weather?', { tools: [tool], toolChoice: { name: 'weather' } });
    expect(response.toolCalls).toMatchObject([
      { name: 'weather', arguments: { latitude: '1', longitude: '2' } },
    ]);
    expect(sentBody<{ tools: unknown[]; tool_choice: unknown }>(fake)).toMatchObject({
      tools: [{ name: 'weather', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      tool_choice: { type: 'tool', name: 'weather' },
    });
  });

  it('count-tokens recordings: the request mapping equals the recorded count_tokens bodies', async () => {
    // count_tokens has no client call (API.md §2); its recorded bodies pin the mapping of system, tools and turns.
    const file = 'anthropic/count-tokens.exchange.json';
    fake.enqueue(anthropicMessageReply('Paris.'), anthropicMessageReply('Paris.'));
    await llm.chat('What is the capital of France?');
    const tool: ToolSpec = {
      name: 'counting_weather',
      description: 'Gets current weather for a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', description: 'City name' } },
        required: ['city'],
        additionalProperties: false,
      },
    };
    await llm.chat('What is the capital of France?', { instruction: 'Be terse.', tools: [tool] });
    for (const index of [0, 1]) {
      const { max_tokens: _max, ...sent } = sentBody<Record<string, unknown>>(fake, index);
      expect(sent).toEqual(comparable(recordedBody(file, index)));
    }
  });
  coverage.replay('anthropic/count-tokens.exchange.json', 'mapping pinned above', async () => {
    expect(interactionsOf('anthropic/count-tokens.exchange.json').map((i) => i.response.body)).toEqual([
      '{"input_tokens":14}',
      '{"input_tokens":588}',
    ]);
  });
});

describe('thinking', () => {
  replay(
    'anthropic/messages-thinking.exchange.json',
    'thinking round trip: signature kept, replayed next turn, dropped for another provider',
    async () => {
      const file = 'anthropic/messages-thinking.exchange.json';
      fake.enqueue({ fixture: file });
      const question = userText(file);
      const first = await llm.chat(question, { config: { reasoning: { budgetTokens: 1024 } } });
      expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
      expect(first.contentParts.map((part) => part.type)).toEqual(['thought', 'text']);
      expect(first.contentParts[0]).toMatchObject({ thoughtSignature: expect.stringMatching(SIGNATURE) });
      expect(first.thoughtText).toMatch(/^This is a clever puzzle/);
      expect(first.usage).toMatchObject({ reasoningTokens: 456 });
      expect(first.message.model).toBe(HAIKU);

      // A session-like second turn: the thinking block goes back with its signature, unchanged.
      fake.enqueue(anthropicMessageReply('Sure.'));
      const history: LLMMessage[] = [
        { role: 'user', content: question },
        first.message,
        { role: 'user', content: 'Go on.' },
      ];
      await llm.generate(history, { config: { reasoning: { budgetTokens: 1024 } } });
      const replayed = sentBody<{ messages: { content: Record<string, unknown>[] }[] }>(fake).messages[1];
      const recordedAnswer = JSON.parse(interactionsOf(file)[0]?.response.body ?? '{}') as {
        content: unknown[];
      };
      expect(replayed?.content).toEqual(recordedAnswer.content);

      // The same history, but the turn came from another provider: no thinking block is sent.
      fake.enqueue(anthropicMessageReply('Sure.'));
      const foreign = await llm.generate([
        history[0] as LLMMessage,
        { ...first.message, model: 'Gemini/gemini-2.5-flash' },
        history[2] as LLMMessage,
      ]);
      const sent = sentBody<{ messages: { content: { type: string }[] }[] }>(fake).messages[1];
      expect(sent?.content.map((block) => block.type)).toEqual(['text']);
      expect(foreign.warnings).toEqual([
        expect.stringMatching(/thought part\(s\) without an Anthropic signature not replayed/),
      ]);
    },
  );

  replay(
    'anthropic/messages-stream-thinking.exchange.json',
    'streamed thinking: reasoning deltas before text deltas; the signature on the thought part',
    async () => {
      const file = 'anthropic/messages-stream-thinking.exchange.json';
      fake.enqueue({ fixture: file });
      const stream = llm.stream(userText(file), { config: { reasoning: { budgetTokens: 1024 } } });
      const events = await collect(stream);
      const kinds = events.map((event) => event.type);
      expect(kinds.lastIndexOf('reasoning-delta')).toBeLessThan(kinds.indexOf('text-delta'));
      expect(reasoningOf(events)).toHaveLength(13);
      const response = await stream.response;
      expect(response.thoughtText).toBe(reasoningOf(events).join(''));
      expect(response.text).toBe(textsOf(events).join(''));
      expect(response.contentParts[0]).toMatchObject({
        type: 'thought',
        thoughtSignature: expect.stringMatching(SIGNATURE),
      });
      expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
    },
  );

  replay(
    'anthropic/messages-redacted-thinking.exchange.json',
    'redacted thinking kept opaque and replayed unchanged in the second turn (as recorded)',
    async () => {
      const file = 'anthropic/messages-redacted-thinking.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const config = { reasoning: { budgetTokens: 1024 } };
      const question = userText(file);
      const first = await llm.chat(question, { model: SONNET, config });
      expect(first.contentParts[0]).toEqual({
        type: 'thought',
        text: '',
        redactedData: expect.stringMatching(/^EvgF/),
      });
      expect(first.thoughtText).toBeUndefined();
      const second = await llm.generate(
        [{ role: 'user', content: question }, first.message, { role: 'user', content: 'What was that?' }],
        { model: SONNET, config },
      );
      expect(second.text).toMatch(/^That message appeared to be an attempt/);
      expect(sentBody(fake, 0)).toEqual(comparable(recordedBody(file, 0)));
      expect(sentBody(fake, 1)).toEqual(comparable(recordedBody(file, 1)));
    },
  );

  replay(
    'anthropic/messages-stream-redacted-thinking.exchange.json',
    'streamed redacted thinking: whole blocks, no reasoning deltas, then text',
    async () => {
      const file = 'anthropic/messages-stream-redacted-thinking.exchange.json';
      fake.enqueue({ fixture: file });
      const stream = llm.stream(userText(file), {
        model: SONNET,
        config: { reasoning: { budgetTokens: 1024 } },
      });
      const events = await collect(stream);
      expect(reasoningOf(events)).toEqual([]);
      const response = await stream.response;
      expect(response.contentParts.map((part) => part.type)).toEqual(['thought', 'thought', 'text']);
      expect(response.text).toBe(textsOf(events).join(''));
      expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
    },
  );
});

describe('server tools', () => {
  replay(
    'anthropic/messages-web-search.exchange.json',
    'search tool: server blocks kept as provider_data, grounding; the next turn replays them unchanged',
    async () => {
      const file = 'anthropic/messages-web-search.exchange.json';
      fake.enqueue({ fixture: file });
      const question = userText(file);
      const first = await llm.chat(question, { tools: [geminiGoogleSearch()] });
      expect(sentBody<{ tools: unknown }>(fake).tools).toEqual([
        { type: 'web_search_20250305', name: 'web_search' },
      ]);
      expect(sentBody<{ messages: unknown }>(fake).messages).toEqual(recordedBody(file).messages);
      expect(first.contentParts.slice(0, 2).map((part) => part.type)).toEqual([
        'provider_data',
        'provider_data',
      ]);
      expect(first.toolCalls).toEqual([]);
      expect(first.grounding?.queries).toEqual(['latest stable Ruby version 2026']);
      expect(first.text).toMatch(/Ruby/);
      fake.enqueue(anthropicMessageReply('OK.'));
      await llm.generate(
        [{ role: 'user', content: question }, first.message, { role: 'user', content: 'OK?' }],
        {
          tools: [geminiGoogleSearch()],
        },
      );
      const answer = JSON.parse(interactionsOf(file)[0]?.response.body ?? '{}') as { content: unknown[] };
      expect(sentBody<{ messages: { content: unknown }[] }>(fake).messages[1]?.content).toEqual(
        answer.content,
      );
    },
  );

  replay(
    'anthropic/messages-stream-web-search.exchange.json',
    'streamed search, then the recorded follow-up: the assistant turn goes back exactly as recorded',
    async () => {
      const file = 'anthropic/messages-stream-web-search.exchange.json';
      fake.enqueue({ fixture: file, interaction: 0 }, { fixture: file, interaction: 1 });
      const question = userText(file);
      const stream = llm.stream(question, { tools: [geminiGoogleSearch()] });
      const events = await collect(stream);
      expect(events.some((event) => event.type === 'tool-call')).toBe(false);
      const first = await stream.response;
      const second = await llm.generate(
        [
          { role: 'user', content: question },
          first.message,
          { role: 'user', content: 'Thanks. Now just say OK.' },
        ],
        { tools: [geminiGoogleSearch()] },
      );
      expect(second.text).toBe('OK.');
      expect(sentBody<{ messages: unknown }>(fake, 1).messages).toEqual(recordedBody(file, 1).messages);
    },
  );

  replay(
    'anthropic/messages-code-execution.exchange.json',
    'code(): the code-execution server tool; its blocks kept in order before the text',
    async () => {
      const file = 'anthropic/messages-code-execution.exchange.json';
      fake.enqueue({ fixture: file });
      const response = await llm.code(userText(file));
      expect(sentBody<{ tools: unknown }>(fake).tools).toEqual([
        { type: 'code_execution_20250825', name: 'code_execution' },
      ]);
      expect(
        response.contentParts.map((part) => (part.type === 'provider_data' ? part.data.type : part.type)),
      ).toEqual(['server_tool_use', 'bash_code_execution_tool_result', 'text']);
      expect(response.text).toMatch(/121932631112635269/);
    },
  );
});

describe('structured output', () => {
  const Person = z.object({ name: z.string(), age: z.number().int() });

  replay(
    'anthropic/messages-structured-output.exchange.json',
    'native: output_config.format from the zod schema, the JSON text parsed and validated',
    async () => {
      const file = 'anthropic/messages-structured-output.exchange.json';
      fake.enqueue({ fixture: file });
      const person = await llm.generateStructured('Generate a person named John who is 30 years old', Person);
      expect(person).toEqual({ name: 'John', age: 30 });
      expect(sentBody(fake)).toEqual(comparable(recordedBody(file)));
    },
  );

  it('a model without native output: a forced tool call whose input is the value', async () => {
    fake.enqueue(
      anthropicToolUseReply([{ name: 'return_structured_response', arguments: { name: 'Ann', age: 7 } }]),
    );
    const person = await llm.generateStructured('Ann, 7', Person, {
      model: 'Anthropic/claude-3-5-haiku-20241022',
    });
    expect(person).toEqual({ name: 'Ann', age: 7 });
    expect(sentBody(fake)).toMatchObject({
      tools: [{ name: 'return_structured_response', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'return_structured_response' },
    });
  });
});

describe('refusals and errors', () => {
  replay(
    'anthropic/messages-refusal.json',
    'stop_reason refusal → CONTENT_FILTERED, not retried',
    async () => {
      fake.enqueue({ fixture: 'anthropic/messages-refusal.json' });
      const error = await rejectionOf(llm.chat('hi', { model: 'Anthropic/claude-fable-5' }));
      expect(error.code).toBe('CONTENT_FILTERED');
      expect(error.details).toMatchObject({ stopDetails: { category: 'cyber' } });
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay('anthropic/messages-stream-refusal.chunks.txt', 'streamed refusal → one error event', async () => {
    fake.enqueue({ fixture: 'anthropic/messages-stream-refusal.chunks.txt' });
    const events = await collect(llm.stream('hi', { model: 'Anthropic/claude-fable-5' }));
    expect(events.map((event) => event.type)).toEqual(['error']);
    expect(finalError(events).code).toBe('CONTENT_FILTERED');
  });

  replay(
    'anthropic/error-529-overloaded.issue.json',
    '529 overloaded is retried like a 5xx (soft cooldown, next key), then answers',
    async () => {
      fake.enqueue(
        { fixture: 'anthropic/error-529-overloaded.issue.json' },
        anthropicMessageReply('recovered'),
      );
      const response = await llm.chat('hi');
      expect(response.text).toBe('recovered');
      expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
        'API_SERVER_ERROR',
        200,
      ]);
      expect(response.attempts[0]?.status).toBe(529);
    },
  );

  it('529 on every attempt → API_SERVER_ERROR after maxRetries over soft-cooling keys, status 529 kept', async () => {
    const file = 'anthropic/error-529-overloaded.issue.json';
    fake.enqueue({ fixture: file }, { fixture: file }, { fixture: file }, { fixture: file });
    const error = await rejectionOf(llm.chat('hi', { timeoutMs: 5000 }));
    expect(error).toMatchObject({ code: 'API_SERVER_ERROR', status: 529, retryable: true });
    expect(error.attempts?.map((attempt) => attempt.code)).toEqual([
      'API_SERVER_ERROR',
      'API_SERVER_ERROR',
      'API_SERVER_ERROR',
      'API_SERVER_ERROR',
    ]);
    // A 529 only soft-cools its key: each retry takes the key with fewer consecutive failures.
    expect(new Set(fake.requests.map((request) => request.apiKey)).size).toBe(2);
  });

  replay(
    'anthropic/error-429-rate-limit.issue.json',
    '429 rate_limit_error → API_RATE_LIMITED with the retry-after hint; the retry takes the other key',
    async () => {
      fake.enqueue(
        { fixture: 'anthropic/error-429-rate-limit.issue.json', headers: { 'retry-after': '30' } },
        anthropicMessageReply('ok'),
      );
      const response = await llm.chat('hi');
      expect(response.text).toBe('ok');
      expect(response.attempts[0]).toMatchObject({ code: 'API_RATE_LIMITED', status: 429 });
      const [limited, next] = fake.requests.map((request) => request.apiKey);
      expect(next).not.toBe(limited);
    },
  );

  replay(
    'anthropic/error-401-authentication.exchange.json',
    '401 authentication_error → API_KEY_INVALID: key disabled, the call moves to the other key',
    async () => {
      fake.enqueue({ fixture: 'anthropic/error-401-authentication.exchange.json' });
      const response = await llm.chat('Hello');
      expect(response.text).toBe('echo: Hello');
      expect(response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
        'API_KEY_INVALID',
        200,
      ]);
      const disabled = (await llm.keys.stats('Anthropic')).filter((key) => key.status === 'disabled');
      expect(disabled.map((key) => key.keyId)).toEqual([response.attempts[0]?.keyId]);
    },
  );

  replay(
    ['anthropic/error-404-model-not-found.exchange.json', 'anthropic/count-tokens-error-404.exchange.json'],
    '404 not_found_error → MODEL_NOT_FOUND, not retried',
    async () => {
      for (const file of [
        'anthropic/error-404-model-not-found.exchange.json',
        'anthropic/count-tokens-error-404.exchange.json',
      ]) {
        fake.clearRequests();
        fake.enqueue({ fixture: file });
        const error = await rejectionOf(llm.chat('hello', { model: 'Anthropic/claude-sonet-4-5' }));
        expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', status: 404 });
        expect(error.message).toMatch(/not_found|model: claude-/);
        expect(fake.requests).toHaveLength(1);
      }
    },
  );

  replay(
    'anthropic/error-400-prompt-too-long.exchange.json',
    '400 "prompt is too long" → CONTEXT_LENGTH_EXCEEDED, not retried',
    async () => {
      fake.enqueue({ fixture: 'anthropic/error-400-prompt-too-long.exchange.json' });
      const error = await rejectionOf(llm.chat('Hi'));
      expect(error.code).toBe('CONTEXT_LENGTH_EXCEEDED');
      expect(error.message).toMatch(/prompt is too long: 3333404 tokens > 200000 maximum/);
      expect(fake.requests).toHaveLength(1);
    },
  );

  replay(
    'anthropic/error-400-invalid-request.exchange.json',
    '400 invalid_request_error → INVALID_PARAMETER, not retried',
    async () => {
      fake.enqueue({ fixture: 'anthropic/error-400-invalid-request.exchange.json' });
      const error = await rejectionOf(
        llm.chat('What is 2+2?', {
          model: 'Anthropic/claude-opus-4-6',
          config: { customParams: { output_config: { effort: 'xhigh' } } },
        }),
      );
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(fake.requests).toHaveLength(1);
      expect(sentBody(fake)).toEqual(
        comparable(recordedBody('anthropic/error-400-invalid-request.exchange.json')),
      );
    },
  );

  replay(
    'anthropic/stream-error-overloaded.issue.sse.txt',
    'a 200 stream holding only event: error (overloaded) → one error event, API_SERVER_ERROR',
    async () => {
      fake.enqueue({ fixture: 'anthropic/stream-error-overloaded.issue.sse.txt' });
      const stream = llm.stream('hi');
      const events = await collect(stream);
      expect(events.map((event) => event.type)).toEqual(['error']);
      expect(finalError(events).code).toBe('API_SERVER_ERROR');
      await expect(stream.response).rejects.toMatchObject({ code: 'API_SERVER_ERROR' });
    },
  );

  replay(
    'anthropic/stream-error-mid-stream-api-error.issue.sse.txt',
    'deltas, then event: error (api_error) → the deltas, then one error event',
    async () => {
      fake.enqueue({ fixture: 'anthropic/stream-error-mid-stream-api-error.issue.sse.txt' });
      const events = await collect(llm.stream('hi'));
      expect(textsOf(events)).toEqual(['d with a replacement character', ' (']);
      expect(finalError(events).code).toBe('API_SERVER_ERROR');
    },
  );
});

describe('coverage', () => {
  it('every Anthropic recording is replayed through the client above', () => {
    expect(coverage.unknown()).toEqual([]);
    expect(coverage.missing()).toEqual([]);
  });

  it('the recordings are where the suite expects them', () => {
    expect(fixtureText('anthropic/messages-refusal.json')).toContain('"stop_reason": "refusal"');
  });
});

it('llm.search() and llm.code() attach the server tools', async () => {
  fake.enqueue(anthropicMessageReply('a'), anthropicMessageReply('b'));
  await llm.search('ruby?');
  expect(sentBody<{ tools: unknown }>(fake).tools).toEqual([
    { type: 'web_search_20250305', name: 'web_search' },
  ]);
  await llm.code('1+1', { tools: [geminiCodeExecution()] });
  expect(sentBody<{ tools: unknown[] }>(fake).tools).toHaveLength(1);
});

describe('histories across providers', () => {
  it('an Anthropic turn sent to OpenAI and Gemini: server blocks, signatures and redacted thinking are dropped; cacheControl warns', async () => {
    const mixed = clientFor([
      ...providers(fake.anthropicBase),
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-3'],
        models: ['gpt-4o-mini'],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fake.geminiBase,
        apiKeys: ['test-key-4'],
        models: ['gemini-2.5-flash'],
      },
    ]);
    try {
      const turn: LLMMessage = {
        role: 'assistant',
        model: HAIKU,
        content: [
          { type: 'thought', text: 'thinking', thoughtSignature: 'sig' },
          { type: 'thought', text: '', redactedData: 'opaque' },
          {
            type: 'provider_data',
            apiType: 'anthropic',
            data: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
          },
          {
            type: 'text',
            text: 'Answer.',
            citations: [{ type: 'web_search_result_location', url: 'https://x.dev' }],
          },
        ],
      };
      const history: LLMMessage[] = [
        {
          role: 'system',
          content: [{ type: 'text', text: 'Long rules.', cacheControl: { type: 'ephemeral' } }],
        },
        { role: 'user', content: 'q' },
        turn,
        { role: 'user', content: 'next' },
      ];
      const openai = await mixed.generate(history, { model: 'OpenAI/gpt-4o-mini' });
      const sentOpenAI = fake.lastRequest?.body as { messages: { role: string; content: unknown }[] };
      expect(sentOpenAI.messages[2]).toMatchObject({ role: 'assistant', content: 'Answer.' });
      expect(JSON.stringify(sentOpenAI)).not.toMatch(/srvtoolu_1|opaque|sig|cache_control|citations/);
      expect(openai.warnings).toEqual([
        'OpenAI has no prompt caching marks; cacheControl ignored on 1 part(s)/tool(s)',
      ]);
      const gemini = await mixed.generate(history, { model: 'Gemini/gemini-2.5-flash' });
      const sentGemini = JSON.stringify(fake.lastRequest?.body);
      expect(sentGemini).not.toMatch(/srvtoolu_1|opaque|"sig"|cache_control|citations/);
      expect(sentGemini).toContain('Answer.');
      expect(gemini.warnings).toEqual([
        'Gemini has no prompt caching marks; cacheControl ignored on 1 part(s)/tool(s)',
      ]);
      // Anthropic itself gets every artefact back and no warning.
      fake.enqueue(anthropicMessageReply('ok'));
      const anthropic = await mixed.generate(history);
      expect(anthropic.warnings).toEqual([]);
      expect(
        sentBody<{ messages: { content: { type: string }[] }[] }>(fake).messages[1]?.content.map(
          (block) => block.type,
        ),
      ).toEqual(['thinking', 'redacted_thinking', 'server_tool_use', 'text']);
    } finally {
      await mixed.close();
    }
  });
});
