import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { redactSecrets } from '../logging/secrets.js';
import type { LLMConfig, Middleware, ProviderConfig } from '../spec/index.js';
import { keyIdOf, keyIdsOf } from '../util/key-id.js';
import { resolveConfig } from './resolve-config.js';

const provider = (overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  name: 'OpenAI',
  apiType: 'openai',
  apiKeys: ['test-key-1'],
  models: ['gpt-4o-mini'],
  ...overrides,
});

/** Runs resolveConfig expecting a CONFIGURATION_ERROR; returns it. */
function configError(config: unknown): LLMError {
  try {
    resolveConfig(config);
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    expect((error as LLMError).code).toBe('CONFIGURATION_ERROR');
    return error as LLMError;
  }
  throw new Error('expected a CONFIGURATION_ERROR');
}

const issuesOf = (error: LLMError) => error.details?.issues as { path: string; message: string }[];

describe('resolveConfig: defaults', () => {
  it('applies every default to a minimal config', () => {
    const resolved = resolveConfig({ providers: [provider()] });
    expect(resolved).toMatchObject({
      timeoutMs: 180_000,
      retry: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 },
      structuredRetries: 2,
      maxToolRounds: 5,
      keyStore: { type: 'memory' },
      logger: false,
      debugLog: false,
      locale: 'en',
      middlewares: [],
      geminiSafetyThreshold: 'BLOCK_NONE',
    });
    expect(resolved.defaultModel).toBeUndefined();
    expect(resolved.proxy).toBeUndefined();
    const [openai] = resolved.providers;
    expect(openai).toMatchObject({
      name: 'OpenAI',
      apiType: 'openai',
      apiKeys: ['test-key-1'],
      apiBase: 'https://api.openai.com',
      timeoutMs: 180_000,
      headers: {},
    });
    expect(openai?.proxy).toBeUndefined();
  });

  it('keeps given values and fills the rest of retry', () => {
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const middleware: Middleware = (request, next) => next(request);
    const resolved = resolveConfig({
      providers: [provider()],
      timeoutMs: 5000,
      retry: { maxRetries: 0 },
      structuredRetries: 0,
      maxToolRounds: 9,
      logger,
      locale: 'zh',
      middlewares: [middleware],
      geminiSafetyThreshold: 'block_only_high',
    } satisfies LLMConfig);
    expect(resolved.retry).toEqual({ maxRetries: 0, baseDelayMs: 1000, maxDelayMs: 30_000 });
    expect(resolved).toMatchObject({ timeoutMs: 5000, structuredRetries: 0, maxToolRounds: 9, locale: 'zh' });
    expect(resolved.logger).toBe(logger);
    expect(resolved.middlewares).toEqual([middleware]);
    expect(resolved.geminiSafetyThreshold).toBe('BLOCK_ONLY_HIGH');
  });

  it.each([
    [undefined, false],
    [false, false],
    [true, { showTools: true, showSchema: true, showSafety: true }],
    [{ showSchema: false }, { showTools: true, showSchema: false, showSafety: true }],
  ])('debugLog %j → %j', (debugLog, expected) => {
    expect(resolveConfig({ providers: [provider()], debugLog }).debugLog).toEqual(expected);
  });

  it.each([
    ['memory', { type: 'memory' }],
    [{ type: 'memory' }, { type: 'memory' }],
    [
      { type: 'file', path: '.switchboard/keys.json' },
      { type: 'file', path: '.switchboard/keys.json' },
    ],
    [
      { type: 'redis', url: 'redis://localhost:6379' },
      { type: 'redis', url: 'redis://localhost:6379', prefix: 'switchboard:' },
    ],
    [
      { type: 'redis', url: 'rediss://r:6380', prefix: 'app:' },
      { type: 'redis', url: 'rediss://r:6380', prefix: 'app:' },
    ],
  ])('keyStore %j', (keyStore, expected) => {
    expect(resolveConfig({ providers: [provider()], keyStore }).keyStore).toEqual(expected);
  });

  it.each([
    ['openai', 'https://api.openai.com'],
    ['openai_responses', 'https://api.openai.com'],
    ['openai_image', 'https://api.openai.com'],
    ['deepseek', 'https://api.deepseek.com'],
    ['zhipu', 'https://open.bigmodel.cn'],
    ['ark', 'https://ark.cn-beijing.volces.com'],
    ['gemini', 'https://generativelanguage.googleapis.com'],
    ['openrouter', 'https://openrouter.ai/api'],
    ['anthropic', 'https://api.anthropic.com'],
  ] as const)('default apiBase of %s is %s', (apiType, base) => {
    expect(resolveConfig({ providers: [provider({ apiType })] }).providers[0]?.apiBase).toBe(base);
  });

  it('normalises the base: trims trailing slashes and keeps /v1', () => {
    const resolved = resolveConfig({
      providers: [
        provider({ apiBase: ' https://api.openai.com/v1/ ' }),
        provider({ name: 'Relay', apiBase: 'http://127.0.0.1:8080///' }),
      ],
    });
    expect(resolved.providers.map((p) => p.apiBase)).toEqual([
      'https://api.openai.com/v1',
      'http://127.0.0.1:8080',
    ]);
  });

  it('gives providers the client timeout and proxy unless they have their own', () => {
    const resolved = resolveConfig({
      timeoutMs: 60_000,
      proxy: 'http://127.0.0.1:7890',
      providers: [
        provider(),
        provider({ name: 'Own', timeoutMs: 1000, proxy: 'https://proxy.internal:8443' }),
      ],
    });
    expect(resolved.proxy).toBe('http://127.0.0.1:7890');
    expect(resolved.providers.map((p) => [p.timeoutMs, p.proxy])).toEqual([
      [60_000, 'http://127.0.0.1:7890'],
      [1000, 'https://proxy.internal:8443'],
    ]);
  });

  it('turns one key into a list, trims and de-duplicates keys, copies headers', () => {
    const headers = { 'x-team': 'search' };
    const [one, two] = resolveConfig({
      providers: [
        provider({ apiKeys: 'test-key-1', headers }),
        provider({ name: 'B', apiKeys: ['test-key-1', ' test-key-2 ', 'test-key-1'] }),
      ],
    }).providers;
    expect(one?.apiKeys).toEqual(['test-key-1']);
    expect(one?.headers).toEqual(headers);
    expect(one?.headers).not.toBe(headers);
    expect(two?.apiKeys).toEqual(['test-key-1', 'test-key-2']);
  });

  it('canonicalises the default model names to their configured spelling', () => {
    const resolved = resolveConfig({
      providers: [provider({ models: ['gpt-4o-mini', 'text-embedding-3-small'] })],
      defaultModel: ' openai / GPT-4O-MINI ',
      defaultEmbeddingModel: 'OPENAI/text-embedding-3-small',
    });
    expect(resolved.defaultModel).toBe('OpenAI/gpt-4o-mini');
    expect(resolved.defaultEmbeddingModel).toBe('OpenAI/text-embedding-3-small');
  });
});

