import type { LLMConfig } from '../../spec/index.js';
import {
  type FakeProvider,
  geminiReply,
  geminiStreamReply,
  openaiChatReply,
  openaiStreamReply,
  openaiToolCallReply,
  openaiToolCallStreamReply,
  type Reply,
  startFakeProvider,
} from '../../testing/index.js';
import type { CreateLLMOptions } from '../llm.js';
import { createLLM, type LLM } from '../llm.js';

/** A tool call a scripted model makes. */
export interface ScriptedCall {
  name: string;
  args?: Record<string, unknown> | string;
  id?: string;
  /** Gemini only: the part's `thoughtSignature`. */
  thoughtSignature?: string;
}

/** A tool result as the provider received it in a follow-up request. */
export interface SentToolResult {
  /** OpenAI `tool_call_id`, Gemini `functionResponse.id`. */
  id?: string;
  /** Gemini `functionResponse.name` (OpenAI tool messages carry no name). */
  name?: string;
  /** The result as JSON: OpenAI content parsed, Gemini `functionResponse.response`. */
  content: unknown;
}

/** A tool call replayed in the assistant/model turn of a follow-up request. */
export interface SentToolCall {
  id?: string;
  name: string;
  args: unknown;
  /** Gemini: the signature on the same `functionCall` part. */
  thoughtSignature?: string;
}

/** What the tests need to script one dialect and read its requests. */
export interface DialectKit {
  name: 'openai' | 'gemini';
  /** `"Provider/model"` of a non-reasoning model with function calling. */
  model: string;
  text(text: string): Reply;
  toolCalls(calls: readonly ScriptedCall[]): Reply;
  textStream(deltas: readonly string[]): Reply;
  toolCallStream(calls: readonly ScriptedCall[]): Reply;
  /** The tool results a request body carries (last tool turn). */
  toolResults(body: unknown): SentToolResult[];
  /** The tool calls of the last assistant/model turn of a request body. */
  replayedCalls(body: unknown): SentToolCall[];
  /** The function tool declarations of a request body. */
  declaredTools(body: unknown): { name: string; parameters: unknown }[];
}

type Json = Record<string, unknown>;

const asRecord = (value: unknown): Json =>
  typeof value === 'object' && value !== null ? (value as Json) : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const argsText = (args: ScriptedCall['args']) =>
  typeof args === 'string' ? args : JSON.stringify(args ?? {});

function geminiCallParts(calls: readonly ScriptedCall[]) {
  return calls.map((call) => {
    const part: Json = {
      functionCall: {
        name: call.name,
        args: typeof call.args === 'string' ? JSON.parse(call.args) : (call.args ?? {}),
        ...(call.id != null ? { id: call.id } : {}),
      },
    };
    if (call.thoughtSignature != null) part.thoughtSignature = call.thoughtSignature;
    return part;
  });
}

export const openaiKit: DialectKit = {
  name: 'openai',
  model: 'OpenAI/gpt-4o-mini',
  text: (text) => openaiChatReply(text),
  toolCalls: (calls) =>
    openaiToolCallReply(
      calls.map((call, index) => ({
        name: call.name,
        arguments: argsText(call.args),
        id: call.id ?? `call_${index + 1}`,
      })),
    ),
  textStream: (deltas) => openaiStreamReply(deltas),
  toolCallStream: (calls) =>
    openaiToolCallStreamReply(
      calls.map((call, index) => ({
        name: call.name,
        arguments: argsText(call.args),
        id: call.id ?? `call_stream_${index + 1}`,
      })),
    ),
  toolResults(body) {
    const messages = asArray(asRecord(body).messages).map(asRecord);
    const out: SentToolResult[] = [];
    for (let i = messages.length - 1; i >= 0 && messages[i]?.role === 'tool'; i--) {
      const message = messages[i] as Json;
      const text = typeof message.content === 'string' ? message.content : '';
      let content: unknown = text;
      try {
        content = JSON.parse(text);
      } catch {
        // a plain string result
      }
      out.unshift({ id: message.tool_call_id as string, content });
    }
    return out;
  },
  replayedCalls(body) {
    const messages = asArray(asRecord(body).messages).map(asRecord);
    const assistant = messages.filter((message) => message.role === 'assistant').at(-1);
    return asArray(assistant?.tool_calls).map((raw) => {
      const call = asRecord(raw);
      const fn = asRecord(call.function);
      return { id: call.id as string, name: fn.name as string, args: JSON.parse(String(fn.arguments)) };
    });
  },
  declaredTools(body) {
    return asArray(asRecord(body).tools).map((raw) => {
      const fn = asRecord(asRecord(raw).function);
      return { name: fn.name as string, parameters: fn.parameters };
    });
  },
};

