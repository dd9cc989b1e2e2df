import { readFileSync } from 'node:fs';
import { SseDecoder } from '../../../http/sse-decoder.js';
import type {
  ChatRequestInput,
  ChatStreamParser,
  ModelCapabilities,
  ParsedChat,
  ProviderModel,
  StreamDelta,
} from '../../../spec/index.js';
import { geminiProvider } from '../gemini-provider.js';

const ROOT = new URL('../../../../fixtures/providers/', import.meta.url);

/** Text of a recording under `fixtures/providers/` (e.g. `gemini/generate-code-execution.json`). */
export function fixtureText(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

export function fixtureJson(path: string): unknown {
  return JSON.parse(fixtureText(path));
}

export interface ExchangeInteraction {
  request: { method: string; url: string; headers: Record<string, unknown>; body?: unknown };
  response: {
    status: number;
    headers: Record<string, unknown>;
    body?: string;
    bodyJson?: unknown;
    sseEvents?: unknown[];
  };
}

export function exchange(path: string): ExchangeInteraction[] {
  return (fixtureJson(path) as { interactions: ExchangeInteraction[] }).interactions;
}

/** The parsed response body of an interaction (`body` string or `bodyJson`). */
export function responseJson(interaction: ExchangeInteraction): unknown {
  const { body, bodyJson } = interaction.response;
  return body != null ? JSON.parse(body) : bodyJson;
}

/** The SSE body of an interaction: `body` verbatim, or `sseEvents` framed as Gemini does (`\r\n\r\n`). */
export function responseSse(interaction: ExchangeInteraction): string {
  const { body, sseEvents } = interaction.response;
  if (body != null) return body;
  if (sseEvents == null) throw new Error('interaction has no SSE body');
  return sseEvents.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join('');
}

/** A `.chunks.txt` recording (one JSON payload per line) re-framed as Gemini SSE. */
export function chunksToSse(path: string): string {
  return fixtureText(path)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `data: ${line}\r\n\r\n`)
    .join('');
}

export interface StreamRun {
  deltas: StreamDelta[];
  result?: ParsedChat;
  error?: unknown;
}

/**
 * Runs an SSE body through the real decoder and a stream parser, in small byte chunks (so events
 * split across reads), and collects what was emitted before the end (or the error).
 */
export function runStream(parser: ChatStreamParser, sse: string, chunkSize = 97): StreamRun {
  const deltas: StreamDelta[] = [];
  const run: StreamRun = { deltas };
  let failure: unknown;
  const decoder = new SseDecoder((data, event) => {
    if (failure != null) return;
    try {
      parser.push(data, event, (delta) => deltas.push(delta));
    } catch (error) {
      failure = error;
    }
  });
  const bytes = new TextEncoder().encode(sse);
  for (let i = 0; i < bytes.length && failure == null; i += chunkSize)
    decoder.push(bytes.slice(i, i + chunkSize));
  const trailing = decoder.end();
  if (failure != null) {
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

const BASE_CAPABILITIES: ModelCapabilities = {
  inputModalities: ['text', 'image', 'audio', 'video'],
  outputModalities: ['text'],
  toolCalling: true,
  embedding: false,
  reasoningMode: 'budget',
  reasoningVisibility: 'visible',
  jsonSchema: true,
  nativeTools: true,
  requiresThoughtSignatures: false,
};

/** Capabilities by family, as the registry is expected to report them. */
export function capabilitiesFor(id: string): ModelCapabilities {
  if (id.includes('embedding')) {
    return {
      ...BASE_CAPABILITIES,
      embedding: true,
      reasoningMode: 'none',
      reasoningVisibility: 'none',
      nativeTools: false,
    };
  }
  if (id.includes('image')) {
    return {
      ...BASE_CAPABILITIES,
      outputModalities: ['text', 'image'],
      reasoningMode: 'none',
      reasoningVisibility: 'none',
      nativeTools: false,
    };
  }
  if (/gemini-3/.test(id))
    return { ...BASE_CAPABILITIES, reasoningMode: 'level', requiresThoughtSignatures: true };
  if (/gemini-2\.5/.test(id)) return BASE_CAPABILITIES;
  return { ...BASE_CAPABILITIES, reasoningMode: 'none', reasoningVisibility: 'none' };
}

/** A resolved Gemini model for tests (provider `Gemini`, no real key). */
export function geminiModel(
  id: string,
  overrides: {
    apiBase?: string;
    capabilities?: Partial<ModelCapabilities>;
    endpoint?: string;
    provider?: string;
  } = {},
): ProviderModel {
  const capabilities = { ...capabilitiesFor(id), ...overrides.capabilities };
  const providerName = overrides.provider ?? 'Gemini';
  const model: ProviderModel = {
    id,
    fullName: `${providerName}/${id}`,
    provider: {
      name: providerName,
      apiType: 'gemini',
      apiBase: overrides.apiBase ?? geminiProvider.defaultApiBase!,
      timeoutMs: 180_000,
      headers: {},
    },
    apiType: 'gemini',
    capabilities,
    defaults: {},
  };
  if (overrides.endpoint != null) model.endpoint = overrides.endpoint;
  return model;
}

/** A chat request input with defaults (no tools, empty config, threshold BLOCK_NONE). */
export function chatInput(model: ProviderModel, overrides: Partial<ChatRequestInput> = {}): ChatRequestInput {
  return {
    model,
    messages: [{ role: 'user', content: 'Hello' }],
    config: {},
    tools: { functions: [], providerTools: [] },
    stream: false,
    ...overrides,
  };
}