describe('resolveConfig: models', () => {
  const modelsOf = (config: LLMConfig) => resolveConfig(config).providers.flatMap((p) => p.models);

  it('resolves id, fullName, provider back-reference, defaults and endpoint', () => {
    const resolved = resolveConfig({
      providers: [
        provider({
          models: [
            { name: 'gpt-4o', temperature: 0.2, maxTokens: 512, endpoint: '/v1/chat/completions' },
            ' gpt-4o-mini ',
          ],
        }),
      ],
    });
    const [openai] = resolved.providers;
    const [detailed, plain] = openai?.models ?? [];
    expect(detailed).toMatchObject({
      id: 'gpt-4o',
      fullName: 'OpenAI/gpt-4o',
      apiType: 'openai',
      kind: 'chat',
      endpoint: '/v1/chat/completions',
      defaults: { temperature: 0.2, maxTokens: 512 },
    });
    expect(detailed?.provider).toBe(openai);
    expect(plain).toMatchObject({ id: 'gpt-4o-mini', defaults: {} });
    expect(plain?.endpoint).toBeUndefined();
  });

  it('routes smart providers by model name, case-insensitively', () => {
    const models = modelsOf({
      providers: [
        provider({
          name: 'Relay',
          apiType: 'smart',
          apiBase: 'https://relay.example.com/v1',
          models: [
            'Gemini-2.5-Flash',
            'nano-banana-pro',
            'gpt-4o',
            'claude-sonnet-4',
            { name: 'dall-e-3', apiType: 'openai_image' },
          ],
        }),
      ],
    });
    expect(models.map((m) => [m.id, m.apiType, m.kind])).toEqual([
      ['Gemini-2.5-Flash', 'gemini', 'chat'],
      ['nano-banana-pro', 'gemini', 'chat'],
      ['gpt-4o', 'openai', 'chat'],
      ['claude-sonnet-4', 'openai', 'chat'],
      ['dall-e-3', 'openai_image', 'image'],
    ]);
  });

  it("lets the model's apiType win over the provider's", () => {
    const models = modelsOf({
      providers: [
        provider({
          models: [
            { name: 'gpt-5', apiType: 'openai_responses' },
            { name: 'gemini-2.5-flash', apiType: 'gemini' },
            { name: 'gemini-2.5-flash-image', apiType: 'nano_banana' },
            'gpt-4o',
          ],
        }),
      ],
    });
    expect(models.map((m) => m.apiType)).toEqual(['openai_responses', 'gemini', 'nano_banana', 'openai']);
    expect(models[2]?.kind).toBe('image');
  });

  it('derives the kind from the flag, the dialect and the registry', () => {
    const models = modelsOf({
      providers: [
        provider({
          models: [
            'text-embedding-3-small',
            { name: 'm3e-base', embedding: true },
            { name: 'text-embedding-3-large', embedding: false },
            'gpt-image-1',
            'gpt-4o',
          ],
        }),
        provider({ name: 'Images', apiType: 'openai_image', models: ['my-image-model'] }),
        provider({
          name: 'Gemini',
          apiType: 'gemini',
          models: ['gemini-2.5-flash-image', 'gemini-embedding-001'],
        }),
      ],
    });
    expect(models.map((m) => [m.fullName, m.kind])).toEqual([
      ['OpenAI/text-embedding-3-small', 'embedding'],
      ['OpenAI/m3e-base', 'embedding'],
      ['OpenAI/text-embedding-3-large', 'chat'],
      ['OpenAI/gpt-image-1', 'image'],
      ['OpenAI/gpt-4o', 'chat'],
      ['Images/my-image-model', 'image'],
      ['Gemini/gemini-2.5-flash-image', 'chat'],
      ['Gemini/gemini-embedding-001', 'embedding'],
    ]);
    expect(models[1]?.capabilities).toMatchObject({ embedding: true, outputModalities: ['embedding'] });
    expect(models[5]?.capabilities.outputModalities).toEqual(['image']);
  });

  it('merges capability overrides over the registry', () => {
    const [model] = modelsOf({
      providers: [
        provider({
          models: [
            { name: 'deepseek-chat', capabilities: { jsonSchema: true, inputModalities: ['text', 'image'] } },
          ],
        }),
      ],
    });
    expect(model?.capabilities).toMatchObject({
      jsonSchema: true,
      inputModalities: ['text', 'image'],
      toolCalling: true,
      reasoningMode: 'none',
    });
    const [embedder] = modelsOf({
      providers: [provider({ models: [{ name: 'x', capabilities: { embedding: true } }] })],
    });
    expect(embedder?.kind).toBe('embedding');
  });
});