export const geminiKit: DialectKit = {
  name: 'gemini',
  model: 'Gemini/gemini-2.0-flash',
  text: (text) => geminiReply(text),
  toolCalls: (calls) => geminiReply(geminiCallParts(calls)),
  textStream: (deltas) => geminiStreamReply(deltas),
  toolCallStream: (calls) => geminiStreamReply([geminiCallParts(calls)]),
  toolResults(body) {
    const contents = asArray(asRecord(body).contents).map(asRecord);
    const last = contents.at(-1);
    return asArray(last?.parts)
      .map(asRecord)
      .filter((part) => part.functionResponse != null)
      .map((part) => {
        const response = asRecord(part.functionResponse);
        const result: SentToolResult = { name: response.name as string, content: response.response };
        if (typeof response.id === 'string') result.id = response.id;
        return result;
      });
  },
  replayedCalls(body) {
    const contents = asArray(asRecord(body).contents).map(asRecord);
    const model = contents.filter((content) => content.role === 'model').at(-1);
    return asArray(model?.parts)
      .map(asRecord)
      .filter((part) => part.functionCall != null)
      .map((part) => {
        const fn = asRecord(part.functionCall);
        const call: SentToolCall = { name: fn.name as string, args: fn.args };
        if (typeof fn.id === 'string') call.id = fn.id;
        if (typeof part.thoughtSignature === 'string') call.thoughtSignature = part.thoughtSignature;
        return call;
      });
  },
  declaredTools(body) {
    return asArray(asRecord(body).tools)
      .flatMap((raw) => asArray(asRecord(raw).functionDeclarations))
      .map((raw) => {
        const fn = asRecord(raw);
        return { name: fn.name as string, parameters: fn.parametersJsonSchema ?? fn.parameters };
      });
  },
};

export const dialectKits: readonly DialectKit[] = [openaiKit, geminiKit];

/**
 * A client configured against a fake provider: OpenAI, Gemini and DeepSeek, fast retries. OpenAI and Gemini
 * have two keys each, so a retry after a 5xx (which cools its key down) goes at once to the other key.
 */
export function fakeConfig(fake: FakeProvider, overrides: Partial<LLMConfig> = {}): LLMConfig {
  return {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-1', 'test-key-2'],
        models: ['gpt-4o-mini', 'gpt-5-nano'],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fake.geminiBase,
        apiKeys: ['test-key-3', 'test-key-4'],
        models: ['gemini-2.0-flash', 'gemini-2.5-flash'],
      },
      {
        name: 'DeepSeek',
        apiType: 'deepseek',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-5'],
        models: ['deepseek-chat'],
      },
    ],
    defaultModel: 'OpenAI/gpt-4o-mini',
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  };
}

/** A fake provider and a client talking to it; `close()` both. */
export interface FakeClient {
  fake: FakeProvider;
  llm: LLM;
  close(): Promise<void>;
}

export async function startFakeClient(
  overrides: Partial<LLMConfig> = {},
  options: CreateLLMOptions = {},
): Promise<FakeClient> {
  const fake = await startFakeProvider();
  const llm = createLLM(fakeConfig(fake, overrides), options);
  return {
    fake,
    llm,
    async close() {
      await llm.close();
      await fake.close();
    },
  };
}

/** The JSON bodies of the chat requests a fake received, oldest first. */
export function chatBodies(fake: FakeProvider): Json[] {
  return fake.requests
    .filter((request) => /chat\/completions|:generateContent|:streamGenerateContent/.test(request.path))
    .map((request) => asRecord(request.body));
}
