import { readFileSync } from 'node:fs';
import { SseDecoder } from '../../../http/sse-decoder.js';
import type {
  ChatRequestInput,
  ChatStreamParser,
  LLMMessage,
  ModelCapabilities,
  ParsedChat,
  ProviderModel,
  StreamDelta,
} from '../../../spec/index.js';
import type { OpenAIDialectName } from '../openai-dialects.js';
import {
  arkProvider,
  deepseekProvider,
  openaiProvider,
  openrouterProvider,
  zhipuProvider,
} from '../openai-provider.js';

/** Shared helpers of the OpenAI-family tests: models, inputs, fixtures and stream replay. */

const FIXTURES = new URL('../../../../fixtures/providers/', import.meta.url);

export const CHAT_CAPABILITIES: ModelCapabilities = {
  inputModalities: ['text', 'image'],
  outputModalities: ['text'],
  toolCalling: true,
  embedding: false,
  reasoningMode: 'none',
  reasoningVisibility: 'none',
  jsonSchema: true,
  nativeTools: false,
  requiresThoughtSignatures: false,
};

export interface TestModelOptions {
  id?: string;
  dialect?: OpenAIDialectName;
  providerName?: string;
  apiBase?: string;
  endpoint?: string;
  headers?: Record<string, string>;
  capabilities?: Partial<ModelCapabilities>;
}

const DEFAULT_BASES: Record<OpenAIDialectName, string> = {
  openai: openaiProvider.defaultApiBase!,
  deepseek: deepseekProvider.defaultApiBase!,
  zhipu: zhipuProvider.defaultApiBase!,
  ark: arkProvider.defaultApiBase!,
  openrouter: openrouterProvider.defaultApiBase!,
};

/** A model as dialects see it; the base defaults to the dialect's default base. */
export function testModel(options: TestModelOptions = {}): ProviderModel {
  const id = options.id ?? 'gpt-4o-mini';
  const providerName = options.providerName ?? 'OpenAI';
  const dialect = options.dialect ?? 'openai';
  return {
    id,
    fullName: `${providerName}/${id}`,
    apiType: dialect,
    capabilities: { ...CHAT_CAPABILITIES, ...options.capabilities },
    defaults: {},
    provider: {
      name: providerName,
      apiType: dialect,
      apiBase: options.apiBase ?? DEFAULT_BASES[dialect],
      timeoutMs: 180_000,
      headers: options.headers ?? {},
    },
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
  };
}

export function chatInput(overrides: Partial<ChatRequestInput> = {}): ChatRequestInput {
  return {
    model: testModel(),
    messages: [{ role: 'user', content: 'Hello' }] satisfies LLMMessage[],
    config: {},
    tools: { functions: [], providerTools: [] },
    stream: false,
    ...overrides,
  };
}

export function fixtureText(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

export function fixtureJson(path: string): unknown {
  return JSON.parse(fixtureText(path));
}

export interface ExchangeInteraction {
  request: { method: string; url: string; body?: unknown };
  response: { status: number; body?: string; bodyJson?: unknown; headers: Record<string, unknown> };
}

export function exchangeInteractions(path: string): ExchangeInteraction[] {
  return (fixtureJson(path) as { interactions: ExchangeInteraction[] }).interactions;
}

/** A vercel/ai `.chunks.txt` (one data payload per line) as SSE text, with `[DONE]` unless told otherwise. */
export function chunksToSse(chunks: string, done = true): string {
  const lines = chunks.split('\n').filter((line) => line.trim() !== '');
  return lines.map((line) => `data: ${line}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
}

export interface StreamRun {
  deltas: StreamDelta[];
  result?: ParsedChat;
  error?: unknown;
}

/** Feeds SSE text through the real SSE decoder into a stream parser, in `pieceSize`-byte pieces. */
export function runStream(parser: ChatStreamParser, sse: string, pieceSize = 97): StreamRun {
  const deltas: StreamDelta[] = [];
  const emit = (delta: StreamDelta) => deltas.push(delta);
  const run: StreamRun = { deltas };
  let failure: unknown;
  const decoder = new SseDecoder((data, event) => {
    if (failure !== undefined) return;
    try {
      parser.push(data, event, emit);
    } catch (error) {
      failure = error;
    }
  });
  const bytes = new TextEncoder().encode(sse);
  for (let offset = 0; offset < bytes.length && failure === undefined; offset += pieceSize) {
    decoder.push(bytes.subarray(offset, offset + pieceSize));
  }
  const trailing = decoder.end();
  if (failure !== undefined) {
    run.error = failure;
    return run;
  }
  try {
    run.result = parser.finish(trailing);
  } catch (error) {
    run.error = error;
  }
  return run;
}