describe('resolveConfig: errors', () => {
  it('reports three independent mistakes together, one per line', () => {
    const error = configError({
      providers: [
        provider({ apiType: 'opnai' as never }),
        { name: 'Gemini', apiType: 'gemini', models: ['gemini-2.5-flash'] },
      ],
      defaultModel: 'Gemini/gemini-9',
    });
    expect(issuesOf(error)).toEqual([
      {
        path: 'defaultModel',
        message: 'unknown model "Gemini/gemini-9"; configured: OpenAI/gpt-4o-mini, Gemini/gemini-2.5-flash',
      },
      {
        path: 'providers[0].apiType',
        message:
          'unknown API type "opnai"; allowed: openai, deepseek, zhipu, ark, openrouter, openai_responses, gemini, openai_image, nano_banana, anthropic, smart',
      },
      { path: 'providers[1].apiKeys', message: 'required' },
    ]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration (3 problems):');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^defaultModel: unknown model/),
      expect.stringMatching(/^providers\[0\]\.apiType: unknown API type "opnai"; allowed: openai, /),
      'providers[1].apiKeys: required',
    ]);
  });

  it('reports unknown keys at every level, with a suggestion', () => {
    const error = configError({
      providers: [{ ...provider(), api_key: 'test-key-2', models: [{ name: 'gpt-4o', max_tokens: 5 }] }],
      timeout: 30,
      retry: { retries: 2 },
    });
    expect(issuesOf(error)).toEqual([
      { path: 'retry.retries', message: 'unknown key (did you mean "maxRetries"?)' },
      { path: 'timeout', message: 'unknown key (did you mean "timeoutMs"?)' },
      { path: 'providers[0].api_key', message: 'unknown key (did you mean "apiKeys"?)' },
      { path: 'providers[0].models[0].max_tokens', message: 'unknown key (did you mean "maxTokens"?)' },
    ]);
  });

  it('checks every field of a provider', () => {
    const error = configError({
      providers: [
        {
          name: 'a/b',
          apiType: 'openai',
          apiKeys: [],
          models: [],
          apiBase: 'api.openai.com',
          timeoutMs: 0,
          proxy: 'socks5://127.0.0.1:1080',
          headers: { 'x-n': 1 },
        },
      ],
    });
    expect(issuesOf(error)).toEqual([
      {
        path: 'providers[0].apiBase',
        message: 'must be an absolute http(s) URL, e.g. https://api.openai.com',
      },
      { path: 'providers[0].apiKeys', message: 'at least one key is required' },
      { path: 'providers[0].headers.x-n', message: 'must be a string (got number)' },
      { path: 'providers[0].models', message: 'at least one model is required' },
      { path: 'providers[0].name', message: 'must not contain "/" (model names are "Provider/model")' },
      { path: 'providers[0].proxy', message: 'must be an absolute http(s) URL, e.g. http://127.0.0.1:7890' },
      { path: 'providers[0].timeoutMs', message: 'must be positive' },
    ]);
  });

  it('checks keys and model entries one by one', () => {
    const error = configError({
      providers: [
        provider({
          apiKeys: ['test-key-1', '', 42 as never],
          models: ['', 7 as never, { name: 'x', temperature: -1 }],
        }),
      ],
    });
    expect(issuesOf(error)).toEqual([
      { path: 'providers[0].apiKeys[1]', message: 'must not be empty' },
      { path: 'providers[0].apiKeys[2]', message: 'must be a string (got number)' },
      { path: 'providers[0].models[0].name', message: 'must not be empty' },
      { path: 'providers[0].models[1]', message: 'must be a model name or an object { name, … }' },
      { path: 'providers[0].models[2].temperature', message: 'must not be negative' },
    ]);
  });

  it('finds duplicate provider names and model names, case-insensitively', () => {
    const error = configError({
      providers: [provider({ models: ['gpt-4o', 'GPT-4o'] }), provider({ name: 'openai' })],
    });
    expect(issuesOf(error)).toEqual([
      {
        path: 'providers[0].models[1]',
        message: 'duplicate model "GPT-4o" (also models[0]; names are case-insensitive)',
      },
      {
        path: 'providers[1].name',
        message: 'duplicate provider name "openai" (also providers[0]; names are case-insensitive)',
      },
    ]);
  });

  it.each(['smart', 'nano_banana'] as const)('requires apiBase for apiType %s', (apiType) => {
    const error = configError({ providers: [provider({ apiType })] });
    expect(error.message).toContain(`providers[0].apiBase: required for apiType ${apiType}`);
  });

  it('checks the client-level fields', () => {
    const error = configError({
      providers: [provider()],
      timeoutMs: -5,
      proxy: 'nope',
      retry: { maxRetries: -1, baseDelayMs: 'x' },
      structuredRetries: 1.5,
      keyStore: { type: 's3' },
      logger: { info() {} },
      debugLog: 'yes',
      locale: 'fr',
      middlewares: [(_r: unknown, next: (r: unknown) => unknown) => next(_r), 'not a function'],
      geminiSafetyThreshold: 'BLOCK_SOME',
    });
    const byPath = Object.fromEntries(issuesOf(error).map((issue) => [issue.path, issue.message]));
    expect(byPath).toEqual({
      timeoutMs: 'must be positive',
      proxy: 'must be an absolute http(s) URL, e.g. http://127.0.0.1:7890',
      'retry.maxRetries': 'must not be negative',
      'retry.baseDelayMs': 'must be a number (got string)',
      structuredRetries: 'must be an integer',
      'keyStore.type':
        "must be 'memory', { type: 'memory' }, { type: 'file', path } or { type: 'redis', url, prefix? }",
      logger: 'must be false or a logger object; missing function(s): debug, warn, error',
      debugLog: 'must be true, false or { showTools?, showSchema?, showSafety? } (booleans)',
      locale: 'must be one of "en", "zh"',
      'middlewares[1]': 'must be a function',
      geminiSafetyThreshold:
        'must be one of "BLOCK_NONE", "BLOCK_ONLY_HIGH", "BLOCK_MEDIUM_AND_ABOVE", "BLOCK_LOW_AND_ABOVE", "OFF"',
    });
  });

  it('checks the kind of the default models', () => {
    const error = configError({
      providers: [provider({ models: ['gpt-4o', 'text-embedding-3-small'] })],
      defaultModel: 'OpenAI/text-embedding-3-small',
      defaultEmbeddingModel: 'OpenAI/gpt-4o',
    });
    expect(issuesOf(error)).toEqual([
      {
        path: 'defaultEmbeddingModel',
        message: '"OpenAI/gpt-4o" is not an embedding model (mark it with embedding: true if it is one)',
      },
      {
        path: 'defaultModel',
        message: '"OpenAI/text-embedding-3-small" is an embedding model; set it as defaultEmbeddingModel',
      },
    ]);
  });

  it('explains the "Provider/model" format of the default model', () => {
    const error = configError({ providers: [provider()], defaultModel: 'gpt-4o-mini' });
    expect(issuesOf(error)).toEqual([
      {
        path: 'defaultModel',
        message: 'must be "Provider/model" (e.g. "OpenAI/gpt-4o-mini"; split on the first "/")',
      },
    ]);
  });

  it('does not guess about a default model of a broken provider', () => {
    const error = configError({
      providers: [provider(), { apiType: 'gemini' }],
      defaultModel: 'Gemini/gemini-2.5-flash',
    });
    expect(issuesOf(error).map((issue) => issue.path)).toEqual([
      'providers[1].apiKeys',
      'providers[1].models',
      'providers[1].name',
    ]);
  });

  it.each([
    [null, '', 'must be an object { providers: [...] } (got null)'],
    ['x', '', 'must be an object { providers: [...] } (got string)'],
    [[], '', 'must be an object { providers: [...] } (got a list)'],
    [{}, 'providers', 'required'],
    [{ providers: 'x' }, 'providers', 'must be an array (got string)'],
    [{ providers: [] }, 'providers', 'at least one provider is required'],
    [{ providers: [null] }, 'providers[0]', 'must be an object (got null)'],
    [
      { providers: [provider({ models: 'gpt-4o' as never })] },
      'providers[0].models',
      'must be an array (got string)',
    ],
  ])('bad input %j is an LLMError naming %s, never a TypeError', (config, path, message) => {
    expect(issuesOf(configError(config))).toContainEqual({ path, message });
  });

  it('never puts a key value in the message or details', () => {
    const secret = 'placeholder-secret-value';
    const error = configError({
      providers: [
        provider({
          apiKeys: [secret, ''],
          apiBase: `ftp://${secret}@host`,
          proxy: `socks://user:${secret}@p`,
        }),
        provider({ name: 'openai', apiKeys: secret }),
      ],
    });
    expect(issuesOf(error).length).toBe(4);
    const text = JSON.stringify({ message: error.message, details: error.details, json: error.toJSON() });
    expect(text).not.toContain(secret);
    // Not even redacted: the message never held the value in the first place.
    expect(text).not.toContain(keyIdOf(secret));
    expect(text).not.toContain('[REDACTED]');
  });
});

describe('resolveConfig: redaction ids', () => {
  it("registers each provider's keys as one group: the ids its key pool shows, unique per provider", () => {
    // The first two would share the masked id `test…ab12`; the third is alone in its provider.
    const twins = ['test-key-resolve-twin-one-ab12', 'test-key-resolve-twin-two-ab12'];
    const alone = 'test-key-resolve-alone-ab12';
    resolveConfig({
      providers: [provider({ apiKeys: twins }), provider({ name: 'Other', apiKeys: [alone] })],
    });
    const [one, two] = keyIdsOf(twins);
    expect(one).toMatch(/^key#[0-9a-f]{6,}$/);
    expect(redactSecrets(`${twins[0]} ${twins[1]} ${alone}`)).toBe(`${one} ${two} ${keyIdOf(alone)}`);
  });
});
