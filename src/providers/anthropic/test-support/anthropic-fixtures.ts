import { readdirSync, readFileSync } from 'node:fs';
import { SseDecoder } from '../../../http/sse-decoder.js';
import { lookupCapabilities } from '../../../models/capability-registry.js';
import type {
  ChatRequestInput,
  ChatStreamParser,
  ModelCapabilities,
  ParsedChat,
  ProviderModel,
  StreamDelta,
} from '../../../spec/index.js';

const ROOT = new URL('../../../../fixtures/providers/', import.meta.url);

/** Every Anthropic recording, as `anthropic/<file>`. */
export function anthropicRecordings(): string[] {
  return readdirSync(new URL('anthropic/', ROOT))
    .sort()
    .map((file) => `anthropic/${file}`);
}

/** Text of a recording under `fixtures/providers/`. */
export function fixtureText(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

export interface ExchangeInteraction {
  request: { method: string; url: string; headers: Record<string, unknown>; body?: unknown };
  response: { status: number; headers: Record<string, unknown>; body?: string; bodyJson?: unknown };
}

export function exchange(path: string): ExchangeInteraction[] {
  return (JSON.parse(fixtureText(path)) as { interactions: ExchangeInteraction[] }).interactions;
}

/** The parsed response body of an interaction (`body` string or `bodyJson`). */
export function responseJson(interaction: ExchangeInteraction | undefined): unknown {
  if (interaction == null) throw new Error('missing interaction');
  const { body, bodyJson } = interaction.response;
  return body != null ? JSON.parse(body) : bodyJson;
}

/** The recorded request body of an interaction. */
export function requestBody(path: string, index = 0): Record<string, unknown> {
  const body = exchange(path)[index]?.request.body;
  if (body == null || typeof body !== 'object') throw new Error(`${path}[${index}]: no request body`);
  return body as Record<string, unknown>;
}

/** A `.chunks.txt` recording re-framed as Anthropic SSE (`event: <type>\ndata: <line>\n\n`, SOURCES.md). */
export function chunksToSse(path: string): string {
  return fixtureText(path)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`)
    .join('');
}

export interface StreamRun {
  deltas: StreamDelta[];
  result?: ParsedChat;
  error?: unknown;
}

/** Runs an SSE body through the real decoder and a parser in small byte chunks; collects deltas, result or error. */
export function runStream(parser: ChatStreamParser, sse: string, chunkSize = 61): StreamRun {
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

/** A resolved Anthropic model for tests (provider `Anthropic`, capabilities from the registry). */
export function anthropicModel(
  id = 'claude-haiku-4-5-20251001',
  overrides: {
    apiBase?: string;
    capabilities?: Partial<ModelCapabilities>;
    endpoint?: string;
    provider?: string;
    maxTokens?: number;
    headers?: Record<string, string>;
  } = {},
): ProviderModel {
  const providerName = overrides.provider ?? 'Anthropic';
  const model: ProviderModel = {
    id,
    fullName: `${providerName}/${id}`,
    provider: {
      name: providerName,
      apiType: 'anthropic',
      apiBase: overrides.apiBase ?? 'https://api.anthropic.com',
      timeoutMs: 180_000,
      headers: overrides.headers ?? {},
    },
    apiType: 'anthropic',
    capabilities: { ...lookupCapabilities(id), ...overrides.capabilities },
    defaults: overrides.maxTokens != null ? { maxTokens: overrides.maxTokens } : {},
  };
  if (overrides.endpoint != null) model.endpoint = overrides.endpoint;
  return model;
}

/** A chat request input with defaults (one user turn, no tools, empty config). */
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
