import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LLMError } from '../../errors/llm-error.js';
import type { LLMUsage, ParsedChat } from '../../spec/index.js';
import { createOpenAIChatDialect } from './openai-chat-dialect.js';
import type { OpenAIDialectName } from './openai-dialects.js';
import {
  chatInput,
  chunksToSse,
  exchangeInteractions,
  fixtureJson,
  fixtureText,
  runStream,
  testModel,
} from './test-support/openai-test-kit.js';

// Every OpenAI-family recording that is a successful chat answer, JSON or stream, is replayed here.
// A new recording in these folders fails the coverage test until it gets an expectation.

const FAMILY = [
  'openai',
  'deepseek',
  'openrouter',
  'groq',
  'mistral',
  'xai',
  'azure-openai',
  'openai-compatible',
  'gemini-openai-compat',
];
// Recordings that are not chat answers, each covered elsewhere or by another dialect.
const NOT_CHAT = /^(error-|embeddings-|image-)/;

interface Expected {
  text?: string | RegExp;
  textLength?: number;
  thought?: string | RegExp;
  finishReason: ParsedChat['finishReason'];
  usage?: LLMUsage;
  toolCalls?: {
    id: string | RegExp;
    name: string;
    arguments: Record<string, unknown>;
    thoughtSignature?: RegExp;
  }[];
  textDeltas?: number;
  reasoningDeltas?: number;
  textSignature?: RegExp;
}

type Source =
  | { kind: 'json'; body: () => unknown }
  | { kind: 'stream'; sse: () => string }
  | { kind: 'error'; sse: () => string; code: string; message: RegExp };

const json = (path: string): Source => ({ kind: 'json', body: () => fixtureJson(path) });
const exchangeJson = (path: string, index: number): Source => ({
  kind: 'json',
  body: () => {
    const response = exchangeInteractions(path)[index]?.response;
    return response?.bodyJson ?? JSON.parse(response?.body ?? 'null');
  },
});
const chunks = (path: string): Source => ({ kind: 'stream', sse: () => chunksToSse(fixtureText(path)) });
const sseFile = (path: string): Source => ({ kind: 'stream', sse: () => fixtureText(path) });
const exchangeSse = (path: string, index: number): Source => ({
  kind: 'stream',
  sse: () => exchangeInteractions(path)[index]?.response.body ?? '',
});

const weatherSF = { location: 'San Francisco' };

