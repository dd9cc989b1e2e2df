import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { LLMConfig, ProviderConfig, RouteConfig } from '../spec/index.js';
import { loadConfig } from './load-config.js';
import { resolveConfig } from './resolve-config.js';

// API.md §14: `routes` in config, validated with every problem reported by path.

const PROVIDERS: ProviderConfig[] = [
  {
    name: 'OpenAI',
    apiType: 'openai',
    apiKeys: ['test-key-1'],
    models: [
      { name: 'gpt-4o', contextWindow: 128_000 },
      'gpt-4o-mini',
      { name: 'text-embedding-3-small', embedding: true },
    ],
  },
  {
    name: 'Gemini',
    apiType: 'gemini',
    apiKeys: ['test-key-2'],
    models: ['gemini-2.5-flash', { name: 'gemini-embedding-001', embedding: true }],
  },
];

function withRoutes(routes: unknown, extra: Partial<LLMConfig> = {}): unknown {
  return { providers: PROVIDERS, routes, ...extra };
}

function issuesOf(config: unknown): { path: string; message: string }[] {
  try {
    resolveConfig(config);
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    expect((error as LLMError).code).toBe('CONFIGURATION_ERROR');
    return (error as LLMError).details?.issues as { path: string; message: string }[];
  }
  throw new Error('expected a CONFIGURATION_ERROR');
}

describe('routes in config: resolved', () => {
  it('resolves targets, defaults (fallback, weight 1, the default fallbackOn) and target configs', () => {
    const routes: RouteConfig[] = [
      {
        name: 'smart',
        targets: [
          'openai/GPT-4O',
          { model: 'Gemini/gemini-2.5-flash', weight: 3, config: { core: { maxTokens: 2048 } } },
        ],
      },
      {
        name: 'spread',
        strategy: 'weighted',
        targets: ['OpenAI/gpt-4o-mini', 'Gemini/gemini-2.5-flash'],
        fallbackOn: ['API_SERVER_ERROR'],
      },
      {
        name: 'vectors',
        targets: [
          { model: 'OpenAI/text-embedding-3-small', config: { taskType: 'retrieval_query' as never } },
          'Gemini/gemini-embedding-001',
        ],
      },
    ];
    const resolved = resolveConfig(withRoutes(routes, { defaultModel: 'SMART' }));
    const [smart, spread, vectors] = resolved.routes;
    expect(smart?.name).toBe('smart');
    expect(smart?.strategy).toBe('fallback');
    expect(smart?.kind).toBe('chat');
    expect(smart?.adHoc).toBe(false);
    expect(smart?.targets.map((t) => [t.model.fullName, t.weight, t.config])).toEqual([
      ['OpenAI/gpt-4o', 1, undefined],
      ['Gemini/gemini-2.5-flash', 3, { core: { maxTokens: 2048 } }],
    ]);
    expect([...(smart?.fallbackOn ?? [])]).toEqual([
      'API_SERVER_ERROR',
      'API_TIMEOUT',
      'API_RATE_LIMITED',
      'NO_AVAILABLE_KEYS',
      'API_QUOTA_EXCEEDED',
      'API_KEY_INVALID',
      'API_REQUEST_FAILED',
      'CONTEXT_LENGTH_EXCEEDED',
      'CONTENT_FILTERED',
    ]);
    expect(spread?.strategy).toBe('weighted');
    expect([...(spread?.fallbackOn ?? [])]).toEqual(['API_SERVER_ERROR']);
    expect(vectors?.kind).toBe('embedding');
    // Embedding routes take an embedding config, normalised like a call's.
    expect(vectors?.targets[0]?.embeddingConfig).toEqual({ taskType: 'RETRIEVAL_QUERY' });
    // A route name is a default model too, spelled as configured.
    expect(resolved.defaultModel).toBe('smart');
    expect(resolved.providers[0]?.models[0]?.contextWindow).toBe(128_000);
  });

  it('a config without routes has none', () => {
    expect(resolveConfig({ providers: PROVIDERS }).routes).toEqual([]);
  });

  it('an embedding route may be the default embedding model', () => {
    const resolved = resolveConfig(
      withRoutes([{ name: 'vec', targets: ['OpenAI/text-embedding-3-small'] }], {
        defaultEmbeddingModel: 'vec',
      }),
    );
    expect(resolved.defaultEmbeddingModel).toBe('vec');
  });
});

