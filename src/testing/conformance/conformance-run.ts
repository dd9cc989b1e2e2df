import type { LLM } from '../../client/llm.js';
import type { LLMConfig, ModelDetail } from '../../spec/index.js';
import { startFakeProvider } from '../fake-provider.js';
import { equal, fail } from './conformance-assert.js';
import type {
  ChatWire,
  ConformanceModels,
  ConformanceServer,
  ConformanceTarget,
  WireKit,
} from './conformance-types.js';

/** The provider name every case configures the target under (`Target/<model>`). */
export const PROVIDER = 'Target';
/** The two keys of the provider: a retry after a key-specific failure goes to the other one. */
export const KEYS = ['test-key-1', 'test-key-2'] as const;
/** Fast retries: no case waits on real backoff (a hinted cooldown is never waited out). */
export const RETRY = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 } as const;

/** One case's server and client. */
export interface Run<R> {
  readonly server: ConformanceServer<R>;
  readonly llm: LLM;
  readonly wire: WireKit<R>;
  /** The kit's chat builders (fails when the kit has none: cases that use them need a chat model). */
  readonly chat: ChatWire<R>;
  /** `Target/<model>` for a use of the target's models (`tools` falls back to `chat`, …). */
  model(use: keyof ConformanceModels): string;
  /** The parsed bodies of the requests received, oldest first. */
  bodies(): unknown[];
}

const CHAT_BUILDERS = [
  'text',
  'textStream',
  'toolCalls',
  'cutStream',
  'streamError',
  'stalledStream',
] as const;

/** The chat builders a wire kit lacks. */
export function missingChatBuilders(wire: WireKit<unknown>): string[] {
  return CHAT_BUILDERS.filter((name) => typeof wire[name] !== 'function');
}

function chatWire<R>(wire: WireKit<R>): ChatWire<R> {
  const missing = missingChatBuilders(wire as WireKit<unknown>);
  if (missing.length > 0) fail(`the wire kit ${wire.name} has no ${missing.join(', ')}`);
  return wire as ChatWire<R>;
}

/** The model id for a use, with the documented fallbacks to `chat`. */
export function modelFor(models: ConformanceModels, use: keyof ConformanceModels): string | undefined {
  switch (use) {
    case 'tools':
    case 'structured':
    case 'reasoning':
    case 'vision':
      return models[use] ?? models.chat;
    case 'chat':
    case 'embedding':
    case 'image':
      return models[use];
    default: {
      const unreachable: never = use;
      return unreachable;
    }
  }
}

function modelEntries<R>(target: ConformanceTarget<R>): (string | ModelDetail)[] {
  const ids = new Set(Object.values(target.models).filter((id): id is string => id != null));
  return [...ids].map((id) => {
    const detail = target.modelDetails?.find((entry) => entry.name === id);
    if (detail != null) return detail;
    return id === target.models.embedding ? { name: id, embedding: true } : id;
  });
}

function clientConfig<R>(target: ConformanceTarget<R>, server: ConformanceServer<R>): LLMConfig {
  return {
    retry: { ...RETRY },
    ...target.config,
    providers: [
      {
        ...target.provider,
        name: PROVIDER,
        apiType: target.apiType,
        apiBase: target.apiBase?.(server) ?? server.url,
        apiKeys: [...KEYS],
        models: modelEntries(target),
      },
    ],
  };
}

async function startServer<R>(target: ConformanceTarget<R>): Promise<ConformanceServer<R>> {
  const start = (target as { startServer?: () => Promise<ConformanceServer<R>> }).startServer;
  if (start != null) return start();
  // Without startServer the replies are the fake provider's (ConformanceTarget's type says so).
  return (await startFakeProvider()) as unknown as ConformanceServer<R>;
}

/**
 * Runs `body` with a fresh server and client (so no key health or queued reply leaks between cases), closes
 * both, then checks that the case used every reply it queued and that the server saw no problem.
 */
export async function withRun<R>(
  target: ConformanceTarget<R>,
  body: (run: Run<R>) => Promise<void>,
): Promise<void> {
  // The client is loaded on first use: importing the test kit alone stays light.
  const { createLLM } = await import('../../client/llm.js');
  const server = await startServer(target);
  let llm: LLM | undefined;
  try {
    llm = createLLM(clientConfig(target, server));
    const client = llm;
    await body({
      server,
      llm: client,
      wire: target.wire,
      get chat() {
        return chatWire(target.wire);
      },
      model: (use) => {
        const id = modelFor(target.models, use);
        return id != null ? `${PROVIDER}/${id}` : fail(`the target has no models.${use}`);
      },
      bodies: () => server.requests.map((request) => request.body),
    });
  } finally {
    await llm?.close();
    await server.close();
  }
  if (server.errors != null) equal(server.errors.map(String), [], 'problems inside the server');
  if (server.pendingReplies != null) equal(server.pendingReplies, 0, 'scripted replies left unused');
}