const cases: {
  file: string;
  label: string;
  dialect: OpenAIDialectName;
  source: Source;
  expected?: Expected;
}[] = [
  {
    file: 'openai/chat-text.json',
    label: 'plain text',
    dialect: 'openai',
    source: json('openai/chat-text.json'),
    expected: {
      text: /^\*\*Holiday Name:\*\* Galaxy Day {2}\n\n\*\*Date:\*\*.*dream beyond our world\.$/s,
      finishReason: 'stop',
      usage: {
        promptTokens: 16,
        completionTokens: 363,
        totalTokens: 379,
        reasoningTokens: 0,
        cachedTokens: 0,
      },
    },
  },
  {
    file: 'openai/chat-structured-output.json',
    label: 'structured output (2024 usage shape)',
    dialect: 'openai',
    source: json('openai/chat-structured-output.json'),
    expected: {
      text: '{"city":"San Francisco","units":"c"}',
      finishReason: 'stop',
      usage: { promptTokens: 17, completionTokens: 10, totalTokens: 27 },
    },
  },
  {
    file: 'openai/chat-json-schema.exchange.json',
    label: 'json_schema answer',
    dialect: 'openai',
    source: exchangeJson('openai/chat-json-schema.exchange.json', 0),
    expected: {
      text: '{"name":"John","age":30}',
      finishReason: 'stop',
      usage: {
        promptTokens: 49,
        completionTokens: 533,
        totalTokens: 582,
        reasoningTokens: 512,
        cachedTokens: 0,
      },
    },
  },
  {
    file: 'openai/chat-parallel-tool-calls.exchange.json',
    label: 'parallel tool calls, content null',
    dialect: 'openai',
    source: exchangeJson('openai/chat-parallel-tool-calls.exchange.json', 0),
    expected: {
      text: '',
      finishReason: 'tool_calls',
      usage: {
        promptTokens: 194,
        completionTokens: 255,
        totalTokens: 449,
        reasoningTokens: 192,
        cachedTokens: 0,
      },
      toolCalls: [
        {
          id: 'call_GOotzq3y3C45fdLNjm8SXXRo',
          name: 'weather',
          arguments: { latitude: '52.5200', longitude: '13.4050' },
        },
        { id: 'call_6IvZGzhTPoSUAGUWnRx0po6X', name: 'best_language_to_learn', arguments: {} },
      ],
    },
  },
  {
    file: 'openai/chat-parallel-tool-calls.exchange.json',
    label: 'answer after the tool results',
    dialect: 'openai',
    source: exchangeJson('openai/chat-parallel-tool-calls.exchange.json', 1),
    expected: { text: /^- Berlin weather .*I can expand\.$/s, finishReason: 'stop' },
  },
  {
    file: 'openai/chat-text.chunks.txt',
    label: '303-chunk stream with a usage-only last chunk',
    dialect: 'openai',
    source: chunks('openai/chat-text.chunks.txt'),
    expected: {
      text: /^\*\*Holiday Name:\*\* Harmony Day\n\n.*mutual respect\.$/s,
      textLength: 1724,
      textDeltas: 300,
      finishReason: 'stop',
      usage: {
        promptTokens: 16,
        completionTokens: 300,
        totalTokens: 316,
        reasoningTokens: 0,
        cachedTokens: 0,
      },
    },
  },
  {
    file: 'openai/chat-stream-text.exchange.json',
    label: 'raw SSE with [DONE]',
    dialect: 'openai',
    source: exchangeSse('openai/chat-stream-text.exchange.json', 0),
    expected: {
      text: '1\n2\n3',
      textDeltas: 5,
      finishReason: 'stop',
      usage: {
        promptTokens: 13,
        completionTokens: 142,
        totalTokens: 155,
        reasoningTokens: 128,
        cachedTokens: 0,
      },
    },
  },
  {
    file: 'openai/chat-stream-tool-call.exchange.json',
    label: 'streamed tool-call argument fragments',
    dialect: 'openai',
    source: exchangeSse('openai/chat-stream-tool-call.exchange.json', 0),
    expected: {
      text: '',
      textDeltas: 0,
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', name: 'get_capital', arguments: { country: 'UK' } }],
      usage: { promptTokens: 53, completionTokens: 15, totalTokens: 68, reasoningTokens: 0, cachedTokens: 0 },
    },
  },
  {
    file: 'openai/chat-stream-tool-call.exchange.json',
    label: 'streamed answer after the tool result',
    dialect: 'openai',
    source: exchangeSse('openai/chat-stream-tool-call.exchange.json', 1),
    expected: { text: 'The capital of the UK is London.', textDeltas: 8, finishReason: 'stop' },
  },
  {
    file: 'openai/chat-stream-content-logprobs.sse.txt',
    label: 'stream with logprobs',
    dialect: 'openai',
    source: sseFile('openai/chat-stream-content-logprobs.sse.txt'),
    expected: {
      text: '{"city":"San Francisco","units":"f"}',
      textDeltas: 10,
      finishReason: 'stop',
      usage: { promptTokens: 17, completionTokens: 10, totalTokens: 27 },
    },
  },
  {
    file: 'openai/chat-stream-refusal-logprobs.sse.txt',
    label: 'streamed refusal',
    dialect: 'openai',
    source: {
      kind: 'error',
      sse: () => fixtureText('openai/chat-stream-refusal-logprobs.sse.txt'),
      code: 'CONTENT_FILTERED',
      message: /I'm very sorry, but I can't assist with that request\./,
    },
  },
  {
    file: 'azure-openai/chat-stream-content-filter.chunks.txt',
    label: 'Azure stream whose first chunk has no choices',
    dialect: 'openai',
    source: chunks('azure-openai/chat-stream-content-filter.chunks.txt'),
    expected: {
      text: 'Capital of Denmark.',
      textDeltas: 4,
      finishReason: 'stop',
      usage: {
        promptTokens: 15,
        completionTokens: 78,
        totalTokens: 93,
        reasoningTokens: 64,
        cachedTokens: 0,
      },
    },
  },
  {
    file: 'deepseek/chat-json.json',
    label: 'JSON mode with reasoning_content',
    dialect: 'deepseek',
    source: json('deepseek/chat-json.json'),
    expected: {
      text: '{\n  "location": "San Francisco",\n  "condition": "cloudy",\n  "temperature": 7\n}',
      thought: /^I have the result from the weather tool\..*Let me output the JSON object\.$/s,
      finishReason: 'stop',
      usage: {
        promptTokens: 495,
        completionTokens: 144,
        totalTokens: 639,
        reasoningTokens: 118,
        cachedTokens: 320,
      },
    },
  },
  {
    file: 'deepseek/chat-reasoning.json',
    label: 'reasoning_content and cache counters',
    dialect: 'deepseek',
    source: json('deepseek/chat-reasoning.json'),
    expected: {
      text: /^The word "strawberry" contains three instances/,
      thought: /^We are asked: "How many 'r's/,
      finishReason: 'stop',
      usage: {
        promptTokens: 18,
        completionTokens: 345,
        totalTokens: 363,
        reasoningTokens: 315,
        cachedTokens: 0,
      },
    },
  },
  {
    file: 'deepseek/chat-tool-call.json',
    label: 'tool call with index in the message',
    dialect: 'deepseek',
    source: json('deepseek/chat-tool-call.json'),
    expected: {
      text: '',
      thought: /^The user is asking for the weather in San Francisco\./,
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'call_00_9V0vrf86Pc9aelHCJMZqnJBo', name: 'weather', arguments: weatherSF }],
      usage: {
        promptTokens: 339,
        completionTokens: 92,
        totalTokens: 431,
        reasoningTokens: 48,
        cachedTokens: 320,
      },
    },
  },
  {
    file: 'deepseek/chat-reasoning.chunks.txt',
    label: 'reasoning deltas, usage on the finish chunk',
    dialect: 'deepseek',
    source: chunks('deepseek/chat-reasoning.chunks.txt'),
    expected: {
      text: 'The word "strawberry" contains three "r"s.',
      textDeltas: 13,
      reasoningDeltas: 205,
      thought: /^We need to count the number of the letter "r"/,
      finishReason: 'stop',
      usage: {
        promptTokens: 18,
        completionTokens: 219,
        totalTokens: 237,
        reasoningTokens: 205,
        cachedTokens: 0,
      },
    },
  },
  {
    file: 'deepseek/chat-stream-text.exchange.json',
    label: 'raw DeepSeek SSE',
    dialect: 'deepseek',
    source: exchangeSse('deepseek/chat-stream-text.exchange.json', 0),
    expected: {
      text: '1, 2, 3.',
      textDeltas: 8,
      finishReason: 'stop',
      usage: { promptTokens: 11, completionTokens: 8, totalTokens: 19, cachedTokens: 0 },
    },
  },
  {
    file: 'deepseek/chat-tool-call.chunks.txt',
    label: 'streamed tool call after reasoning',
    dialect: 'deepseek',
    source: chunks('deepseek/chat-tool-call.chunks.txt'),
    expected: {
      text: '',
      reasoningDeltas: 39,
      thought: /^The user is asking for the weather in San Francisco\. I need /,
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', name: 'weather', arguments: weatherSF }],
      usage: {
        promptTokens: 339,
        completionTokens: 83,
        totalTokens: 422,
        reasoningTokens: 39,
        cachedTokens: 320,
      },
    },
  },
  {
    file: 'groq/chat-tool-call.json',
    label: 'message without a content key',
    dialect: 'openai',
    source: json('groq/chat-tool-call.json'),
    expected: {
      text: '',
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'ax9fskhev', name: 'weather', arguments: {} }],
      usage: { promptTokens: 218, completionTokens: 15, totalTokens: 233 },
    },
  },
  {
    file: 'groq/chat-tool-call.chunks.txt',
    label: 'whole tool call in one delta',
    dialect: 'openai',
    source: chunks('groq/chat-tool-call.chunks.txt'),
    expected: {
      text: '',
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'tk85n1k4m', name: 'weather', arguments: {} }],
      usage: { promptTokens: 210, completionTokens: 15, totalTokens: 225 },
    },
  },
  {
    file: 'groq/error-400-tool-use-failed.exchange.json',
    label: 'retry after tool_use_failed: message.reasoning and a tool call',
    dialect: 'openai',
    source: exchangeJson('groq/error-400-tool-use-failed.exchange.json', 1),
    expected: {
      text: '',
      thought: 'We need to call with correct param: name field. Use some name, e.g., "test".',
      finishReason: 'tool_calls',
      toolCalls: [
        {
          id: 'fc_311ba17b-89f9-48d3-8fd9-7e74a1264855',
          name: 'get_something_by_name',
          arguments: { name: 'test' },
        },
      ],
      usage: { promptTokens: 301, completionTokens: 52, totalTokens: 353, reasoningTokens: 22 },
    },
  },
  {
    file: 'groq/error-400-tool-use-failed.exchange.json',
    label: 'final answer with message.reasoning',
    dialect: 'openai',
    source: exchangeJson('groq/error-400-tool-use-failed.exchange.json', 2),
    expected: {
      text: /^The first call failed due to missing and extra parameters/,
      thought: /^We need to respond to user request\./,
      finishReason: 'stop',
      usage: {
        promptTokens: 336,
        completionTokens: 96,
        totalTokens: 432,
        reasoningTokens: 59,
        cachedTokens: 256,
      },
    },
  },
  {
    file: 'mistral/chat-tool-call.json',
    label: 'tool call without a type',
    dialect: 'openai',
    source: json('mistral/chat-tool-call.json'),
    expected: {
      text: '',
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'gSIMJiOkT', name: 'weather', arguments: weatherSF }],
      usage: { promptTokens: 124, completionTokens: 22, totalTokens: 146 },
    },
  },
  {
    file: 'xai/chat-tool-call-reasoning.json',
    label: 'reasoning_content with a tool call',
    dialect: 'openai',
    source: json('xai/chat-tool-call-reasoning.json'),
    expected: {
      text: '',
      thought: /^First, the user is asking about the weather in San Francisco\./,
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'call_46427107', name: 'weather', arguments: weatherSF }],
      usage: {
        promptTokens: 307,
        completionTokens: 26,
        totalTokens: 588,
        reasoningTokens: 255,
        cachedTokens: 244,
      },
    },
  },
  {
    file: 'openrouter/chat-stream-comments-and-error.exchange.json',
    label: 'comment lines, reasoning, then an error object inside the 200 stream',
    dialect: 'openrouter',
    source: {
      kind: 'error',
      sse: () =>
        exchangeInteractions('openrouter/chat-stream-comments-and-error.exchange.json')[0]?.response.body ??
        '',
      // error.code 400 inside the 200 stream: classified like an HTTP 400.
      code: 'INVALID_PARAMETER',
      message: /Token limit reached/,
    },
  },
  {
    file: 'openai-compatible/stream-tool-call-index-1.sse.txt',
    label: 'text, then a tool call starting at index 1',
    dialect: 'openai',
    source: sseFile('openai-compatible/stream-tool-call-index-1.sse.txt'),
    expected: {
      text: 'Reading it.',
      textDeltas: 2,
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'toolu_sanitized', name: 'read_file', arguments: { path: 'a.txt' } }],
    },
  },
  {
    file: 'gemini-openai-compat/chat-tool-call-empty-id.exchange.json',
    label: 'empty tool-call id, message-level thought signature',
    dialect: 'openai',
    source: exchangeJson('gemini-openai-compat/chat-tool-call-empty-id.exchange.json', 0),
    expected: {
      text: '',
      finishReason: 'tool_calls',
      toolCalls: [
        {
          id: /^call_[0-9a-f]{24}$/,
          name: 'get_current_time',
          arguments: {},
          thoughtSignature: /^AVSoXO4AzAXs/,
        },
      ],
      usage: { promptTokens: 35, completionTokens: 12, totalTokens: 109 },
    },
  },
  {
    file: 'gemini-openai-compat/chat-tool-call-empty-id.exchange.json',
    label: 'text answer carrying the signature',
    dialect: 'openai',
    source: exchangeJson('gemini-openai-compat/chat-tool-call-empty-id.exchange.json', 1),
    expected: { text: 'The current time is Noon.', textSignature: /^AVSoXO4\/lu90/, finishReason: 'stop' },
  },
];