describe('routes in config: every problem by path', () => {
  it('reports names, targets, kinds, weights, strategies, codes and target configs together', () => {
    const issues = issuesOf(
      withRoutes([
        { name: 'smart', targets: ['OpenAI/gpt-4o', 'OpenAI/GPT-4o', 'OpenAI/nope'] },
        { name: 'Smart', strategy: 'fastest', targets: ['gpt-4o', 'smart'] },
        { name: 'a/b', targets: [] },
        {
          name: 'mixed',
          targets: [
            'OpenAI/gpt-4o',
            { model: 'OpenAI/text-embedding-3-small', weight: 0 },
            { model: 'Gemini/gemini-2.5-flash', config: { core: { temperature: 5 } } },
          ],
          fallbackOn: ['API_TIMEOUT', 'NOPE', 'ABORTED'],
        },
        { name: 'typo', targets: [{ model: 'OpenAI/gpt-4o', wieght: 2 }], fallback_on: [] },
        { name: 'bad-target', targets: [42] },
      ]),
    );
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath).toEqual({
      'routes[0].targets[1].model':
        '"OpenAI/GPT-4o" is listed twice (also targets[0]); use weight to give a target a larger share',
      'routes[0].targets[2].model': expect.stringMatching(
        /^unknown model "OpenAI\/nope"; configured: OpenAI\/gpt-4o, OpenAI\/gpt-4o-mini, /,
      ),
      'routes[1].name': 'duplicate route name "Smart" (also routes[0]; names are case-insensitive)',
      'routes[1].strategy': 'must be one of "fallback", "round_robin", "weighted", "least_busy", "latency"',
      'routes[1].targets[0].model':
        'must be "Provider/model" (e.g. "OpenAI/gpt-4o-mini"; split on the first "/")',
      'routes[1].targets[1].model':
        '"smart" is a route; targets are models ("Provider/model" (e.g. "OpenAI/gpt-4o-mini"; split on the first "/")), routes cannot be nested',
      'routes[2].name': 'must not contain "/" (a name with "/" reads as "Provider/model")',
      'routes[2].targets': 'at least one target is required',
      'routes[3].targets[1].weight': 'must be positive',
      'routes[3].targets[1].model':
        '"OpenAI/text-embedding-3-small" is an embedding model, but targets[0] is a chat model; every target of route "mixed" must be of one kind',
      'routes[3].targets[2].config.core.temperature': expect.stringContaining('must be between 0 and 2'),
      'routes[3].fallbackOn[1]': expect.stringMatching(/^must be one of "MODEL_INIT_FAILED", /),
      'routes[3].fallbackOn[2]': "ABORTED (the caller's own abort) never falls back; remove it",
      'routes[4].targets[0].wieght': 'unknown key (did you mean "weight"?)',
      'routes[4].fallback_on': 'unknown key (did you mean "fallbackOn"?)',
      'routes[5].targets[0]': 'must be "Provider/model" or an object { model, weight?, config? }',
    });
  });

  it('a bad route never hides a bad provider: both are reported', () => {
    const issues = issuesOf({
      providers: [...PROVIDERS, { name: 'Broken', apiType: 'openai', models: ['m'] }],
      routes: [{ name: 'r', targets: ['OpenAI/missing'] }],
    });
    expect(issues.map((issue) => issue.path)).toEqual(['routes[0].targets[0].model', 'providers[2].apiKeys']);
  });

  it('does not guess about targets of a broken provider (its own issue is reported)', () => {
    const issues = issuesOf({
      providers: [PROVIDERS[0], { name: 'Gemini', apiType: 'gemini', apiKeys: ['test-key-2'] }],
      routes: [{ name: 'r', targets: ['Gemini/gemini-2.5-flash'] }],
    });
    expect(issues).toEqual([{ path: 'providers[1].models', message: 'required' }]);
  });

  it('checks a default model naming a route: it must exist and be of the right kind', () => {
    const routes = [
      { name: 'chatty', targets: ['OpenAI/gpt-4o'] },
      { name: 'vec', targets: ['OpenAI/text-embedding-3-small'] },
    ];
    expect(issuesOf(withRoutes(routes, { defaultModel: 'nope' }))).toEqual([
      {
        path: 'defaultModel',
        message:
          'must be "Provider/model" (e.g. "OpenAI/gpt-4o-mini"; split on the first "/") or a route name (routes: chatty, vec)',
      },
    ]);
    expect(issuesOf(withRoutes(routes, { defaultModel: 'vec', defaultEmbeddingModel: 'chatty' }))).toEqual([
      { path: 'defaultEmbeddingModel', message: 'route "chatty" is not a route of embedding models' },
      {
        path: 'defaultModel',
        message: 'route "vec" is a route of embedding models; set it as defaultEmbeddingModel',
      },
    ]);
  });

  it('checks contextWindow', () => {
    const issues = issuesOf({
      providers: [{ ...PROVIDERS[0], models: [{ name: 'gpt-4o', contextWindow: -1 }] }],
    });
    expect(issues).toEqual([{ path: 'providers[0].models[0].contextWindow', message: 'must be positive' }]);
  });
});

describe('routes in a config file', () => {
  it('loads the README example (YAML), snake_case context_window included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-routes-'));
    const file = join(dir, 'switchboard.yaml');
    writeFileSync(
      file,
      [
        'providers:',
        '  - { name: OpenAI, apiType: openai, apiKeys: [test-key-1], models: [gpt-4o] }',
        '  - { name: DeepSeek, apiType: deepseek, apiKeys: [test-key-2], models: [{ name: deepseek-chat, context_window: 64000 }] }',
        '  - { name: Gemini, apiType: gemini, apiKeys: [test-key-3], models: [gemini-2.5-flash] }',
        'defaultModel: smart',
        'routes:',
        '  - name: smart',
        '    strategy: fallback',
        '    targets:',
        '      - { model: OpenAI/gpt-4o, weight: 3 }',
        '      - { model: DeepSeek/deepseek-chat, config: { core: { maxTokens: 2048 } } }',
        '      - { model: Gemini/gemini-2.5-flash }',
        '    fallbackOn: [API_SERVER_ERROR, API_TIMEOUT, API_RATE_LIMITED, NO_AVAILABLE_KEYS, API_QUOTA_EXCEEDED,',
        '                 API_KEY_INVALID, API_REQUEST_FAILED, CONTEXT_LENGTH_EXCEEDED, CONTENT_FILTERED]',
        '',
      ].join('\n'),
    );
    const resolved = resolveConfig(await loadConfig(file));
    expect(resolved.defaultModel).toBe('smart');
    expect(resolved.routes[0]?.targets.map((target) => target.model.fullName)).toEqual([
      'OpenAI/gpt-4o',
      'DeepSeek/deepseek-chat',
      'Gemini/gemini-2.5-flash',
    ]);
    expect(resolved.providers[1]?.models[0]?.contextWindow).toBe(64_000);
  });
});
