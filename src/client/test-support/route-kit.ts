import type { LLMConfig, ModelDetail, ProviderConfig, RouteConfig } from '../../spec/index.js';
import {
  type FakeProvider,
  type RecordedRequest,
  type ReplyContext,
  type ReplyHandler,
  startFakeProvider,
} from '../../testing/index.js';
import type { Clock, Random } from '../../util/clock.js';
import type { CreateLLMOptions } from '../create-client-context.js';
import { createLLM, type LLM } from '../llm.js';
import { FAST_RETRY } from './e2e-kit.js';

/** Helpers of the route tests (API.md §14): one fake speaking three dialects, three providers on it. */

export const OPENAI = 'OpenAI/gpt-4o-mini';
export const GEMINI = 'Gemini/gemini-2.5-flash';
export const ANTHROPIC = 'Anthropic/claude-sonnet-4-5';

export type Dialect = 'openai' | 'gemini' | 'anthropic';

/** Which of the three APIs a request went to. */
export function dialectOf(request: RecordedRequest): Dialect | undefined {
  const path = request.path;
  if (path.includes('/chat/completions') || path.includes('/embeddings') || path.includes('/images/')) {
    return 'openai';
  }
  if (request.path.includes(':generateContent') || request.path.includes(':streamGenerateContent'))
    return 'gemini';
  if (request.path.includes(':embedContent') || request.path.includes(':batchEmbedContents')) return 'gemini';
  if (request.path.includes('/v1/messages')) return 'anthropic';
  return undefined;
}

export interface RouteKitOptions {
  routes?: RouteConfig[];
  /** Per dialect: the reply (`undefined` → the fake's automatic echo). */
  handlers?: Partial<Record<Dialect, ReplyHandler>>;
  /** Extra models per provider (appended to the default one). */
  models?: Partial<Record<Dialect, (string | ModelDetail)[]>>;
  /** Keys per provider. Default one each (`test-key-…`). */
  keys?: Partial<Record<Dialect, string[]>>;
  /** Provider fields merged in (e.g. `timeoutMs`). */
  provider?: Partial<Record<Dialect, Partial<ProviderConfig>>>;
  config?: Partial<LLMConfig>;
  clock?: Clock;
  random?: Random;
}

export interface RouteKit {
  fake: FakeProvider;
  llm: LLM;
  /** Requests per dialect, in order. */
  requests(dialect: Dialect): RecordedRequest[];
  close(): Promise<void>;
}

/** A fake provider answering OpenAI, Gemini and Anthropic, and a client with one provider of each on it. */
export async function routeKit(options: RouteKitOptions = {}): Promise<RouteKit> {
  const handlers = options.handlers ?? {};
  const fake = await startFakeProvider((request: RecordedRequest, context: ReplyContext) => {
    const dialect = dialectOf(request);
    return dialect === undefined ? undefined : handlers[dialect]?.(request, context);
  });
  const provider = (dialect: Dialect, fields: ProviderConfig): ProviderConfig => ({
    ...fields,
    apiKeys: options.keys?.[dialect] ?? [`test-key-${dialect}`],
    models: [...fields.models, ...(options.models?.[dialect] ?? [])],
    ...options.provider?.[dialect],
  });
  const providers: ProviderConfig[] = [
    provider('openai', {
      name: 'OpenAI',
      apiType: 'openai',
      apiBase: fake.openaiBase,
      apiKeys: [],
      models: ['gpt-4o-mini'],
    }),
    provider('gemini', {
      name: 'Gemini',
      apiType: 'gemini',
      apiBase: fake.geminiBase,
      apiKeys: [],
      models: ['gemini-2.5-flash'],
    }),
    provider('anthropic', {
      name: 'Anthropic',
      apiType: 'anthropic',
      apiBase: fake.anthropicBase,
      apiKeys: [],
      models: ['claude-sonnet-4-5'],
    }),
  ];
  const createOptions: CreateLLMOptions = {};
  if (options.clock != null) createOptions.clock = options.clock;
  if (options.random != null) createOptions.random = options.random;
  const llm = createLLM(
    { providers, retry: FAST_RETRY, routes: options.routes ?? [], ...options.config },
    createOptions,
  );
  return {
    fake,
    llm,
    requests: (dialect) => fake.requests.filter((request) => dialectOf(request) === dialect),
    close: async () => {
      await llm.close();
      await fake.close();
    },
  };
}

/** A seeded PRNG (mulberry32): exact, repeatable randomness for distribution tests. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