function matches(actual: string | undefined, expected: string | RegExp): void {
  if (typeof expected === 'string') expect(actual).toBe(expected);
  else expect(actual).toMatch(expected);
}

function check(parsed: ParsedChat, expected: Expected): void {
  if (expected.text !== undefined) matches(parsed.text, expected.text);
  if (expected.textLength !== undefined) expect(parsed.text).toHaveLength(expected.textLength);
  if (expected.thought !== undefined) {
    matches(parsed.thoughtText, expected.thought);
    expect(parsed.contentParts[0]).toEqual({ type: 'thought', text: parsed.thoughtText });
  } else expect(parsed.thoughtText).toBeUndefined();
  expect(parsed.finishReason).toBe(expected.finishReason);
  if (expected.usage !== undefined) expect(parsed.usage).toEqual(expected.usage);
  const calls = expected.toolCalls ?? [];
  expect(parsed.toolCalls).toHaveLength(calls.length);
  calls.forEach((call, index) => {
    const actual = parsed.toolCalls[index];
    matches(actual?.id, call.id);
    expect(actual?.name).toBe(call.name);
    expect(actual?.arguments).toEqual(call.arguments);
    expect(JSON.parse(actual?.rawArguments || '{}')).toEqual(call.arguments);
    if (call.thoughtSignature !== undefined) matches(actual?.thoughtSignature, call.thoughtSignature);
  });
  const textPart = parsed.contentParts.find((part) => part.type === 'text');
  if (parsed.text === '') expect(textPart).toBeUndefined();
  else
    expect(textPart).toEqual({
      type: 'text',
      text: parsed.text,
      ...(expected.textSignature !== undefined
        ? { thoughtSignature: expect.stringMatching(expected.textSignature) }
        : {}),
    });
  expect(parsed.warnings).toEqual([]);
}

describe('OpenAI-family recordings', () => {
  it('every successful chat recording of the family has an expectation here', () => {
    const covered = new Set(cases.map((testCase) => testCase.file));
    const recorded = FAMILY.flatMap((folder) =>
      readdirSync(new URL(`../../../fixtures/providers/${folder}/`, import.meta.url))
        .filter((file) => !NOT_CHAT.test(file))
        .map((file) => `${folder}/${file}`),
    );
    expect(recorded.filter((file) => !covered.has(file))).toEqual([]);
    // Success interactions inside error exchanges are replayed too (groq tool_use_failed retry).
    expect(covered.has('groq/error-400-tool-use-failed.exchange.json')).toBe(true);
  });

  for (const testCase of cases) {
    it(`${testCase.file}: ${testCase.label}`, () => {
      const model = testModel({ dialect: testCase.dialect, providerName: 'P' });
      const dialect = createOpenAIChatDialect(testCase.dialect);
      const input = chatInput({ model, stream: testCase.source.kind !== 'json' });
      const { source } = testCase;
      if (source.kind === 'json') {
        const body = source.body();
        const request = dialect.buildChatRequest(input).value;
        expect(() => request.checkBody?.(body)).not.toThrow();
        check(dialect.parseChatResponse(body, input), testCase.expected as Expected);
        return;
      }
      const run = runStream(dialect.createStreamParser(input), source.sse());
      if (source.kind === 'error') {
        expect(run.error).toBeInstanceOf(LLMError);
        expect((run.error as LLMError).code).toBe(source.code);
        expect((run.error as LLMError).message).toMatch(source.message);
        return;
      }
      expect(run.error).toBeUndefined();
      const expected = testCase.expected as Expected;
      const result = run.result as ParsedChat;
      check(result, expected);
      const texts = run.deltas.flatMap((delta) => (delta.type === 'text-delta' ? [delta.text] : []));
      const thoughts = run.deltas.flatMap((delta) => (delta.type === 'reasoning-delta' ? [delta.text] : []));
      expect(texts.join('')).toBe(result.text);
      expect(thoughts.join('')).toBe(result.thoughtText ?? '');
      if (expected.textDeltas !== undefined) expect(texts).toHaveLength(expected.textDeltas);
      if (expected.reasoningDeltas !== undefined) expect(thoughts).toHaveLength(expected.reasoningDeltas);
      const emittedCalls = run.deltas.flatMap((delta) =>
        delta.type === 'tool-call' ? [delta.toolCall] : [],
      );
      expect(emittedCalls).toEqual(result.toolCalls);
    });
  }
});
